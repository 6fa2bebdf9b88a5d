"""Per-group metrics for every slice and condition, read off the speaker-cluster count vectors.

The point estimates come from the same count vectors as the bootstrap (`counts.py`), so the
table costs one pass over the predictions; `metric_frame` hands out the same numbers as a
fairlearn MetricFrame (the public vocabulary: `difference()`, `ratio()`, `group_min()`, ...), and
tests assert that the two agree for every group.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from serfair.analysis.calibration import confidence_of
from serfair.analysis.metrics import MetricInfo, metric_set, overall_metrics
from serfair.analysis.slicing import ALL, group_labels
from serfair.analysis.uncertainty import SliceStatistics, audit_statistics


def _infos(scored: pd.DataFrame, infos: dict[str, MetricInfo] | None,
           labels: tuple[str, ...] | None) -> dict[str, MetricInfo]:
    if infos is not None:
        return infos
    return (overall_metrics() if labels is None
            else metric_set(labels, calibration=confidence_of(scored, labels) is not None))


def group_table(scored: pd.DataFrame, slices: list[str], conditions: list[str],
                infos: dict[str, MetricInfo] | None = None,
                labels: tuple[str, ...] | None = None, *, bins: int = 10) -> pd.DataFrame:
    """Long table: slice, group, condition, n_clips, n_speakers and one column per metric.

    `scored` has one row per (clip, condition) with y_true, y_pred, speaker_id and the slice columns
    (and `p_<label>` columns for calibration). The slice `all` (every clip) is always included.
    Without `infos`, the three overall metrics are computed; `bins` is the ECE's.
    """
    infos = _infos(scored, infos, labels)
    if labels is None:
        labels = tuple(sorted(set(scored["y_true"].astype(str)) | set(scored["y_pred"].astype(str))))
    per_slice = audit_statistics(scored, [ALL, *slices], conditions, labels, infos, replicates=0,
                                 permutations=0, seed=0, bins=bins)
    return table_from_statistics(scored, per_slice, conditions)


def table_from_statistics(scored: pd.DataFrame, per_slice: dict[str, SliceStatistics],
                          conditions: list[str]) -> pd.DataFrame:
    """The group table from each slicing's point estimates (groups without clips are left out)."""
    records = []
    for c, condition in enumerate(conditions):
        part = scored[scored["condition"] == condition]
        for name, st in per_slice.items():
            groups = (pd.Series(ALL, index=part.index) if name == ALL else group_labels(part, name))
            speakers = part["speaker_id"].groupby(groups).nunique()
            for g, group in enumerate(st.clusters.groups):
                n_clips = int(st.n_clips[g, c])
                if n_clips == 0:
                    continue
                records.append({"slice": name, "group": group, "condition": condition,
                                "n_clips": n_clips, "n_speakers": int(speakers.get(group, 0)),
                                **{m: float(st.point[g, c, j]) for j, m in enumerate(st.metrics)}})
    return pd.DataFrame.from_records(records)


def metric_frame(scored: pd.DataFrame, slice_name: str, condition: str | None = None,
                 labels: tuple[str, ...] | None = None,
                 infos: dict[str, MetricInfo] | None = None):
    """A fairlearn MetricFrame of every metric for one slicing (and one condition, if given).

        >>> frame = metric_frame(run.predictions, "gender", "clean", labels)
        >>> frame.by_group["uar"], frame.difference()["uar"]
    """
    from fairlearn.metrics import MetricFrame

    part = scored if condition is None else scored[scored["condition"] == condition]
    infos = _infos(part, infos, labels)
    groups = (pd.Series(ALL, index=part.index, name=ALL) if slice_name == ALL
              else group_labels(part, slice_name))
    params = None
    if any(i.needs_confidence for i in infos.values()):
        confidence = confidence_of(part, labels) if labels else None
        params = {n: {"confidence": np.asarray(confidence)} for n, i in infos.items()
                  if i.needs_confidence}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn: y_pred has classes absent from y_true
        return MetricFrame(metrics={n: i.function for n, i in infos.items()},
                           y_true=part["y_true"], y_pred=part["y_pred"],
                           sensitive_features=groups, sample_params=params)
