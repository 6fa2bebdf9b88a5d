"""`clipping`: the asked share of samples sits at the clip thresholds."""

from __future__ import annotations

import numpy as np
import pytest
from perturb_signals import RATE, voice

from serfair.perturb import apply_condition, parse_condition, rng_for


@pytest.mark.parametrize("percent", [2, 10, 40])
def test_share_of_clipped_samples(percent):
    clean = voice(1.0)
    c = parse_condition(f"clipping@percent={percent}")
    out = apply_condition(c, clean, RATE, rng_for(0, "x", c.name))
    assert out.shape == clean.shape
    at_limit = np.isclose(out, out.max()) | np.isclose(out, out.min())
    assert at_limit.mean() == pytest.approx(percent / 100, abs=0.01)
    assert np.abs(out).max() < np.abs(clean).max()
