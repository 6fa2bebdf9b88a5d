"""`gain`: level changes by the asked decibels, very quiet included; nothing is clipped."""

from __future__ import annotations

import numpy as np
import pytest
from perturb_signals import RATE, rms, voice

from serfair.perturb import apply_condition, parse_condition, rng_for


@pytest.mark.parametrize("db", [-60, -40, -20, 6, 20])
def test_rms_changes_by_the_gain(db):
    clean = voice(1.0)
    c = parse_condition(f"gain@db={db}")
    out = apply_condition(c, clean, RATE, rng_for(0, "x", c.name))
    assert 20 * np.log10(rms(out) / rms(clean)) == pytest.approx(db, abs=0.01)
    if db > 0:
        assert np.abs(out).max() == pytest.approx(np.abs(clean).max() * 10 ** (db / 20), rel=1e-5)
