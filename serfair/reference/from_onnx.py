"""Recover a reference CNN-LSTM's torch weights from its exported ONNX file.

The TorchScript exporter folds each BatchNorm into the convolution before it and re-orders the
LSTM gates; this module undoes that: convolution weights and biases become the conv weights and
an identity BatchNorm (scale 1, mean 0, variance 1 - eps) carrying the bias, and the LSTM gates
go back to torch's order. Re-exporting the recovered model gives the same file, which is how
`ensemble.verify_member` checks that nothing was lost.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from .model import CnnLstm, ModelConfig


def _unit_variance(eps: float) -> float:
    """A float32 variance v with float32(v + eps) == 1 exactly, so the exporter's BatchNorm
    folding multiplies by exactly 1 and adds the bias unchanged."""
    v = np.float32(1.0 - eps)
    for _ in range(64):
        total = np.float32(v + np.float32(eps))
        if total == np.float32(1.0):
            return float(v)
        v = np.nextafter(v, np.float32(2.0) if total < 1 else np.float32(0.0), dtype=np.float32)
    raise ValueError(f"no float32 variance makes v + {eps} exactly 1")


def _lstm_to_torch(w: np.ndarray, hidden: int) -> np.ndarray:
    """ONNX gate order (i, o, f, c) -> torch (i, f, g, o) along the first axis."""
    i, o, f, c = (w[k * hidden:(k + 1) * hidden] for k in range(4))
    return np.concatenate([i, f, c, o], axis=0)


def load_from_onnx(path: str | Path, config: ModelConfig) -> CnnLstm:
    """A CnnLstm (eval mode) whose export reproduces the ONNX file at `path`."""
    import onnx
    from onnx import numpy_helper

    if config.rnn != "lstm":
        raise ValueError(f"weights can be recovered from ONNX for CNN-LSTM models only, not "
                         f"{config.rnn!r}; use the member's saved .pt weights")
    proto = onnx.load(str(path))
    init = {t.name: numpy_helper.to_array(t) for t in proto.graph.initializer}
    convs = [n for n in proto.graph.node if n.op_type == "Conv"]
    lstms = [n for n in proto.graph.node if n.op_type == "LSTM"]
    model = CnnLstm(config)
    if len(convs) != len(model.blocks) or len(lstms) != 2:
        raise ValueError(f"{path} does not have the layers of this configuration "
                         f"({len(convs)} Conv, {len(lstms)} LSTM nodes)")
    state = model.state_dict()
    var = _unit_variance(model.blocks[0].bn.eps)
    for k, node in enumerate(convs):
        p = f"blocks.{k}."
        state[p + "conv.weight"] = torch.from_numpy(init[node.input[1]].copy())
        bias = init[node.input[2]]
        state[p + "bn.weight"] = torch.ones_like(state[p + "bn.weight"])
        state[p + "bn.bias"] = torch.from_numpy(bias.copy())
        state[p + "bn.running_mean"] = torch.zeros_like(state[p + "bn.running_mean"])
        state[p + "bn.running_var"] = torch.full_like(state[p + "bn.running_var"], var)
    h = config.lstm_hidden
    for node, name in zip(lstms, ("lstm_fwd", "lstm_bwd")):
        w, r, b = (init[node.input[j]][0] for j in (1, 2, 3))
        state[f"{name}.weight_ih_l0"] = torch.from_numpy(_lstm_to_torch(w, h))
        state[f"{name}.weight_hh_l0"] = torch.from_numpy(_lstm_to_torch(r, h))
        state[f"{name}.bias_ih_l0"] = torch.from_numpy(_lstm_to_torch(b[: 4 * h], h))
        state[f"{name}.bias_hh_l0"] = torch.from_numpy(_lstm_to_torch(b[4 * h:], h))
    state["head.weight"] = torch.from_numpy(init["head.weight"].copy())
    state["head.bias"] = torch.from_numpy(init["head.bias"].copy())
    model.load_state_dict(state)
    model.eval()
    return model
