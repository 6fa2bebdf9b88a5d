"""docs/perturbations.md documents every family and parameter with its unit, range and default."""

from __future__ import annotations

from pathlib import Path

from serfair.perturb import FAMILIES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "perturbations.md"


def test_every_family_has_a_table_with_every_parameter():
    text = DOCS.read_text(encoding="utf-8")
    sections = {part.split("`")[1]: part for part in text.split("\n### ")[1:]}
    for family in FAMILIES.values():
        if family.name == "clean":
            continue
        assert family.name in sections, f"docs/perturbations.md has no section for {family.name}"
        rows = {line.split("|")[1].strip(" `"): [c.strip() for c in line.split("|")[2:-1]]
                for line in sections[family.name].splitlines() if line.startswith("| `")}
        for p in family.params:
            assert p.name in rows, f"{family.name}: parameter {p.name} is not documented"
            unit, valid, default = rows[p.name][:3]
            assert unit == p.unit
            assert f"{p.default:g}" == default
            assert f"{p.low:g}" in valid and f"{p.high:g}" in valid
