"""A Python model: `--model package.module:factory`.

The factory is called once per process (with `options.args` as keyword arguments) and returns
either an object with `predict_proba(inputs) -> (batch, labels)` (and optionally `labels` or
`classes_`, and `sample_rate`) or a plain function `inputs -> (batch, labels)`. `inputs` is a list
of waveforms (float32, mono, at the sample rate), or of features when a front end or
`--preprocess` is set.
"""

from __future__ import annotations

import re

import numpy as np

from serfair.errors import ModelError
from serfair.models.base import AdapterKind, ModelSpec, register
from serfair.models.hooks import code_hash, load_callable
from serfair.models.io import first, resolve_io

REFERENCE = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")


def looks_like_reference(source: str) -> bool:
    """package.module:factory (not a path or URL)"""
    return bool(REFERENCE.match(source))


class CallableAdapter:
    """Wraps a user's Python model object or function."""

    def __init__(self, spec: ModelSpec):
        self.reference = spec.source
        factory = load_callable(spec.source, "--model")
        try:
            made = factory(**dict(spec.options.get("args", {})))
        except Exception as exc:
            raise ModelError(f"--model {spec.source}: the factory raised "
                             f"{type(exc).__name__}: {exc}") from exc
        self.model = made
        self.predict = getattr(made, "predict_proba", None) or (made if callable(made) else None)
        if self.predict is None:
            raise ModelError(
                f"--model {spec.source} returned a {type(made).__name__}, which has no predict_proba "
                f"and is not callable; return an object with predict_proba(inputs) or a function"
            )
        source = made if hasattr(made, "predict_proba") else self.predict
        native_labels = first(getattr(source, "labels", None), _classes(source))
        self.io = resolve_io(spec, f"Python model {spec.source}", native_labels=native_labels,
                             native_rate=getattr(source, "sample_rate", None),
                             default_logits=bool(getattr(source, "logits", False)),
                             hint="`labels` and `sample_rate` attributes on what the factory returns, ")
        self.labels = self.io.labels
        self.sample_rate = self.io.sample_rate
        self._sha256 = _source_hash(factory, getattr(made, "version", None))

    def predict_proba(self, waves: list[np.ndarray]) -> np.ndarray:
        """Probabilities for each wave, in order."""
        inputs = [self.io.features(w) for w in waves]
        try:
            out = self.predict(inputs)
        except Exception as exc:
            raise ModelError(f"Python model {self.reference} raised {type(exc).__name__} on a batch "
                             f"of {len(inputs)}: {exc}") from exc
        return self.io.finish(out, len(waves))

    def describe(self) -> dict:
        """Provenance: the reference, the object's type, labels and hooks."""
        return {"format": "callable", "path": self.reference, "name": self.reference,
                "sha256": self._sha256,
                "object": type(self.model).__name__, **self.io.describe()}


def _source_hash(factory: object, version: object) -> str | None:
    """sha256 of the factory's module file (and the object's `version`), so that editing the
    model's code invalidates cached predictions."""
    digest = code_hash(factory)
    if version is not None:
        digest = f"{digest}+version:{version}"
    return digest


def _classes(obj: object) -> list[str] | None:
    classes = getattr(obj, "classes_", None)
    return None if classes is None else [str(c) for c in classes]


register(AdapterKind(
    name="callable", suffixes=(), build=CallableAdapter, detect=looks_like_reference,
    description="a Python object or function returned by package.module:factory",
    example="serfair audit --model mypkg.models:load --labels angry,happy,neutral,sad",
    order=90,
))
