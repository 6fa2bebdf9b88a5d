"""`clean`: the audio as decoded."""

from __future__ import annotations

import numpy as np

from serfair.perturb.base import Family, register


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Identity."""
    return wave


FAMILY = register(Family("clean", "the unperturbed audio", (), apply, randomised=False))
