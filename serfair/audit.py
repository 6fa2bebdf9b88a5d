"""The audit pipeline as a library call: spec in, result document and run folder out.

Each stage (predictions, analysis, outputs) records the key of its inputs in the run folder
(`serfair.engine.memo`): a re-run redoes only the stages whose inputs changed, and an unchanged
re-run reads its result back without loading the model.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from serfair.analysis.slicing import check_slices
from serfair.data.loader import load_dataset
from serfair.engine.memo import StageCache, code_version, digest, file_digest
from serfair.lifecycle import run_lock
from serfair.models import adapter_kind
from serfair.models.card import load_model_card
from serfair.models.postprocess import is_mapping
from serfair.models.sidecar import sidecar_candidates
from serfair.paths import reference_model, shown_path
from serfair.policy import load_policy
from serfair.safepath import refuse_inputs, safe_join
from serfair.spec import AuditSpec

if TYPE_CHECKING:
    import pandas as pd

Progress = Callable[[int, int], None]
STAGES = ("predictions", "analysis", "outputs")
ANALYSIS_FIELDS = {"name", "description", "data", "scope", "slices", "stats", "robustness", "seed"}


@dataclass
class AuditRun:
    """What an audit produced: the result document, the predictions table and the folder.

    `reused` names the stages read back from the run folder instead of recomputed.
    """

    result: dict
    table: pd.DataFrame | None
    out_dir: Path
    files: dict[str, Path]
    reused: tuple[str, ...] = field(default=())

    @property
    def predictions(self) -> pd.DataFrame:
        """One row per (clip, condition) with the manifest's columns (read on first use)."""
        if self.table is None:
            import pandas as pd

            self.table = pd.read_parquet(self.out_dir / "predictions.parquet")
        return self.table


@dataclass
class Plan:
    """What an audit needs before predicting: the clips it scores, the model and its conditions."""

    spec: AuditSpec
    clips: pd.DataFrame  # kept clips, with y_true
    babble_clips: pd.DataFrame  # every clip of the data set
    excluded: dict[str, int]
    conditions: list
    model_spec: object
    labels: tuple[str, ...]
    described: dict
    model_id: str
    probes: list = field(default_factory=list)  # probe plans (serfair.probes)
    extra: list = field(default_factory=list)  # the probes' conditions, run on some clips only
    only: dict = field(default_factory=dict)
    sample_rate: int = 16000
    limits: object = None  # serfair.data.quality.AudioLimits from the spec's `sanity:`
    clean_flags: dict = field(default_factory=dict)  # {clip id: flags} of the screen before inference
    checked: pd.DataFrame | None = None  # every label-kept clip the screen looked at
    audio: bool = True  # False for predictions looked up by clip id (no audio to screen)


def prepare(spec: AuditSpec, policy=None, clips: pd.DataFrame | None = None) -> Plan:
    """Load data and model, reconcile labels, screen every clip's audio (degenerate clips are
    left out with a count), run the sanity batch, check the policy's names."""
    from serfair.analysis.families import check_primary_metrics
    from serfair.analysis.metrics import metric_set
    from serfair.engine import model_identity
    from serfair.errors import DataError
    from serfair.gate import preflight
    from serfair.labelsets import plan_labels
    from serfair.models import load_adapter, predicts_by_id
    from serfair.perturb import parse_conditions
    from serfair.probes import probe_conditions
    from serfair.sanity import audio_limits, sanity_check, screen_clips

    model_spec = spec.model_spec(reference_model())
    if clips is None:
        clips = load_dataset(spec.data, corpus=spec.corpus,
                             check_files=adapter_kind(model_spec).needs_audio)
        check_slices(spec.slices, clips)
    adapter = load_adapter(model_spec)
    described = adapter.describe()
    plan = plan_labels(clips, adapter.labels, spec.label_map)
    conditions = parse_conditions(_conditions(spec, adapter))
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
    plans = _probe_plans(spec, kept, adapter)
    extra, only = probe_conditions(plans, [c.name for c in conditions])  # on some clips only
    check_primary_metrics(spec.stats.primary, metric_set(plan.model_labels))
    if policy is not None:
        preflight(policy, conditions=[c.name for c in conditions], slices=list(spec.slices),
                  metrics=list(metric_set(plan.model_labels)))
    return Plan(spec, kept, clips[~clips["clip_id"].isin(first)], plan.excluded, conditions,
                model_spec, plan.model_labels, described, model_identity(described, model_spec),
                plans, list(extra), dict(only), adapter.sample_rate, limits, clean_flags,
                plan.kept, audio)


