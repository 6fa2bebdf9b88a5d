"""Minimum detectable gap: the smallest true gap an audit finds with a given power.

A gap is called when its interval at level 1 - a excludes zero, i.e. roughly when the estimate is
more than t_{1-a/2} bootstrap standard errors from zero (Student t on the Welch degrees of freedom,
as in the expanded percentile interval). A true gap D is then found with probability `power` when
D = (t_{1-a/2} + t_{power}) x SE: the usual sample-size formula, with SE read off the speaker-level
bootstrap replicates, so it reflects this audit's numbers of speakers and clips per speaker.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import t as student_t

POWER = 0.8


def minimum_detectable_gap(samples: np.ndarray, alpha: float, df: float | None = None,
                           power: float = POWER) -> float | None:
    """(t_{1-alpha/2} + t_{power}) x the standard deviation of the gap's bootstrap replicates
    (None when fewer than two replicates are defined)."""
    values = np.asarray(samples, dtype=np.float64)
    values = values[np.isfinite(values)]
    if values.size < 2:
        return None
    dof = np.inf if df is None or not np.isfinite(df) or df <= 0 else float(df)
    factor = student_t.ppf(1 - alpha / 2, dof) + student_t.ppf(power, dof)
    return float(factor * values.std(ddof=1))
