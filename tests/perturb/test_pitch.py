"""`pitch`: the voice moves by the asked semitones; the length stays."""

from __future__ import annotations

import pytest
from perturb_signals import RATE, peak_frequency, sine

from serfair.perturb import apply_condition, parse_condition, rng_for


@pytest.mark.parametrize("semitones", [-12, -2, 4, 12])
def test_tone_moves_by_the_semitones_and_keeps_its_length(semitones):
    tone = sine(440.0, 1.0)
    c = parse_condition(f"pitch@semitones={semitones}")
    out = apply_condition(c, tone, RATE, rng_for(0, "x", c.name))
    assert out.shape == tone.shape
    middle = out[RATE // 4: 3 * RATE // 4]
    assert peak_frequency(middle) == pytest.approx(440.0 * 2 ** (semitones / 12), rel=0.02)


def test_pitch_is_not_randomised():
    tone = sine(300.0, 0.5)
    c = parse_condition("pitch@semitones=-3")
    a = apply_condition(c, tone, RATE, rng_for(0, "x", c.name))
    b = apply_condition(c, tone, RATE, rng_for(99, "y", c.name))
    assert (a == b).all()
