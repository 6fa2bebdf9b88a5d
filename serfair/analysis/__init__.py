"""Analysis: reads only the predictions table (with manifest columns), writes the result body."""

from __future__ import annotations

import pandas as pd

from serfair.analysis.groups import group_table
from serfair.analysis.metrics import HEADLINE, METRICS
from serfair.analysis.summary import data_summary
from serfair.analysis.warnings import cell_warnings

SCHEMA_VERSION = "1.0"


def analyse(predictions: pd.DataFrame, *, spec, conditions, labels: tuple[str, ...],
            clips_total: pd.DataFrame, excluded: dict[str, int], provenance: dict) -> dict:
    """The result document (see serfair/report/result.schema.json)."""
    names = [c.name for c in conditions]
    groups = group_table(predictions, spec.slices, names)
    clean = predictions[predictions["condition"] == names[0]]
    return {
        "schema_version": SCHEMA_VERSION,
        "name": spec.name,
        "description": spec.description,
        "scope": spec.scope,
        "provenance": provenance,
        "data": data_summary(clean, clips_total, spec.slices, excluded, labels),
        "conditions": [{"name": c.name, "family": c.family, "params": c.kwargs} for c in conditions],
        "slices": list(spec.slices),
        "metrics": {"names": list(METRICS), "headline": HEADLINE,
                    "groups": groups.to_dict(orient="records")},
        "warnings": cell_warnings(groups, min_speakers=5),
    }
