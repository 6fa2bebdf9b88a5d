"""`tempo@rate=R`: faster or slower speech with the pitch kept (audiomentations TimeStretch,
signalsmith-stretch backend)."""

from __future__ import annotations

import math

import numpy as np

from serfair.perturb.base import Family, Param, register
from serfair.perturb.seeding import run_transform


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator, rate: float) -> np.ndarray:
    """Play `rate` times as fast (1.25 is 25 % faster, so the clip is 1/1.25 as long)."""
    from audiomentations import TimeStretch  # slow to import: only when used
    if rate == 1:
        return wave
    transform = TimeStretch(min_rate=rate, max_rate=rate, leave_length_unchanged=False,
                            method="signalsmith_stretch", p=1.0)
    return run_transform(transform, wave, sample_rate)


FAMILY = register(Family(
    name="tempo",
    description="tempo change without pitch change; the clip gets shorter or longer",
    params=(Param("rate", "x speed", 0.5, 2.0, 1.25,
                  "playback speed; above 1 is faster, below 1 slower"),),
    apply=apply,
    randomised=False,
    severity=lambda rate: abs(math.log2(rate)),
))
