"""Confounded attributes: when a slicing coincides with another attribute, say so in words.

For each column a slice uses and each other attribute column (sliced, or one of CANDIDATES that
the manifest has), both with at least two values:

- same partition: each value of one maps to exactly one value of the other and back (accent fixed
  by dataset, one accent per corpus);
- nested: each group of the sliced column lies within one value of the other (but not back);
- single-valued cells: some value of the other attribute has only one value of the sliced column
  (a corpus with one gender, like TESS or SAVEE).

In every case a gap by the sliced column cannot be attributed to it rather than to the other.
"""

from __future__ import annotations

import pandas as pd

from serfair.analysis.slicing import group_labels, slice_columns

CANDIDATES = ("dataset", "corpus", "accent", "language", "gender", "age_group")


def _values(frame: pd.DataFrame, column: str) -> pd.Series:
    return group_labels(frame, column)


def _relation(a: pd.Series, b: pd.Series) -> tuple[str, list[tuple[str, str]]] | None:
    """How column a relates to column b, with the (b value, a value) pairs that show it."""
    pairs = pd.DataFrame({"a": a.to_numpy(), "b": b.to_numpy()}).drop_duplicates()
    if pairs["a"].nunique() < 2 or pairs["b"].nunique() < 2:
        return None
    a_per_b = pairs.groupby("b")["a"].nunique()
    b_per_a = pairs.groupby("a")["b"].nunique()
    shown = sorted((str(r.b), str(r.a)) for r in pairs.itertuples())
    if (b_per_a == 1).all() and (a_per_b == 1).all():
        return "same_partition", shown
    if (b_per_a == 1).all():
        return "nested", shown
    single = [str(v) for v in a_per_b.index[a_per_b == 1]]
    if single:
        return "single_valued", [(bv, av) for bv, av in shown if bv in single]
    return None


def _message(a: str, b: str, relation: str, pairs: list[tuple[str, str]]) -> str:
    listed = ", ".join(f"{b} = {bv}: {a} = {av}" for bv, av in pairs[:6])
    more = f" and {len(pairs) - 6} more" if len(pairs) > 6 else ""
    why = {
        "same_partition": f"{a} and {b} split the clips the same way ({listed}{more})",
        "nested": f"each {a} group lies within a single {b} ({listed}{more})",
        "single_valued": f"some {b} values have a single {a} ({listed}{more})",
    }[relation]
    reverse = ", nor the reverse" if relation == "same_partition" else ""
    return f"{why}: a gap by {a} cannot be attributed to {a} rather than {b}{reverse}."


def find_confounding(clips: pd.DataFrame, slices: list[str]) -> list[dict]:
    """One record per (sliced column, other attribute) that are confounded in these clips."""
    sliced = list(dict.fromkeys(c for name in slices for c in slice_columns(name)))
    others = list(dict.fromkeys(sliced + [c for c in CANDIDATES if c in clips.columns]))
    records = []
    for a in sliced:
        for b in others:
            if a == b:
                continue
            found = _relation(_values(clips, a), _values(clips, b))
            if found is None:
                continue
            relation, pairs = found
            stated = any(r["column"] == b and r["with"] == a for r in records)
            if relation == "same_partition" and stated:
                continue  # stated once per pair
            records.append({"kind": "confounded", "column": a, "with": b, "relation": relation,
                            "message": _message(a, b, relation, pairs)})
    return records


def confounders_of(slice_name: str, records: list[dict]) -> list[str]:
    """Attributes a slicing is confounded with (other than the columns it already crosses)."""
    columns = slice_columns(slice_name)
    found = {r["with"] for r in records if r["column"] in columns}
    found |= {r["column"] for r in records
              if r["relation"] == "same_partition" and r["with"] in columns}
    return sorted(found - set(columns))
