"""`noise@snr=DB`: white Gaussian noise at a signal-to-noise ratio (audiomentations AddGaussianSNR)."""

from __future__ import annotations

import numpy as np
from audiomentations import AddGaussianSNR

from serfair.perturb.base import Family, Param, register
from serfair.perturb.seeding import global_seed


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator, snr: float) -> np.ndarray:
    """Add white noise so that signal power / noise power = `snr` dB."""
    transform = AddGaussianSNR(min_snr_db=snr, max_snr_db=snr, p=1.0)
    with global_seed(int(rng.integers(2**32))):
        return transform(samples=wave.astype(np.float32, copy=False), sample_rate=sample_rate)


FAMILY = register(Family(
    name="noise",
    description="additive white Gaussian noise at a fixed signal-to-noise ratio",
    params=(Param("snr", "dB", -10.0, 60.0, 10.0, "signal-to-noise ratio; lower is noisier"),),
    apply=apply,
))
