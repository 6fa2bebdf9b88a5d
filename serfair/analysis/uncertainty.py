"""Intervals and tests for every slicing: bootstrap replicates and permutation p-values.

For one slicing, the predictions are reduced to count vectors per speaker cluster and condition
(`counts.py`); bootstrap replicates (`bootstrap.py`) and relabellings (`permutation.py`) then only
sum those vectors, and every metric of every replicate is read off the sums at once.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from serfair.analysis.bootstrap import bootstrap_weights, group_interval, group_sums, speaker_range
from serfair.analysis.calibration import confidence_of
from serfair.analysis.counts import Layout, cluster_statistics, metrics_from_counts
from serfair.analysis.metrics import MetricInfo
from serfair.analysis.permutation import assigned_sums, p_values, relabellings, spread
from serfair.analysis.slicing import Clusters, speaker_clusters

CHUNK = 250  # replicates or relabellings evaluated at once (bounds memory, not results)


@dataclass(frozen=True)
class SliceStatistics:
    """Point values, bootstrap replicates and p-values of one slicing.

    Arrays are indexed [group, condition, metric] in the order of `clusters.groups`, the
    conditions and the metric registry; replicates carry a leading replicate axis; `confusion`
    is [group, condition, true label, predicted label] counts.
    """

    clusters: Clusters
    conditions: tuple[str, ...]
    metrics: tuple[str, ...]
    point: np.ndarray
    replicates: np.ndarray
    p_values: np.ndarray
    exact: bool
    n_relabellings: int
    confusion: np.ndarray
    speaker_values: np.ndarray | None = None  # [cluster, condition, metric], each speaker alone

    @property
    def n_clips(self) -> np.ndarray:
        """[group, condition] number of clips."""
        return self.confusion.sum(axis=(-2, -1))

    @property
    def n_true(self) -> np.ndarray:
        """[group, condition, label] number of clips whose true emotion is the label."""
        return self.confusion.sum(axis=-1)


def _codes(values: pd.Series, labels: tuple[str, ...]) -> np.ndarray:
    codes = pd.Categorical(values.astype(str), categories=list(labels)).codes.astype(np.int64)
    if (codes < 0).any():
        bad = sorted(set(values[codes < 0].astype(str)))
        raise ValueError(f"labels outside the model's label set: {', '.join(bad)}")
    return codes


def slice_statistics(frame: pd.DataFrame, name: str, conditions: list[str], labels: tuple[str, ...],
                     infos: dict[str, MetricInfo], *, replicates: int, permutations: int, seed: int,
                     bins: int = 10) -> SliceStatistics:
    """Bootstrap replicates and permutation p-values of every metric for one slicing."""
    frame = frame[frame["condition"].isin(conditions)]
    frame = frame.sort_values(["clip_id", "condition"], kind="stable")  # sums in a fixed order
    confidence = confidence_of(frame, labels)
    layout = Layout(labels, bins=bins, calibration=confidence is not None)
    clusters = speaker_clusters(frame, name)
    condition = pd.Categorical(frame["condition"], categories=conditions).codes
    stats = cluster_statistics(_codes(frame["y_true"], labels), _codes(frame["y_pred"], labels),
                               confidence, clusters.row_cluster, condition, clusters.n_clusters,
                               len(conditions), layout)
    n_groups = len(clusters.groups)
    totals = group_sums(np.ones((1, clusters.n_clusters)), stats, clusters)[0]
    point = metrics_from_counts(totals, layout, infos)
    k = layout.k
    confusion = totals[..., : k * k].reshape(n_groups, len(conditions), k, k)

    weights = bootstrap_weights(clusters, replicates, seed)
    boot = np.empty((replicates, n_groups, len(conditions), len(infos)))
    for start in range(0, replicates, CHUNK):
        part = weights[start:start + CHUNK]
        sums = group_sums(part, stats, clusters)
        boot[start:start + CHUNK] = metrics_from_counts(sums, layout, infos)

    p = np.full((len(conditions), len(infos)), np.nan)
    exact, used = False, 0
    if n_groups >= 2 and permutations > 0:
        assignment, exact = relabellings(clusters, permutations, seed)
        used = assignment.shape[0]
        null = np.empty((used, len(conditions), len(infos)))
        for start in range(0, used, CHUNK):
            sums = assigned_sums(assignment[start:start + CHUNK], stats, n_groups)
            null[start:start + CHUNK] = spread(metrics_from_counts(sums, layout, infos))
        p = p_values(spread(point), null, exact)
    with np.errstate(all="ignore"):
        alone = metrics_from_counts(stats, layout, infos)
    return SliceStatistics(clusters, tuple(conditions), tuple(infos), point, boot, p, exact, used,
                           confusion, alone)


def audit_statistics(frame: pd.DataFrame, slices: list[str], conditions: list[str],
                     labels: tuple[str, ...], infos: dict[str, MetricInfo], *, replicates: int,
                     permutations: int, seed: int, bins: int = 10,
                     workers: int = 1) -> dict[str, SliceStatistics]:
    """`slice_statistics` for every slicing, on `workers` threads (results do not depend on it)."""
    def one(name: str) -> SliceStatistics:
        return slice_statistics(frame, name, conditions, labels, infos, replicates=replicates,
                                permutations=permutations, seed=seed, bins=bins)
    if workers <= 1:
        return {name: one(name) for name in slices}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(slices, pool.map(one, slices)))


def _pairs(bounds: np.ndarray, metrics: tuple[str, ...]) -> dict[str, list[float] | None]:
    return {metric: ([float(bounds[m, 0]), float(bounds[m, 1])]
                     if np.all(np.isfinite(bounds[m])) else None)
            for m, metric in enumerate(metrics)}


def group_bounds(st: SliceStatistics, confidence: float,
                 min_speakers: int) -> dict[tuple[str, str], dict]:
    """Per (group, condition): `ci` per metric (`bootstrap.group_interval` on n - 1 degrees of
    freedom) for groups of at least `min_speakers` speakers;
    for smaller groups no interval (`ci`: None) but `range`, the smallest and largest value of a
    single speaker (widened to include the group's value): a description, not a confidence
    statement."""
    sizes = st.clusters.sizes()
    bounds = group_interval(st.replicates, st.point, confidence, (sizes - 1.0)[:, None, None])
    spread = (speaker_range(st.speaker_values, st.clusters, st.point)
              if st.speaker_values is not None else None)
    out = {}
    for g, group in enumerate(st.clusters.groups):
        for c, condition in enumerate(st.conditions):
            if sizes[g] >= max(min_speakers, 2):
                out[(group, condition)] = {"ci": _pairs(bounds[g, c], st.metrics), "range": None}
            else:
                out[(group, condition)] = {
                    "ci": None,
                    "range": _pairs(spread[g, c], st.metrics) if spread is not None else None}
    return out
