"""AuditSpec: what to audit. Loaded from audits/*.yaml, overridden by CLI flags."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from serfair.errors import SerfairError, SpecError
from serfair.models.base import ModelSpec
from serfair.paths import bundled_specs, resolve_spec
from serfair.perturb import parse_condition, parse_conditions
from serfair.trust import TrustError, require_trust

DEFAULT_CONDITIONS = ["clean", "noise@snr=20", "noise@snr=10", "noise@snr=0"]
DEFAULT_SLICES = ["gender", "dataset"]
MODULE_REFERENCE = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")  # package.module:factory


class ModelSection(BaseModel):
    """The model under audit and how to talk to it."""

    model_config = ConfigDict(extra="forbid")
    path: str | None = None
    name: str | None = None  # its label among `models` (default: the file's stem)
    format: str | None = None
    labels: list[str] | None = None
    sample_rate: int | None = None
    preprocess: str | None = None
    postprocess: str | dict[str, str] | None = None  # module:function, or {from: to} output map
    logits: bool = False
    frontend: str | dict[str, Any] | None = None  # preset name or settings (docs/bring-your-own-model.md)
    trust_pickle: bool = False  # only from the command line (or a library call), never a file
    trust_code: bool = False  # likewise: --trust-code
    options: dict[str, Any] = Field(default_factory=dict)
    training_data: str | None = None  # the model's training manifest: speaker leakage check

    @field_validator("labels")
    @classmethod
    def _unique_labels(cls, value: list[str] | None) -> list[str] | None:
        if value is not None:
            twice = sorted({v for v in value if value.count(v) > 1})
            if twice:
                raise ValueError(f"label(s) {', '.join(twice)} given more than once; list each of "
                                 f"the model's outputs once, in output order")
            if not value or any(not str(v).strip() for v in value):
                raise ValueError("labels must be non-empty names, one per model output")
        return value


class PrimaryEntry(BaseModel):
    """Comparisons declared confirmatory: each metric's gap for each slicing under each condition."""

    model_config = ConfigDict(extra="forbid")
    metrics: list[str] = Field(default_factory=lambda: ["uar"], description="metric(s) whose gap")
    slices: list[str] | None = Field(None, description="slicing(s); default every declared one")
    conditions: list[str] = Field(default_factory=lambda: ["clean"], description="condition(s)")

    @field_validator("metrics", "slices", "conditions", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("metrics")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        from serfair.analysis.metrics import METRIC_NAMES, is_metric

        bad = [m for m in value if not is_metric(m)]
        if bad:
            raise ValueError(f"unknown metric(s) {', '.join(bad)}; valid metrics: "
                             f"{', '.join(METRIC_NAMES)}")
        return value


class StatsSection(BaseModel):
    """How fairness gaps are judged (docs/statistics.md)."""

    model_config = ConfigDict(extra="forbid")
    bootstrap: int = Field(1000, ge=50, description="speaker-level bootstrap replicates")
    permutations: int = Field(10000, ge=0, description="relabellings per permutation test (0: no tests)")
    confidence: float = Field(0.95, gt=0.5, lt=1.0, description="level of every interval")
    correction: Literal["holm", "bh", "none"] = "holm"
    min_speakers: int = Field(5, ge=1, description="smaller groups are reported but never gated")
    min_clips: int = Field(20, ge=1, description="smaller groups are reported but never gated")
    four_fifths: float = Field(0.8, gt=0.0, le=1.0, description="prediction-rate ratio threshold")
    ece_bins: int = Field(10, ge=2, le=100)
    primary: list[PrimaryEntry] = Field(
        default_factory=lambda: [PrimaryEntry()],
        description="the confirmatory family (default: the UAR gap of every slicing on clean "
        "speech); every other gap is exploratory")
    exploratory_correction: Literal["bh", "holm", "none"] = "bh"
    meaningful_gap: float = Field(0.05, gt=0.0, lt=1.0, description="smallest gap that matters: "
                                  "an audit that cannot detect it cannot support 'no gap found'")


class RobustnessSection(BaseModel):
    """How robustness is summarised (docs/perturbations.md)."""

    model_config = ConfigDict(extra="forbid")
    share: float = Field(0.8, gt=0.0, le=1.0, description="a family's breaking point is the "
                         "mildest severity at which UAR falls below this share of clean UAR")
    top: int = Field(5, ge=0, description="largest group x condition interactions put in words")


class SanitySection(BaseModel):
    """Degenerate audio: what counts as silent, too short, clipped, out of range; what to do with
    it (docs/reliability.md). Flagged clips are counted per group and condition, never silently."""

    model_config = ConfigDict(extra="forbid")
    exclude: bool = Field(True, description="exclude flagged clips from every condition (with a "
                          "count); false scores them anyway (non-finite and out-of-range audio "
                          "is always excluded: no model can score it)")
    silence_dbfs: float = Field(-60.0, le=0.0, description="a clean clip whose peak is below this "
                                "level (dB full scale) is near-silent")
    min_duration_s: float = Field(0.25, ge=0.0, description="shorter clips are too short")
    clipped_share: float = Field(0.5, gt=0.0, le=1.0, description="a clip with at least this share "
                                 "of samples at full scale is clipped out")
    max_peak: float = Field(16.0, gt=1.0, description="a clip whose peak exceeds this many times "
                            "full scale is out of range (e.g. a float WAV with a huge peak)")
    max_duration_s: float | None = Field(60.0, gt=0.0, description="longer clips are cropped or "
                                         "excluded (see long_clips); null: no limit")
    long_clips: Literal["crop", "exclude"] = Field("crop", description="crop: keep the first "
                                                   "max_duration_s seconds; exclude: drop the clip")


class AuditSpec(BaseModel):
    """Everything an audit needs; every field has a sane default."""

    model_config = ConfigDict(extra="forbid")
    name: str = "demo"
    description: str = ""
    data: str | None = None
    corpus: str | None = None
    model: ModelSection = Field(default_factory=ModelSection)
    label_map: dict[str, str] = Field(default_factory=dict)
    conditions: list[str] = Field(default_factory=lambda: list(DEFAULT_CONDITIONS))
    slices: list[str] = Field(default_factory=lambda: list(DEFAULT_SLICES))
    seed: int = 0
    workers: int | None = Field(None, ge=1, description="worker processes (at least 1)")
    executor: Literal["local", "dask"] = "local"  # docs/scaling.md
    scheduler: str | None = None  # Dask scheduler address (tcp://host:port); none: a LocalCluster
    batch_size: int = Field(16, ge=1, description="clips per model call (at least 1)")
    out: str | None = None
    scope: dict[str, Any] = Field(default_factory=dict)
    policy: str | None = None
    model_card: str | None = None
    stats: StatsSection = Field(default_factory=StatsSection)
    robustness: RobustnessSection = Field(default_factory=RobustnessSection)
    sanity: SanitySection = Field(default_factory=SanitySection)
    models: list[ModelSection] = Field(default_factory=list)  # several: a run each + a comparison
    probes: dict[str, dict[str, Any]] = Field(default_factory=dict)  # docs/probes.md
    training_data: str | None = None  # training manifest for every model that names none

    def training_manifest(self) -> str | None:
        """The model's training manifest (its own, else the spec-wide one), or None."""
        return self.model.training_data or self.training_data

    @model_validator(mode="before")
    @classmethod
    def _name_from_model(cls, data: Any) -> Any:
        """Without a name, the audit is named after its model (`demo`: the bundled reference)."""
        if isinstance(data, dict) and not data.get("name"):
            model = data.get("model")
            if isinstance(model, ModelSection):
                model = model.model_dump()
            data = {**data, "name": model_name(model) if isinstance(model, dict) else "demo"}
        return data

    @field_validator("conditions", "slices", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("label_map", mode="before")
    @classmethod
    def _parse_label_map(cls, value: Any) -> Any:
        from serfair.vocab.emotions import parse_mapping

        return parse_mapping(value) if isinstance(value, str) else value

    @field_validator("conditions")
    @classmethod
    def _check_conditions(cls, value: list[str]) -> list[str]:
        return [c.name for c in parse_conditions(value)]

    @field_validator("probes", mode="before")
    @classmethod
    def _check_probes(cls, value: Any) -> dict:
        from serfair.probes import parse_probes  # `gender_swap`, a list, or {name: settings}

        return parse_probes(value)

    @field_validator("scope", mode="before")
    @classmethod
    def _check_scope(cls, value: Any) -> dict:
        from serfair.report.scope import (
            validate_scope,  # keys documented in docs/reports-and-gates.md
        )

        return validate_scope(value)

    @model_validator(mode="after")
    def _check_primary(self) -> AuditSpec:
        """Every slicing and condition named in `stats.primary` is one the audit has."""
        conditions = self.conditions
        for i, entry in enumerate(self.stats.primary):
            for name in entry.slices or []:
                if name not in self.slices:
                    raise ValueError(f"stats.primary[{i}]: slice '{name}' is not among the "
                                     f"audit's slices ({', '.join(self.slices) or 'none'}); add it "
                                     f"to `slices` or remove it from `stats.primary`")
            for given in entry.conditions:
                try:
                    name = parse_condition(given).name
                except SerfairError as exc:
                    raise ValueError(f"stats.primary[{i}]: {exc}") from exc
                if name not in conditions:
                    raise ValueError(f"stats.primary[{i}]: condition '{given}' is not among the "
                                     f"audit's conditions ({', '.join(conditions)}); add it to "
                                     f"`conditions` or remove it from `stats.primary`")
        return self

    def model_spec(self, default_model: Path) -> ModelSpec:
        """The picklable ModelSpec the adapter is built from."""
        m = self.model
        return ModelSpec(source=str(m.path or default_model), format=m.format,
                         labels=tuple(m.labels) if m.labels else None, sample_rate=m.sample_rate,
                         preprocess=m.preprocess, postprocess=_text(m.postprocess),
                         logits=m.logits, frontend=_text(m.frontend, as_json=True),
                         trust_pickle=m.trust_pickle, options=dict(m.options),
                         trust_code=m.trust_code)

    def out_dir(self) -> Path:
        """`out`, or reports/<name>."""
        return Path(self.out) if self.out else Path("reports") / self.name

    def per_model(self) -> list[AuditSpec]:
        """With `models`: one spec per model, each writing to out_dir/<model label>."""
        specs, labels = [], []
        for section in self.models:
            label = section.name or (Path(section.path).stem if section.path else "reference")
            if label in labels:
                raise SpecError(f"two entries of `models` are both called '{label}'; give each a "
                                f"distinct `name`")
            labels.append(label)
            trust = {k: getattr(self.model, k) or getattr(section, k) for k in TRUST_KEYS}
            specs.append(self.model_copy(update={
                "model": section.model_copy(update=trust), "models": [], "name": f"{self.name}-{label}",
                "out": str(self.out_dir() / label)}))
        return specs


def load_spec(spec_file: str | Path | None = None, *, check_trust: bool = True,
              **overrides: Any) -> AuditSpec:
    """Read a YAML spec (paths in it relative to the file) and apply non-None overrides.

    Overrides named like ModelSection fields (`model` for its path) go into the model section.
    A spec that names code (a hook, a `module:factory` model) is refused unless the overrides
    say `trust_code=True` (`--trust-code`); `check_trust=False` only reads it (`serfair validate`).
    """
    data: dict[str, Any] = {}
    path = spec_file
    if path is not None:
        path = resolve_spec(path)
        if not path.exists():
            raise SpecError(f"audit spec {path} does not exist; give a path, or the name of a "
                            f"bundled spec: {bundled_specs()}")
        try:
            data = yaml.safe_load(path.read_bytes().decode("utf-8")) or {}
        except UnicodeDecodeError as exc:
            raise SpecError(f"audit spec {path} is not UTF-8 text (byte {exc.start}: "
                            f"{exc.reason}); save it as UTF-8") from exc
        except OSError as exc:
            raise SpecError(f"audit spec {path} cannot be read: {exc.strerror or exc}") from exc
        except yaml.YAMLError as exc:
            raise SpecError(f"audit spec {path} is not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise SpecError(f"audit spec {path} must be a mapping of settings")
        data.setdefault("name", path.stem)
        for key in ("data", "out", "policy", "model_card", "training_data"):
            if isinstance(data.get(key), str):
                data[key] = _relative(data[key], path.parent)
        model = data.get("model")
        if isinstance(model, str):
            data["model"] = {"path": _relative(model, path.parent)}
        elif isinstance(model, dict):
            data["model"] = _relative_paths(model, path.parent)
        if isinstance(data.get("models"), list):
            data["models"] = [{"path": _relative(m, path.parent)} if isinstance(m, str) else
                              _relative_paths(m, path.parent) if isinstance(m, dict) else m
                              for m in data["models"]]
        refuse_granted_trust(data, path)
        if isinstance(data.get("model_card"), str):
            check_card(data["model_card"], path, data)
        named = named_code(data, overrides)
        if named and not (overrides.get("trust_code") or not check_trust):
            key, reference = named[0]
            require_trust(reference, key, f"audit spec {path}", False)
    if overrides.get("model") is not None:
        data.pop("models", None)  # --model audits that one model
    # Audit-level names win over same-named model fields (`name` is the audit's name).
    model_keys = set(ModelSection.model_fields) - set(AuditSpec.model_fields)
    for key, value in overrides.items():
        if value is None:
            continue
        if key in model_keys or key == "model":
            data.setdefault("model", {})
            data["model"]["path" if key == "model" else key] = value
        else:
            data[key] = value
    try:
        return AuditSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(_explain(exc, path)) from exc


TRUST_KEYS = ("trust_pickle", "trust_code")
CODE_KEYS = ("path", "preprocess", "postprocess")


def _model_sections(data: dict) -> list[tuple[str, dict]]:
    """(key prefix, section) for `model` and each entry of `models` (a bare path as {path})."""
    def section(value: Any) -> dict | None:
        return {"path": value} if isinstance(value, str) else value if isinstance(value, dict) else None

    models = data.get("models") if isinstance(data.get("models"), list) else []
    found = [("model", section(data.get("model")))] + [
        (f"models[{i}]", section(m)) for i, m in enumerate(models)]
    return [(prefix, s) for prefix, s in found if s is not None]


def refuse_granted_trust(data: dict, path: Path) -> None:
    """A spec cannot trust itself: `trust_pickle` / `trust_code` come from the command line."""
    for prefix, section in _model_sections(data):
        for key in TRUST_KEYS:
            if key in section:
                raise TrustError(
                    f"audit spec {path}: {prefix}.{key} is not honoured in a file (a file cannot "
                    f"grant itself trust); remove it and pass --{key.replace('_', '-')} on the "
                    f"command line if you trust the model")


def named_code(data: dict, overrides: dict) -> list[tuple[str, str]]:
    """(key, reference) of every hook or `module:factory` model the spec's text names, except
    those the command line replaces."""
    found = []
    for prefix, section in _model_sections(data):
        if prefix.startswith("models") and overrides.get("model") is not None:
            continue  # --model audits that one model
        for key in CODE_KEYS:
            value = section.get(key)
            if prefix == "model" and overrides.get("model" if key == "path" else key) is not None:
                continue
            if not isinstance(value, str):
                continue
            if (MODULE_REFERENCE.match(value) if key == "path" else
                    ":" in value and "=" not in value):
                found.append((f"{prefix}.{key}", value))
    return found


def check_card(card: str, spec_path: Path, data: dict) -> None:
    """A spec's model_card lies inside the spec's folder or the model's folder (symlinks
    resolved): a spec cannot copy any file on the machine into the report."""
    model = data.get("model", {}).get("path") if isinstance(data.get("model"), dict) else None
    roots = [spec_path.parent.resolve()]
    if isinstance(model, str) and "://" not in model:
        roots.append(Path(model).parent.resolve())
    target = Path(card).resolve()
    if not any(root == target.parent or root in target.parents for root in roots):
        raise TrustError(
            f"audit spec {spec_path}: model_card {card} resolves to {target}, outside the spec's "
            f"folder and the model's folder; a spec may only show a card that lies beside it or "
            f"beside the model")


def model_name(model: dict) -> str:
    """A model section's name: its `name`, else its file's stem (URL: last path part), else `demo`."""
    if model.get("name"):
        return str(model["name"])
    source = str(model.get("path") or "").rstrip("/")
    if not source:
        return "demo"
    if MODULE_REFERENCE.match(source):
        stem = source.replace(":", ".")
    elif "://" in source:
        stem = source.split("://", 1)[1].split("?")[0].rsplit("/", 1)[-1]
    else:
        stem = Path(source).stem if Path(source).suffix else Path(source).name
    return re.sub(r"[^\w.-]+", "-", stem).strip("-.") or "model"


def _text(value: str | dict | None, as_json: bool = False) -> str | None:
    """A mapping as hashable text for ModelSpec: JSON, or `from=to,...` for output maps."""
    if not isinstance(value, dict):
        return value
    if as_json:
        return json.dumps(value, sort_keys=True)
    return ",".join(f"{k}={v}" for k, v in value.items())


def _relative_paths(section: dict, base: Path) -> dict:
    """A model section with its `path` and `training_data` made relative to the spec's folder."""
    return {k: _relative(v, base) if k in ("path", "training_data") and isinstance(v, str) else v
            for k, v in section.items()}


def _relative(value: str, base: Path) -> str:
    if "://" in value or (":" in value and not value.startswith((".", "/"))
                          and not Path(value).suffix) or MODULE_REFERENCE.match(value):
        return value
    candidate = Path(value)
    return str(candidate if candidate.is_absolute() else (base / candidate))


def _explain(exc: ValidationError, path: Path | None) -> str:
    where = f"audit spec {path}" if path else "audit settings"
    lines = []
    for error in exc.errors():
        loc = ".".join(str(p) for p in error["loc"]) or "(top level)"
        msg = error["msg"].removeprefix("Value error, ")
        lines.append(f"  {loc}: {msg}")
    return f"{where} is invalid:\n" + "\n".join(lines)
