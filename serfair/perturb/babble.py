"""`babble@snr=DB:talkers=N`: other people talking: a mix of N clips by OTHER speakers of the same
run (never the clip's own speaker), added at a signal-to-noise ratio (numpy).

The pool of clips babble is drawn from is chosen from the run's clips by the run seed alone
(`choose_pool`), so it does not depend on clip order, batching or workers; each worker decodes
pool clips lazily, once. Which pool clips are mixed into a clip, and from where in them, comes
from the clip's own generator.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from serfair.data.audio import load_audio
from serfair.errors import DataError
from serfair.perturb.base import ClipContext, Family, Param, register
from serfair.perturb.seeding import derive_seed

POOL_SIZE = 32

PoolEntry = tuple[str, str, str]  # (clip_id, speaker_id, audio path)


def choose_pool(clips: Iterable[PoolEntry], seed: int, size: int = POOL_SIZE) -> tuple[PoolEntry, ...]:
    """Up to `size` clips, spread over speakers: speakers and their clips in a seeded order, then
    one clip per speaker in turn. Depends only on the set of clips and the seed."""
    by_speaker: dict[str, list[PoolEntry]] = {}
    for entry in clips:
        by_speaker.setdefault(str(entry[1]), []).append(tuple(map(str, entry)))  # type: ignore[arg-type]
    key = lambda text: derive_seed(seed, text, "babble-pool")
    queues = [sorted(entries, key=lambda e: (key(e[0]), e[0]))
              for _, entries in sorted(by_speaker.items(), key=lambda kv: (key(kv[0]), kv[0]))]
    pool: list[PoolEntry] = []
    depth = 0
    while len(pool) < size and any(depth < len(q) for q in queues):
        pool.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return tuple(sorted(pool[:size]))


def pool_from_clips(clip_ids: Iterable[str], speakers: Iterable[str], paths: Iterable[str],
                    seed: int) -> tuple[PoolEntry, ...]:
    """The run's babble pool from its clips; DataError unless it holds at least two speakers."""
    pool = choose_pool(zip(clip_ids, speakers, paths), seed)
    if len({speaker for _, speaker, _ in pool}) < 2:
        raise DataError("babble conditions mix in other speakers' clips, but the data has only one "
                        "speaker; add clips by other speakers or drop the babble conditions")
    return pool


def pool_identity(pool: tuple[PoolEntry, ...]) -> str:
    """A short hash of the pool's clips, so cached babble predictions follow the pool."""
    text = "\n".join(f"{cid}\t{spk}" for cid, spk, _ in pool)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


@dataclass
class BabblePool:
    """The pool's clips, decoded on first use at one sample rate."""

    entries: tuple[PoolEntry, ...]
    sample_rate: int
    _waves: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def wave(self, clip_id: str, path: str) -> np.ndarray:
        if clip_id not in self._waves:
            self._waves[clip_id] = load_audio(path, self.sample_rate, clip_id=clip_id)
        return self._waves[clip_id]

    def others(self, speaker_id: str) -> list[PoolEntry]:
        """Pool clips by anyone but `speaker_id`, in a fixed order."""
        return [e for e in self.entries if e[1] != speaker_id]


_POOLS: dict[tuple, BabblePool] = {}


def pool_for(entries: tuple[PoolEntry, ...], sample_rate: int) -> BabblePool:
    """One decoded pool per process (workers keep it across tasks)."""
    key = (entries, sample_rate)
    if key not in _POOLS:
        _POOLS.clear()
        _POOLS[key] = BabblePool(entries, sample_rate)
    return _POOLS[key]


def pick_talkers(candidates: list[PoolEntry], n: int, rng: np.random.Generator) -> list[PoolEntry]:
    """n clips in a random order, distinct speakers first, then more clips of the same speakers."""
    order = [candidates[i] for i in rng.permutation(len(candidates))]
    first, rest, seen = [], [], set()
    for entry in order:
        (rest if entry[1] in seen else first).append(entry)
        seen.add(entry[1])
    return (first + rest)[:n]


def _rms(x: np.ndarray) -> float:
    return math.sqrt(float(np.mean(np.square(x, dtype=np.float64)))) if x.size else 0.0


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator, snr: float,
          talkers: float, context: ClipContext) -> np.ndarray:
    """Add a mix of `talkers` other speakers' clips (each at equal level, looped from a random
    offset to the clip's length) so that signal power / babble power = `snr` dB."""
    pool: BabblePool | None = context.babble
    candidates = pool.others(context.speaker_id) if pool is not None else []
    if not candidates:
        raise DataError(f"babble for clip '{context.clip_id}' needs clips by other speakers than "
                        f"'{context.speaker_id}', and the run has none; audit more than one speaker")
    n = wave.shape[0]
    mix = np.zeros(n, dtype=np.float64)
    for clip_id, _, path in pick_talkers(candidates, int(talkers), rng):
        other = pool.wave(clip_id, path).astype(np.float64)
        level = _rms(other)
        start = int(rng.integers(other.shape[0]))
        if level > 0:
            mix += np.take(other, np.arange(start, start + n), mode="wrap") / level
    signal, babble = _rms(wave), _rms(mix)
    if signal == 0 or babble == 0:
        return wave
    mix *= signal / (10.0 ** (snr / 20.0)) / babble
    return (wave.astype(np.float64) + mix).astype(np.float32)


FAMILY = register(Family(
    name="babble",
    description="babble: several other speakers of the same run talking at once, at a fixed SNR",
    params=(
        Param("snr", "dB", -10.0, 60.0, 10.0, "signal-to-babble ratio; lower is noisier"),
        Param("talkers", "speakers", 1.0, 8.0, 4.0, "how many other clips are mixed", step=1.0),
    ),
    apply=apply,
    severity=lambda snr, talkers: -snr,
    needs_context=True,
))
