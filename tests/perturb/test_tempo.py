"""`tempo`: the clip gets 1/rate as long; the pitch stays."""

from __future__ import annotations

import pytest
from perturb_signals import RATE, peak_frequency, sine

from serfair.perturb import apply_condition, parse_condition, rng_for


@pytest.mark.parametrize("rate", [0.5, 0.8, 1.25, 2.0])
def test_length_scales_and_pitch_stays(rate):
    tone = sine(330.0, 2.0)
    c = parse_condition(f"tempo@rate={rate}")
    out = apply_condition(c, tone, RATE, rng_for(0, "x", c.name))
    assert len(out) == pytest.approx(len(tone) / rate, rel=0.01)
    middle = out[len(out) // 4: 3 * len(out) // 4]
    assert peak_frequency(middle) == pytest.approx(330.0, rel=0.02)
