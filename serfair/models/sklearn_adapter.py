"""scikit-learn estimators on feature vectors: skops files, or pickles only when trusted.

A `.skops` file is loaded with skops, which refuses types it does not know are safe.
`.joblib` / `.pkl` files are pickles: unpickling runs whatever code the file contains, so they
are loaded only with `--trust-pickle`. Inputs come from a declarative front end or a
`--preprocess` hook (one vector per clip); labels default to the estimator's `classes_`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from serfair.errors import ModelError
from serfair.models.base import AdapterKind, ModelSpec, file_sha256, register
from serfair.models.io import resolve_io
from serfair.models.sidecar import find_sidecar, read_sidecar, sidecar_name

PICKLE_SUFFIXES = (".joblib", ".pkl", ".pickle")
PICKLE_WARNING = (
    "unpickling runs arbitrary code stored in the file, so a malicious or tampered model file "
    "could take over this machine"
)


def load_estimator(path: Path, trust_pickle: bool) -> object:
    """The estimator in a skops or (trusted) pickle file."""
    if path.suffix.lower() == ".skops":
        try:
            import skops.io as sio
        except ImportError as exc:
            raise ModelError(f"{path.name} is a skops file, but skops is not installed: "
                             f"pip install skops") from exc

        try:
            untrusted = sio.get_untrusted_types(file=path)
        except Exception as exc:
            raise ModelError(f"{path} is not a readable skops file: {exc}") from exc
        if untrusted and not trust_pickle:
            raise ModelError(
                f"{path.name} contains types skops does not trust by default: {', '.join(untrusted)}. "
                f"Loading them may run their code; if you trust this file, pass --trust-pickle (or --trust-code)"
            )
        try:
            return sio.load(path, trusted=untrusted or None)
        except Exception as exc:
            raise ModelError(f"skops cannot load {path}: {exc}") from exc
    if not trust_pickle:
        raise ModelError(
            f"{path.name} is a pickle: {PICKLE_WARNING}. Pass --trust-pickle (or --trust-code) only if you made the "
            f"file or trust its source, or better, save the model with skops "
            f"(skops.io.dump(model, 'model.skops')) or convert it to ONNX with skl2onnx"
        )
    import joblib

    try:
        return joblib.load(path)
    except Exception as exc:
        raise ModelError(f"cannot unpickle {path}: {type(exc).__name__}: {exc} (is the code that "
                         f"defined the model importable here?)") from exc


class SklearnAdapter:
    """Runs `predict_proba` (or, with --logits, `decision_function`) on per-clip feature vectors."""

    def __init__(self, spec: ModelSpec):
        self.path = Path(spec.source)
        if not self.path.is_file():
            raise ModelError(f"model file {self.path} does not exist")
        self.estimator = load_estimator(self.path, spec.unpickle)
        classes = getattr(self.estimator, "classes_", None)
        sidecar = read_sidecar(self.path)
        self.io = resolve_io(spec, f"scikit-learn model {self.path.name}", sidecar=sidecar,
                             native_labels=None if classes is None else [str(c) for c in classes],
                             where=sidecar_name(self.path),
                             sidecar_file=str(find_sidecar(self.path) or ""))
        if self.io.takes_waveform:
            raise ModelError(
                f"scikit-learn model {self.path.name} takes feature vectors, not waveforms: declare "
                f"a front end (--frontend mfcc_mean, or `frontend:` in {sidecar_name(self.path)}) or "
                f"pass --preprocess package.module:function"
            )
        if hasattr(self.estimator, "predict_proba"):
            self.method = "predict_proba"
        elif hasattr(self.estimator, "decision_function") and self.io.logits:
            self.method = "decision_function"
        else:
            raise ModelError(
                f"{type(self.estimator).__name__} in {self.path.name} has no predict_proba; pass "
                f"--logits to turn its decision_function scores into probabilities with softmax"
            )
        if self.method == "predict_proba" and self.io.logits:
            self.io.logits = False  # predict_proba already returns probabilities
        self.labels = self.io.labels
        self.sample_rate = self.io.sample_rate
        self._sha256 = file_sha256(self.path)

    def predict_proba(self, waves: list[np.ndarray]) -> np.ndarray:
        """Probabilities for each wave, in order."""
        feats = [self.io.features(w) for w in waves]
        if any(f.ndim != 1 for f in feats) or len({f.shape for f in feats}) > 1:
            shapes = sorted({f.shape for f in feats})
            raise ModelError(
                f"scikit-learn model {self.path.name} needs one feature vector of fixed length per "
                f"clip, got shapes {shapes}; use a pooled front end (e.g. mfcc_mean)"
            )
        matrix = np.stack(feats)
        try:
            out = getattr(self.estimator, self.method)(matrix)
        except Exception as exc:
            raise ModelError(f"{type(self.estimator).__name__}.{self.method} failed on features of "
                             f"shape {matrix.shape}: {exc}") from exc
        out = np.asarray(out, dtype=np.float64)
        if out.ndim == 1:  # binary decision_function: one score per clip
            out = np.stack([-out / 2, out / 2], axis=1)
        return self.io.finish(out, len(waves))

    def describe(self) -> dict:
        """Provenance: format, path, sha256, estimator, labels and hooks."""
        return {"format": "sklearn", "path": str(self.path), "name": self.path.stem,
                "sha256": self._sha256, "estimator": type(self.estimator).__name__,
                "method": self.method, **self.io.describe()}


register(AdapterKind(
    name="sklearn", suffixes=(".skops",) + PICKLE_SUFFIXES, build=SklearnAdapter,
    description="scikit-learn estimator on feature vectors (skops; pickle/joblib with --trust-pickle)",
    example="serfair audit --model model.skops --frontend mfcc_mean --sample-rate 16000",
    order=30,
))
