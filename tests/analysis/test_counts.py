"""Metrics from summed count vectors (each slicing's statistics) equal fairlearn MetricFrame's."""

from __future__ import annotations

import numpy as np
import pandas as pd
from synthetic_predictions import LABELS, predictions

from serfair.analysis.groups import metric_frame
from serfair.analysis.metrics import metric_set
from serfair.analysis.slicing import group_labels
from serfair.analysis.uncertainty import slice_statistics


def _compare(frame: pd.DataFrame, slices: list[str], conditions: list[str]) -> int:
    infos = metric_set(LABELS)
    compared = 0
    for name in ["all", *slices]:
        st = slice_statistics(frame, name, conditions, LABELS, infos, replicates=50,
                              permutations=0, seed=0)
        for g, group in enumerate(st.clusters.groups):
            for c, condition in enumerate(conditions):
                mf = metric_frame(frame, name, condition, LABELS, infos)
                expected = mf.by_group.loc[group, list(infos)].to_numpy(dtype=float)
                np.testing.assert_allclose(st.point[g, c], expected, rtol=1e-12, atol=1e-12)
                part = frame[frame["condition"] == condition]
                sizes = group_labels(part, name).value_counts() if name != "all" else {"all": len(part)}
                assert st.n_clips[g, c] == sizes[group]
                compared += 1
    return compared


def test_count_metrics_equal_metricframe_for_every_group_and_condition():
    frame = predictions(n_speakers=8, clips_per_speaker=18, conditions=("clean", "noise"))
    compared = _compare(frame, ["gender", "dataset", "gender*dataset"], ["clean", "noise"])
    assert compared == 2 * (1 + 2 + 2 + 4)


def test_undefined_metrics_agree_as_nan():
    frame = predictions(n_speakers=6, clips_per_speaker=12)
    frame = frame[~((frame["gender"] == "male") & (frame["y_true"] == "disgust"))]  # no disgust
    assert _compare(frame, ["gender"], ["clean"]) == 3
