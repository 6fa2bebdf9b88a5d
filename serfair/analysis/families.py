"""The primary (confirmatory) family: which gaps an audit declared in advance, and which are not.

`stats.primary` lists entries of metrics x slicings x conditions; the default is the headline
metric (UAR) gap of every declared slicing on clean speech. Error control runs inside the primary
family (`stats.correction`, Holm by default); every other gap is exploratory (`stats.
exploratory_correction`, Benjamini-Hochberg by default) and labelled so wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from serfair.analysis.metrics import HEADLINE
from serfair.errors import SpecError
from serfair.vocab.conditions import parse_condition

PRIMARY, EXPLORATORY = "primary", "exploratory"
Key = tuple[str, str, str]  # (slice, condition, metric)


@dataclass(frozen=True)
class PrimaryDefault:
    """The default primary family: the headline gap of every declared slicing on clean speech."""

    metrics: tuple[str, ...] = (HEADLINE,)
    slices: tuple[str, ...] | None = None
    conditions: tuple[str, ...] = ("clean",)


def _canonical(condition: str, clean: str) -> str:
    return clean if condition == "clean" else parse_condition(condition).name


def primary_keys(entries: Iterable, slices: list[str], conditions: list[str]) -> set[Key]:
    """(slice, condition, metric) of every primary comparison (`conditions[0]` is clean)."""
    keys: set[Key] = set()
    for entry in entries:
        for slice_name in entry.slices or slices:
            for condition in entry.conditions:
                for metric in entry.metrics:
                    keys.add((slice_name, _canonical(condition, conditions[0]), metric))
    return keys


def check_primary_metrics(entries: Iterable, metrics: Iterable[str]) -> None:
    """Before inference: raise SpecError for a primary metric the audit will not compute (a recall
    of an emotion the model cannot output)."""
    known = list(metrics)
    for i, entry in enumerate(entries):
        for metric in entry.metrics:
            if metric not in known:
                raise SpecError(f"stats.primary[{i}]: the audit has no metric '{metric}' (it has: "
                                f"{', '.join(known)}); name one of these in `stats.primary`")


def family_of(key: Key, primary: set[Key]) -> str:
    """'primary' or 'exploratory'."""
    return PRIMARY if key in primary else EXPLORATORY