def prediction_key(spec: AuditSpec, clips: pd.DataFrame) -> str | None:
    """What the predictions depend on, by content; None when files cannot say (a model behind
    an endpoint, a model or hook in Python code), and then the model is always loaded."""
    from serfair.data.manifest import manifest_hash
    from serfair.engine.store import audio_hash

    model_spec = spec.model_spec(reference_model())
    source = Path(model_spec.source)
    kind = adapter_kind(model_spec)
    hooks = [model_spec.preprocess,
             None if is_mapping(model_spec.postprocess) else model_spec.postprocess]
    if not source.is_file() or any(hooks) or kind.name in ("callable", "http"):
        return None
    audio = ([audio_hash(p) for p in clips["audio_path"]] if kind.needs_audio else [])
    return digest("predictions", code_version(), asdict(model_spec), file_digest(source),
                  [file_digest(p) for p in sidecar_candidates(source)], manifest_hash(clips),
                  audio, spec.conditions, "conditions" in spec.model_fields_set, spec.seed,
                  spec.label_map, spec.sanity.model_dump(mode="json"), spec.probes)


def audit(spec: AuditSpec, progress: Progress | None = None, *,
          baseline: str | Path | None = None) -> AuditRun:
    """Run the whole flow of DESIGN.md for one spec (`baseline` overrides a policy's relative_to).

    Stages whose inputs are unchanged since the last run into the same folder are read back.
    """
    started = time.time()
    policy = load_policy(spec.policy, baseline=baseline) if spec.policy else None
    out_dir = spec.out_dir()
    card = load_model_card(spec.model_spec(reference_model()).source, spec.model_card)
    clips = load_dataset(spec.data, corpus=spec.corpus,
                         check_files=adapter_kind(spec.model_spec(reference_model())).needs_audio)
    check_slices(spec.slices, clips)
    model_spec = spec.model_spec(reference_model())
    refuse_inputs(run_outputs(out_dir), [*clips["audio_path"], model_spec.source, spec.data,
                                         spec.policy, spec.model_card, spec.training_manifest()])
    return _staged(spec, started, policy, out_dir, card, clips, progress)


def _staged(spec: AuditSpec, started: float, policy, out_dir: Path, card, clips: pd.DataFrame,
            progress: Progress | None) -> AuditRun:
    """The stages, each read back when its key is unchanged."""
    memo = StageCache(safe_join(out_dir, ".serfair"))
    keys = {"predictions": prediction_key(spec, clips)}
    training = spec.training_manifest()
    keys["analysis"] = keys["predictions"] and digest(
        "analysis", keys["predictions"], spec.model_dump(mode="json", include=ANALYSIS_FIELDS),
        training and file_digest(training))
    stored = memo.payload("predictions", keys["predictions"])
    keys["outputs"] = keys["analysis"] and digest(
        "outputs", keys["analysis"], card, _policy_key(policy), (stored or {}).get("deployment"))
    files = {fmt: safe_join(out_dir, name) for fmt, name in _file_names().items()}
    if stored is not None and memo.payload("outputs", keys["outputs"]) is not None:
        result = json.loads(files["json"].read_text(encoding="utf-8"))
        return AuditRun(result, None, out_dir, files, reused=STAGES)
    plan = prepare(spec, policy, clips) if stored is None else None  # checks, before any write
    with run_lock(out_dir):  # the folder is writable, and no other audit writes it meanwhile
        return _compute(spec, started, policy, out_dir, card, clips, progress, memo, keys, stored,
                        plan)


