"""Sufficient statistics per speaker cluster, and every metric computed from summed statistics.

Each cluster (a speaker's clips in one group) is reduced, per condition, to a vector of counts: the
K x K confusion matrix (true x predicted) and, for calibration, per confidence bin the number of
clips, the sum of confidences and the number correct. Every metric in `metrics.metric_set` is a
function of such a vector, and vectors add up, so a bootstrap replicate or a permutation of groups
only has to sum vectors (one matrix product) before the metrics are read off, vectorised over
replicates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from serfair.analysis.calibration import bin_index
from serfair.analysis.metrics import MetricInfo


@dataclass(frozen=True)
class Layout:
    """Where each count sits in a statistics vector."""

    labels: tuple[str, ...]
    bins: int = 10
    calibration: bool = True

    @property
    def k(self) -> int:
        return len(self.labels)

    @property
    def width(self) -> int:
        return self.k * self.k + (3 * self.bins if self.calibration else 0)


def cluster_statistics(y_true: np.ndarray, y_pred: np.ndarray, confidence: np.ndarray | None,
                       cluster: np.ndarray, condition: np.ndarray, n_clusters: int,
                       n_conditions: int, layout: Layout) -> np.ndarray:
    """Array [n_clusters, n_conditions, width] of counts (y_true, y_pred as label codes 0..K-1)."""
    k, width = layout.k, layout.width
    base = (np.asarray(cluster, np.int64) * n_conditions + np.asarray(condition, np.int64)) * width
    size = n_clusters * n_conditions * width
    out = np.bincount(base + np.asarray(y_true, np.int64) * k + np.asarray(y_pred, np.int64),
                      minlength=size).astype(np.float64)
    if layout.calibration and confidence is not None:
        offset = base + k * k + bin_index(confidence, layout.bins)
        correct = (np.asarray(y_true) == np.asarray(y_pred)).astype(np.float64)
        out += np.bincount(offset, minlength=size)
        out += np.bincount(offset + layout.bins, weights=confidence, minlength=size)
        out += np.bincount(offset + 2 * layout.bins, weights=correct, minlength=size)
    return out.reshape(n_clusters, n_conditions, width)


def metrics_from_counts(stats: np.ndarray, layout: Layout,
                        infos: dict[str, MetricInfo]) -> np.ndarray:
    """Array [..., len(infos)] of metrics from statistics [..., width] (NaN where undefined)."""
    k = layout.k
    shape = stats.shape[:-1]
    confusion = stats[..., : k * k].reshape(*shape, k, k)
    row = confusion.sum(axis=-1)
    col = confusion.sum(axis=-2)
    diag = np.diagonal(confusion, axis1=-2, axis2=-1)
    total = row.sum(axis=-1)
    present = row > 0
    n_present = present.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = np.where(present, diag / np.where(present, row, 1), np.nan)
        f1 = np.where(present, 2 * diag / np.where(present, row + col, 1), 0.0)
        per_total = np.where(total > 0, 1 / np.where(total > 0, total, 1), np.nan)
        values = {
            "uar": np.where(n_present > 0, np.nansum(recall, axis=-1) / n_present, np.nan),
            "accuracy": diag.sum(axis=-1) * per_total,
            "macro_f1": np.where(n_present > 0, f1.sum(axis=-1) / n_present, np.nan),
        }
        if layout.calibration:
            b, start = layout.bins, k * k
            conf_sum = stats[..., start + b: start + 2 * b]
            correct = stats[..., start + 2 * b: start + 3 * b]
            values["ece"] = np.abs(correct - conf_sum).sum(axis=-1) * per_total
            values["mean_confidence"] = conf_sum.sum(axis=-1) * per_total
    index = {label: j for j, label in enumerate(layout.labels)}
    columns = []
    for name, info in infos.items():
        if info.family == "recall":
            columns.append(recall[..., index[info.emotion]])
        elif info.family == "rate":
            columns.append(col[..., index[info.emotion]] * per_total)
        else:
            columns.append(values[name])
    return np.stack(columns, axis=-1)
