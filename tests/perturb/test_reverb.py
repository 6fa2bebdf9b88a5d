"""`reverb`: impulse responses decay 60 dB in RT60 seconds; the clip keeps its length and level."""

from __future__ import annotations

import numpy as np
import pytest
from perturb_signals import RATE, rms, voice

from serfair.perturb import apply_condition, parse_condition, rng_for
from serfair.perturb.reverb import impulse_response


def _rt60(ir: np.ndarray) -> float:
    """Schroeder backward integration, T20 extrapolated to 60 dB."""
    energy = np.cumsum(ir[::-1] ** 2)[::-1]
    db = 10 * np.log10(energy / energy[0])
    return (np.argmax(db < -25) - np.argmax(db < -5)) / RATE * 3


@pytest.mark.parametrize("rt60", [0.3, 0.6, 1.2])
def test_impulse_response_has_the_asked_rt60_and_drr(rt60):
    ir = impulse_response(rt60, -5.0, RATE, np.random.default_rng(0))
    tail = ir[1:]
    assert _rt60(tail) == pytest.approx(rt60, rel=0.1)
    assert 10 * np.log10(ir[0] ** 2 / np.sum(tail ** 2)) == pytest.approx(-5.0, abs=1e-6)


def test_clip_keeps_length_and_level_and_is_seeded_per_clip():
    clean = voice(1.5)
    c = parse_condition("reverb@rt60=0.8")
    out = apply_condition(c, clean, RATE, rng_for(0, "a", c.name))
    assert out.shape == clean.shape and rms(out) == pytest.approx(rms(clean), rel=1e-4)
    assert np.corrcoef(out, clean)[0, 1] < 0.95  # smeared in time
    np.testing.assert_array_equal(out, apply_condition(c, clean, RATE, rng_for(0, "a", c.name)))
    assert not np.array_equal(out, apply_condition(c, clean, RATE, rng_for(0, "b", c.name)))
