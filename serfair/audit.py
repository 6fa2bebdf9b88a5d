"""The audit pipeline as a library call: spec in, result document and run folder out."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from serfair.analysis import analyse
from serfair.data.loader import load_dataset
from serfair.data.manifest import manifest_hash
from serfair.engine import PredictionStore, model_identity, predict_all
from serfair.engine.executors import default_workers
from serfair.labelsets import plan_labels
from serfair.models import load_adapter
from serfair.paths import reference_model
from serfair.perturb import parse_conditions
from serfair.provenance import provenance
from serfair.report import write_outputs
from serfair.sanity import sanity_check
from serfair.analysis.slicing import check_slices
from serfair.spec import AuditSpec

Progress = Callable[[int, int], None]


@dataclass
class AuditRun:
    """What an audit produced: the result document, the predictions table and the folder."""

    result: dict
    predictions: pd.DataFrame
    out_dir: Path
    files: dict[str, Path]


def audit(spec: AuditSpec, progress: Progress | None = None) -> AuditRun:
    """Run the whole flow of DESIGN.md for one spec."""
    started = time.time()
    out_dir = spec.out_dir()
    clips = load_dataset(spec.data, corpus=spec.corpus)
    check_slices(spec.slices, clips)
    model_spec = spec.model_spec(reference_model())
    adapter = load_adapter(model_spec)
    described = adapter.describe()
    plan = plan_labels(clips, adapter.labels, spec.label_map)
    sanity_check(adapter, plan.kept)
    conditions = parse_conditions(spec.conditions)
    out_dir.mkdir(parents=True, exist_ok=True)
    store = PredictionStore(out_dir / "predictions.sqlite")
    try:
        table = predict_all(
            plan.kept, conditions, model_spec, plan.model_labels,
            model_identity(described, model_spec), store, seed=spec.seed,
            workers=spec.workers or default_workers(), batch_size=spec.batch_size, progress=progress,
        )
    finally:
        store.close()
    keep = [c for c in plan.kept.columns if c not in ("audio_path",)]
    predictions = table.merge(plan.kept[keep], on="clip_id", how="left")
    predictions.to_parquet(out_dir / "predictions.parquet", index=False)
    result = analyse(
        predictions, spec=spec, conditions=conditions, labels=plan.model_labels,
        clips_total=clips, excluded=plan.excluded,
        provenance=provenance(spec, described, manifest_hash(clips), started),
    )
    files = write_outputs(result, out_dir)
    return AuditRun(result, predictions, out_dir, files)
