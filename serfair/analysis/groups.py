"""Per-group metrics for every slice and condition, through fairlearn's MetricFrame."""

from __future__ import annotations

import pandas as pd
from fairlearn.metrics import MetricFrame

from serfair.analysis.metrics import METRICS
from serfair.analysis.slicing import group_labels


def group_table(scored: pd.DataFrame, slices: list[str], conditions: list[str]) -> pd.DataFrame:
    """Long table: slice, group, condition, n_clips, n_speakers and one column per metric.

    `scored` has one row per (clip, condition) with y_true, y_pred, speaker_id and the slice columns.
    The slice `all` (every clip) is always included.
    """
    records = []
    for condition in conditions:
        part = scored[scored["condition"] == condition]
        if part.empty:
            continue
        for name in ["all", *slices]:
            groups = (pd.Series("all", index=part.index, name="all") if name == "all"
                      else group_labels(part, name))
            frame = MetricFrame(metrics=METRICS, y_true=part["y_true"], y_pred=part["y_pred"],
                                sensitive_features=groups)
            by_group = frame.by_group
            counts = part.groupby(groups).agg(n_clips=("clip_id", "size"),
                                              n_speakers=("speaker_id", "nunique"))
            for group, row in by_group.iterrows():
                records.append({"slice": name, "group": str(group), "condition": condition,
                                "n_clips": int(counts.loc[group, "n_clips"]),
                                "n_speakers": int(counts.loc[group, "n_speakers"]),
                                **{m: float(row[m]) for m in METRICS}})
    return pd.DataFrame.from_records(records)
