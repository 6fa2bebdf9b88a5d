"""Speaker-level permutation test: shuffle group labels among speakers, recompute every gap.

Under the null hypothesis that a metric does not depend on the group, the speakers' group labels
are exchangeable. The test statistic is the spread of a metric across groups (largest minus
smallest), so one test covers any number of groups and accounts for picking the extreme pair.
When the distinct relabellings are no more than the permutations asked for, all of them are
enumerated and the p-value is exact; otherwise a seeded Monte Carlo sample is drawn and
p = (1 + #{spread* >= spread}) / (1 + permutations).
"""

from __future__ import annotations

from itertools import combinations
from math import factorial, prod

import numpy as np

from serfair.analysis.bootstrap import stream
from serfair.analysis.slicing import Clusters

TOLERANCE = 1e-12


def n_relabellings(sizes: list[int] | np.ndarray) -> int:
    """Distinct ways to hand out the group labels: n! / (n_1! ... n_G!)."""
    sizes = [int(s) for s in sizes]
    return factorial(sum(sizes)) // prod(factorial(s) for s in sizes)


def _enumerate(sizes: list[int]) -> np.ndarray:
    """Every distinct labelling of sum(sizes) clusters with group g used sizes[g] times."""
    n = sum(sizes)
    rows: list[np.ndarray] = []

    def fill(label: np.ndarray, free: tuple[int, ...], g: int) -> None:
        if g == len(sizes) - 1:
            done = label.copy()
            done[list(free)] = g
            rows.append(done)
            return
        for chosen in combinations(free, sizes[g]):
            label[list(chosen)] = g
            fill(label, tuple(i for i in free if i not in chosen), g + 1)

    fill(np.zeros(n, dtype=np.int64), tuple(range(n)), 0)
    return np.stack(rows)


def relabellings(clusters: Clusters, permutations: int, seed: int) -> tuple[np.ndarray, bool]:
    """([P, n_clusters] group index per cluster, exact): all relabellings when they are at most
    `permutations`, else `permutations` seeded random shuffles of the observed labels."""
    sizes = clusters.sizes().tolist()
    if n_relabellings(sizes) <= permutations:
        return _enumerate(sizes), True
    rng = stream(seed, "permutation", clusters.slice)
    order = np.argsort(rng.random((permutations, clusters.n_clusters)), axis=1)
    return clusters.cluster_group[order], False


def assigned_sums(assignment: np.ndarray, stats: np.ndarray, n_groups: int) -> np.ndarray:
    """[P, n_groups, ...] sums of cluster statistics [n_clusters, ...] under each relabelling."""
    flat = stats.reshape(stats.shape[0], -1)
    out = np.empty((assignment.shape[0], n_groups, flat.shape[1]))
    for g in range(n_groups):
        out[:, g] = (assignment == g).astype(np.float64) @ flat
    return out.reshape(assignment.shape[0], n_groups, *stats.shape[1:])


def spread(values: np.ndarray, axis: int = -3) -> np.ndarray:
    """Largest minus smallest defined value across groups; NaN when fewer than two are defined."""
    finite = np.isfinite(values)
    high = np.where(finite, values, -np.inf).max(axis=axis)
    low = np.where(finite, values, np.inf).min(axis=axis)
    enough = finite.sum(axis=axis) >= 2
    return np.where(enough, high - low, np.nan)


def p_values(observed: np.ndarray, null: np.ndarray, exact: bool) -> np.ndarray:
    """Share of relabellings whose spread is at least the observed one (undefined counts as
    at least: conservative); NaN where the observed spread is undefined."""
    at_least = ~(null < observed - TOLERANCE)  # NaN in the null counts as "at least"
    count = at_least.sum(axis=0)
    p = count / null.shape[0] if exact else (1 + count) / (1 + null.shape[0])
    return np.where(np.isfinite(observed), np.minimum(p, 1.0), np.nan)
