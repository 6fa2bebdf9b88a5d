"""The audit pipeline as a library call: spec in, result document and run folder out."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from serfair.analysis import analyse
from serfair.data.leakage import check_leakage, read_training_manifest
from serfair.data.loader import load_dataset
from serfair.data.manifest import manifest_hash
from serfair.errors import SpecError
from serfair.engine import PredictionStore, model_identity, predict_all
from serfair.engine.executors import default_workers
from serfair.lifecycle import run_lock
from serfair.analysis.families import check_primary_metrics
from serfair.analysis.metrics import metric_set
from serfair.gate import evaluate, preflight
from serfair.labelsets import plan_labels
from serfair.models import adapter_kind, load_adapter, predicts_by_id
from serfair.paths import reference_model
from serfair.perturb import parse_condition, parse_conditions
from serfair.policy import load_policy
from serfair.probes import plan_probes, probe_conditions
from serfair.probes.acoustics import measure_plan
from serfair.provenance import provenance
from serfair.report import RENDERERS, write_outputs
from serfair.models.card import load_model_card
from serfair.safepath import refuse_inputs, safe_join
from serfair.errors import DataError
from serfair.analysis.sanity import sanity_summary, sanity_warning
from serfair.data.quality import FLAGS
from serfair.sanity import audio_limits, excluded_clips, sanity_check, screen_clips
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


def audit(spec: AuditSpec, progress: Progress | None = None, *,
          baseline: str | Path | None = None) -> AuditRun:
    """Run the whole flow of DESIGN.md for one spec (`baseline` overrides a policy's relative_to)."""
    started = time.time()
    policy = load_policy(spec.policy, baseline=baseline) if spec.policy else None
    out_dir = spec.out_dir()
    model_spec = spec.model_spec(reference_model())
    clips = load_dataset(spec.data, corpus=spec.corpus,
                         check_files=adapter_kind(model_spec).needs_audio)
    check_slices(spec.slices, clips)
    refuse_inputs(run_outputs(out_dir), [*clips["audio_path"], model_spec.source, spec.data,
                                         spec.policy, spec.model_card, spec.training_manifest()])
    card = load_model_card(model_spec.source, spec.model_card)
    adapter = load_adapter(model_spec)
    described = adapter.describe()
    plan = plan_labels(clips, adapter.labels, spec.label_map)
    leakage = _leakage(spec, plan.kept)
    conditions = parse_conditions(_conditions(spec, adapter))
    plans = _probe_plans(spec, plan.kept, adapter)
    extra, only = probe_conditions(plans, [c.name for c in conditions])  # on some clips only
    check_primary_metrics(spec.stats.primary, metric_set(plan.model_labels))
    if policy is not None:
        preflight(policy, conditions=[c.name for c in conditions], slices=list(spec.slices),
                  metrics=list(metric_set(plan.model_labels)))
    with run_lock(out_dir):  # the folder is writable, and no other audit writes it meanwhile
        return _run(spec, started, clips, plan, adapter, described, conditions, model_spec, card,
                    policy, out_dir, progress, (plans, extra, only), leakage)


def _run(spec, started, clips, plan, adapter, described, conditions, model_spec, card, policy,
         out_dir, progress, probes, leakage: dict | None = None) -> AuditRun:
    """Screen the audio, infer, analyse and write, holding the run folder's lock."""
    plans, extra, only = probes
    limits = audio_limits(spec.sanity)
    audio = not predicts_by_id(adapter)
    clean_flags = screen_clips(plan.kept, conditions, limits) if audio else {}
    first = {cid for cid, flags in clean_flags.items() if limits.excludes(flags)}
    kept = plan.kept[~plan.kept["clip_id"].isin(first)]
    if kept.empty:
        raise DataError(f"every one of the {len(plan.kept)} clip(s) has degenerate audio "
                        f"({_first_flags(clean_flags)}); nothing is left to audit (see the spec's "
                        f"`sanity:` limits)")
    sanity_check(adapter, kept, max_seconds=limits.crop_seconds)
    store = PredictionStore(safe_join(out_dir, "predictions.sqlite"))
    try:
        table = predict_all(
            kept, [*conditions, *map(parse_condition, extra)], model_spec, plan.model_labels,
            model_identity(described, model_spec), store, seed=spec.seed,
            workers=spec.workers or default_workers(), batch_size=spec.batch_size, progress=progress,
            babble_clips=clips[~clips["clip_id"].isin(first)], only=only,
            limits=limits if audio else None,
        )
    finally:
        store.close()
    excluded = excluded_clips(clean_flags, table, limits)
    sanity = sanity_summary(plan.kept, clean_flags, table, list(spec.slices),
                            settings=asdict(limits), meanings=FLAGS, excluded=excluded)
    table = table[~table["clip_id"].isin(excluded)].drop(columns="flags")
    if table.empty:
        raise DataError(f"every clip has degenerate audio under some condition; nothing is left "
                        f"to audit (see {out_dir / 'predictions.sqlite'} and the spec's `sanity:`)")
    keep = [c for c in plan.kept.columns if c not in ("audio_path",)]
    predictions = table.merge(plan.kept[keep], on="clip_id", how="left")
    predictions.to_parquet(safe_join(out_dir, "predictions.parquet"), index=False)
    acoustics = {p.probe: measure_plan(p, plan.kept, sample_rate=adapter.sample_rate,
                                       seed=spec.seed) for p in plans if p.sample}
    result = analyse(
        predictions, spec=spec, conditions=conditions, labels=plan.model_labels,
        clips_total=clips, excluded=plan.excluded,
        provenance=provenance(spec, described, manifest_hash(clips), started),
        probes=plans, acoustics=acoustics,
    )
    result["model_card"] = card
    result["sanity"] = sanity
    warning = sanity_warning(sanity)
    if warning:
        result["warnings"].insert(0, warning)
    if leakage is not None:
        result["leakage"] = leakage
        if not leakage["speaker_independent"]:
            result["warnings"].insert(0, {"kind": "leakage", "message": leakage["message"]})
    if policy is not None:
        result["verdict"] = evaluate(policy, result)
    files = write_outputs(result, out_dir)
    return AuditRun(result, predictions, out_dir, files)


def run_outputs(out_dir: Path) -> list[Path]:
    """The files an audit writes into its run folder."""
    names = ["predictions.sqlite", "predictions.parquet", *(name for name, _ in RENDERERS.values())]
    return [safe_join(out_dir, name) for name in names]


def _leakage(spec: AuditSpec, clips: pd.DataFrame) -> dict | None:
    """The speaker leakage check against the spec's training manifest (None without one)."""
    source = spec.training_manifest()
    if source is None:
        return None
    return check_leakage(read_training_manifest(source), clips, source=source)


def _probe_plans(spec: AuditSpec, clips: pd.DataFrame, adapter) -> list:
    """The spec's probes planned on the scorable clips (they play audio: not for precomputed
    predictions)."""
    if spec.probes and predicts_by_id(adapter):
        raise SpecError("probes play each clip in another voice, so they need the model itself; "
                        "a precomputed-predictions model cannot run them: drop `probes`")
    return plan_probes(spec.probes, clips, sample_rate=adapter.sample_rate, seed=spec.seed)


def _first_flags(flags: dict[str, tuple[str, ...]]) -> str:
    """`a: silent; b: too_short` for the first few flagged clips."""
    items = list(flags.items())
    text = "; ".join(f"{cid}: {', '.join(f)}" for cid, f in items[:3])
    return text + (f"; ... {len(items) - 3} more" if len(items) > 3 else "")


def _conditions(spec: AuditSpec, adapter) -> list[str]:
    """The spec's conditions; for precomputed predictions the file's, unless the spec names some."""
    if predicts_by_id(adapter) and "conditions" not in spec.model_fields_set:
        return list(adapter.conditions)
    return spec.conditions


def audit_models(spec: AuditSpec, progress: Progress | None = None, *,
                 baseline: str | Path | None = None) -> tuple[list[AuditRun], dict[str, Path]]:
    """A spec with `models`: audit each into out_dir/<label>, then compare them (the first is the
    baseline) into out_dir/comparison.{html,md,json}."""
    from serfair.report.compare import write_comparison

    specs = spec.per_model()
    runs = [audit(one, progress, baseline=baseline) for one in specs]
    files = write_comparison([run.result for run in runs], spec.out_dir(),
                             labels=[one.out_dir().name for one in specs])
    return runs, files
