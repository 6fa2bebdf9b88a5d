"""Speaker-level cluster bootstrap: resample speakers within each group, seeded per stream.

Each group's speakers are resampled with replacement, n - 1 of them per replicate (the Rao-Wu
rescaling bootstrap for stratified cluster samples, with groups as strata and speakers as clusters).
Drawing n - 1 instead of n makes the bootstrap variance of a mean unbiased, which matters with the
handful of speakers a group typically has. Every random draw comes from a stream named by
(seed, purpose, slice, group), never from global state, so the replicates are identical whatever
the order of the rows and however many workers compute them; the same speakers are drawn for
every condition, so differences between conditions are paired.
"""

from __future__ import annotations

import hashlib
import warnings

import numpy as np
from scipy.stats import norm
from scipy.stats import t as student_t

from serfair.analysis.slicing import Clusters


def stream(seed: int, *names: str) -> np.random.Generator:
    """A random generator named by the run seed and a few strings (stable across runs)."""
    words = [int(seed) & 0xFFFFFFFF, (int(seed) >> 32) & 0xFFFFFFFF]
    for name in names:
        digest = hashlib.sha256(name.encode("utf-8")).digest()
        words += [int.from_bytes(digest[i:i + 4], "little") for i in (0, 4, 8, 12)]
    return np.random.default_rng(np.random.SeedSequence(words))


def bootstrap_weights(clusters: Clusters, replicates: int, seed: int) -> np.ndarray:
    """[replicates, n_clusters] multiplicities: per group, n - 1 of its n speakers drawn with
    replacement (one, the only speaker, when n = 1: such a group gets no interval)."""
    weights = np.zeros((replicates, clusters.n_clusters), dtype=np.float64)
    rows = np.arange(replicates)[:, None]
    for g, name in enumerate(clusters.groups):
        members = np.flatnonzero(clusters.cluster_group == g)
        n = len(members)
        rng = stream(seed, "bootstrap", clusters.slice, name)
        draws = rng.integers(0, n, size=(replicates, max(n - 1, 1)))
        counts = np.bincount((draws + rows * n).ravel(), minlength=replicates * n)
        weights[:, members] = counts.reshape(replicates, n)
    return weights


def group_sums(weights: np.ndarray, stats: np.ndarray, clusters: Clusters) -> np.ndarray:
    """[R, n_groups, ...] weighted sums of cluster statistics [n_clusters, ...] per group."""
    flat = stats.reshape(stats.shape[0], -1)
    out = np.empty((weights.shape[0], len(clusters.groups), flat.shape[1]))
    for g in range(len(clusters.groups)):
        members = np.flatnonzero(clusters.cluster_group == g)
        out[:, g] = weights[:, members] @ flat[members]
    return out.reshape(weights.shape[0], len(clusters.groups), *stats.shape[1:])


