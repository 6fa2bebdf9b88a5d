"""Batching, executors, the predictions store and resumable runs."""

from serfair.engine.runner import model_identity, predict_all
from serfair.engine.store import PredictionStore

__all__ = ["PredictionStore", "model_identity", "predict_all"]
