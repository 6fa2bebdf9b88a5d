"""ONNX models through onnxruntime: waveform or feature input, labels from metadata."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort

from serfair.errors import ModelError
from serfair.models.base import AdapterKind, ModelSpec, check_probabilities, file_sha256, register, softmax
from serfair.models.hooks import load_callable
from serfair.models.sidecar import read_sidecar

META_PREFIX = "serfair."


class OnnxAdapter:
    """Runs an ONNX model; batches clips by padding (with a lengths input) or by equal shape."""

    def __init__(self, spec: ModelSpec):
        self.path = Path(spec.source)
        if not self.path.is_file():
            raise ModelError(f"model file {self.path} does not exist")
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(spec.options.get("threads", 1))
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises several private exception types
            raise ModelError(f"onnxruntime cannot load {self.path}: {exc}") from exc
        meta = {k[len(META_PREFIX):]: v for k, v in
                self.session.get_modelmeta().custom_metadata_map.items() if k.startswith(META_PREFIX)}
        self.metadata = meta
        sidecar = read_sidecar(self.path)
        labels = spec.labels or sidecar.get("labels") or _json_list(meta.get("labels"))
        rate = spec.sample_rate or sidecar.get("sample_rate") or meta.get("sample_rate")
        missing = [name for name, value in (("labels", labels), ("sample rate", rate)) if not value]
        if missing:
            raise ModelError(
                f"{self.path.name} does not declare its {' or '.join(missing)}: add ONNX metadata "
                f"(serfair.labels, serfair.sample_rate), a sidecar {self.path.with_suffix('.yaml').name} "
                f"with `labels: [...]` and `sample_rate: 16000`, or pass --labels and --sample-rate"
            )
        self.labels = tuple(str(x) for x in labels)
        self.sample_rate = int(rate)
        self.logits = spec.logits or bool(sidecar.get("logits", False))
        self.preprocess = load_callable(spec.preprocess, "--preprocess") if spec.preprocess else None
        self.min_samples = int(meta.get("min_samples", 0))
        inputs = self.session.get_inputs()
        self.input_name = meta.get("input", inputs[0].name)
        self.lengths_name = meta.get("lengths_input") or next(
            (i.name for i in inputs if i.name == "lengths" and "int" in i.type), None)
        outputs = self.session.get_outputs()
        self.output_name = meta.get("output") or next(
            (o.name for o in outputs if o.name in ("probabilities", "probs")), outputs[0].name)
        self.input_shape = next(i.shape for i in inputs if i.name == self.input_name)
        self._sha256 = file_sha256(self.path)

    def _features(self, wave: np.ndarray) -> np.ndarray:
        if self.preprocess is not None:
            return np.asarray(self.preprocess(wave, self.sample_rate), dtype=np.float32)
        if wave.shape[0] < self.min_samples:
            wave = np.pad(wave, (0, self.min_samples - wave.shape[0]))
        return wave.astype(np.float32, copy=False)

    def _run(self, feeds: dict) -> np.ndarray:
        try:
            out = self.session.run([self.output_name], feeds)[0]
        except Exception as exc:
            raise ModelError(f"onnxruntime failed on {self.path.name}: {exc}") from exc
        out = np.asarray(out)
        return out.reshape(1, -1) if out.ndim == 1 else out

    def predict_proba(self, waves: list[np.ndarray]) -> np.ndarray:
        """Probabilities for each wave, in order."""
        feats = [self._features(w) for w in waves]
        if self.lengths_name and self.preprocess is None:
            lengths = np.array([f.shape[0] for f in feats], dtype=np.int64)
            batch = np.zeros((len(feats), int(lengths.max())), dtype=np.float32)
            for row, f in enumerate(feats):
                batch[row, : f.shape[0]] = f
            out = self._run({self.input_name: batch, self.lengths_name: lengths})
        else:
            parts: dict[int, np.ndarray] = {}
            batched = len(self.input_shape) == feats[0].ndim + 1
            groups: dict[tuple, list[int]] = {}
            for row, f in enumerate(feats):
                groups.setdefault(f.shape, []).append(row)
            for rows in groups.values():
                if batched:
                    outs = self._run({self.input_name: np.stack([feats[r] for r in rows])})
                else:
                    outs = [self._run({self.input_name: feats[r]})[0] for r in rows]
                parts.update({r: np.asarray(o) for r, o in zip(rows, outs)})
            shapes = {p.shape for p in parts.values()}
            out = np.stack([parts[r] for r in range(len(feats))]) if len(shapes) == 1 else list(parts.values())
        if self.logits:
            out = softmax(np.asarray(out, dtype=np.float64))
        return check_probabilities(out, len(waves), self.labels, f"ONNX model {self.path.name}")

    def describe(self) -> dict:
        """Provenance: format, path, sha256, inputs and outputs."""
        return {
            "format": "onnx", "path": str(self.path), "name": self.metadata.get("name", self.path.stem),
            "sha256": self._sha256, "labels": list(self.labels), "sample_rate": self.sample_rate,
            "inputs": [{"name": i.name, "shape": [str(d) for d in i.shape], "type": i.type}
                       for i in self.session.get_inputs()],
            "output": self.output_name, "preprocess": None if self.preprocess is None else "hook",
            "metadata": self.metadata,
        }


def _json_list(text: str | None) -> list | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = [x.strip() for x in text.split(",") if x.strip()]
    return list(value)


register(AdapterKind(name="onnx", suffixes=(".onnx",), build=OnnxAdapter,
                     description="ONNX model run by onnxruntime (waveform or feature input)"))
