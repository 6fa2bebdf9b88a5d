"""Batches by length: clips of similar length together, long clips alone, so that no clip pads
another to many times its length and one model call's padded audio stays bounded."""

from __future__ import annotations

BATCH_SECONDS = 64.0  # padded audio per model call (items x longest item), unless one item is longer


def length_batches(lengths: list[int], batch_size: int, max_samples: int) -> list[list[int]]:
    """Indices into `lengths`, sorted by length (stable) and cut into batches of at most
    `batch_size` items whose padded size (items x longest) is at most `max_samples`; an item
    longer than `max_samples` is a batch of its own."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:  # ascending, so the newest item is the longest of its batch
        if current and (len(current) >= batch_size or (len(current) + 1) * lengths[i] > max_samples):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches
