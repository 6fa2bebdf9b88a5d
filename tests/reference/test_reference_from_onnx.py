"""Torch weights recovered from the committed CNN-LSTM ONNX files re-export to the same files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.train

MODELS = Path(__file__).resolve().parents[2] / "reference_models"


@pytest.mark.parametrize("name", ["cnnlstm-v1", "cnnlstm-aug-v1"])
def test_committed_lstm_models_round_trip_bit_identically(name):
    import torch

    from serfair.reference.ensemble import verify_member
    from serfair.reference.from_onnx import load_from_onnx
    from serfair.reference.model import ModelConfig

    torch.set_num_threads(1)
    record = json.loads((MODELS / f"{name}.eval.json").read_text())
    config = ModelConfig.from_dict(record["config"]["model"])
    model = load_from_onnx(MODELS / f"{name}.onnx", config)
    verify_member(model, {**record, "model_path": str(MODELS / record["model_file"])})


def test_a_gru_cannot_be_recovered_from_onnx():
    from serfair.reference.from_onnx import load_from_onnx
    from serfair.reference.model import ModelConfig

    with pytest.raises(ValueError, match="CNN-LSTM models only"):
        load_from_onnx(MODELS / "cnnlstm-v1.onnx", ModelConfig(rnn="gru"))
