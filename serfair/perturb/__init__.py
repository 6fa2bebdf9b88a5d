"""Perturbation families, one file each; importing this package registers them all."""

from serfair.perturb import (  # noqa: F401  (registration)
    babble,
    clean,
    clipping,
    codec,
    colour,
    gain,
    noise,
    pitch,
    reverb,
    telephone,
    tempo,
    voice,
)
from serfair.perturb.base import (
    CLEAN,
    FAMILIES,
    ClipContext,
    Condition,
    Family,
    Param,
    apply_condition,
    parse_condition,
    parse_conditions,
    severity,
    tick,
)
from serfair.perturb.seeding import derive_seed, rng_for

__all__ = ["CLEAN", "FAMILIES", "ClipContext", "Condition", "Family", "Param", "apply_condition",
           "derive_seed", "parse_condition", "parse_conditions", "rng_for", "severity", "tick"]
