"""Tiny real ONNX graphs built with onnx.helper, for adapter and pipeline tests (run by onnxruntime)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

LABELS = ("neutral", "happy", "sad", "angry", "fearful", "disgust")


def make_energy_onnx(path: Path, labels=LABELS, *, metadata: bool = True, with_lengths: bool = False,
                     logits: bool = False, sample_rate: int = 16000, nan: bool = False) -> Path:
    """log mean energy -> linear -> softmax (or logits). Input `waveform` [batch, samples].

    `nan=True` takes the log of a negative number, so every output is NaN (a broken model).
    """
    k = len(labels)
    weight = numpy_helper.from_array(np.linspace(-2, 2, k, dtype=np.float32).reshape(1, k), "W")
    bias = numpy_helper.from_array(np.linspace(1, -1, k, dtype=np.float32) * 3, "B")
    eps = numpy_helper.from_array(np.array([1e-8], dtype=np.float32), "eps")
    nodes = [
        helper.make_node("Mul", ["waveform", "waveform"], ["sq"]),
        helper.make_node("ReduceMean", ["sq"], ["energy"], axes=[1], keepdims=1),
        helper.make_node("Add", ["energy", "eps"], ["energy_eps"]),
        helper.make_node("Neg" if nan else "Identity", ["energy_eps"], ["energy_in"]),
        helper.make_node("Log", ["energy_in"], ["loge"]),
        helper.make_node("MatMul", ["loge", "W"], ["lin"]),
        helper.make_node("Add", ["lin", "B"], ["logits" if logits else "z"]),
    ]
    out_name = "logits" if logits else "probabilities"
    if not logits:
        nodes.append(helper.make_node("Softmax", ["z"], ["probabilities"], axis=1))
    inputs = [helper.make_tensor_value_info("waveform", TensorProto.FLOAT, ["batch", "samples"])]
    if with_lengths:
        inputs.append(helper.make_tensor_value_info("lengths", TensorProto.INT64, ["batch"]))
    graph = helper.make_graph(nodes, "energy", inputs,
                              [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, ["batch", k])],
                              initializer=[weight, bias, eps])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    if metadata:
        helper.set_model_props(model, {"serfair.labels": json.dumps(list(labels)),
                                       "serfair.sample_rate": str(sample_rate),
                                       "serfair.name": "energy-toy"})
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path