def _compute(spec: AuditSpec, started: float, policy, out_dir: Path, card, clips: pd.DataFrame,
             progress: Progress | None, memo: StageCache, keys: dict, stored: dict | None,
             plan: Plan | None) -> AuditRun:
    """Recompute the stages whose inputs changed, holding the run folder's lock."""
    reused: list[str] = []
    if stored is not None:
        import pandas as pd

        predictions = pd.read_parquet(safe_join(out_dir, "predictions.parquet"))
        labels, excluded, described = tuple(stored["labels"]), stored["excluded"], stored["model"]
        conditions, deployment = _parse(stored["conditions"]), stored.get("deployment")
        screened = stored["sanity"]
        probes, acoustics = _probes_from(stored.get("probes", []))
        reused.append("predictions")
    else:
        predictions, screened = _predict(plan, out_dir, progress)
        deployment = _deployment(plan)  # after the workers are done: a quiet CPU
        labels, excluded, described = plan.labels, plan.excluded, plan.described
        conditions, probes, acoustics = plan.conditions, plan.probes, _acoustics(plan)
        memo.record("predictions", keys["predictions"], {
            "labels": list(labels), "excluded": excluded, "model": described,
            "conditions": [c.name for c in conditions], "deployment": deployment,
            "sanity": screened, "probes": _probes_payload(probes, acoustics)},
            files=[safe_join(out_dir, "predictions.parquet")])
        keys["outputs"] = keys["analysis"] and digest(
            "outputs", keys["analysis"], card, _policy_key(policy), deployment)
    if policy is not None and reused:
        _preflight(policy, conditions, spec, labels)
    analysis_file = safe_join(out_dir, ".serfair", "analysis.json")
    if memo.payload("analysis", keys["analysis"]) is not None:
        result = json.loads(analysis_file.read_text(encoding="utf-8"))
        reused.append("analysis")
    else:
        result = _analyse(spec, predictions, conditions, labels, clips, excluded, described,
                          started, probes, acoustics)
        _add_sanity(result, spec, clips, screened)
        _add_leakage(result, spec, clips[clips["clip_id"].isin(screened["checked"])])
        analysis_file.write_text(json.dumps(result, default=_plain), encoding="utf-8")
        memo.record("analysis", keys["analysis"], files=[analysis_file])
    result["model_card"] = card
    result["deployment"] = deployment
    if policy is not None:
        from serfair.gate import evaluate

        result["verdict"] = evaluate(policy, result)
    from serfair.report import write_outputs

    files = write_outputs(result, out_dir)
    memo.record("outputs", keys["outputs"], files=list(files.values()))
    return AuditRun(result, predictions, out_dir, files, reused=tuple(reused))


