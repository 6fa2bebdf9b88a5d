"""Per-(run seed, clip, condition) randomness, independent of order and worker count."""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

_GLOBAL_LOCK = threading.Lock()


def derive_seed(run_seed: int, clip_id: str, condition: str) -> int:
    """A 63-bit seed from the run seed, the clip id and the condition's canonical name."""
    digest = hashlib.sha256(f"{run_seed}\x1f{clip_id}\x1f{condition}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1


def rng_for(run_seed: int, clip_id: str, condition: str) -> np.random.Generator:
    """A fresh generator for one clip under one condition."""
    return np.random.default_rng(derive_seed(run_seed, clip_id, condition))


@contextmanager
def global_seed(seed: int) -> Iterator[None]:
    """Seed `random` and `numpy.random` for a library that draws from them (audiomentations),
    then restore both states, so the caller's global RNG is untouched and calls don't interact."""
    with _GLOBAL_LOCK:
        py_state, np_state = random.getstate(), np.random.get_state()
        random.seed(seed)
        np.random.seed(seed % (2**32))
        try:
            yield
        finally:
            random.setstate(py_state)
            np.random.set_state(np_state)


def run_transform(transform, wave: np.ndarray, sample_rate: int, seed: int = 0) -> np.ndarray:
    """Run an audiomentations transform with the global RNGs seeded from `seed` and restored after.

    Transforms with fixed parameters still touch global state (the `p` draw), so even they run here.
    """
    with global_seed(seed):
        return transform(samples=np.asarray(wave, dtype=np.float32), sample_rate=sample_rate)


def seed_from(rng: np.random.Generator) -> int:
    """A 32-bit seed drawn from a clip's generator, for libraries that take an integer seed."""
    return int(rng.integers(2**32))
