"""`noise@snr=DB`: white Gaussian noise at a signal-to-noise ratio (audiomentations AddGaussianSNR)."""

from __future__ import annotations

import numpy as np

from serfair.perturb.base import Family, Param, register
from serfair.perturb.seeding import run_transform, seed_from


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator, snr: float) -> np.ndarray:
    """Add white noise so that signal power / noise power = `snr` dB."""
    from audiomentations import AddGaussianSNR  # slow to import: only when used
    transform = AddGaussianSNR(min_snr_db=snr, max_snr_db=snr, p=1.0)
    return run_transform(transform, wave, sample_rate, seed_from(rng))


FAMILY = register(Family(
    name="noise",
    description="additive white Gaussian noise at a fixed signal-to-noise ratio",
    params=(Param("snr", "dB", -10.0, 60.0, 10.0, "signal-to-noise ratio; lower is noisier"),),
    apply=apply,
    severity=lambda snr: -snr,
))
