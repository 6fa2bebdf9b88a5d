"""Calibration per group: expected calibration error (ECE) and mean confidence.

Confidence is the probability of the predicted (top) label. ECE uses equal-width bins that are
closed on the right, (0, 0.1], (0.1, 0.2], ..., as in Guo et al. (2017); a confidence of exactly 0
falls in the first bin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

BINS = 10
PROB_PREFIX = "p_"


def probability_columns(frame: pd.DataFrame, labels: tuple[str, ...]) -> list[str] | None:
    """The `p_<label>` columns in label order, or None when any is missing."""
    columns = [f"{PROB_PREFIX}{label}" for label in labels]
    return columns if all(c in frame.columns for c in columns) else None


def confidence_of(frame: pd.DataFrame, labels: tuple[str, ...]) -> np.ndarray | None:
    """Top-label probability per row, or None when the probability columns are missing."""
    columns = probability_columns(frame, labels)
    if columns is None:
        return None
    return frame[columns].to_numpy(dtype=np.float64).max(axis=1)


def bin_index(confidence: np.ndarray, bins: int = BINS) -> np.ndarray:
    """Bin of each confidence in `bins` equal-width, right-closed bins over [0, 1]."""
    index = np.ceil(np.asarray(confidence, dtype=np.float64) * bins).astype(np.int64) - 1
    return np.clip(index, 0, bins - 1)


def expected_calibration_error(correct: np.ndarray, confidence: np.ndarray,
                               bins: int = BINS) -> float:
    """Sum over bins of |accuracy - mean confidence| weighted by the bin's share of clips."""
    correct = np.asarray(correct, dtype=np.float64)
    confidence = np.asarray(confidence, dtype=np.float64)
    if correct.size == 0:
        return float("nan")
    index = bin_index(confidence, bins)
    gap = (np.bincount(index, weights=correct, minlength=bins)
           - np.bincount(index, weights=confidence, minlength=bins))
    return float(np.abs(gap).sum() / correct.size)


def ece(y_true, y_pred, confidence, bins: int = BINS) -> float:
    """ECE of the top label (a MetricFrame metric; `confidence` is a sample parameter)."""
    return expected_calibration_error(np.asarray(y_true) == np.asarray(y_pred), confidence, bins)


def mean_confidence(y_true, y_pred, confidence) -> float:
    """Mean top-label probability (a MetricFrame metric; `confidence` is a sample parameter)."""
    confidence = np.asarray(confidence, dtype=np.float64)
    return float(confidence.mean()) if confidence.size else float("nan")
