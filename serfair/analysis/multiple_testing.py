"""Multiple-comparison control within a family of gaps (primary or exploratory), by name.

- `holm`: Holm's step-down procedure; controls the family-wise error rate (the chance of any
  false flag) under any dependence between the tests.
- `bh`: Benjamini-Hochberg; controls the false discovery rate (the expected share of false flags
  among the flags), valid for independent or positively dependent tests.
- `none`: raw p-values (for exploration only; the report says so).

Each takes raw p-values (NaN = not tested) and returns adjusted p-values in the same order.
`decision_levels` gives, per hypothesis, the level a such that it is significant exactly when
p < a: the interval at confidence 1 - a is the one whose exclusion of zero is the decision.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Correction = Callable[[np.ndarray], np.ndarray]


def _tested(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(p, dtype=np.float64)
    return p, np.flatnonzero(np.isfinite(p))


def holm(p: np.ndarray) -> np.ndarray:
    """Holm (1979): sorted p_(i) times (m - i + 1), made monotone, capped at 1."""
    p, idx = _tested(p)
    out = np.full(p.shape, np.nan)
    m = idx.size
    if m:
        order = idx[np.argsort(p[idx], kind="stable")]
        scaled = p[order] * (m - np.arange(m))
        out[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return out


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini & Hochberg (1995): sorted p_(i) times m / i, monotone from the top, capped at 1."""
    p, idx = _tested(p)
    out = np.full(p.shape, np.nan)
    m = idx.size
    if m:
        order = idx[np.argsort(p[idx], kind="stable")]
        scaled = p[order] * m / np.arange(1, m + 1)
        out[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return out


def no_correction(p: np.ndarray) -> np.ndarray:
    """Raw p-values."""
    return np.asarray(p, dtype=np.float64).copy()


CORRECTIONS: dict[str, Correction] = {"holm": holm, "bh": benjamini_hochberg, "none": no_correction}
NAMES = {"holm": "Holm (family-wise error rate)", "bh": "Benjamini-Hochberg (false discovery rate)",
         "none": "no correction"}


def adjust(p: np.ndarray, method: str) -> np.ndarray:
    """Adjusted p-values by the named correction."""
    return CORRECTIONS[method](p)


def decision_levels(p: np.ndarray, method: str, alpha: float) -> np.ndarray:
    """Per hypothesis the tail level a with "significant" exactly when p < a (NaN: not tested).

    Holm: the k-th smallest p of m is rejected at alpha / (m - k + 1) while every smaller one was;
    every p after the first failure is judged at that failing step's level. BH: with R rejections
    every hypothesis is judged at R alpha / m (alpha / m when there are none), the false coverage
    rate adjusted level of Benjamini and Yekutieli (2005). none: alpha.
    """
    p, idx = _tested(p)
    out = np.full(p.shape, np.nan)
    m = idx.size
    if not m:
        return out
    order = idx[np.argsort(p[idx], kind="stable")]
    if method == "holm":
        steps = alpha / (m - np.arange(m))
        failed = np.flatnonzero(p[order] >= steps)
        k = int(failed[0]) if failed.size else m
        out[order] = np.where(np.arange(m) < k, steps, steps[min(k, m - 1)])
    elif method == "bh":
        below = np.flatnonzero(p[order] < alpha * np.arange(1, m + 1) / m)
        r = int(below[-1]) + 1 if below.size else 1
        out[order] = alpha * r / m
    else:
        out[order] = alpha
    return out
