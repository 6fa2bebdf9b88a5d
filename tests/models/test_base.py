"""The adapter registry, format resolution and the probability check."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from serfair.errors import ModelError
from serfair.models import ADAPTERS, ModelSpec, adapter_kind, ordered_kinds, resolve_format
from serfair.models.base import check_probabilities, softmax


@pytest.mark.parametrize("source, expected", [
    ("m.onnx", "onnx"), ("m.pt", "torchscript"), ("M.PTH", "torchscript"), ("m.skops", "sklearn"),
    ("m.joblib", "sklearn"), ("m.pkl", "sklearn"), ("preds.csv", "precomputed"),
    ("preds.parquet", "precomputed"), ("https://ser.example.com/v1/predict", "http"),
    ("http://127.0.0.1:8080/v2/models/ser/infer", "http"), ("mypkg.models:load", "callable"),
])
def test_format_from_suffix_scheme_or_reference(source, expected):
    assert resolve_format(ModelSpec(source)) == expected


def test_a_model_folder_is_hugging_face(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "preprocessor_config.json").write_text("{}")
    assert resolve_format(ModelSpec(str(tmp_path))) == "hf"


def test_explicit_format_wins_and_unknown_ones_are_listed():
    assert resolve_format(ModelSpec("model.bin", format="onnx")) == "onnx"
    with pytest.raises(ModelError, match="unknown model format 'keras'.*onnx.*torchscript"):
        resolve_format(ModelSpec("m.h5", format="keras"))
    with pytest.raises(ModelError, match="cannot tell the format.*--format"):
        resolve_format(ModelSpec("model.bin"))


def test_every_adapter_is_registered_once_with_a_description():
    assert [kind.name for kind in ordered_kinds()] == [
        "onnx", "torchscript", "sklearn", "precomputed", "hf", "http", "callable"]
    assert set(ADAPTERS) == {kind.name for kind in ordered_kinds()}
    assert all(kind.description and kind.example for kind in ADAPTERS.values())
    assert adapter_kind(ModelSpec("p.csv")).needs_audio is False
    assert adapter_kind(ModelSpec("m.onnx")).needs_audio is True


def test_model_spec_is_picklable_and_hashable_with_options():
    spec = ModelSpec("m.onnx", labels=("a", "b"), frontend="mfcc_mean", options={"threads": 1})
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert hash(spec) == hash(ModelSpec("m.onnx", labels=("a", "b"), frontend="mfcc_mean",
                                        options={"threads": 1}))
    assert hash(spec) != hash(ModelSpec("m.onnx", labels=("a", "b"), frontend="mfcc_seq"))


def test_softmax_rows_sum_to_one_and_keep_order():
    probs = softmax(np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]]))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert probs[0].argmax() == 2 and probs[1, 0] == pytest.approx(1.0)


def test_check_probabilities_says_what_came_back():
    labels = ("a", "b")
    ok = check_probabilities([[0.2, 0.8]], 1, labels, "toy")
    assert ok.dtype == np.float64 and ok.shape == (1, 2)
    with pytest.raises(ModelError, match=r"toy returned an array of shape \(1, 3\), expected \(1, 2\).*first values: \[0\.1, 0\.2, 0\.7\]"):
        check_probabilities([[0.1, 0.2, 0.7]], 1, labels, "toy")
    with pytest.raises(ModelError, match="NaN or infinite values for 1 of 2 clips"):
        check_probabilities([[0.5, 0.5], [np.nan, 1.0]], 2, labels, "toy")
    with pytest.raises(ModelError, match=r"not probabilities \(row sums 3\.000.*--logits"):
        check_probabilities([[1.0, 2.0]], 1, labels, "toy")
    with pytest.raises(ModelError, match="not a numeric array"):
        check_probabilities([["x", "y"]], 1, labels, "toy")


def test_adapters_command_lists_every_format():
    from click.testing import CliRunner

    from serfair.cli import main

    result = CliRunner().invoke(main, ["adapters"], terminal_width=250)
    assert result.exit_code == 0, result.output
    for kind in ordered_kinds():
        assert kind.name in result.output
    assert ".skops" in result.output and ".onnx" in result.output
