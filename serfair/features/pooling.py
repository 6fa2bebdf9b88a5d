"""Pooling over frames: (n_features, frames) -> what the model takes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def mean(feature: np.ndarray) -> np.ndarray:
    """Mean over frames, computed as the tutorials do (`np.mean(x.T, axis=0)`)."""
    return np.mean(feature.T, axis=0)


def mean_std(feature: np.ndarray) -> np.ndarray:
    """Mean then standard deviation over frames."""
    return np.concatenate([np.mean(feature.T, axis=0), np.std(feature.T, axis=0)])


def none(feature: np.ndarray) -> np.ndarray:
    """The whole sequence, (n_features, frames)."""
    return feature


POOLS: dict[str, Callable[[np.ndarray], np.ndarray]] = {"mean": mean, "mean_std": mean_std,
                                                        "none": none}
