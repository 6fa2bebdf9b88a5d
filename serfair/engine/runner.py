"""Predict every (clip, condition): skip what the store has, run the rest, save as produced."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Collection, Mapping

import numpy as np
import pandas as pd

from serfair.data.audio import duration
from serfair.data.quality import AudioLimits
from serfair.engine.executors import executor_for
from serfair.engine.store import PredictionStore, audio_hash, prediction_key
from serfair.engine.tasks import Result, Task, is_randomised, needs_context
from serfair.models import ModelSpec, adapter_kind
from serfair.perturb import Condition
from serfair.perturb.babble import PoolEntry, pool_from_clips, pool_identity

# What an adapter's describe() says that changes its outputs (besides the file hash); hooks carry
# the sha256 of their source file, so an edited hook re-infers.
IDENTITY_KEYS = ("endpoint", "version", "model_labels", "labels", "sample_rate", "logits",
                 "frontend", "preprocess", "postprocess", "preprocess_sha256", "protocol")


def model_identity(describe: dict, spec: ModelSpec) -> str:
    """What identifies the model's behaviour: its file hash, the hooks' code, the facts that change
    outputs and every adapter option (all of them: an option that cannot change an output only
    costs a re-run when it changes)."""
    facts = json.dumps({**{k: describe.get(k) for k in IDENTITY_KEYS}, "options": spec.options},
                       sort_keys=True, default=str)
    # The source too: two callables from one module file share a sha256 but not behaviour.
    return "|".join(str(x) for x in (describe.get("sha256"), describe.get("format"), spec.source,
                                     spec.preprocess,
                                     spec.postprocess, spec.logits, spec.labels,
                                     hashlib.sha256(facts.encode()).hexdigest()[:16]))


def predict_all(
    clips: pd.DataFrame,
    conditions: list[Condition],
    spec: ModelSpec,
    labels: tuple[str, ...],
    model_id: str,
    store: PredictionStore,
    *,
    seed: int = 0,
    workers: int = 1,
    clips_per_task: int = 8,
    batch_size: int = 16,
    progress: Callable[[int, int], None] | None = None,
    babble_clips: pd.DataFrame | None = None,
    only: Mapping[str, Collection[str]] | None = None,
    limits: AudioLimits | None = None,
    observe: Callable[[Result], None] | None = None,
    executor: str = "local",
    scheduler: str | None = None,
) -> pd.DataFrame:
    """One row per (clip, condition) with `p_<label>` columns, `y_pred` and `flags` (the
    degenerate-audio flags of perturbed versions, see serfair.data.quality; with `limits`, a version
    they exclude is not scored: NaN probabilities, `y_pred` None).

    Babble conditions mix in clips from a pool chosen by the seed from `babble_clips` (default:
    `clips`); pass every clip of the data set so that the pool does not depend on label filtering.
    `only` limits conditions to some clips ({condition name: clip ids}, e.g. a probe's swap of
    women's clips); the other conditions run on every clip.
    `observe` sees every task's Result as it arrives (benchmarks read its timings); `executor`
    names the executor (serfair.engine.executors: local or dask, at `scheduler`).
    """
    by_id = not adapter_kind(spec).needs_audio  # precomputed predictions: key on the clip id
    hashes = {cid: f"id:{cid}" if by_id else audio_hash(path) + _cropped(path, limits)
              for cid, path in zip(clips["clip_id"], clips["audio_path"])}
    workers = 1 if by_id else workers
    names = [c.name for c in conditions]
    pool = babble_pool(clips if babble_clips is None else babble_clips, seed) \
        if any(needs_context(n) for n in names) else ()
    salt = {n: (f"{seed}|babble={pool_identity(pool)}" if needs_context(n) else seed)
            if is_randomised(n) else None for n in names}
    limited = {n: set(ids) for n, ids in (only or {}).items()}
    keys = {(cid, n): prediction_key(model_id, hashes[cid], n, salt[n])
            for cid in clips["clip_id"] for n in names if n not in limited or cid in limited[n]}
    cached = store.get_many(keys.values())
    flagged = store.get_flags(keys.values()) if limits is not None else {}
    skipped = {k for k, f in flagged.items() if limits.excludes(f)}
    total = len(keys)
    done = sum(1 for k in keys.values() if k in cached or k in skipped)
    if progress:
        progress(done, total)
    pending: list[tuple[tuple[str, str], tuple[str, ...], str]] = []
    for cid, path, speaker in zip(clips["clip_id"], clips["audio_path"], _speakers(clips)):
        todo = tuple(n for n in names if (cid, n) in keys and keys[(cid, n)] not in cached
                     and keys[(cid, n)] not in skipped)
        if todo:
            pending.append(((cid, path), todo, speaker))
    if not by_id:  # longest clips first: the last tasks are short (no idle tail), and batches
        pending.sort(key=lambda p: -os.path.getsize(p[0][1]))  # pad to similar lengths
    tasks = [
        Task(clips=tuple(p[0] for p in pending[i:i + clips_per_task]),
             todo=tuple(p[1] for p in pending[i:i + clips_per_task]),
             seed=seed, batch_size=batch_size,
             speakers=tuple(p[2] for p in pending[i:i + clips_per_task]), babble=pool,
             limits=limits)
        for i in range(0, len(pending), clips_per_task)
    ]
    run = executor_for(min(workers, max(1, len(tasks))), executor, scheduler)
    for result in run(tasks, spec):
        if observe:
            observe(result)
        store.put_many((keys[(cid, n)], cid, n, p) for cid, n, p in result.rows)
        for cid, n, p in result.rows:
            cached[keys[(cid, n)]] = list(map(float, p))
        if result.flags:
            store.put_flags((keys[(cid, n)], cid, n, f) for cid, n, f in result.flags)
            flagged.update({keys[(cid, n)]: f for cid, n, f in result.flags})
        done += len(result.rows) + sum(limits.excludes(f) for *_, f in result.flags)
        if progress:
            progress(done, total)
    table = _table(clips["clip_id"].tolist(), names, keys, cached, labels)
    table["flags"] = [",".join(flagged.get(keys[(c, n)], ())) for c, n in
                      zip(table["clip_id"], table["condition"])]
    return table


def _cropped(path: str, limits: AudioLimits | None) -> str:
    """A clip longer than the crop is scored on its first seconds only: part of its cache key."""
    crop = limits.crop_seconds if limits is not None else None
    return f"|first {crop:g} s" if crop is not None and duration(path) > crop else ""


def babble_pool(clips: pd.DataFrame, seed: int) -> tuple[PoolEntry, ...]:
    """The run's babble pool (see serfair.perturb.babble)."""
    return pool_from_clips(clips["clip_id"], _speakers(clips), clips["audio_path"], seed)


def _speakers(clips: pd.DataFrame) -> list[str]:
    if "speaker_id" in clips.columns:
        return clips["speaker_id"].astype(str).tolist()
    return [""] * len(clips)


def _table(clip_ids: list[str], names: list[str], keys: dict, cached: dict,
           labels: tuple[str, ...]) -> pd.DataFrame:
    rows = [(cid, n) for n in names for cid in clip_ids if (cid, n) in keys]
    missing = [np.nan] * len(labels)  # a version that was not scored (degenerate audio)
    probs = np.array([cached.get(keys[r], missing) for r in rows],
                     dtype=np.float64).reshape(len(rows), len(labels))
    frame = pd.DataFrame(rows, columns=["clip_id", "condition"])
    for j, label in enumerate(labels):
        frame[f"p_{label}"] = probs[:, j]
    scored = ~np.isnan(probs).any(axis=1)
    best = np.where(scored[:, None], probs, 0.0).argmax(axis=1) if len(rows) else np.zeros(0, int)
    frame["y_pred"] = np.where(scored, np.asarray(labels, dtype=object)[best], None)
    return frame
