"""TorchScript models (`torch.jit.save`), run on CPU. torch is an optional extra, imported lazily.

The model may carry its facts in an extra file `serfair.json` saved with it
(`torch.jit.save(m, path, _extra_files={"serfair.json": json.dumps({...})})`): labels,
sample_rate, frontend, logits, lengths (true when forward takes (batch, lengths)).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np

from serfair.errors import ModelError
from serfair.models.base import AdapterKind, ModelSpec, file_sha256, register
from serfair.models.batching import pad_batch, same_shape_groups
from serfair.models.io import as_bool, first, resolve_io
from serfair.models.sidecar import find_sidecar, read_sidecar, sidecar_name

EXTRA_FILE = "serfair.json"


def import_torch():
    """torch, or a ModelError saying how to install it."""
    try:
        import torch
    except ImportError as exc:
        raise ModelError(
            "TorchScript models need PyTorch, which is not installed: pip install 'serfair[train]' "
            "(or pip install torch), or export the model to ONNX and audit that"
        ) from exc
    return torch


class TorchScriptAdapter:
    """Runs a TorchScript module on waveforms (padded, optionally with lengths) or features."""

    def __init__(self, spec: ModelSpec):
        self.path = Path(spec.source)
        if not self.path.is_file():
            raise ModelError(f"model file {self.path} does not exist")
        self.torch = import_torch()
        self.torch.set_num_threads(int(spec.options.get("threads", 1)))
        extra = {EXTRA_FILE: ""}
        try:
            with warnings.catch_warnings():  # torch >= 2.10 marks TorchScript deprecated
                warnings.simplefilter("ignore", DeprecationWarning)
                self.module = self.torch.jit.load(str(self.path), map_location="cpu",
                                                  _extra_files=extra)
        except Exception as exc:  # torch raises RuntimeError or its own private types
            raise ModelError(f"torch.jit.load cannot load {self.path} ({exc}); is it a TorchScript "
                             f"file saved with torch.jit.save? A state_dict is not enough") from exc
        self.module.eval()
        self.metadata = _extra_metadata(extra.get(EXTRA_FILE), self.path)
        sidecar = read_sidecar(self.path)
        self.io = resolve_io(spec, f"TorchScript model {self.path.name}", sidecar=sidecar,
                             embedded=self.metadata, where=sidecar_name(self.path),
                             hint=f"an extra file {EXTRA_FILE} saved with the model, ",
                             sidecar_file=str(find_sidecar(self.path) or ""),
                             embedded_from=f"TorchScript model {self.path} (extra file {EXTRA_FILE})")
        self.labels = self.io.labels
        self.sample_rate = self.io.sample_rate
        self.with_lengths = as_bool(first(spec.options.get("lengths"), sidecar.get("lengths"),
                                          self.metadata.get("lengths"), False))
        self._sha256 = file_sha256(self.path)

    def _forward(self, *arrays: np.ndarray) -> np.ndarray:
        torch = self.torch
        tensors = [torch.from_numpy(np.ascontiguousarray(a)) for a in arrays]
        try:
            with torch.inference_mode():
                out = self.module(*tensors)
        except Exception as exc:
            shapes = [tuple(a.shape) for a in arrays]
            raise ModelError(f"TorchScript model {self.path.name} failed on inputs of shape "
                             f"{shapes}: {exc}") from exc
        if isinstance(out, (tuple, list)):
            out = out[0]
        if isinstance(out, dict):
            out = next(iter(out.values()))
        return out.detach().cpu().numpy()

    def predict_proba(self, waves: list[np.ndarray]) -> np.ndarray:
        """Probabilities for each wave, in order."""
        feats = [self.io.features(w) for w in waves]
        if self.with_lengths and self.io.takes_waveform:
            batch, lengths = pad_batch(feats)
            return self.io.finish(self._forward(batch, lengths), len(waves))
        rows_out: list[np.ndarray | None] = [None] * len(feats)
        for rows in same_shape_groups(feats):
            result = self._forward(np.stack([feats[r] for r in rows]))
            result = result.reshape(len(rows), -1)
            for r, values in zip(rows, result):
                rows_out[r] = values
        return self.io.finish(np.stack(rows_out), len(waves))

    def describe(self) -> dict:
        """Provenance: format, path, sha256, labels and hooks."""
        return {"format": "torchscript", "path": str(self.path), "name": self.path.stem,
                "sha256": self._sha256, "lengths_input": self.with_lengths,
                "torch": self.torch.__version__, **self.io.describe()}


def _extra_metadata(raw: bytes | str | None, path: Path) -> dict:
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path.name}: the extra file {EXTRA_FILE} is not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path.name}: the extra file {EXTRA_FILE} must hold a JSON object")
    return data


register(AdapterKind(
    name="torchscript", suffixes=(".pt", ".pth", ".torchscript", ".ts"), build=TorchScriptAdapter,
    description="TorchScript module (torch.jit.save); needs torch",
    example="serfair audit --model model.pt --labels angry,happy,neutral,sad --sample-rate 16000",
    order=20,
))
