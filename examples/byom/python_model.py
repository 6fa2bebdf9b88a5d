"""A model written in Python, audited with `--model python_model:factory`.

    cd examples/byom && serfair audit --model python_model:factory --label-map calm=neutral

`factory()` returns any object with `predict_proba(waves) -> (batch, labels)`, `labels` and
`sample_rate`. Here: a deliberately simple loudness-and-pitch heuristic (no training), so that
the example runs anywhere; wrap your own PyTorch, Keras or JAX model the same way.
"""

from __future__ import annotations

import numpy as np


class LoudnessModel:
    """Louder, brighter speech -> angry/happy; quieter, darker -> sad/neutral."""

    labels = ("angry", "happy", "neutral", "sad")
    sample_rate = 16000
    version = "1"  # part of serfair's cache key: bump it when the model changes

    def __init__(self, temperature: float = 1.0):
        self.temperature = temperature

    def _features(self, wave: np.ndarray) -> np.ndarray:
        loudness = np.log10(np.mean(wave.astype(np.float64) ** 2) + 1e-10)
        crossings = np.mean(np.abs(np.diff(np.sign(wave)))) / 2  # brightness proxy
        return np.array([loudness + 3.0, 10 * crossings - 1.0])

    def predict_proba(self, waves: list[np.ndarray]) -> np.ndarray:
        x = np.stack([self._features(w) for w in waves])
        weights = np.array([[1.5, 1.0], [1.0, 1.5], [-0.5, -0.5], [-1.5, -1.0]])
        logits = x @ weights.T / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)


def factory(temperature: float = 1.0) -> LoudnessModel:
    """What `--model python_model:factory` calls (audit spec `model.options.args` are passed in)."""
    return LoudnessModel(temperature)
