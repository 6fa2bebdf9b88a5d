"""Analysis: reads only the predictions table (with manifest columns), writes the result body.

Submodules are imported when used, so that commands which only read a result (`gate`, `report`)
and modules that only need the metric registry do not pay for scipy and fairlearn.
`metric_frame(predictions, slice, condition, labels)` hands out a fairlearn MetricFrame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = "1.0"

__all__ = ["SCHEMA_VERSION", "analyse", "metric_frame"]


def __getattr__(name: str):
    if name == "metric_frame":
        from serfair.analysis.groups import metric_frame

        return metric_frame
    raise AttributeError(f"module 'serfair.analysis' has no attribute '{name}'")


def analyse(predictions: pd.DataFrame, *, spec, conditions, labels: tuple[str, ...],
            clips_total: pd.DataFrame, excluded: dict[str, int], provenance: dict,
            probes: list | None = None, acoustics: dict | None = None) -> dict:
    """The result document (see serfair/report/result.schema.json); `probes` are probe plans
    (serfair.probes) whose rows the predictions table also holds, `acoustics` their checks."""
    from serfair.analysis.calibration import probability_columns
    from serfair.analysis.fairness import fairness, slice_statistics_for
    from serfair.analysis.groups import table_from_statistics
    from serfair.analysis.metrics import HEADLINE, describe, metric_set
    from serfair.analysis.probes import probes_for
    from serfair.analysis.robustness import robustness_for
    from serfair.analysis.summary import data_summary

    names = [c.name for c in conditions]
    everything, predictions = predictions, predictions[predictions["condition"].isin(names)]
    calibrated = probability_columns(predictions, labels) is not None
    infos = metric_set(labels, calibration=calibrated, bins=spec.stats.ece_bins)
    per_slice = slice_statistics_for(predictions, slices=list(spec.slices), conditions=names,
                                     labels=labels, infos=infos, stats_spec=spec.stats,
                                     seed=spec.seed, workers=min(spec.workers or 1, 2))
    groups = table_from_statistics(predictions, per_slice, names)  # the bootstrap's count vectors
    clean = predictions[predictions["condition"] == names[0]]
    fair = fairness(predictions, groups, slices=list(spec.slices), conditions=names, labels=labels,
                    infos=infos, stats_spec=spec.stats, seed=spec.seed,
                    has_probabilities=calibrated, per_slice=per_slice)
    return {
        "schema_version": SCHEMA_VERSION,
        "name": spec.name,
        "description": spec.description,
        "scope": spec.scope,
        "provenance": provenance,
        "data": data_summary(clean, clips_total, spec.slices, excluded, labels),
        "conditions": [{"name": c.name, "family": c.family, "params": c.kwargs} for c in conditions],
        "slices": list(spec.slices),
        "metrics": {"names": list(infos), "headline": HEADLINE, "info": describe(infos),
                    "groups": fair["groups"]},
        "disparities": fair["disparities"],
        "tests": fair["tests"],
        "findings": fair["findings"],
        "confounding": fair["confounding"],
        "confusion": fair["confusion"],
        "warnings": fair["warnings"],
        "robustness": robustness_for(predictions, spec=spec, conditions=conditions, labels=labels),
        "probes": probes_for(everything, probes or [], spec=spec, labels=labels, clean=names[0],
                             acoustics=acoustics),
    }
