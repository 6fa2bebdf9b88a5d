"""ONNX models through onnxruntime: waveform or feature input, labels from metadata.

The model describes itself through `serfair.*` metadata properties (labels, sample_rate,
frontend, logits, postprocess, input, lengths_input, output, min_samples, name); a sidecar YAML
or flags cover models that don't. scikit-learn models converted with skl2onnx name their
classes in the graph, so their labels are found without help.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort

from serfair.errors import ModelError
from serfair.features.match import suggest_frontends
from serfair.models.base import AdapterKind, ModelSpec, file_sha256, register
from serfair.models.batching import pad_batch, same_shape_groups
from serfair.models.io import resolve_io
from serfair.models.sidecar import find_sidecar, read_sidecar, sidecar_name

META_PREFIX = "serfair."
DTYPES = {"tensor(float)": np.float32, "tensor(double)": np.float64,
          "tensor(float16)": np.float16}
PROBABILITY_NAMES = ("probabilities", "probs", "output_probability", "probability")


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
            self.session = ort.InferenceSession(str(self.path), options,
                                                providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises several private exception types
            raise ModelError(f"onnxruntime cannot load {self.path}: {exc}") from exc
        props = self.session.get_modelmeta().custom_metadata_map
        self.metadata = {k[len(META_PREFIX):]: v for k, v in props.items() if k.startswith(META_PREFIX)}
        sidecar = read_sidecar(self.path)
        declared = spec.labels or sidecar.get("labels") or self.metadata.get("labels")
        self.io = resolve_io(
            spec, f"ONNX model {self.path.name}", sidecar=sidecar, embedded=self.metadata,
            native_labels=None if declared else graph_class_labels(self.path),
            where=sidecar_name(self.path), hint="ONNX metadata (serfair.labels, serfair.sample_rate), ",
            sidecar_file=str(find_sidecar(self.path) or ""), embedded_from=f"ONNX model {self.path}",
            embedded_prefix=META_PREFIX,
        )
        self.labels = self.io.labels
        self.sample_rate = self.io.sample_rate
        self.min_samples = int(self.metadata.get("min_samples", 0))
        inputs = self.session.get_inputs()
        self.input_name = self.metadata.get("input", inputs[0].name)
        self.lengths_name = self.metadata.get("lengths_input") or next(
            (i.name for i in inputs if i.name == "lengths" and "int" in i.type), None)
        main_input = next(i for i in inputs if i.name == self.input_name)
        self.input_shape = main_input.shape
        self.input_dtype = DTYPES.get(main_input.type, np.float32)
        if self.io.takes_waveform and not self.lengths_name:
            check_waveform_input(self.path.name, self.input_name, self.input_shape)
        outputs = self.session.get_outputs()
        self.output_name = self.metadata.get("output") or next(
            (o.name for o in outputs if o.name in PROBABILITY_NAMES),
            next((o.name for o in outputs if o.type.startswith("tensor(float")), outputs[0].name))
        self._sha256 = file_sha256(self.path)

    def _input(self, wave: np.ndarray) -> np.ndarray:
        if self.io.takes_waveform and wave.shape[0] < self.min_samples:
            wave = np.pad(wave, (0, self.min_samples - wave.shape[0]))
        return self.io.features(wave).astype(self.input_dtype, copy=False)

    def _run(self, feeds: dict) -> np.ndarray:
        try:
            out = self.session.run([self.output_name], feeds)[0]
        except Exception as exc:
            shapes = {k: tuple(v.shape) for k, v in feeds.items()}
            raise ModelError(f"onnxruntime failed on {self.path.name} with inputs {shapes} "
                             f"(the model expects {self.input_name} {self.input_shape}): {exc}") from exc
        if isinstance(out, list) and out and isinstance(out[0], dict):  # skl2onnx ZipMap
            keys = list(out[0].keys())
            out = [[row[k] for k in keys] for row in out]
        out = np.asarray(out)
        return out.reshape(1, -1) if out.ndim == 1 else out

    def _batched(self, feature: np.ndarray) -> bool:
        rank_fits = len(self.input_shape) == feature.ndim + 1
        fixed_one = rank_fits and self.input_shape[0] == 1
        return rank_fits and not fixed_one

    def predict_proba(self, waves: list[np.ndarray]) -> np.ndarray:
        """Probabilities for each wave, in order."""
        feats = [self._input(w) for w in waves]
        if self.lengths_name and self.io.takes_waveform:
            batch, lengths = pad_batch(feats, self.input_dtype)
            out = self._run({self.input_name: batch, self.lengths_name: lengths})
        else:
            rows_out: list[np.ndarray | None] = [None] * len(feats)
            for rows in same_shape_groups(feats):
                if self._batched(feats[rows[0]]):
                    result = self._run({self.input_name: np.stack([feats[r] for r in rows])})
                    for r, values in zip(rows, result):
                        rows_out[r] = values
                else:
                    for r in rows:
                        rows_out[r] = self._run({self.input_name: feats[r]})[0]
            out = np.stack(rows_out)
        return self.io.finish(out, len(waves))

    def describe(self) -> dict:
        """Provenance: format, path, sha256, inputs and outputs."""
        return {
            "format": "onnx", "path": str(self.path),
            "name": self.metadata.get("name", self.path.stem), "sha256": self._sha256,
            **self.io.describe(),
            "inputs": [{"name": i.name, "shape": [str(d) for d in i.shape], "type": i.type}
                       for i in self.session.get_inputs()],
            "output": self.output_name, "metadata": self.metadata,
        }


def check_waveform_input(model: str, input_name: str, shape: list) -> None:
    """Refuse, before any inference, to feed a waveform to an input shaped like features; name
    the `--frontend` values that give that width."""
    matches = suggest_frontends(shape)
    if matches is None:
        return
    shown = "[" + ", ".join(str(d) if isinstance(d, int) else "N" for d in shape) + "]"
    if matches:
        others = f" (also fits: {', '.join(matches[1:])})" if len(matches) > 1 else ""
        fix = (f"pass the front end it was trained with, e.g. --frontend {matches[0]}{others}; "
               f"or --preprocess module:function")
    else:
        fix = ("no built-in front end gives that width: pass --preprocess module:function with "
               "the model's own feature code")
    raise ModelError(
        f"ONNX model {model} takes features ({input_name} {shown}), not a waveform: {fix} "
        f"(docs/bring-your-own-model.md, 'Front ends')")


def graph_class_labels(path: Path) -> list[str] | None:
    """Class labels an ai.onnx.ml classifier node declares (skl2onnx writes them), if any."""
    import onnx  # ~1 s to import; only models without declared labels need it

    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception:  # noqa: BLE001 - unreadable graphs were already reported by onnxruntime
        return None
    for node in model.graph.node:
        if node.domain != "ai.onnx.ml":
            continue
        for attr in node.attribute:
            if attr.name == "classlabels_strings" and attr.strings:
                return [s.decode() for s in attr.strings]
            if attr.name == "classlabels_int64s" and attr.ints:
                return [str(i) for i in attr.ints]
    return None


register(AdapterKind(
    name="onnx", suffixes=(".onnx",), build=OnnxAdapter,
    description="ONNX model run by onnxruntime (waveform or feature input)",
    example="serfair audit --model model.onnx",
    order=10,
))
