"""Per-group metrics (multiclass), registered by name; each is `f(y_true, y_pred) -> float`."""

from __future__ import annotations

from typing import Callable

import numpy as np
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score

Metric = Callable[[np.ndarray, np.ndarray], float]


def uar(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Unweighted average recall (balanced accuracy) over the classes present in y_true."""
    return float(balanced_accuracy_score(y_true, y_pred))


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Share of clips classified correctly."""
    return float(accuracy_score(y_true, y_pred))


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """F1 averaged over the classes present in y_true (classes the model never sees don't count)."""
    present = np.unique(y_true)
    return float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0))


METRICS: dict[str, Metric] = {"uar": uar, "accuracy": accuracy, "macro_f1": macro_f1}
HEADLINE = "uar"
LABELS_FOR_HUMANS = {"uar": "UAR", "accuracy": "accuracy", "macro_f1": "macro-F1"}
