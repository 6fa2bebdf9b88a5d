"""Small signals and measurements for the perturbation tests (a helper, not a test module)."""

from __future__ import annotations

import numpy as np

RATE = 16000


def sine(freq: float, seconds: float = 1.0, amplitude: float = 0.3, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def voice(seconds: float = 1.0, f0: float = 150.0, rate: int = RATE, seed: int = 0) -> np.ndarray:
    """A harmonic 'voice' (f0 and 9 overtones) with a syllable-rate envelope and a little noise."""
    t = np.arange(int(seconds * rate)) / rate
    harmonics = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 11))
    envelope = 0.5 * (1 - np.cos(2 * np.pi * 4 * t))
    noise = 0.002 * np.random.default_rng(seed).standard_normal(t.shape)
    return (0.1 * harmonics * envelope + noise).astype(np.float32)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def snr_db(clean: np.ndarray, noisy: np.ndarray) -> float:
    return 20 * np.log10(rms(clean) / rms(noisy.astype(np.float64) - clean))


def peak_frequency(x: np.ndarray, rate: int = RATE) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[np.argmax(spectrum)])


def band_power(x: np.ndarray, low: float, high: float, rate: int = RATE) -> float:
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    return float(spectrum[(freqs >= low) & (freqs < high)].sum())
