"""What every adapter does around its model: resolve labels and rate, build the input from a
waveform (hook, declarative front end, or the raw wave), and turn raw outputs into checked
probabilities (softmax for logits, output mapping or hook).

Each fact is taken from the first source that has it: flags / audit spec, then a sidecar YAML
next to the model, then what the model file declares itself (ONNX metadata, TorchScript extra
file, scikit-learn `classes_`, Hugging Face config). A hook named by the sidecar or the model file
is loaded only when the spec says the user trusts code (`--trust-code`, serfair.trust).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from serfair.errors import ModelError
from serfair.models.base import ModelSpec, check_probabilities, preview, softmax
from serfair.models.hooks import code_hash, load_callable
from serfair.models.postprocess import Postprocess, is_mapping, resolve_postprocess
from serfair.trust import require_trust

if TYPE_CHECKING:  # librosa-based front ends are imported only by models that use one
    from serfair.features import FrontEnd


@dataclass
class ModelIO:
    """Input and output handling shared by all adapters."""

    who: str
    raw_labels: tuple[str, ...]
    sample_rate: int
    frontend: FrontEnd | None = None
    preprocess: Callable | None = None
    preprocess_ref: str | None = None
    postprocess: Postprocess | None = None
    logits: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels the adapter returns (after any output mapping)."""
        return self.postprocess.labels if self.postprocess else self.raw_labels

    @property
    def takes_waveform(self) -> bool:
        """True when the model gets the waveform itself (no hook, no front end)."""
        return self.preprocess is None and self.frontend is None

    def features(self, wave: np.ndarray) -> np.ndarray:
        """Model input for one waveform."""
        if self.preprocess is not None:
            try:
                out = self.preprocess(wave, self.sample_rate)
            except Exception as exc:  # a user hook may raise anything
                raise ModelError(f"--preprocess {self.preprocess_ref} failed on a clip of "
                                 f"{wave.shape[0]} samples: {type(exc).__name__}: {exc}") from exc
            return np.asarray(out, dtype=np.float32)
        if self.frontend is not None:
            return self.frontend(wave)
        return np.asarray(wave, dtype=np.float32)

    def finish(self, raw: object, n_rows: int) -> np.ndarray:
        """Raw model output -> (n_rows, len(labels)) probabilities, checked."""
        try:
            out = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ModelError(f"{self.who} returned something that is not a numeric array "
                             f"({type(raw).__name__}): {exc}") from exc
        if out.ndim == 1 and n_rows == 1:
            out = out.reshape(1, -1)
        if out.ndim == 3 and out.shape[1] == 1:  # (batch, 1, classes), common in exports
            out = out[:, 0, :]
        if self.postprocess is not None:
            expected = (n_rows, len(self.raw_labels))
            if self.postprocess.describe.get("kind") == "output_map" and out.shape != expected:
                raise ModelError(
                    f"{self.who} returned shape {out.shape}, but its labels "
                    f"({', '.join(self.raw_labels)}) say {expected}; first values {preview(out)}")
        if self.logits:
            if out.ndim != 2:
                raise ModelError(f"{self.who} returned shape {out.shape}; expected (batch, labels)")
            out = softmax(out)
        if self.postprocess is not None:
            try:
                out = self.postprocess.apply(out)
            except ModelError:
                raise
            except Exception as exc:
                raise ModelError(f"--postprocess failed on output of shape {out.shape}: "
                                 f"{type(exc).__name__}: {exc}") from exc
        return check_probabilities(out, n_rows, self.labels, self.who)

    def describe(self) -> dict:
        """Labels, rate and hooks, for provenance."""
        return {
            "labels": list(self.labels), "model_labels": list(self.raw_labels),
            "sample_rate": self.sample_rate, "logits": self.logits,
            "frontend": self.frontend.describe() if self.frontend else None,
            "preprocess": self.preprocess_ref,
            "postprocess": self.postprocess.describe if self.postprocess else None,
            "preprocess_sha256": code_hash(self.preprocess) if self.preprocess else None,
        }


def first(*values: object) -> object:
    """The first value that is not None or empty."""
    for value in values:
        if value is not None and value != "" and value != () and value != []:
            return value
    return None


