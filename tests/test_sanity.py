"""The sanity check names the adapter and says what came back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from audio_fixtures import write_clip
from toy_models import make_energy_onnx

from serfair.errors import ModelError
from serfair.models import ModelSpec, load_adapter
from serfair.sanity import sanity_check


class Stub:
    """A minimal adapter returning whatever it is given."""

    labels = ("a", "b")
    sample_rate = 16000

    def __init__(self, output=None, error=None):
        self.output, self.error = output, error

    def predict_proba(self, waves):
        if self.error:
            raise self.error
        return self.output

    def describe(self):
        return {"format": "stub", "path": "stub.bin"}


@pytest.fixture
def clips(tmp_path):
    paths = [write_clip(tmp_path / f"{i}.wav", seed=i) for i in range(3)]
    return pd.DataFrame({"clip_id": [p.stem for p in paths], "audio_path": [str(p) for p in paths]})


def test_good_output_passes(clips):
    sanity_check(Stub(np.array([[0.5, 0.5], [0.1, 0.9]])), clips)


@pytest.mark.parametrize("output, message", [
    (np.ones((2, 3)) / 3, r"stub adapter \(stub.bin\), sanity check on 2 clip\(s\) returned an array of shape \(2, 3\), expected \(2, 2\)"),
    (np.array([[np.inf, 0.0], [0.5, 0.5]]), "NaN or infinite values for 1 of 2 clips"),
    (np.array([[3.0, -1.0], [0.2, 0.1]]), "not probabilities.*pass --logits"),
    ("nonsense", "not a numeric array"),
])
def test_bad_output_is_named(clips, output, message):
    with pytest.raises(ModelError, match=message):
        sanity_check(Stub(output), clips)


def test_exceptions_from_a_users_model_become_model_errors(clips):
    with pytest.raises(ModelError, match=r"stub adapter \(stub.bin\) failed its sanity check on 2 "
                                         r"clip\(s\): KeyError: 'input_values'"):
        sanity_check(Stub(error=KeyError("input_values")), clips)


def test_a_real_adapter_with_logits_is_caught_before_the_run(tmp_path, clips):
    path = make_energy_onnx(tmp_path / "logits.onnx", logits=True)
    with pytest.raises(ModelError, match=r"onnx adapter \(.*logits.onnx\) failed its sanity check.*--logits"):
        sanity_check(load_adapter(ModelSpec(str(path))), clips)
    sanity_check(load_adapter(ModelSpec(str(path), logits=True)), clips)
