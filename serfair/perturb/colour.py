"""`colour@snr=DB:slope=DB_PER_OCTAVE`: coloured noise at an SNR (audiomentations AddColorNoise).

The slope is the noise's power spectral density change per octave: -3.01 is pink, -6.02 brown
(red), 0 white, +3.01 blue.
"""

from __future__ import annotations

import numpy as np

from serfair.perturb.base import Family, Param, register
from serfair.perturb.seeding import run_transform, seed_from

PINK, BROWN = -3.01, -6.02
N_FFT = 512  # shaping filter length: the default 128 misses the slope by up to 2 dB/octave


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator, snr: float,
          slope: float) -> np.ndarray:
    """Add noise with a spectral slope of `slope` dB/octave so that signal/noise power = `snr` dB."""
    from audiomentations import AddColorNoise  # slow to import: only when used
    transform = AddColorNoise(min_snr_db=snr, max_snr_db=snr, min_f_decay=slope,
                              max_f_decay=slope, n_fft=N_FFT, p=1.0)
    return run_transform(transform, wave, sample_rate, seed_from(rng))


FAMILY = register(Family(
    name="colour",
    description="additive coloured noise (pink by default, brown at slope=-6.02) at a fixed SNR",
    params=(
        Param("snr", "dB", -10.0, 60.0, 10.0, "signal-to-noise ratio; lower is noisier"),
        Param("slope", "dB/octave", -6.02, 6.02, PINK,
              "spectral slope of the noise: -3.01 pink, -6.02 brown, 0 white",
              named=((PINK, "pink"), (BROWN, "brown"), (0.0, "white"), (3.01, "blue"),
                     (6.02, "violet"))),
    ),
    apply=apply,
    severity=lambda snr, slope: -snr,
))
