"""Perturbation families, one file each; importing this package registers them all."""

from serfair.perturb import clean, noise  # noqa: F401  (registration)
from serfair.perturb.base import (CLEAN, FAMILIES, Condition, Family, Param, apply_condition,
                                  parse_condition, parse_conditions)
from serfair.perturb.seeding import derive_seed, rng_for

__all__ = ["CLEAN", "FAMILIES", "Condition", "Family", "Param", "apply_condition",
           "parse_condition", "parse_conditions", "derive_seed", "rng_for"]
