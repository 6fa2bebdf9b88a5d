"""Conditions that run on some clips only (a probe plays each clip under its own counterfactual
condition): one `predict_all` per (clips, condition) run, on the same store, so cached rows are
reused and a killed run resumes like any other."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from serfair.engine.runner import predict_all
from serfair.models import ModelSpec
from serfair.perturb import parse_condition


def predict_runs(clips: pd.DataFrame, runs: Sequence[tuple[Sequence[str], str]], spec: ModelSpec,
                 labels: tuple[str, ...], model_id: str, store, *,
                 progress: Callable[[int, int], None] | None = None, **options) -> pd.DataFrame:
    """One row per (clip, condition) of every run, as `predict_all` makes them; `options` are
    predict_all's (seed, workers, batch_size, babble_clips ...)."""
    by_id = clips.set_index("clip_id", drop=False)
    total = sum(len(ids) for ids, _ in runs)
    frames, before = [], 0
    for ids, name in runs:
        if not ids:
            continue
        report = None if progress is None else (
            lambda done, _total, offset=before: progress(offset + done, total))
        frames.append(predict_all(by_id.loc[list(ids)].reset_index(drop=True),
                                  [parse_condition(name)], spec, labels, model_id, store,
                                  progress=report, **options))
        before += len(ids)
    if not frames:
        return pd.DataFrame(columns=["clip_id", "condition", *[f"p_{x}" for x in labels], "y_pred"])
    return pd.concat(frames, ignore_index=True)
