"""Batching helpers: pad waveforms with a lengths vector, or stack inputs of equal shape."""

from __future__ import annotations

import numpy as np


def pad_batch(arrays: list[np.ndarray], dtype=np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Zero-pad 1-D arrays to the longest: (batch [n, max_len], lengths [n] int64)."""
    lengths = np.array([a.shape[0] for a in arrays], dtype=np.int64)
    batch = np.zeros((len(arrays), int(lengths.max())), dtype=dtype)
    for row, array in enumerate(arrays):
        batch[row, : array.shape[0]] = array
    return batch, lengths


def same_shape_groups(arrays: list[np.ndarray]) -> list[list[int]]:
    """Row indices grouped by array shape, in first-seen order (each group stacks into a batch)."""
    groups: dict[tuple, list[int]] = {}
    for row, array in enumerate(arrays):
        groups.setdefault(tuple(array.shape), []).append(row)
    return list(groups.values())
