"""Which front end gives a model's input width."""

from __future__ import annotations

import numpy as np
import pytest

from serfair.features import FrontEnd
from serfair.features.match import suggest_frontends


@pytest.mark.parametrize(("shape", "expected"), [
    (["N", 180], ["mfcc_chroma_mel_mean"]),
    ([None, 40], ["mfcc_mean"]),
    (["batch", 13], ["mfcc_mean:n_mfcc=13"]),
    (["batch", 160], ["mfcc_chroma_mel_mean:n_mfcc=20"]),
    (["batch", "frames", 128], ["logmel_seq", "mfcc_seq:n_mfcc=128"]),
    (["batch", 40, "frames"], ["logmel_seq:n_mels=40,layout=features_first",
                               "mfcc_seq:layout=features_first"]),
    (["batch", 300], []),
])
def test_feature_shapes_get_the_front_ends_that_give_them(shape, expected):
    assert suggest_frontends(shape) == expected


@pytest.mark.parametrize("shape", [["batch", "samples"], [1, 16000], ["batch", "samples", 1]])
def test_waveform_shapes_get_no_suggestion(shape):
    assert suggest_frontends(shape) is None


def test_every_suggestion_really_gives_that_width():
    wave = np.sin(np.linspace(0, 800, 16000)).astype(np.float32)
    for width in (13, 40, 160, 180):
        for name in suggest_frontends(["batch", width]):
            assert FrontEnd(name, 16000)(wave).shape == (width,), name
    for name in suggest_frontends(["batch", "frames", 128]):
        assert FrontEnd(name, 16000)(wave).shape[-1] == 128, name
