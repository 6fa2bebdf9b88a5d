"""One unit of work: decode a few clips once, perturb them per condition, predict in batches."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from serfair.data.audio import load_audio
from serfair.data.quality import AudioLimits, level_flags
from serfair.engine.batching import BATCH_SECONDS, length_batches
from serfair.models import ModelSpec, load_adapter, predicts_by_id
from serfair.models.base import file_sha256
from serfair.models.hooks import loaded_hook_hashes
from serfair.models.sidecar import find_sidecar
from serfair.perturb import FAMILIES, ClipContext, apply_condition, parse_condition, rng_for
from serfair.perturb.babble import BabblePool, PoolEntry, pool_for


@dataclass(frozen=True)
class Task:
    """Clips (id, audio path) and, per clip, the condition names still to predict.

    `speakers` holds each clip's speaker id and `babble` the run's babble pool (chosen from the
    seed alone, the same for every task), for families that mix in other speakers' clips.
    """

    clips: tuple[tuple[str, str], ...]
    todo: tuple[tuple[str, ...], ...]
    seed: int
    batch_size: int
    speakers: tuple[str, ...] = ()
    babble: tuple[PoolEntry, ...] = ()
    limits: AudioLimits | None = None  # degenerate perturbed audio is flagged (and maybe skipped)


@dataclass
class Result:
    """Probability rows for (clip id, condition name), in no particular order, and the flags of
    degenerate perturbed versions (those the limits exclude have no probability row).

    `timings` says where the worker spent the task (seconds per stage, its pid, wall-clock start
    and end), for benchmarks/throughput.py; it never enters the store.
    """

    rows: list[tuple[str, str, np.ndarray]]
    flags: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    timings: dict = field(default_factory=dict)


_ADAPTERS: dict[tuple, object] = {}
_DIGESTS: dict[tuple, str] = {}


def content_key(spec: ModelSpec) -> tuple:
    """What the adapter is built from: the spec, every option, the model's content (sha256 of a
    file; name, size and mtime of each file in a model folder) and the hooks' source, so a model
    or hook replaced at the same path is loaded again."""
    source = Path(spec.source)
    if source.is_file():
        stat = source.stat()
        signature = (str(source.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)
        if signature not in _DIGESTS:
            _DIGESTS.clear()
            _DIGESTS[signature] = file_sha256(source)
        content: object = _DIGESTS[signature]
    elif source.is_dir():
        content = tuple(sorted((str(p.relative_to(source)), p.stat().st_size, p.stat().st_mtime_ns)
                               for p in source.rglob("*") if p.is_file()))
    else:
        content = None  # a URL or a module:factory reference
    sidecar = find_sidecar(source) if content is not None else None
    content = (content, sidecar.read_bytes() if sidecar else None)
    return (spec, content, json.dumps(spec.options, sort_keys=True, default=str), os.getcwd(),
            loaded_hook_hashes())


def adapter_for(spec: ModelSpec):
    """One adapter per process, built on first use and again when the model's content changes."""
    key = content_key(spec)
    if key not in _ADAPTERS:
        _ADAPTERS.clear()
        adapter = load_adapter(spec)
        _ADAPTERS[content_key(spec)] = adapter  # again: loading may have imported hooks
        return adapter
    return _ADAPTERS[key]


def perturbed(clip_id: str, wave: np.ndarray, condition_name: str, sample_rate: int,
              seed: int, speaker_id: str = "", babble: BabblePool | None = None) -> np.ndarray:
    """The wave under one condition, with randomness from (seed, clip id, condition) only."""
    condition = parse_condition(condition_name)
    context = ClipContext(clip_id, speaker_id, babble)
    return apply_condition(condition, wave, sample_rate, rng_for(seed, clip_id, condition.name),
                           context)


def run_task(task: Task, spec: ModelSpec) -> Result:
    """Decode each clip once, then predict every pending condition in batches."""
    begin = time.perf_counter()
    adapter = adapter_for(spec)
    if predicts_by_id(adapter):
        return lookup_task(task, adapter)
    rate = adapter.sample_rate
    limits = task.limits
    crop = limits.crop_seconds if limits else None
    start = time.perf_counter()
    waves = {cid: load_audio(path, rate, clip_id=cid, max_seconds=crop) for cid, path in task.clips}
    babble = pool_for(task.babble, rate) if task.babble else None
    decoded = time.perf_counter()
    speakers = task.speakers or ("",) * len(task.clips)
    jobs: list[tuple[str, str, np.ndarray]] = []
    flagged: list[tuple[str, str, tuple[str, ...]]] = []
    for (cid, _), speaker, names in zip(task.clips, speakers, task.todo):
        for name in names:
            wave = perturbed(cid, waves[cid], name, rate, task.seed, speaker, babble)
            flags = tuple(level_flags(wave, limits, perturbed=True)) \
                if limits is not None and name != "clean" else ()
            if flags:
                flagged.append((cid, name, flags))
                if limits.excludes(flags):
                    continue
            jobs.append((cid, name, wave))
    perturbed_at = time.perf_counter()
    rows = []
    budget = int(BATCH_SECONDS * rate)
    for batch in length_batches([len(w) for _, _, w in jobs], task.batch_size, budget):
        probs = adapter.predict_proba([jobs[i][2] for i in batch])
        rows.extend((jobs[i][0], jobs[i][1], p) for i, p in zip(batch, probs))
    end = time.perf_counter()
    return Result(rows, flagged, {"pid": os.getpid(), "load": start - begin,
                                  "decode": decoded - start, "perturb": perturbed_at - decoded,
                                  "infer": end - perturbed_at,
                                  "start": time.time() - (end - begin), "end": time.time()})


def lookup_task(task: Task, adapter) -> Result:
    """Adapters with precomputed predictions: look (clip, condition) up, decode no audio."""
    pairs = [(cid, name) for (cid, _), names in zip(task.clips, task.todo) for name in names]
    probs = adapter.predict_ids(pairs)
    return Result([(cid, name, p) for (cid, name), p in zip(pairs, probs)])


def is_randomised(condition_name: str) -> bool:
    """Whether a condition draws random numbers (only those depend on the run seed)."""
    return FAMILIES[parse_condition(condition_name).family].randomised


def needs_context(condition_name: str) -> bool:
    """Whether a condition uses other clips of the run (babble)."""
    return FAMILIES[parse_condition(condition_name).family].needs_context
