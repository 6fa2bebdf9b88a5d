"""Counterfactual probes (docs/probes.md); importing this package registers them all."""

from serfair.probes import gender_swap  # noqa: F401  (registration)
from serfair.probes.base import (
    PROBES,
    Probe,
    ProbePlan,
    parse_probes,
    plan_probes,
    probe_conditions,
)

__all__ = ["PROBES", "Probe", "ProbePlan", "parse_probes", "plan_probes", "probe_conditions"]
