"""`colour`: pink and brown noise at the asked SNR, with their spectral slopes."""

from __future__ import annotations

import numpy as np
import pytest
from perturb_signals import RATE, band_power, snr_db, voice

from serfair.perturb import apply_condition, parse_condition, rng_for


def _noise(condition: str) -> np.ndarray:
    clean = voice(4.0)
    c = parse_condition(condition)
    return apply_condition(c, clean, RATE, rng_for(0, "clip", c.name)).astype(np.float64) - clean


@pytest.mark.parametrize("slope, expected", [(-3.01, -3.01), (-6.02, -6.02)])
def test_power_falls_by_the_slope_per_octave(slope, expected):
    noise = _noise(f"colour@snr=0:slope={slope}")
    octaves = [band_power(noise, f, 2 * f) for f in (125, 250, 500, 1000, 2000, 4000)]
    per_octave = 10 * np.log10(np.array(octaves[1:]) / np.array(octaves[:-1]))
    # band power integrates over a band twice as wide: +3.01 dB per octave on top of the PSD slope
    assert np.mean(per_octave) - 3.01 == pytest.approx(expected, abs=1.0)


def test_snr_is_kept_and_brown_is_darker_than_pink():
    clean = voice(2.0)
    c = parse_condition("colour@snr=5")
    assert c.name == "colour@snr=5:slope=-3.01"
    assert snr_db(clean, apply_condition(c, clean, RATE, rng_for(0, "x", c.name))) == pytest.approx(5, abs=0.3)
    pink, brown = _noise("colour@snr=0"), _noise("colour@snr=0:slope=-6.02")
    low_share = [band_power(n, 20, 200) / band_power(n, 20, 8000) for n in (pink, brown)]
    assert low_share[1] > 1.5 * low_share[0]
