"""Output hooks: a declarative output mapping (sum columns into labels) or a user function.

A mapping sends each of the model's output labels to a target label; columns sent to the same
target are summed, so probabilities stay probabilities. A `*` in a source matches any text, and a
`*` in the target is replaced by what it matched: `female_*=*,male_*=*` turns a gender x emotion
model (female_angry, male_angry, ...) into an emotion model (angry, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from serfair.errors import SpecError
from serfair.models.hooks import code_hash, load_callable
from serfair.vocab.emotions import parse_mapping


@dataclass(frozen=True)
class OutputMap:
    """Sum the model's output columns into target labels."""

    source_labels: tuple[str, ...]
    labels: tuple[str, ...]
    matrix: np.ndarray  # (len(source_labels), len(labels)) of 0/1

    def __call__(self, probs: np.ndarray) -> np.ndarray:
        return np.asarray(probs, dtype=np.float64) @ self.matrix

    def describe(self) -> dict:
        return {"kind": "output_map",
                "map": {s: self.labels[int(np.argmax(self.matrix[i]))]
                        for i, s in enumerate(self.source_labels)}}


def is_mapping(value: object) -> bool:
    """Whether a postprocess value is a declarative mapping rather than `module:function`."""
    return isinstance(value, dict) or (isinstance(value, str) and "=" in value)


def _rule(pattern: str) -> re.Pattern:
    """`female_*` -> a regex capturing what each `*` stands for."""
    return re.compile("^" + "(.*?)".join(re.escape(p) for p in pattern.split("*")) + "$",
                      re.IGNORECASE)


def build_output_map(mapping: str | dict, source_labels: tuple[str, ...]) -> OutputMap:
    """An OutputMap from `from=to` rules (with `*` wildcards) over the model's labels.

    Labels no rule matches keep their own name.
    """
    rules = [(_rule(src), src, dst) for src, dst in parse_mapping(mapping, "--postprocess").items()]
    targets: list[str] = []
    assignment: list[str] = []
    used = set()
    for label in source_labels:
        target = label
        for pattern, src, dst in rules:
            match = pattern.match(label)
            if match:
                used.add(src)
                target = _fill(dst, match.groups())
                break
        assignment.append(target)
        if target not in targets:
            targets.append(target)
    unused = [src for _p, src, _d in rules if src not in used]
    if unused:
        raise SpecError(
            f"--postprocess: the rule(s) {', '.join(unused)} match none of the model's labels "
            f"({', '.join(source_labels)})"
        )
    matrix = np.zeros((len(source_labels), len(targets)))
    for row, target in enumerate(assignment):
        matrix[row, targets.index(target)] = 1.0
    return OutputMap(tuple(source_labels), tuple(targets), matrix)


def _fill(target: str, captured: tuple[str, ...]) -> str:
    """Replace each `*` in a target with what the source's `*`s matched, in order."""
    parts = target.split("*")
    out = parts[0]
    for i, part in enumerate(parts[1:]):
        out += (captured[i] if i < len(captured) else "") + part
    return out


@dataclass(frozen=True)
class Postprocess:
    """A resolved output hook and the labels it produces."""

    apply: Callable[[np.ndarray], np.ndarray]
    labels: tuple[str, ...]
    describe: dict


def resolve_postprocess(value: str | dict | None, labels: tuple[str, ...]) -> Postprocess | None:
    """A mapping or a `module:function` hook; None when there is none.

    A function receives the (batch, labels) array after softmax (if --logits) and returns the
    final probabilities; if it changes the label set it declares the new names as a `labels`
    attribute (otherwise --labels must name its output columns).
    """
    if not value:
        return None
    if is_mapping(value):
        out = build_output_map(value, labels)
        return Postprocess(out, out.labels, out.describe())
    func = load_callable(str(value), "--postprocess")
    new_labels = getattr(func, "labels", None)
    return Postprocess(lambda probs: np.asarray(func(probs)),
                       tuple(str(x) for x in new_labels) if new_labels else labels,
                       {"kind": "hook", "ref": str(value), "sha256": code_hash(func)})
