"""`noise`: white noise at the asked SNR, seeded per clip."""

from __future__ import annotations

import numpy as np
import pytest
from perturb_signals import RATE, band_power, snr_db, voice

from serfair.perturb import apply_condition, parse_condition, rng_for


@pytest.mark.parametrize("snr", [0.0, 10.0, 20.0])
def test_noise_is_added_at_the_asked_snr(snr):
    clean = voice(2.0)
    c = parse_condition(f"noise@snr={snr:g}")
    noisy = apply_condition(c, clean, RATE, rng_for(0, "clip", c.name))
    assert noisy.shape == clean.shape
    assert snr_db(clean, noisy) == pytest.approx(snr, abs=0.2)


def test_noise_is_white_and_seeded():
    clean = np.zeros(RATE, dtype=np.float32) + 1e-3
    c = parse_condition("noise@snr=0")
    a = apply_condition(c, clean, RATE, rng_for(0, "clip", c.name)) - clean
    assert band_power(a, 100, 1000) / band_power(a, 5000, 5900) == pytest.approx(1.0, rel=0.25)
    np.testing.assert_array_equal(a + clean, apply_condition(c, clean, RATE, rng_for(0, "clip", c.name)))
    assert not np.array_equal(a + clean, apply_condition(c, clean, RATE, rng_for(1, "clip", c.name)))