def _predict(plan: Plan, out_dir: Path, progress: Progress | None) -> tuple[pd.DataFrame, dict]:
    """Predict every (clip, condition) the store lacks; write predictions.parquet. Returns the
    scored predictions and what the audio screens found (see _add_sanity)."""
    from serfair.engine import PredictionStore, predict_all
    from serfair.engine.executors import default_workers
    from serfair.errors import DataError
    from serfair.perturb import parse_condition
    from serfair.sanity import excluded_clips

    spec = plan.spec
    out_dir.mkdir(parents=True, exist_ok=True)
    store = PredictionStore(safe_join(out_dir, "predictions.sqlite"))
    try:
        table = predict_all(
            plan.clips, [*plan.conditions, *map(parse_condition, plan.extra)], plan.model_spec,
            plan.labels, plan.model_id, store, seed=spec.seed,
            workers=spec.workers or default_workers(), batch_size=spec.batch_size,
            progress=progress, babble_clips=plan.babble_clips, only=plan.only,
            executor=spec.executor, scheduler=spec.scheduler,
            limits=plan.limits if plan.audio else None,
        )
    finally:
        store.close()
    excluded = excluded_clips(plan.clean_flags, table, plan.limits)
    flagged = table[table["flags"] != ""] if "flags" in table.columns else table.iloc[:0]
    screened = {"checked": sorted(plan.checked["clip_id"]),
                "clean": {cid: list(flags) for cid, flags in plan.clean_flags.items()},
                "perturbed": [[c, n, f] for c, n, f in
                              zip(flagged["clip_id"], flagged["condition"], flagged["flags"])],
                "excluded": sorted(excluded)}
    table = table[~table["clip_id"].isin(excluded)].drop(columns="flags", errors="ignore")
    if table.empty:
        raise DataError(f"every clip has degenerate audio under some condition; nothing is left "
                        f"to audit (see {out_dir / 'predictions.sqlite'} and the spec's `sanity:`)")
    keep = [c for c in plan.clips.columns if c not in ("audio_path",)]
    predictions = table.merge(plan.clips[keep], on="clip_id", how="left")
    predictions.to_parquet(safe_join(out_dir, "predictions.parquet"), index=False)
    return predictions, screened


def _add_sanity(result: dict, spec: AuditSpec, clips: pd.DataFrame, screened: dict) -> None:
    """result["sanity"] (degenerate clips per slice, group, condition and flag) and its warning,
    from what the screens found (stored with the predictions, so a re-analysis with other slices
    counts them again)."""
    import pandas as pd

    from serfair.analysis.sanity import sanity_summary, sanity_warning
    from serfair.data.quality import FLAGS
    from serfair.sanity import audio_limits

    checked = clips[clips["clip_id"].isin(screened["checked"])]
    flags = pd.DataFrame(screened["perturbed"], columns=["clip_id", "condition", "flags"])
    clean = {cid: tuple(f) for cid, f in screened["clean"].items()}
    summary = sanity_summary(checked, clean, flags, list(spec.slices),
                             settings=asdict(audio_limits(spec.sanity)), meanings=FLAGS,
                             excluded=set(screened["excluded"]))
    result["sanity"] = summary
    warning = sanity_warning(summary)
    if warning:
        result["warnings"].insert(0, warning)


def _add_leakage(result: dict, spec: AuditSpec, clips: pd.DataFrame) -> None:
    """result["leakage"]: the speaker leakage check against the spec's training manifest (none
    without one), and a warning when audited speakers or clips were trained on."""
    from serfair.data.leakage import check_leakage, read_training_manifest

    source = spec.training_manifest()
    if source is None:
        return
    leakage = check_leakage(read_training_manifest(source), clips, source=shown_path(source))
    result["leakage"] = leakage
    if not leakage["speaker_independent"]:
        result["warnings"].insert(0, {"kind": "leakage", "message": leakage["message"]})


def _probes_payload(plans: list, acoustics: dict) -> list[dict]:
    """The probe plans and their acoustic checks as JSON, stored with the predictions."""
    out = []
    for plan in plans:
        table = acoustics.get(plan.probe)
        out.append({"plan": asdict(plan), "acoustics": None if table is None else {
            "columns": list(table.columns), "rows": table.to_dict(orient="records"),
            "settings": table.attrs.get("settings", {})}})
    return out


def _probes_from(payload: list[dict]) -> tuple[list, dict]:
    """The probe plans and acoustic tables back from _probes_payload."""
    import pandas as pd

    from serfair.probes.base import ProbePlan

    plans, acoustics = [], {}
    for item in payload:
        plan = ProbePlan(**{**item["plan"], "sample": tuple(item["plan"]["sample"])})
        plans.append(plan)
        if item["acoustics"] is not None:
            table = pd.DataFrame(item["acoustics"]["rows"], columns=item["acoustics"]["columns"])
            table.attrs["settings"] = item["acoustics"]["settings"]
            acoustics[plan.probe] = table
    return plans, acoustics


