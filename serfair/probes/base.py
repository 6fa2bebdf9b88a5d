"""Counterfactual probes: the same clips again with one property changed (and a control that
goes through the same processing without the change). A probe is a registered planner: from the
audit's clips and its settings it decides which condition each clip is played under."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import soundfile as sf
from pydantic import BaseModel, ValidationError

from serfair.errors import SpecError


@dataclass(frozen=True)
class ProbePlan:
    """What one probe runs: per clip its counterfactual condition, one control condition for every
    probed clip, the group each clip starts in and the group it is moved towards, the clips whose
    voice is measured before and after, and how many clips were left out and why."""

    probe: str
    settings: dict[str, Any]
    control: str
    swap: dict[str, str]  # clip id -> condition name
    source: dict[str, str]  # clip id -> its group (e.g. female)
    target: dict[str, str]  # group -> the group it is made to sound like
    sample: tuple[str, ...] = ()
    excluded: dict[str, int] = field(default_factory=dict)

    def runs(self) -> list[tuple[tuple[str, ...], str]]:
        """(clip ids, condition name) pairs to predict: each swap condition on its clips, and the
        control on every probed clip."""
        by_condition: dict[str, list[str]] = {}
        for clip_id, condition in sorted(self.swap.items()):
            by_condition.setdefault(condition, []).append(clip_id)
        out = [(tuple(ids), name) for name, ids in sorted(by_condition.items())]
        return out + [(tuple(sorted(self.swap)), self.control)] if self.swap else out


@dataclass(frozen=True)
class Probe:
    """A registered probe: its settings model and a planner."""

    name: str
    description: str
    settings: type[BaseModel]
    plan: Callable[..., ProbePlan]  # (clips, settings, *, sample_rate, seed) -> ProbePlan


PROBES: dict[str, Probe] = {}


def register(probe: Probe) -> Probe:
    """Add a probe to the registry (each probe file calls this)."""
    PROBES[probe.name] = probe
    return probe


def _probe(name: str) -> Probe:
    if name not in PROBES:
        raise SpecError(f"unknown probe '{name}'; valid probes: {', '.join(sorted(PROBES))}")
    return PROBES[name]


def parse_probes(value: Any) -> dict[str, dict[str, Any]]:
    """`gender_swap`, `[gender_swap]`, `gender_swap,other` or `{gender_swap: {settings}}` as
    {name: validated settings with every default spelt out}."""
    if value is None:
        return {}
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip() and v.strip() != "none"]
    if isinstance(value, list):
        value = {str(name): {} for name in value}
    if not isinstance(value, dict):
        raise SpecError("probes must be a list of probe names or a mapping of name: settings")
    out = {}
    for name, settings in value.items():
        probe = _probe(str(name))
        try:
            out[probe.name] = probe.settings.model_validate(settings or {}).model_dump()
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: "
                                 f"{e['msg'].removeprefix('Value error, ')}" for e in exc.errors())
            raise SpecError(f"probe '{name}': {problems}") from exc
    return out


def plan_probes(probes: dict[str, dict[str, Any]], clips: pd.DataFrame, *, sample_rate: int,
                seed: int) -> list[ProbePlan]:
    """One plan per configured probe."""
    return [_probe(name).plan(clips, _probe(name).settings.model_validate(settings),
                              sample_rate=sample_rate, seed=seed)
            for name, settings in probes.items()]


def probe_conditions(plans: list[ProbePlan], planned: list[str]) -> tuple[list[str], dict[str, set[str]]]:
    """The probes' conditions the audit does not already run on every clip (`planned`), and for
    each of them the clips it runs on (predict_all's `only`)."""
    only: dict[str, set[str]] = {}
    for plan in plans:
        for ids, name in plan.runs():
            if name not in planned:
                only.setdefault(name, set()).update(ids)
    return list(only), only


def clip_samples(paths: pd.Series, sample_rate: int) -> np.ndarray:
    """Each clip's length in samples at `sample_rate`, from the file header (nothing decoded)."""
    return np.array([round(sf.info(str(p)).duration * sample_rate) for p in paths],
                    dtype=np.int64)
