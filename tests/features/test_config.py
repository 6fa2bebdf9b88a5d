"""Front-end settings: presets, overrides, and errors that list the valid values."""

from __future__ import annotations

import pytest

from serfair.errors import SpecError
from serfair.features import PRESET_HELP, PRESETS, parse_frontend


def test_presets_and_overrides_from_text_json_and_mappings():
    assert set(PRESETS) == set(PRESET_HELP) == {"mfcc_mean", "mfcc_chroma_mel_mean", "logmel_seq", "mfcc_seq"}
    config = parse_frontend("mfcc_mean:n_mfcc=13,hop_length=256,center=false,fmax=none")
    assert (config.n_mfcc, config.hop_length, config.center, config.fmax) == (13, 256, False, None)
    assert parse_frontend('{"preset": "logmel_seq", "n_mels": 64}').n_mels == 64
    custom = parse_frontend({"features": ["mfcc", "chroma"], "pool": "mean", "n_mfcc": 20})
    assert custom.features == ("mfcc", "chroma") and custom.preset is None
    assert parse_frontend(None) is None


@pytest.mark.parametrize("value, message", [
    ("nope", "unknown front end preset 'nope'; choose from mfcc_mean"),
    ({"preset": "mfcc_mean", "n_fft": 8}, "n_fft must be at least 16"),
    ({"preset": "mfcc_mean", "bogus": 1}, "unknown setting\\(s\\) bogus; valid: .*hop_length"),
    ({"features": ["mfcc", "zcr"]}, "unknown feature\\(s\\) zcr; choose from mfcc, chroma, mel, logmel"),
    ({"preset": "mfcc_mean", "pool": "max"}, "pool must be one of mean, mean_std, none"),
    ({"preset": "mfcc_mean", "n_mfcc": 200}, "n_mfcc \\(200\\) cannot exceed n_mels \\(128\\)"),
    ({"preset": "logmel_seq", "duration": -1}, "duration must be > 0"),
    ("mfcc_mean:n_mfcc", "must look like key=value"),
])
def test_invalid_settings_say_what_is_valid(value, message):
    with pytest.raises(SpecError, match=message):
        parse_frontend(value)
