"""`codec`: an MP3 round trip that keeps the length and loses more at lower bitrates."""

from __future__ import annotations

import numpy as np
import pytest
from perturb_signals import RATE, band_power, voice

from serfair.errors import SpecError
from serfair.perturb import apply_condition, parse_condition, rng_for


def _error(kbps: int, clean: np.ndarray) -> float:
    c = parse_condition(f"codec@mp3_kbps={kbps}")
    out = apply_condition(c, clean, RATE, rng_for(0, "x", c.name))
    assert out.shape == clean.shape
    return float(np.mean((out.astype(np.float64) - clean) ** 2))


def test_lower_bitrate_loses_more():
    clean = voice(2.0)
    errors = [_error(k, clean) for k in (64, 16, 8)]
    assert errors[0] < errors[1] < errors[2]


def test_eight_kbps_removes_the_high_band():
    clean = (np.random.default_rng(0).standard_normal(RATE * 2) * 0.05).astype(np.float32)
    c = parse_condition("codec@mp3_kbps=8")
    out = apply_condition(c, clean, RATE, rng_for(0, "x", c.name))
    assert band_power(out, 5000, 8000) < 0.1 * band_power(clean, 5000, 8000)


def test_only_supported_bitrates():
    with pytest.raises(SpecError, match="one of 8, 16"):
        parse_condition("codec@mp3_kbps=100")


def test_bitrates_are_the_ones_audiomentations_supports():
    from audiomentations import Mp3Compression

    from serfair.perturb.codec import BITRATES

    assert BITRATES == tuple(float(b) for b in Mp3Compression.SUPPORTED_BITRATES)
