"""Holm and Benjamini-Hochberg adjustments."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import false_discovery_control

from serfair.analysis.multiple_testing import (
    CORRECTIONS,
    adjust,
    benjamini_hochberg,
    decision_levels,
    holm,
)

P = np.array([0.01, 0.04, 0.03, 0.005, np.nan, 0.5])


def test_holm_by_hand():
    # sorted: 0.005*5, 0.01*4, 0.03*3, 0.04*2, 0.5*1 -> 0.025, 0.04, 0.09, 0.09 (monotone), 0.5
    expected = [0.04, 0.09, 0.09, 0.025, np.nan, 0.5]
    np.testing.assert_allclose(holm(P), expected)


def test_bh_matches_scipy_and_skips_untested():
    adjusted = benjamini_hochberg(P)
    tested = np.isfinite(P)
    np.testing.assert_allclose(adjusted[tested], false_discovery_control(P[tested], method="bh"))
    assert np.isnan(adjusted[~tested]).all()


def test_registry_and_bounds():
    assert set(CORRECTIONS) == {"holm", "bh", "none"}
    assert np.nanmax(adjust(np.array([0.9, 0.8, 0.7]), "holm")) == pytest.approx(1.0)
    np.testing.assert_allclose(adjust(P, "none"), P)
    assert adjust(np.array([]), "holm").size == 0


@pytest.mark.parametrize("method", ["holm", "bh", "none"])
def test_decision_levels_agree_with_adjusted_p_values(method):
    rng = np.random.default_rng(3)
    for _ in range(200):
        p = rng.uniform(0, 0.2, rng.integers(1, 12)) ** rng.uniform(1, 3)
        levels = decision_levels(p, method, 0.05)
        assert np.array_equal(p < levels, adjust(p, method) < 0.05)
        assert np.all(levels <= 0.05 + 1e-12)
