"""Per-group metrics (multiclass), registered by name: `f(y_true, y_pred, **params) -> float`.

`METRICS` holds the three overall metrics; `metric_set(labels)` adds, for each emotion the model can
output, its recall and its prediction rate (how often the model says it), and, when probabilities
are available, calibration (ECE and mean confidence of the top label).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from serfair.analysis.calibration import ece, mean_confidence
from serfair.vocab.metrics import HEADLINE, LABELS_FOR_HUMANS  # noqa: F401  (HEADLINE re-exported)

Metric = Callable[..., float]

HIGHER_IS_BETTER, LOWER_IS_BETTER, NEITHER = 1, -1, 0


def uar(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Unweighted average recall (balanced accuracy) over the classes present in y_true."""
    from sklearn.metrics import balanced_accuracy_score  # scikit-learn is slow to import

    return float(balanced_accuracy_score(y_true, y_pred))


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Share of clips classified correctly."""
    from sklearn.metrics import accuracy_score

    return float(accuracy_score(y_true, y_pred))


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """F1 averaged over the classes present in y_true (classes the model never sees don't count)."""
    from sklearn.metrics import f1_score

    present = np.unique(y_true)
    return float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0))


def recall_of(label: str) -> Metric:
    """Recall of one emotion: the share of its clips predicted as it (NaN if the group has none)."""
    def recall(y_true, y_pred) -> float:
        mask = np.asarray(y_true) == label
        return float(np.mean(np.asarray(y_pred)[mask] == label)) if mask.any() else float("nan")
    recall.__name__ = f"recall_{label}"
    return recall


def rate_of(label: str) -> Metric:
    """Prediction rate of one emotion: the share of all clips the model labels as it."""
    def rate(y_true, y_pred) -> float:
        y_pred = np.asarray(y_pred)
        return float(np.mean(y_pred == label)) if y_pred.size else float("nan")
    rate.__name__ = f"rate_{label}"
    return rate


@dataclass(frozen=True)
class MetricInfo:
    """What a metric means: how to read it, which way is better, which gaps to report."""

    name: str
    label: str
    function: Metric
    direction: int = HIGHER_IS_BETTER
    kinds: tuple[str, ...] = ("difference", "ratio")
    family: str = "overall"
    emotion: str | None = None
    needs_confidence: bool = False


METRICS: dict[str, Metric] = {"uar": uar, "accuracy": accuracy, "macro_f1": macro_f1}


def overall_metrics() -> dict[str, MetricInfo]:
    """UAR, accuracy and macro-F1."""
    return {n: MetricInfo(n, LABELS_FOR_HUMANS[n], f) for n, f in METRICS.items()}


def metric_set(labels: tuple[str, ...], *, calibration: bool = True,
               bins: int = 10) -> dict[str, MetricInfo]:
    """Every per-group metric of an audit, in report order."""
    infos = list(overall_metrics().values())
    infos += [MetricInfo(f"recall_{e}", f"recall of {e}", recall_of(e), family="recall", emotion=e)
              for e in labels]
    infos += [MetricInfo(f"rate_{e}", f"rate of '{e}'", rate_of(e), direction=NEITHER,
                         family="rate", emotion=e) for e in labels]
    if calibration:
        infos += [MetricInfo("ece", "ECE", partial(ece, bins=bins), direction=LOWER_IS_BETTER,
                             kinds=("difference",), family="calibration", needs_confidence=True),
                  MetricInfo("mean_confidence", "mean confidence", mean_confidence,
                             direction=NEITHER, kinds=("difference",), family="calibration",
                             needs_confidence=True)]
    return {info.name: info for info in infos}


def describe(infos: dict[str, MetricInfo]) -> dict[str, dict]:
    """The metric registry as JSON for result.json (`metrics.info`)."""
    return {name: {"label": i.label, "family": i.family, "emotion": i.emotion,
                   "direction": {1: "higher", -1: "lower", 0: "neither"}[i.direction],
                   "kinds": list(i.kinds)} for name, i in infos.items()}


# Per-emotion metrics are named after the model's labels, so specs and policies check them by
# prefix, and against the result's own metric list once the labels are known.
METRIC_NAMES = (*METRICS, "ece", "mean_confidence", "recall_<emotion>", "rate_<emotion>")
METRIC_PREFIXES = ("recall_", "rate_")


def is_metric(name: str) -> bool:
    """Whether a metric name can occur in a result."""
    return name in METRIC_NAMES or (
        name.startswith(METRIC_PREFIXES) and "_" in name.strip("_") and not name.endswith("_")
    )
