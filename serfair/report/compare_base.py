"""The building blocks of a comparison: the section registry, readers of result documents and
number formatting, shared by serfair.report.compare and the sections registered into it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ALL = "all"

Compute = Callable[[list[dict], list[str]], dict]


@dataclass(frozen=True)
class Section:
    """One part of a comparison: a title and the function that computes it."""

    name: str
    title: str
    compute: Compute


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add a section (rendered in registration order)."""
    SECTIONS[section.name] = section
    return section


def register_after(section: Section, after: str) -> Section:
    """Register a section right after another one (at the end when that one is absent)."""
    items = [(k, v) for k, v in SECTIONS.items() if k != section.name]
    at = next((i + 1 for i, (k, _) in enumerate(items) if k == after), len(items))
    items.insert(at, (section.name, section))
    SECTIONS.clear()
    SECTIONS.update(items)
    return section


# ----------------------------------------------------------------------------- reading results

def model_labels(results: list[dict]) -> list[str]:
    """A short, unique name per result: the model file's stem, else its name, else the audit's."""
    labels: list[str] = []
    for r in results:
        model = r.get("provenance", {}).get("model", {}) or {}
        label = (Path(model["path"]).stem if model.get("path") else None) or model.get("name") or r["name"]
        base, n = label, 2
        while label in labels:
            label, n = f"{base} ({n})", n + 1
        labels.append(label)
    return labels


def clean_name(result: dict) -> str:
    return result["conditions"][0]["name"]


def group_rows(result: dict) -> dict[tuple[str, str, str], dict]:
    """{(slice, group, condition): metrics row}."""
    return {(r["slice"], r["group"], r["condition"]): r for r in result["metrics"]["groups"]}


def robustness_cells(result: dict) -> dict[tuple[str, str, str], dict]:
    """{(slice, group, condition): robustness cell}; derived from the metrics when the result has
    no robustness section (then without flip rates)."""
    rob = result.get("robustness")
    if isinstance(rob, dict) and rob.get("cells"):
        return {(c["slice"], c["group"], c["condition"]): c for c in rob["cells"]}
    rows, clean = group_rows(result), clean_name(result)
    out = {}
    for (s, g, c), row in rows.items():
        base = rows.get((s, g, clean), {}).get("uar")
        uar = row.get("uar")
        out[(s, g, c)] = {"uar": uar, "clean_uar": base, "flip_rate": None,
                          "drop": None if uar is None or base is None else base - uar}
    return out


def families_of(result: dict) -> list[dict]:
    """Family ladders (from the robustness section, else in condition order)."""
    rob = result.get("robustness")
    if isinstance(rob, dict) and rob.get("families"):
        return rob["families"]
    ladders: dict[str, list[str]] = {}
    for c in result["conditions"][1:]:
        ladders.setdefault(c["family"], []).append(c["name"])
    return [{"family": f, "conditions": names} for f, names in ladders.items()]


def perturbed(result: dict) -> list[str]:
    """The non-clean conditions in ladder order."""
    return [n for ladder in families_of(result) for n in ladder["conditions"]]


def compatibility(results: list[dict], labels: list[str]) -> list[str]:
    """Why the results may not be comparable: different data, seed, conditions or slices."""
    base, problems = results[0], []
    checks = {
        "data (manifest sha256)": lambda r: r.get("provenance", {}).get("manifest_sha256"),
        "seed": lambda r: r.get("provenance", {}).get("seed"),
        "conditions": lambda r: [c["name"] for c in r["conditions"]],
        "slices": lambda r: r.get("slices"),
        "scored clips": lambda r: r.get("data", {}).get("n_clips_scored"),
    }
    for label, result in zip(labels[1:], results[1:]):
        for what, get in checks.items():
            if get(result) != get(base):
                problems.append(f"{label} and {labels[0]} differ in {what}: the comparison covers "
                                f"only what both have")
    return problems


# ----------------------------------------------------------------------------- formatting

def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def signed(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:+.1f}"


def _mean(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a
