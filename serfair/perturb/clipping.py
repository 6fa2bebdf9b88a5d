"""`clipping@percent=P`: hard clipping of the loudest samples (audiomentations ClippingDistortion)."""

from __future__ import annotations

import numpy as np

from serfair.perturb.base import Family, Param, register
from serfair.perturb.seeding import run_transform


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator,
          percent: float) -> np.ndarray:
    """Clip the samples below the (percent/2)-th and above the (100 - percent/2)-th percentile."""
    from audiomentations import ClippingDistortion  # slow to import: only when used
    p = round(percent)
    transform = ClippingDistortion(min_percentile_threshold=p, max_percentile_threshold=p, p=1.0)
    return run_transform(transform, wave, sample_rate)


FAMILY = register(Family(
    name="clipping",
    description="hard clipping: the given share of samples (half each side) is cut to a threshold",
    params=(Param("percent", "% of samples", 2.0, 80.0, 10.0,
                  "share of samples clipped (silence counts too)", step=2.0),),
    apply=apply,
    randomised=False,
))