def as_labels(value: object) -> tuple[str, ...] | None:
    """Labels from a list, JSON text or comma-separated text."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = json.loads(text) if text.startswith("[") else [x for x in text.split(",")]
        except json.JSONDecodeError:
            value = text.split(",")
    if isinstance(value, dict):  # {0: "angry", 1: ...} as in Hugging Face configs
        value = [value[k] for k in sorted(value, key=lambda k: int(k))]
    labels = tuple(str(x).strip() for x in value if str(x).strip())
    return labels or None


def as_bool(value: object) -> bool:
    """`true`, `1`, True -> True."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def resolve_io(spec: ModelSpec, who: str, *, sidecar: dict | None = None,
               embedded: dict | None = None, native_labels: object = None,
               native_rate: int | None = None, default_logits: bool = False,
               where: str = "", hint: str = "", sidecar_file: str = "",
               embedded_from: str = "", embedded_prefix: str = "") -> ModelIO:
    """Build a ModelIO from flags, sidecar, embedded metadata and native facts, in that order.

    `where` names the sidecar file and `hint` the model's own way to declare them, for the error.
    `sidecar_file` (the sidecar read) and `embedded_from` (e.g. "ONNX model m.onnx", whose keys
    carry `embedded_prefix`) say where a hook came from when it must be refused.
    """
    side = sidecar or {}
    meta = embedded or {}
    origins = ((side, f"sidecar {sidecar_file or where or 'YAML'}", ""),
               (meta, f"metadata of {embedded_from or who}", embedded_prefix))

    def trusted_hook(key: str, value: object) -> None:
        """Refuse a hook the sidecar or the model file named, unless the user trusts code."""
        if getattr(spec, key) or not value or is_mapping(value):
            return  # given by the user (flag or library call), or a declarative output map
        where_from, prefix = next((w, p) for d, w, p in origins if first(d.get(key)) == value)
        require_trust(str(value), f"{prefix}{key}", where_from, spec.trust_code)

    postprocess_value = first(spec.postprocess, side.get("postprocess"), meta.get("postprocess"))
    trusted_hook("postprocess", postprocess_value)
    hook_labels = None
    if postprocess_value and not is_mapping(postprocess_value):
        hook_labels = getattr(load_callable(str(postprocess_value), "--postprocess"), "labels", None)
    labels = as_labels(first(spec.labels, side.get("labels"), meta.get("labels"), native_labels))
    frontend_value = first(spec.frontend, side.get("frontend"), meta.get("frontend"))
    from serfair.features import FrontEnd, parse_frontend

    frontend_cfg = parse_frontend(frontend_value) if frontend_value else None
    rate = first(spec.sample_rate, side.get("sample_rate"), meta.get("sample_rate"), native_rate)
    missing = [name for name, value in (("labels", labels or hook_labels), ("sample rate", rate))
               if not value]
    if missing:
        sidecar_hint = f"a sidecar {where} with `labels: [...]` and `sample_rate: 16000`, " if where else ""
        raise ModelError(
            f"{who} does not declare its {' or '.join(missing)}: add {hint}{sidecar_hint}or pass "
            f"--labels angry,happy,... (one per output column, in order) and --sample-rate 16000"
        )
    preprocess_ref = first(spec.preprocess, side.get("preprocess"), meta.get("preprocess"))
    trusted_hook("preprocess", preprocess_ref)
    preprocess = load_callable(str(preprocess_ref), "--preprocess") if preprocess_ref else None
    raw_labels = tuple(labels or hook_labels)
    post = resolve_postprocess(postprocess_value, raw_labels) if postprocess_value else None
    logits = bool(spec.logits) or as_bool(first(side.get("logits"), meta.get("logits"),
                                                default_logits))
    return ModelIO(
        who=who, raw_labels=tuple(raw_labels), sample_rate=int(rate),
        frontend=FrontEnd(frontend_cfg, int(rate)) if frontend_cfg else None,
        preprocess=preprocess, preprocess_ref=str(preprocess_ref) if preprocess_ref else None,
        postprocess=post, logits=logits,
    )