def _deployment(plan: Plan) -> dict | None:
    """Model size, single-clip latency and peak memory (serfair.models.footprint); None for
    predictions looked up from a file, which run no model."""
    from serfair.models.footprint import footprint

    if not adapter_kind(plan.model_spec).needs_audio:
        return None
    try:
        return footprint(plan.model_spec)
    except Exception as exc:  # noqa: BLE001 - a measurement must not cost the audit its results
        return {"error": f"{type(exc).__name__}: {exc}"}


def _acoustics(plan: Plan) -> dict:
    """The probes' acoustic checks (serfair.probes.acoustics) on the scorable clips."""
    from serfair.probes.acoustics import measure_plan

    return {p.probe: measure_plan(p, plan.clips, sample_rate=plan.sample_rate, seed=plan.spec.seed)
            for p in plan.probes if p.sample}


def _analyse(spec: AuditSpec, predictions: pd.DataFrame, conditions: list, labels, clips,
             excluded: dict, described: dict, started: float, probes: list,
             acoustics: dict) -> dict:
    from serfair.analysis import analyse
    from serfair.data.manifest import manifest_hash
    from serfair.provenance import provenance

    return analyse(predictions, spec=spec, conditions=conditions, labels=labels,
                   clips_total=clips, excluded=excluded,
                   provenance=provenance(spec, described, manifest_hash(clips), started),
                   probes=probes, acoustics=acoustics)


def _preflight(policy, conditions: list, spec: AuditSpec, labels: tuple[str, ...]) -> None:
    from serfair.analysis.metrics import metric_set
    from serfair.gate import preflight

    preflight(policy, conditions=[c.name for c in conditions], slices=list(spec.slices),
              metrics=list(metric_set(labels)))


def _parse(names: list[str]) -> list:
    from serfair.perturb import parse_conditions

    return parse_conditions(names)


def _policy_key(policy) -> str | None:
    """The policy's content and that of every baseline result it compares with."""
    if policy is None:
        return None
    baselines = sorted({str(r.relative_to) for r in policy.rules if r.relative_to})
    return digest(policy.model_dump(mode="json"), policy.sha256,
                  [(b, file_digest(b)) for b in baselines])


def run_outputs(out_dir: Path) -> list[Path]:
    """The files an audit writes into its run folder."""
    from serfair.report import RENDERERS

    names = ["predictions.sqlite", "predictions.parquet", *(name for name, _ in RENDERERS.values())]
    return [safe_join(out_dir, name) for name in names]


def _probe_plans(spec: AuditSpec, clips: pd.DataFrame, adapter) -> list:
    """The spec's probes planned on the scorable clips (they play audio: not for precomputed
    predictions)."""
    from serfair.errors import SpecError
    from serfair.models import predicts_by_id

    if spec.probes and predicts_by_id(adapter):
        raise SpecError("probes play each clip in another voice, so they need the model itself; "
                        "a precomputed-predictions model cannot run them: drop `probes`")
    from serfair.probes import plan_probes

    return plan_probes(spec.probes, clips, sample_rate=adapter.sample_rate, seed=spec.seed)


def _first_flags(flags: dict[str, tuple[str, ...]]) -> str:
    """`a: silent; b: too_short` for the first few flagged clips."""
    items = list(flags.items())
    text = "; ".join(f"{cid}: {', '.join(f)}" for cid, f in items[:3])
    return text + (f"; ... {len(items) - 3} more" if len(items) > 3 else "")


def _file_names() -> dict[str, str]:
    from serfair.report import RENDERERS

    return {fmt: name for fmt, (name, _) in RENDERERS.items()}


def _plain(value):
    """JSON for numpy scalars and arrays in the analysis document."""
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def _conditions(spec: AuditSpec, adapter) -> list[str]:
    """The spec's conditions; for precomputed predictions the file's, unless the spec names some."""
    from serfair.models import predicts_by_id

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
