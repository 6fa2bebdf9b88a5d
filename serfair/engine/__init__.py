"""Batching, executors, the predictions store and resumable runs."""

from __future__ import annotations

__all__ = ["PredictionStore", "model_identity", "predict_all"]


def __getattr__(name: str):
    """Imported on first use, so that `serfair.engine.memo` (read by every re-run) stays light."""
    if name in ("model_identity", "predict_all"):
        from serfair.engine import runner

        return getattr(runner, name)
    if name == "PredictionStore":
        from serfair.engine.store import PredictionStore

        return PredictionStore
    raise AttributeError(name)
