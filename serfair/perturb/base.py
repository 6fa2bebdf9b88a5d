"""Applying conditions to audio; the grammar (Condition, Family, parse, severity) is in
`serfair.vocab.conditions` and re-exported here for the family files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from serfair.errors import SpecError
from serfair.vocab.conditions import (  # noqa: F401  (re-exported: the family files register here)
    CLEAN,
    FAMILIES,
    Condition,
    Family,
    Param,
    parse_condition,
    parse_conditions,
    register,
    severity,
    tick,
)


@dataclass(frozen=True)
class ClipContext:
    """What a family may need beyond the wave: the clip's identity and, for babble, other clips."""

    clip_id: str
    speaker_id: str = ""
    babble: Any = None  # a serfair.perturb.babble.BabblePool


def apply_condition(condition: Condition, wave: np.ndarray, sample_rate: int,
                    rng: np.random.Generator, context: ClipContext | None = None) -> np.ndarray:
    """Apply one condition; output is float32 mono of any length."""
    family = FAMILIES[condition.family]
    kwargs: dict[str, Any] = dict(condition.kwargs)
    if family.needs_context:
        if context is None:
            raise SpecError(f"condition '{condition.name}' needs the other clips of the run; "
                            f"apply it through an audit or `serfair perturb`")
        kwargs["context"] = context
    out = family.apply(np.asarray(wave, dtype=np.float32), sample_rate, rng, **kwargs)
    return np.ascontiguousarray(out, dtype=np.float32)
