"""The condition grammar: conditions (family + severity), the family registry, severity order.

A condition is written `family@param=value[:param=value]`, e.g. `noise@snr=10`,
`pitch@semitones=-2`, `telephone`; `clean` is the unperturbed audio. Each family file in
`serfair.perturb` registers its parameters (and how to apply it) here; every room may read the
grammar, so analysis and the gate order and name conditions without importing the perturbations.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from serfair.errors import SpecError


@dataclass(frozen=True)
class Param:
    """One numeric parameter of a family, with its unit and valid range."""

    name: str
    unit: str
    low: float
    high: float
    default: float
    description: str = ""
    step: float | None = None  # values must be low + k * step (e.g. whole numbers)
    choices: tuple[float, ...] = ()  # if given, the only valid values
    named: tuple[tuple[float, str], ...] = ()  # names of well-known values, e.g. (-3.01, "pink")
    also: tuple[float, ...] = ()  # valid values outside [low, high], e.g. 0 meaning "keep"

    def label(self, value: float) -> str:
        """A value as a reader knows it: its name if it has one, else the number."""
        return next((n for v, n in self.named if math.isclose(v, value)), f"{value:g}")

    def valid(self) -> str:
        """The valid values in words, for error messages and the docs."""
        if self.choices:
            return "one of " + ", ".join(f"{c:g}" for c in self.choices)
        text = f"between {self.low:g} and {self.high:g}"
        if self.step is not None:
            text += f" in steps of {self.step:g}"
        return " or ".join([*(f"{v:g}" for v in self.also), text])

    def check(self, family: str, value: float) -> float:
        """Return the value, or raise SpecError naming the valid range."""
        if any(math.isclose(value, v, abs_tol=1e-12) for v in self.also):
            return value
        ok = math.isfinite(value) and self.low <= value <= self.high
        if ok and self.choices:
            ok = any(math.isclose(value, c) for c in self.choices)
        if ok and self.step is not None:
            steps = (value - self.low) / self.step
            ok = math.isclose(steps, round(steps), abs_tol=1e-9)
        if not ok:
            raise SpecError(
                f"{family}@{self.name}={value:g} is out of range: {self.name} ({self.unit}) must be "
                f"{self.valid()}"
            )
        return value


@dataclass(frozen=True)
class Family:
    """A kind of perturbation: its parameters and a pure function that applies it."""

    name: str
    description: str
    params: tuple[Param, ...]
    apply: Callable[..., Any]  # (wave, sample_rate, rng, **params) -> float32 wave
    randomised: bool = True
    extra: dict = field(default_factory=dict)
    severity: Callable[..., float] | None = None  # (**params) -> larger is harsher
    needs_context: bool = False  # apply also takes `context=ClipContext` (e.g. babble)
    min_seconds: float = 0.0  # shorter clips cannot be perturbed (e.g. one MP3 frame for codec)

    def severity_of(self, params: dict[str, float]) -> float:
        """How harsh these parameters are (larger is harsher); by default the first parameter."""
        if self.severity is not None:
            return float(self.severity(**params))
        return float(next(iter(params.values()), 0.0))

    def param(self, name: str) -> Param:
        """The parameter called `name`, or a SpecError listing the valid ones."""
        for p in self.params:
            if p.name == name:
                return p
        valid = ", ".join(p.name for p in self.params) or "none"
        raise SpecError(f"condition family '{self.name}' has no parameter '{name}' (valid: {valid})")


FAMILIES: dict[str, Family] = {}


def register(family: Family) -> Family:
    """Add a family to the registry (each family file calls this)."""
    FAMILIES[family.name] = family
    return family


@dataclass(frozen=True)
class Condition:
    """A family at one severity; `name` is its canonical, parseable string."""

    family: str
    params: tuple[tuple[str, float], ...] = ()

    @property
    def name(self) -> str:
        if not self.params:
            return self.family
        return self.family + "@" + ":".join(f"{k}={v:g}" for k, v in self.params)

    @property
    def kwargs(self) -> dict[str, float]:
        return dict(self.params)

    def __str__(self) -> str:
        return self.name


CLEAN = Condition("clean")


def tick(condition: Condition, names: list[str] | None = None) -> str:
    """A short label of a condition within its family: its parameter values (or their names)."""
    family = FAMILIES[condition.family]
    keys = names if names is not None else [k for k, _ in condition.params]
    params = [family.param(k) for k in keys]
    joiner = "-" if len(params) > 1 and len({p.unit for p in params}) == 1 else " "  # a band: 300-3400
    return joiner.join(p.label(condition.kwargs[p.name]) for p in params) or condition.name


def severity(condition: Condition) -> float:
    """How harsh a condition is within its family (larger is harsher); clean is 0."""
    return FAMILIES[condition.family].severity_of(condition.kwargs) if condition.params else 0.0


def parse_condition(text: str) -> Condition:
    """Parse `family@param=value[:param=value]`; missing params take their defaults."""
    text = text.strip()
    family_name, _, rest = text.partition("@")
    family_name = family_name.strip()
    if family_name not in FAMILIES:
        raise SpecError(
            f"unknown condition family '{family_name}' in '{text}'; valid families: "
            f"{', '.join(sorted(FAMILIES))}"
        )
    family = FAMILIES[family_name]
    given: dict[str, float] = {}
    for item in filter(None, (s.strip() for s in rest.split(":"))):
        key, eq, value = item.partition("=")
        if not eq:
            raise SpecError(f"'{item}' in '{text}' must look like param=value")
        param = family.param(key.strip())
        if param.name in given:
            raise SpecError(f"'{text}' sets {param.name} twice; give each parameter once "
                            f"(write two conditions to audit two severities)")
        try:
            number = float(value)
        except ValueError as exc:
            raise SpecError(f"'{item}' in '{text}': {value!r} is not a number") from exc
        given[param.name] = param.check(family.name, number)
    values = tuple((p.name, given.get(p.name, p.default)) for p in family.params)
    return Condition(family.name, values)


def parse_conditions(text: str | list[str]) -> list[Condition]:
    """A comma-separated list (or a list) of conditions; `clean` is always first."""
    items = text.split(",") if isinstance(text, str) else list(text)
    conditions = [parse_condition(t) for t in items if str(t).strip()]
    unique = list(dict.fromkeys([CLEAN, *conditions]))
    return unique
