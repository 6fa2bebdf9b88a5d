"""`gain@db=G`: louder or quieter (audiomentations Gain); nothing is clipped."""

from __future__ import annotations

import numpy as np

from serfair.perturb.base import Family, Param, register
from serfair.perturb.seeding import run_transform


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator, db: float) -> np.ndarray:
    """Multiply by 10^(db/20); samples may leave [-1, 1] (clipping is its own family)."""
    from audiomentations import Gain  # slow to import: only when used
    transform = Gain(min_gain_db=db, max_gain_db=db, p=1.0)
    return run_transform(transform, wave, sample_rate)


FAMILY = register(Family(
    name="gain",
    description="level change in decibels, from very quiet (-60 dB) to louder (+20 dB)",
    params=(Param("db", "dB", -60.0, 20.0, -20.0, "gain; negative is quieter"),),
    apply=apply,
    randomised=False,
    severity=lambda db: abs(db),
))
