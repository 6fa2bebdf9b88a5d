"""`telephone@low=HZ:high=HZ`: a narrowband telephone channel: down to 8 kHz, a band-pass
(300-3400 Hz by default), and back up to the model's rate (soxr + scipy)."""

from __future__ import annotations

import math

import numpy as np
import soxr

from serfair.perturb.base import Family, Param, register

CHANNEL_RATE = 8000
ORDER = 4  # Butterworth order per band edge: 24 dB/octave roll-off


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator, low: float,
          high: float) -> np.ndarray:
    """Resample to 8 kHz, keep `low`-`high` Hz (causal Butterworth band-pass), resample back."""
    from scipy.signal import butter, sosfilt  # slow to import: only when used
    narrow = soxr.resample(wave, sample_rate, CHANNEL_RATE, quality="HQ") \
        if sample_rate != CHANNEL_RATE else wave
    sos = butter(ORDER, [low, high], btype="bandpass", fs=CHANNEL_RATE, output="sos")
    band = sosfilt(sos, narrow.astype(np.float64)).astype(np.float32)
    out = soxr.resample(band, CHANNEL_RATE, sample_rate, quality="HQ") \
        if sample_rate != CHANNEL_RATE else band
    n = wave.shape[0]
    return out[:n] if out.shape[0] >= n else np.pad(out, (0, n - out.shape[0]))


def _narrowness(low: float, high: float) -> float:
    """Fewer octaves of bandwidth is harsher."""
    return -math.log2(high / low)


FAMILY = register(Family(
    name="telephone",
    description="narrowband telephone channel: 8 kHz round trip and a band-pass filter",
    params=(
        Param("low", "Hz", 50.0, 1000.0, 300.0, "lower band edge"),
        Param("high", "Hz", 1500.0, 3800.0, 3400.0, "upper band edge (below 4 kHz, the 8 kHz Nyquist)"),
    ),
    apply=apply,
    randomised=False,
    severity=_narrowness,
))
