"""Hugging Face `transformers` audio-classification models from a local folder (no download).

The folder is what `save_pretrained` writes: config.json (with id2label), the weights and
preprocessor_config.json (the feature extractor, with its sampling_rate). Needs the optional
extra `hf` (transformers and torch); loading is local-only, so nothing is fetched.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from serfair.errors import ModelError
from serfair.models.base import AdapterKind, ModelSpec, file_sha256, register
from serfair.models.batching import same_shape_groups
from serfair.models.io import resolve_io
from serfair.models.sidecar import find_sidecar, read_sidecar

REQUIRED = ("config.json",)
WEIGHTS = ("model.safetensors", "pytorch_model.bin")


def is_hf_folder(source: str) -> bool:
    """a folder with config.json + preprocessor_config.json"""
    path = Path(source)
    return path.is_dir() and (path / "config.json").is_file() and (
        path / "preprocessor_config.json").is_file()


def import_transformers():
    """transformers and torch, or a ModelError saying how to install them."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise ModelError(
            f"Hugging Face models need transformers and torch ({exc.name} is missing): "
            f"pip install 'serfair[hf]'"
        ) from exc
    transformers.logging.set_verbosity_error()
    return torch, transformers


class HuggingFaceAdapter:
    """AutoFeatureExtractor + AutoModelForAudioClassification; logits -> softmax."""

    def __init__(self, spec: ModelSpec):
        self.path = Path(spec.source)
        if not is_hf_folder(spec.source):
            raise ModelError(f"{self.path} is not a Hugging Face model folder: it needs config.json "
                             f"and preprocessor_config.json (what save_pretrained writes)")
        self.torch, transformers = import_transformers()
        self.torch.set_num_threads(int(spec.options.get("threads", 1)))
        try:
            self.extractor = transformers.AutoFeatureExtractor.from_pretrained(
                str(self.path), local_files_only=True)
            self.model = transformers.AutoModelForAudioClassification.from_pretrained(
                str(self.path), local_files_only=True)
        except Exception as exc:
            raise ModelError(f"transformers cannot load {self.path} as an audio classifier: {exc}") from exc
        self.model.eval()
        id2label = getattr(self.model.config, "id2label", None) or {}
        self.io = resolve_io(spec, f"Hugging Face model {self.path.name}",
                             sidecar=read_sidecar(self.path), native_labels=id2label or None,
                             sidecar_file=str(find_sidecar(self.path) or ""),
                             native_rate=getattr(self.extractor, "sampling_rate", None),
                             default_logits=True)
        if self.io.sample_rate != getattr(self.extractor, "sampling_rate", self.io.sample_rate):
            raise ModelError(f"--sample-rate {self.io.sample_rate} differs from the feature "
                             f"extractor's sampling_rate {self.extractor.sampling_rate}")
        self.labels = self.io.labels
        self.sample_rate = self.io.sample_rate
        self.pad = bool(spec.options.get("pad", False))
        weights = next((self.path / w for w in WEIGHTS if (self.path / w).is_file()), None)
        self._sha256 = file_sha256(weights) if weights else None

    def _logits(self, inputs: list[np.ndarray], pad: bool) -> np.ndarray:
        try:
            batch = self.extractor(inputs, sampling_rate=self.sample_rate, return_tensors="pt",
                                   padding=pad, return_attention_mask=pad)
            with self.torch.inference_mode():
                logits = self.model(**batch).logits
        except Exception as exc:
            raise ModelError(f"Hugging Face model {self.path.name} failed on a batch of "
                             f"{len(inputs)}: {exc}") from exc
        return logits.float().cpu().numpy()

    def predict_proba(self, waves: list[np.ndarray]) -> np.ndarray:
        """Probabilities for each wave.

        Clips of equal length run together; with option `pad: true` all are zero-padded into one
        batch with an attention mask (faster, but many wav2vec2 checkpoints then give slightly
        different outputs depending on the batch, so it is off by default).
        """
        inputs = [self.io.features(w) for w in waves]
        if self.pad:
            return self.io.finish(self._logits(inputs, True), len(waves))
        out: list[np.ndarray | None] = [None] * len(inputs)
        for rows in same_shape_groups(inputs):
            for r, values in zip(rows, self._logits([inputs[r] for r in rows], False)):
                out[r] = values
        return self.io.finish(np.stack(out), len(waves))

    def describe(self) -> dict:
        """Provenance: folder, weights hash, architecture, labels."""
        import transformers

        return {"format": "hf", "path": str(self.path), "name": self.path.name,
                "sha256": self._sha256, "architecture": type(self.model).__name__,
                "transformers": transformers.__version__, **self.io.describe()}


register(AdapterKind(
    name="hf", suffixes=(), build=HuggingFaceAdapter, detect=is_hf_folder,
    description="Hugging Face transformers audio classifier in a local folder (needs the hf extra)",
    example="serfair audit --model ./my-wav2vec2-ser/",
    order=50,
))
