"""Per-group metric functions: sklearn agreement, per-emotion recall and prediction rate."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score, recall_score

from serfair.analysis.metrics import (
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    NEITHER,
    metric_set,
    rate_of,
    recall_of,
    uar,
)

LABELS = ("neutral", "happy", "angry")
Y_TRUE = np.array(["neutral", "happy", "angry", "angry", "happy", "happy"])
Y_PRED = np.array(["neutral", "angry", "angry", "happy", "happy", "neutral"])


def test_recall_of_matches_sklearn_per_class_recall():
    per_class = recall_score(Y_TRUE, Y_PRED, labels=list(LABELS), average=None)
    assert [recall_of(e)(Y_TRUE, Y_PRED) for e in LABELS] == pytest.approx(per_class)
    assert uar(Y_TRUE, Y_PRED) == pytest.approx(balanced_accuracy_score(Y_TRUE, Y_PRED))


def test_recall_of_an_emotion_without_clips_is_nan_not_zero():
    assert np.isnan(recall_of("sad")(Y_TRUE, Y_PRED))


def test_rate_of_counts_how_often_the_model_says_it():
    assert rate_of("angry")(Y_TRUE, Y_PRED) == pytest.approx(2 / 6)
    assert rate_of("sad")(Y_TRUE, Y_PRED) == 0.0


def test_metric_set_names_directions_and_calibration_switch():
    infos = metric_set(LABELS)
    assert list(infos)[:3] == ["uar", "accuracy", "macro_f1"]
    assert {"recall_angry", "rate_angry", "ece", "mean_confidence"} <= set(infos)
    assert infos["uar"].direction == HIGHER_IS_BETTER
    assert infos["ece"].direction == LOWER_IS_BETTER and infos["ece"].kinds == ("difference",)
    assert infos["rate_angry"].direction == NEITHER and "ratio" in infos["rate_angry"].kinds
    assert "ece" not in metric_set(LABELS, calibration=False)
