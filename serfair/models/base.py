"""The adapter contract, the model spec that builds one, and the adapter registry."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from serfair.errors import ModelError


@runtime_checkable
class Adapter(Protocol):
    """Anything that turns waveforms into class probabilities."""

    labels: tuple[str, ...]
    sample_rate: int

    def predict_proba(self, waves: list[np.ndarray]) -> np.ndarray:
        """(batch, len(labels)) probabilities, rows summing to one."""

    def describe(self) -> dict:
        """Format, path, sha256 and input signature, for provenance."""


@dataclass(frozen=True)
class ModelSpec:
    """Everything needed to build an adapter, picklable so worker processes can rebuild it."""

    source: str
    format: str | None = None
    labels: tuple[str, ...] | None = None
    sample_rate: int | None = None
    preprocess: str | None = None
    postprocess: str | None = None
    logits: bool = False
    frontend: str | None = None
    trust_pickle: bool = False
    options: dict = field(default_factory=dict)
    trust_code: bool = False  # hooks named by files may run (--trust-code; implies trust_pickle)

    def __hash__(self) -> int:  # options is a dict; hash what identifies the model
        return hash((self.source, self.format, self.labels, self.sample_rate, self.preprocess,
                     self.postprocess, self.logits, self.frontend, self.trust_pickle,
                     self.trust_code))

    @property
    def unpickle(self) -> bool:
        """Whether pickle model files may be loaded (--trust-pickle or --trust-code)."""
        return self.trust_pickle or self.trust_code


@runtime_checkable
class PredictsById(Protocol):
    """An adapter that looks predictions up by (clip id, condition) instead of running audio.

    The engine checks for this capability and then decodes no audio at all.
    """

    labels: tuple[str, ...]
    conditions: tuple[str, ...]

    def predict_ids(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """(len(pairs), len(labels)) probabilities for (clip id, condition) pairs."""


@dataclass(frozen=True)
class AdapterKind:
    """A registered adapter: how to recognise its source and how to build it.

    `suffixes` match file names; `detect` (optional) recognises anything else (a URL, a folder,
    a `module:function` reference). `needs_audio` is False for adapters that never see audio.
    """

    name: str
    suffixes: tuple[str, ...]
    build: Callable[[ModelSpec], Adapter]
    description: str = ""
    detect: Callable[[str], bool] | None = None
    needs_audio: bool = True
    example: str = ""
    order: int = 50  # kinds are tried in this order; the permissive `module:function` goes last

    def matches(self, source: str) -> bool:
        """Whether this kind recognises the source by its suffix or its detect function."""
        if self.detect is not None and self.detect(source):
            return True
        name = source.lower()
        return any(name.endswith(suffix) for suffix in self.suffixes)


ADAPTERS: dict[str, AdapterKind] = {}


def register(kind: AdapterKind) -> AdapterKind:
    """Add an adapter kind to the registry (each adapter file calls this)."""
    ADAPTERS[kind.name] = kind
    return kind


def file_sha256(path: str | Path) -> str:
    """sha256 of a file, read in chunks."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def check_probabilities(probs: object, n_rows: int, labels: tuple[str, ...], who: str) -> np.ndarray:
    """Return probs as float64 (n_rows, n_labels) or raise ModelError saying what came back."""
    try:
        array = np.asarray(probs, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ModelError(f"{who} returned something that is not a numeric array: {exc}") from exc
    expected = (n_rows, len(labels))
    if array.shape != expected:
        raise ModelError(
            f"{who} returned an array of shape {array.shape}, expected {expected} "
            f"(batch, labels: {', '.join(labels)}); first values: {preview(array)}. Check --labels "
            f"(one name per output column, in order) or the model's output"
        )
    if not np.all(np.isfinite(array)):
        bad = int((~np.isfinite(array)).any(axis=1).sum())
        raise ModelError(f"{who} returned NaN or infinite values for {bad} of {n_rows} clips "
                         f"(first values: {preview(array)})")
    sums = array.sum(axis=1)
    if np.any(array < -1e-6) or not np.allclose(sums, 1.0, atol=1e-3):
        raise ModelError(
            f"{who} returned rows that are not probabilities (row sums {sums.min():.3f} to "
            f"{sums.max():.3f}, first row {preview(array)}); if the model outputs logits or "
            f"scores, pass --logits to apply softmax"
        )
    return np.clip(array, 0.0, 1.0)


def preview(array: np.ndarray, n: int = 6) -> str:
    """The first few values of an array's first row, for error messages."""
    flat = np.asarray(array).reshape(-1)
    if array.ndim > 1 and array.shape[0] > 0:
        flat = np.asarray(array)[0].reshape(-1)
    shown = ", ".join(f"{x:.4g}" for x in flat[:n])
    return f"[{shown}{', ...' if flat.size > n else ''}]"