def expanded_alpha(confidence: float, df: np.ndarray | float | None) -> np.ndarray:
    """Tail level of the expanded percentile interval (Hesterberg 2015): the normal quantile is
    replaced by Student's t with `df` degrees of freedom, so intervals from few speakers widen
    to keep their coverage. df None or infinite gives the plain level 1 - confidence."""
    alpha = 1 - confidence
    if df is None:
        return np.asarray(alpha)
    df = np.asarray(df, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        z = student_t.ppf(1 - alpha / 2, np.where(np.isfinite(df) & (df > 0), df, np.inf))
    return 2 * norm.sf(z)


def nominal_alpha(tail: float, df: float | None) -> float:
    """The nominal level a whose expanded tail level (`expanded_alpha`) is `tail`."""
    if df is None or not np.isfinite(df) or df <= 0:
        return float(tail)
    return float(min(max(2 * student_t.sf(norm.isf(tail / 2), df), 1e-12), 1.0))


def welch_df(a: np.ndarray, b: np.ndarray, n_a: int | np.ndarray,
             n_b: int | np.ndarray) -> np.ndarray:
    """Welch-Satterthwaite degrees of freedom of a - b from the replicate variances of a and b
    (axis 0) and their numbers of speakers."""
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        va, vb = np.nanvar(a, axis=0), np.nanvar(b, axis=0)
        n_a, n_b = np.asarray(n_a, np.float64), np.asarray(n_b, np.float64)
        df = (va + vb) ** 2 / (va ** 2 / (n_a - 1) + vb ** 2 / (n_b - 1))
    return np.where(np.isfinite(df), df, np.inf)


def percentile_interval(replicates: np.ndarray, confidence: float = 0.95,
                        min_defined: float = 0.5,
                        df: np.ndarray | float | None = None) -> np.ndarray:
    """[..., 2] percentile interval over axis 0, NaN where fewer than `min_defined` of the
    replicates are defined (a group with no clips of an emotion in most resamples).

    With `df` (broadcastable to replicates.shape[1:]) the interval is the expanded percentile
    interval (`expanded_alpha`)."""
    replicates = np.asarray(replicates, dtype=np.float64)
    finite = np.isfinite(replicates)
    count = finite.sum(axis=0)
    alpha = np.broadcast_to(expanded_alpha(confidence, df), replicates.shape[1:])
    ordered = np.sort(np.where(finite, replicates, np.inf), axis=0)
    bounds = np.stack([_quantile(ordered, count, alpha / 2),
                       _quantile(ordered, count, 1 - alpha / 2)], axis=-1)
    bounds[(count < min_defined * replicates.shape[0]) | (count == 0)] = np.nan
    return bounds


def _quantile(ordered: np.ndarray, count: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per-element quantile q of the first `count` sorted values (linear, as numpy's)."""
    position = q * np.maximum(count - 1, 0)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, np.maximum(count - 1, 0))
    low = np.take_along_axis(ordered, below[None], axis=0)[0]
    high = np.take_along_axis(ordered, above[None], axis=0)[0]
    with np.errstate(invalid="ignore"):
        return np.where(count > 0, low + (position - below) * (high - low), np.nan)


def interval_p_value(samples: np.ndarray, df: float | None = None, tol: float = 1e-6) -> float:
    """The smallest tail level a at which the (expanded) percentile interval of `samples` at
    confidence 1 - a excludes zero: the p-value of the test "the interval excludes 0", so that
    p < a exactly when the interval at level 1 - a excludes 0. Its resolution is limited by the
    number of replicates (no p below the level whose tail holds half a replicate). NaN when fewer
    than half the replicates are defined."""
    values = np.asarray(samples, dtype=np.float64)
    values = np.sort(values[np.isfinite(values)])
    if values.size < max(1, 0.5 * np.asarray(samples).size):
        return float("nan")

    def excludes(a: float) -> bool:
        tail = float(expanded_alpha(1 - a, df)) / 2
        position = np.array([tail, 1 - tail]) * (values.size - 1)
        low, high = np.interp(position, np.arange(values.size), values)
        return bool(low > 0 or high < 0)

    floor = nominal_alpha(1 / values.size, df) if values.size > 1 else 1.0
    if excludes(floor):
        return floor
    if not excludes(1.0 - 1e-12):
        return 1.0
    lo, hi = floor, 1.0 - 1e-12
    while hi - lo > tol * max(lo, 1e-6):
        mid = np.sqrt(lo * hi) if hi / lo > 4 else (lo + hi) / 2
        lo, hi = (lo, mid) if excludes(mid) else (mid, hi)
    return float(hi)


def speaker_range(values: np.ndarray, clusters: Clusters, point: np.ndarray) -> np.ndarray:
    """[n_groups, ..., 2] smallest and largest per-speaker value in each group (cluster values
    [n_clusters, ...]), widened to include the group's own point value [n_groups, ...]."""
    out = np.full((*point.shape, 2), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices stay NaN
        for g in range(len(clusters.groups)):
            members = values[clusters.cluster_group == g]
            out[g, ..., 0] = np.fmin(np.nanmin(members, axis=0), point[g])
            out[g, ..., 1] = np.fmax(np.nanmax(members, axis=0), point[g])
    return out


def group_interval(replicates: np.ndarray, point: np.ndarray, confidence: float,
                   df: np.ndarray | float, bounds: tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """[..., 2] interval of one group's metric: the union of the expanded percentile interval and
    point +- t_df x bootstrap SE, clipped to the metric's range and including the point.

    The percentile interval alone cannot reach past the group's most extreme speaker (every
    replicate is an average of the group's own speakers), which with 5 speakers left it covering
    90-92 % instead of 95 % in simulation; the t x SE half-width (the Rao-Wu bootstrap variance is
    unbiased) is not bounded so, and the union keeps the percentile interval's asymmetry where
    that is wider (benchmarks/calibration.py, `what=group_interval`)."""
    replicates = np.asarray(replicates, dtype=np.float64)
    pct = percentile_interval(replicates, confidence, df=df)
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        se = np.nanstd(replicates, axis=0, ddof=1)
        dof = np.broadcast_to(np.asarray(df, dtype=np.float64), se.shape)
        quantile = student_t.ppf(1 - (1 - confidence) / 2, np.where(dof > 0, dof, np.inf))
    half = quantile * se
    low = np.clip(np.fmin(np.fmin(pct[..., 0], point - half), point), *bounds)
    high = np.clip(np.fmax(np.fmax(pct[..., 1], point + half), point), *bounds)
    out = np.stack([low, high], axis=-1)
    out[np.isnan(pct).any(axis=-1)] = np.nan
    return out


def gap_interval(samples: np.ndarray, value: float, confidence: float,
                 df: float | None) -> np.ndarray:
    """[2] interval of a gap between two groups: `group_interval` of its replicates (the union of
    the expanded percentile interval and value +- t_df x SE), within [-1, 1]."""
    dof = np.inf if df is None or not np.isfinite(df) else df
    return group_interval(samples, np.float64(value), confidence, dof, bounds=(-1.0, 1.0))


def gap_p_value(samples: np.ndarray, value: float, df: float | None) -> float:
    """The smallest tail level a at which `gap_interval` at 1 - a excludes zero: the larger of
    the percentile interval's (`interval_p_value`) and the t x SE interval's p-value."""
    p_percentile = interval_p_value(samples, df)
    values = np.asarray(samples, dtype=np.float64)
    values = values[np.isfinite(values)]
    if not np.isfinite(p_percentile) or values.size < 2:
        return p_percentile
    se = values.std(ddof=1)
    dof = np.inf if df is None or not np.isfinite(df) or df <= 0 else df
    p_se = 1.0 if se == 0 else float(2 * student_t.sf(abs(value) / se, dof))
    return float(max(p_percentile, p_se))
