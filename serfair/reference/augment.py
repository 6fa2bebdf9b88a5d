"""Seeded waveform augmentation for the second reference model (cnnlstm-aug-v1).

Every draw comes from a numpy Generator passed in by the caller (derived from seed, epoch or copy
index, and clip index) - never from global random state.

- pitch (+-3 semitones) and tempo (0.8-1.25, pitch kept) are slow (phase vocoder + resampling), so
  they are applied once per clip and copy (`pitch_tempo_copy`);
- noise (additive Gaussian, SNR 0-30 dB) and gain (+-12 dB) are cheap and applied per epoch to the
  training window (`noise_gain`).
"""

from __future__ import annotations

import librosa
import numpy as np

SAMPLE_RATE = 16000
PITCH_SEMITONES = (-3.0, 3.0)
TEMPO_RATE = (0.8, 1.25)
SNR_DB = (0.0, 30.0)
GAIN_DB = (-12.0, 12.0)
P_EACH = 0.5  # probability that each transform is applied to an example


def pitch_tempo(y: np.ndarray, semitones: float, rate: float) -> np.ndarray:
    """Shift pitch by `semitones` and play `rate` times faster, with one phase-vocoder pass and
    one resampling."""
    if semitones == 0.0 and rate == 1.0:
        return y.astype(np.float32, copy=True)
    f = 2.0 ** (semitones / 12.0)
    z = librosa.effects.time_stretch(y, rate=rate / f, n_fft=512, hop_length=128)
    if semitones != 0.0:
        z = librosa.resample(z, orig_sr=SAMPLE_RATE, target_sr=SAMPLE_RATE / f,
                             res_type="soxr_hq")
    return np.ascontiguousarray(z, dtype=np.float32)


def pitch_tempo_copy(y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    """One augmented copy: pitch shift and tempo change, each with probability 0.5."""
    semitones = float(rng.uniform(*PITCH_SEMITONES)) if rng.random() < P_EACH else 0.0
    rate = (float(np.exp(rng.uniform(np.log(TEMPO_RATE[0]), np.log(TEMPO_RATE[1]))))
            if rng.random() < P_EACH else 1.0)
    return pitch_tempo(y, semitones, rate), {"semitones": semitones, "rate": rate}


def noise_gain(y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Additive Gaussian noise at a random SNR and a random gain, each with probability 0.5."""
    out = y.astype(np.float32, copy=True)
    if rng.random() < P_EACH:
        snr = rng.uniform(*SNR_DB)
        power = float(np.mean(out.astype(np.float64) ** 2)) if out.size else 0.0
        if power > 0:
            sigma = np.sqrt(power / (10.0 ** (snr / 10.0)))
            out += (sigma * rng.standard_normal(out.shape[0])).astype(np.float32)
    if rng.random() < P_EACH:
        out *= np.float32(10.0 ** (rng.uniform(*GAIN_DB) / 20.0))
    return out
