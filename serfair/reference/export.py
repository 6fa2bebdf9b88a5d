"""ONNX export of a reference model, with the metadata the serfair ONNX adapter reads."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import onnx
import torch

from .features import SAMPLE_RATE

INPUT_NAME = "waveform"
LENGTHS_NAME = "lengths"
OUTPUT_NAME = "probabilities"
OPSET = 17


def export_onnx(model: torch.nn.Module, path: str | Path, labels: tuple[str, ...] | list[str],
                metadata: dict[str, str] | None = None) -> Path:
    """Export `model` (waveform [B, S] float32, lengths [B] int64 -> probabilities [B, L]) to
    ONNX at `path` with dynamic batch and time axes, and write the serfair metadata.

    `metadata` may set `serfair.name`, `serfair.version`, `serfair.description` and any other
    string keys; `serfair.labels`, `serfair.sample_rate`, `serfair.input`,
    `serfair.lengths_input` and `serfair.min_samples` are filled in here.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n_fft = int(model.frontend.n_fft)
    was_training = model.training
    model.eval()
    example = (torch.zeros(2, 16000, dtype=torch.float32),
               torch.tensor([16000, 12000], dtype=torch.int64))
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model, example, str(path), dynamo=False, opset_version=OPSET,
                input_names=[INPUT_NAME, LENGTHS_NAME], output_names=[OUTPUT_NAME],
                dynamic_axes={INPUT_NAME: {0: "batch", 1: "samples"},
                              LENGTHS_NAME: {0: "batch"},
                              OUTPUT_NAME: {0: "batch"}},
            )
    finally:
        model.train(was_training)

    proto = onnx.load(str(path))
    meta = {
        "serfair.labels": json.dumps(list(labels)),
        "serfair.sample_rate": str(SAMPLE_RATE),
        "serfair.input": INPUT_NAME,
        "serfair.lengths_input": LENGTHS_NAME,
        "serfair.min_samples": str(n_fft),
        "serfair.name": "cnnlstm",
        "serfair.version": "0",
        "serfair.description": "serfair reference CNN-LSTM speech emotion recogniser",
    }
    meta.update({str(k): str(v) for k, v in (metadata or {}).items()})
    del proto.metadata_props[:]
    for key, value in meta.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.producer_name = "serfair.reference"
    onnx.checker.check_model(proto)
    onnx.save(proto, str(path))
    return path
