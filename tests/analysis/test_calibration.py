"""Expected calibration error and confidence from probability columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from serfair.analysis.calibration import (
    bin_index,
    confidence_of,
    ece,
    expected_calibration_error,
    mean_confidence,
)


def test_ece_by_hand():
    # bin (0.8, 0.9]: confidences 0.85, 0.85, accuracy 1/2 -> |0.5 - 0.85| * 2/4
    # bin (0.5, 0.6]: confidences 0.55, 0.55, accuracy 2/2 -> |1 - 0.55| * 2/4
    correct = np.array([1, 0, 1, 1])
    confidence = np.array([0.85, 0.85, 0.55, 0.55])
    assert expected_calibration_error(correct, confidence) == pytest.approx(0.35 * 0.5 + 0.45 * 0.5)


def test_perfectly_calibrated_bins_have_zero_ece():
    correct = np.array([1, 1, 1, 0, 1])
    assert expected_calibration_error(correct, np.full(5, 0.8)) == pytest.approx(0.0)


def test_bins_are_closed_on_the_right_and_zero_falls_in_the_first():
    assert bin_index(np.array([0.0, 0.1, 0.1000001, 0.95, 1.0])).tolist() == [0, 0, 1, 9, 9]


def test_confidence_comes_from_p_columns_or_is_absent():
    frame = pd.DataFrame({"p_a": [0.7, 0.2], "p_b": [0.3, 0.8]})
    assert confidence_of(frame, ("a", "b")).tolist() == [0.7, 0.8]
    assert confidence_of(frame, ("a", "c")) is None


def test_metricframe_signatures():
    y = np.array(["a", "b"])
    assert ece(y, y, np.array([1.0, 1.0])) == pytest.approx(0.0)
    assert mean_confidence(y, y, np.array([0.6, 0.8])) == pytest.approx(0.7)
