"""The group table (point estimates from count vectors) equals fairlearn's MetricFrame."""

from __future__ import annotations

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame
from synthetic_predictions import LABELS, predictions

import serfair.analysis
from serfair.analysis.groups import group_table, metric_frame
from serfair.analysis.metrics import metric_set

SLICES = ["gender", "dataset", "gender*dataset"]


def _assert_equal_to_metricframe(frame: pd.DataFrame, slices: list[str],
                                 conditions: list[str]) -> int:
    infos = metric_set(LABELS)
    table = group_table(frame, slices, conditions, infos, LABELS)
    compared = 0
    for condition in conditions:
        for name in ["all", *slices]:
            mf = metric_frame(frame, name, condition, LABELS, infos)
            rows = table[(table["slice"] == name) & (table["condition"] == condition)]
            assert sorted(rows["group"]) == sorted(str(g) for g in mf.by_group.index)
            for _, row in rows.iterrows():
                expected = mf.by_group.loc[row["group"], list(infos)].to_numpy(dtype=float)
                np.testing.assert_allclose(row[list(infos)].to_numpy(dtype=float), expected,
                                           rtol=1e-12, atol=1e-12)
                compared += 1
            assert rows["n_clips"].sum() == (frame["condition"] == condition).sum()
    return compared


def test_point_estimates_equal_metricframe_for_every_group_and_condition():
    frame = predictions(n_speakers=8, clips_per_speaker=18, conditions=("clean", "noise"))
    assert _assert_equal_to_metricframe(frame, SLICES, ["clean", "noise"]) == 2 * (1 + 2 + 2 + 4)


def test_undefined_metrics_agree_as_nan():
    frame = predictions(n_speakers=6, clips_per_speaker=12)
    frame = frame[~((frame["gender"] == "male") & (frame["y_true"] == "disgust"))]  # no disgust
    assert _assert_equal_to_metricframe(frame, ["gender"], ["clean"]) == 3
    table = group_table(frame, ["gender"], ["clean"], metric_set(LABELS), LABELS)
    assert table.loc[table["group"] == "male", "recall_disgust"].isna().all()


def test_group_counts_are_clips_and_speakers():
    frame = predictions(n_speakers=6, clips_per_speaker=10)
    table = group_table(frame, ["gender"], ["clean"], metric_set(LABELS), LABELS)
    female = table[(table["slice"] == "gender") & (table["group"] == "female")].iloc[0]
    assert female["n_clips"] == 30 and female["n_speakers"] == 3


def test_the_package_hands_out_a_metricframe():
    frame = predictions(n_speakers=6, clips_per_speaker=12)
    mf = serfair.analysis.metric_frame(frame, "gender", "clean", LABELS)
    assert isinstance(mf, MetricFrame)
    assert set(mf.by_group.index) == {"female", "male"}
    assert np.isfinite(mf.difference()["uar"])
