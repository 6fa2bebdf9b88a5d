"""Gate policies: YAML rules on metrics, gaps and drops, loaded and validated with pydantic.

A policy is a list of rules. Each rule selects cells of the result (slice, groups, condition), takes
one number per cell (the metric, the gap between groups, or the drop from a reference) and compares
it with `min` / `max`, on the point estimate or on an interval bound. See docs/reports-and-gates.md.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from serfair.analysis.metrics import METRIC_NAMES as GROUP_METRIC_NAMES
from serfair.analysis.metrics import is_metric as is_group_metric
from serfair.errors import SpecError
from serfair.paths import bundled_specs, resolve_spec, shown_path

# The model's deployment footprint (result.json `deployment`, serfair/models/footprint.py): one
# number per audit, gated with a value check, e.g. `metric: latency_p95_ms, max: 50`.
DEPLOYMENT_METRICS = ("model_size_mb", "latency_p50_ms", "latency_p95_ms", "peak_memory_mb")
METRIC_NAMES = (*GROUP_METRIC_NAMES, *DEPLOYMENT_METRICS)


def is_metric(name: str) -> bool:
    """Whether a metric name can occur in a result (per group, or the deployment footprint)."""
    return name in DEPLOYMENT_METRICS or is_group_metric(name)


class Rule(BaseModel):
    """One gate rule."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = Field(None, description="short name shown in outputs (default: derived)")
    description: str = Field("", description="what the rule protects, in words")
    check: Literal["value", "gap", "drop"] = Field(
        "value",
        description="value: the metric per group; gap: between the groups of a slice; "
        "drop: from a reference condition or a baseline result",
    )
    metric: str = Field("uar", description="a metric of the result (uar, accuracy, macro_f1 ...)")
    slice: str = Field(
        "*", description="slice name or glob pattern ('*' = every slice, 'all' = overall)"
    )
    groups: str | list[str] = Field(
        "*", description="group name(s) or glob pattern(s); value and drop only"
    )
    condition: str | list[str] | None = Field(
        None,
        description="condition name(s) or pattern(s); default clean (drop: every perturbed one)",
    )
    kind: Literal["difference", "ratio"] = Field("difference", description="gap only")
    bound: Literal["point", "lower", "upper"] = Field(
        "point", description="which number is compared: the estimate or a bound of its interval"
    )
    min: float | None = Field(None, description="fail when the tested number is below this")
    max: float | None = Field(None, description="fail when the tested number is above this")
    severity: Literal["fail", "warn"] = Field(
        "fail", description="fail stops CI (exit 1); warn reports"
    )
    reference: str | None = Field(
        None, description="drop: the condition to compare with (default clean)"
    )
    relative_to: str | None = Field(
        None, description="drop: a baseline result.json to compare with"
    )

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        if not is_metric(value):
            raise ValueError(f"unknown metric '{value}'; valid metrics: {', '.join(METRIC_NAMES)}")
        return value

    @field_validator("condition", "reference")
    @classmethod
    def _known_conditions(cls, value: str | list[str] | None) -> str | list[str] | None:
        from serfair.perturb import parse_condition  # condition grammar: family@param=value

        for name in [value] if isinstance(value, str) else value or []:
            if not any(c in name for c in "*?["):  # glob patterns match the audit's names
                try:
                    parse_condition(name)
                except SpecError as exc:
                    raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.min is None and self.max is None:
            raise ValueError("a rule needs a threshold: min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        if self.check == "gap" and self.groups != "*":
            raise ValueError(
                "groups applies to value and drop checks; a gap compares every group of the slice"
            )
        if self.check != "drop" and (self.reference or self.relative_to):
            raise ValueError("reference and relative_to apply to drop checks only (check: drop)")
        if self.reference and self.relative_to:
            raise ValueError(
                "a drop is measured from a reference condition or from a baseline "
                "result (relative_to), not both"
            )
        if self.check != "gap" and "kind" in self.model_fields_set:
            raise ValueError("kind (difference or ratio) applies to gap checks only")
        if self.metric in DEPLOYMENT_METRICS and (self.check != "value" or self.bound != "point"):
            raise ValueError(f"{self.metric} is one number per audit: use check: value with "
                             f"bound: point (the defaults)")
        return self

    def label(self) -> str:
        """A readable default id, e.g. `gap-uar-gender-clean`."""
        condition = (
            self.condition if isinstance(self.condition, str) else "+".join(self.condition or [])
        )
        parts = [self.check, self.metric, self.slice.replace("*", "any"), condition or ""]
        return re.sub(r"[^A-Za-z0-9_.@=+-]+", "-", "-".join(p for p in parts if p)).strip("-")


class Policy(BaseModel):
    """A named list of rules; `source` and `sha256` record where it came from."""

    model_config = ConfigDict(extra="forbid")
    version: Literal[1] = 1
    name: str | None = None
    description: str = ""
    rules: list[Rule] = Field(..., min_length=1)
    allow_empty: bool = Field(False, description="a verdict whose every rule was skipped passes "
                              "(default: it is refused with exit 2, having checked nothing)")
    source: str | None = Field(None, exclude=True)
    sha256: str | None = Field(None, exclude=True)

    @model_validator(mode="after")
    def _ids(self) -> Policy:
        seen: dict[str, int] = {}
        for rule in self.rules:
            base = rule.id or rule.label()
            if rule.id and rule.id in seen:
                raise ValueError(f"rule id '{rule.id}' is used twice; ids must be unique")
            seen[base] = seen.get(base, 0) + 1
            rule.id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        return self

    def describe(self) -> dict:
        """Name, path and hash, for the verdict's provenance."""
        return {
            "name": self.name,
            "description": self.description,
            "path": shown_path(self.source),
            "sha256": self.sha256,
            "n_rules": len(self.rules),
            "allow_empty": self.allow_empty,
        }


def load_policy(path: str | Path, *, baseline: str | Path | None = None) -> Policy:
    """Read and validate a policy YAML; `relative_to` paths are relative to the policy file.

    `baseline` replaces every rule's `relative_to` (the CLI's --baseline).
    """
    path = resolve_spec(path)
    if not path.is_file():
        raise SpecError(f"policy {path} does not exist; give a path, or the name of a bundled "
                        f"policy: {bundled_specs()}")
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        raise SpecError(f"policy {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SpecError(f"policy {path} must be a mapping with a `rules:` list")
    data.setdefault("name", path.stem)
    policy = parse_policy(data, where=f"policy {path}")
    policy.source = str(path)
    policy.sha256 = hashlib.sha256(raw).hexdigest()
    for rule in policy.rules:
        if baseline is not None and rule.relative_to is not None:
            rule.relative_to = str(baseline)
        elif rule.relative_to and not Path(rule.relative_to).is_absolute():
            rule.relative_to = str(path.parent / rule.relative_to)
        if rule.relative_to and not Path(rule.relative_to).is_file():
            raise SpecError(
                f"policy {path}, rule '{rule.id}': baseline result {rule.relative_to} "
                f"does not exist (relative_to is relative to the policy file; "
                f"--baseline PATH replaces it)"
            )
    return policy


def parse_policy(data: dict[str, Any], *, where: str = "policy") -> Policy:
    """Validate a policy mapping; SpecError lists each problem with the valid fields or values."""
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise SpecError(explain(exc, where)) from exc


def explain(exc: ValidationError, where: str) -> str:
    """One line per pydantic error, naming the rule and listing what is valid."""
    lines = []
    for error in exc.errors():
        loc = list(error["loc"])
        name = ".".join(str(p) for p in loc) or "(top level)"
        msg = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            model = Rule if "rules" in loc[:1] else Policy
            valid = [f for f, info in model.model_fields.items() if not info.exclude]
            msg = f"unknown field; valid fields: {', '.join(valid)}"
        lines.append(f"  {name}: {msg}")
    return f"{where} is invalid:\n" + "\n".join(lines)


def validate_file(path: str | Path, kind: str = "auto") -> str:
    """Validate a policy or an audit spec without running anything; returns a one-line summary.

    `kind` is policy, spec or auto (a mapping with `rules:` is a policy). Raises SpecError.
    """
    path = resolve_spec(path)
    if kind == "auto":
        try:
            data = yaml.safe_load(path.read_bytes()) if path.is_file() else None
        except yaml.YAMLError as exc:
            raise SpecError(f"{path} is not valid YAML: {exc}") from exc
        kind = "policy" if isinstance(data, dict) and "rules" in data else "spec"
    if kind == "policy":
        policy = load_policy(path)
        checks = ", ".join(f"{r.id} ({r.severity})" for r in policy.rules)
        return f"policy '{policy.name}' with {len(policy.rules)} rule(s): {checks}"
    return _validate_spec(path)


def _validate_spec(path: Path) -> str:
    from serfair.report.ai_act import screen
    from serfair.spec import load_spec, named_code
    from serfair.trust import TRUST_FLAG

    spec = load_spec(path, check_trust=False)
    for what, value in (
        ("data", spec.data),
        ("model.path", spec.model.path),
        ("model_card", spec.model_card),
    ):
        if (
            value
            and "://" not in value
            and ":" not in Path(value).name
            and not Path(value).exists()
        ):
            raise SpecError(f"audit spec {path}: {what} {value} does not exist")
    parts = [
        f"audit spec '{spec.name}'",
        f"{len(spec.conditions)} condition(s)",
        f"slices {', '.join(spec.slices)}",
    ]
    if spec.policy:
        policy = load_policy(spec.policy)
        parts.append(f"policy '{policy.name}' ({len(policy.rules)} rules)")
    code = named_code(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, {})
    if code:
        parts.append(f"names code ({', '.join(f'{k}: {v}' for k, v in code)}): "
                     f"`serfair audit` runs it only with {TRUST_FLAG}")
    unanswered = screen(spec.scope)["unanswered"]
    parts.append(
        f"EU AI Act screen: {len(unanswered)} question(s) unanswered"
        + (f" ({', '.join(unanswered)})" if unanswered else "")
    )
    return "; ".join(parts)
