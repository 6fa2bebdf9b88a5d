"""AuditSpec: what to audit. Loaded from audits/*.yaml, overridden by CLI flags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from serfair.errors import SpecError
from serfair.models.base import ModelSpec
from serfair.perturb import parse_conditions

DEFAULT_CONDITIONS = ["clean", "noise@snr=20", "noise@snr=10", "noise@snr=0"]
DEFAULT_SLICES = ["gender", "dataset"]


class ModelSection(BaseModel):
    """The model under audit and how to talk to it."""

    model_config = ConfigDict(extra="forbid")
    path: str | None = None
    format: str | None = None
    labels: list[str] | None = None
    sample_rate: int | None = None
    preprocess: str | None = None
    postprocess: str | None = None
    logits: bool = False
    options: dict[str, Any] = Field(default_factory=dict)


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
    workers: int | None = None
    batch_size: int = 16
    out: str | None = None
    scope: dict[str, Any] = Field(default_factory=dict)

    @field_validator("conditions", "slices", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator("conditions")
    @classmethod
    def _check_conditions(cls, value: list[str]) -> list[str]:
        return [c.name for c in parse_conditions(value)]

    def model_spec(self, default_model: Path) -> ModelSpec:
        """The picklable ModelSpec the adapter is built from."""
        m = self.model
        return ModelSpec(source=str(m.path or default_model), format=m.format,
                         labels=tuple(m.labels) if m.labels else None, sample_rate=m.sample_rate,
                         preprocess=m.preprocess, postprocess=m.postprocess, logits=m.logits,
                         options=dict(m.options))

    def out_dir(self) -> Path:
        """`out`, or reports/<name>."""
        return Path(self.out) if self.out else Path("reports") / self.name


def load_spec(spec_file: str | Path | None = None, **overrides: Any) -> AuditSpec:
    """Read a YAML spec (paths in it relative to the file) and apply non-None overrides.

    Overrides named like ModelSection fields (`model` for its path) go into the model section.
    """
    data: dict[str, Any] = {}
    path = spec_file
    if path is not None:
        path = Path(path)
        if not path.exists():
            raise SpecError(f"audit spec {path} does not exist")
        try:
            data = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as exc:
            raise SpecError(f"audit spec {path} is not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise SpecError(f"audit spec {path} must be a mapping of settings")
        data.setdefault("name", path.stem)
        for key in ("data", "out"):
            if isinstance(data.get(key), str):
                data[key] = _relative(data[key], path.parent)
        model = data.get("model")
        if isinstance(model, str):
            data["model"] = {"path": _relative(model, path.parent)}
        elif isinstance(model, dict) and isinstance(model.get("path"), str):
            model["path"] = _relative(model["path"], path.parent)
    model_keys = set(ModelSection.model_fields)
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


def _relative(value: str, base: Path) -> str:
    if "://" in value or (":" in value and not value.startswith((".", "/"))
                          and not Path(value).suffix):
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
