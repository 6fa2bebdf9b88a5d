"""Minimum detectable gap: (t_{1-a/2} + t_{power}) x bootstrap SE."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from serfair.analysis.power import minimum_detectable_gap


def test_matches_the_normal_formula_with_many_degrees_of_freedom():
    samples = np.random.default_rng(0).normal(0.1, 0.05, 20000)
    expected = (norm.ppf(0.975) + norm.ppf(0.8)) * samples.std(ddof=1)
    assert minimum_detectable_gap(samples, 0.05) == pytest.approx(expected)
    assert minimum_detectable_gap(samples, 0.05) == pytest.approx(0.14, abs=0.003)


def test_fewer_degrees_and_a_stricter_level_need_a_larger_gap():
    samples = np.random.default_rng(1).normal(0.0, 0.05, 2000)
    wide = minimum_detectable_gap(samples, 0.05)
    assert minimum_detectable_gap(samples, 0.05, df=8) > wide
    assert minimum_detectable_gap(samples, 0.025) > wide
    assert minimum_detectable_gap(np.array([np.nan, 0.1]), 0.05) is None
