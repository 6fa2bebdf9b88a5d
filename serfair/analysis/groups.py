"""Per-group metrics for every slice and condition, through fairlearn's MetricFrame."""

from __future__ import annotations

import warnings

import pandas as pd
from fairlearn.metrics import MetricFrame

from serfair.analysis.calibration import confidence_of
from serfair.analysis.metrics import MetricInfo, metric_set, overall_metrics
from serfair.analysis.slicing import group_labels


def group_table(scored: pd.DataFrame, slices: list[str], conditions: list[str],
                infos: dict[str, MetricInfo] | None = None,
                labels: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Long table: slice, group, condition, n_clips, n_speakers and one column per metric.

    `scored` has one row per (clip, condition) with y_true, y_pred, speaker_id and the slice columns
    (and `p_<label>` columns for calibration). The slice `all` (every clip) is always included.
    Without `infos`, the three overall metrics are computed.
    """
    if infos is None:
        infos = (overall_metrics() if labels is None
                 else metric_set(labels, calibration=confidence_of(scored, labels) is not None))
    calibrated = any(i.needs_confidence for i in infos.values())
    records = []
    for condition in conditions:
        part = scored[scored["condition"] == condition]
        if part.empty:
            continue
        confidence = confidence_of(part, labels) if calibrated else None
        params = {n: {"confidence": confidence} for n, i in infos.items() if i.needs_confidence}
        for name in ["all", *slices]:
            groups = (pd.Series("all", index=part.index, name="all") if name == "all"
                      else group_labels(part, name))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # sklearn: y_pred has classes absent from y_true
                frame = MetricFrame(metrics={n: i.function for n, i in infos.items()},
                                    y_true=part["y_true"], y_pred=part["y_pred"],
                                    sensitive_features=groups, sample_params=params or None)
            by_group = frame.by_group
            counts = part.groupby(groups).agg(n_clips=("clip_id", "size"),
                                              n_speakers=("speaker_id", "nunique"))
            for group, row in by_group.iterrows():
                records.append({"slice": name, "group": str(group), "condition": condition,
                                "n_clips": int(counts.loc[group, "n_clips"]),
                                "n_speakers": int(counts.loc[group, "n_speakers"]),
                                **{m: float(row[m]) for m in infos}})
    return pd.DataFrame.from_records(records)
