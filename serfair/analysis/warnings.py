"""Warnings instead of false verdicts: cells too small to judge."""

from __future__ import annotations

import pandas as pd


def cell_warnings(groups: pd.DataFrame, min_speakers: int = 5, min_clips: int = 20) -> list[dict]:
    """One warning per (slice, group) with fewer speakers or clips than the minimum (clean rows)."""
    if groups.empty:
        return []
    first = groups["condition"].iloc[0]
    small = groups[(groups["condition"] == first) & (groups["slice"] != "all")
                   & ((groups["n_speakers"] < min_speakers) | (groups["n_clips"] < min_clips))]
    return [{
        "kind": "small_cell", "slice": r.slice, "group": r.group,
        "message": (f"{r.slice} = {r.group} has {r.n_speakers} speaker(s) and {r.n_clips} clip(s), "
                    f"fewer than {min_speakers} speakers or {min_clips} clips: its numbers are "
                    f"reported but not gated"),
    } for r in small.itertuples()]
