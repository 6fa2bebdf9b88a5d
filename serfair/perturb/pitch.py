"""`pitch@semitones=N`: pitch shift with the duration kept (audiomentations PitchShift,
signalsmith-stretch backend)."""

from __future__ import annotations

import numpy as np

from serfair.perturb.base import Family, Param, register
from serfair.perturb.seeding import run_transform


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator,
          semitones: float) -> np.ndarray:
    """Shift the pitch by `semitones` (negative is lower); the clip keeps its length."""
    from audiomentations import PitchShift  # slow to import: only when used
    if semitones == 0:
        return wave
    transform = PitchShift(min_semitones=semitones, max_semitones=semitones,
                           method="signalsmith_stretch", p=1.0)
    return run_transform(transform, wave, sample_rate)


FAMILY = register(Family(
    name="pitch",
    description="pitch shift up or down, duration unchanged",
    params=(Param("semitones", "semitones", -12.0, 12.0, 2.0,
                  "shift; negative is lower (12 semitones = one octave)"),),
    apply=apply,
    randomised=False,
    severity=lambda semitones: abs(semitones),
))
