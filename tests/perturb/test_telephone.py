"""`telephone`: 300-3400 Hz through an 8 kHz channel; the rest is filtered out."""

from __future__ import annotations

import pytest
from perturb_signals import RATE, rms, sine

from serfair.perturb import apply_condition, parse_condition, rng_for


def _gain_db(freq: float, condition: str = "telephone") -> float:
    import numpy as np
    tone = sine(freq, 1.0)
    c = parse_condition(condition)
    out = apply_condition(c, tone, RATE, rng_for(0, "x", c.name))
    assert out.shape == tone.shape
    return 20 * np.log10(rms(out[RATE // 4:]) / rms(tone[RATE // 4:]))


def test_passband_passes_and_stopband_is_cut():
    assert _gain_db(1000) == pytest.approx(0, abs=1.0)
    assert _gain_db(100) < -15
    assert _gain_db(5000) < -40  # above the 4 kHz Nyquist of the 8 kHz channel
    assert _gain_db(3800) < -6


def test_narrower_band_cuts_more():
    assert _gain_db(2800, "telephone@low=800:high=2400") < _gain_db(2800) - 6
