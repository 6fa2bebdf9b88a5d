"""Conditions (family + severity), the family registry and the condition grammar.

A condition is written `family@param=value[:param=value]`, e.g. `noise@snr=10`,
`pitch@semitones=-2`, `telephone`; `clean` is the unperturbed audio.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

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

    def check(self, family: str, value: float) -> float:
        """Return the value, or raise SpecError naming the valid range."""
        if not (self.low <= value <= self.high):
            raise SpecError(
                f"{family}@{self.name}={value:g} is out of range: {self.name} ({self.unit}) must be "
                f"between {self.low:g} and {self.high:g}"
            )
        return value


@dataclass(frozen=True)
class Family:
    """A kind of perturbation: its parameters and a pure function that applies it."""

    name: str
    description: str
    params: tuple[Param, ...]
    apply: Callable[..., np.ndarray]  # (wave, sample_rate, rng, **params) -> wave
    randomised: bool = True
    extra: dict = field(default_factory=dict)

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


def apply_condition(condition: Condition, wave: np.ndarray, sample_rate: int,
                    rng: np.random.Generator) -> np.ndarray:
    """Apply one condition; output is float32 mono of any length."""
    family = FAMILIES[condition.family]
    out = family.apply(wave, sample_rate, rng, **condition.kwargs)
    return np.ascontiguousarray(out, dtype=np.float32)
