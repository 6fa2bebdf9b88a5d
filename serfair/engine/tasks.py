"""One unit of work: decode a few clips once, perturb them per condition, predict in batches."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from serfair.data.audio import load_audio
from serfair.models import ModelSpec, load_adapter
from serfair.perturb import FAMILIES, apply_condition, parse_condition, rng_for


@dataclass(frozen=True)
class Task:
    """Clips (id, audio path) and, per clip, the condition names still to predict."""

    clips: tuple[tuple[str, str], ...]
    todo: tuple[tuple[str, ...], ...]
    seed: int
    batch_size: int


@dataclass
class Result:
    """Probability rows for (clip id, condition name), in no particular order."""

    rows: list[tuple[str, str, np.ndarray]]


_ADAPTERS: dict[ModelSpec, object] = {}


def adapter_for(spec: ModelSpec):
    """One adapter per process, built on first use."""
    if spec not in _ADAPTERS:
        _ADAPTERS.clear()
        _ADAPTERS[spec] = load_adapter(spec)
    return _ADAPTERS[spec]


def perturbed(clip_id: str, wave: np.ndarray, condition_name: str, sample_rate: int,
              seed: int) -> np.ndarray:
    """The wave under one condition, with randomness from (seed, clip id, condition) only."""
    condition = parse_condition(condition_name)
    return apply_condition(condition, wave, sample_rate, rng_for(seed, clip_id, condition.name))


def run_task(task: Task, spec: ModelSpec) -> Result:
    """Decode each clip once, then predict every pending condition in batches."""
    adapter = adapter_for(spec)
    rate = adapter.sample_rate
    waves = {cid: load_audio(path, rate, clip_id=cid) for cid, path in task.clips}
    jobs: list[tuple[str, str, np.ndarray]] = []
    for (cid, _), names in zip(task.clips, task.todo):
        for name in names:
            jobs.append((cid, name, perturbed(cid, waves[cid], name, rate, task.seed)))
    rows = []
    for start in range(0, len(jobs), task.batch_size):
        batch = jobs[start:start + task.batch_size]
        probs = adapter.predict_proba([w for _, _, w in batch])
        rows.extend((cid, name, p) for (cid, name, _), p in zip(batch, probs))
    return Result(rows)


def is_randomised(condition_name: str) -> bool:
    """Whether a condition draws random numbers (only those depend on the run seed)."""
    return FAMILIES[parse_condition(condition_name).family].randomised
