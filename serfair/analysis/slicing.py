"""Slices: manifest columns and their intersections (`gender*dataset`), as group labels."""

from __future__ import annotations

import pandas as pd

from serfair.errors import SpecError

INTERSECTION = "*"


def slice_columns(name: str) -> list[str]:
    """`gender*accent` -> ['gender', 'accent']."""
    return [part.strip() for part in name.split(INTERSECTION) if part.strip()]


def check_slices(slices: list[str], manifest: pd.DataFrame) -> None:
    """Raise SpecError for a slice column the manifest does not have."""
    for name in slices:
        for column in slice_columns(name):
            if column not in manifest.columns:
                usable = [c for c in manifest.columns if c not in ("path", "audio_path", "clip_id")]
                raise SpecError(f"slice '{name}': the manifest has no column '{column}' "
                                f"(columns: {', '.join(usable)})")


def group_labels(frame: pd.DataFrame, name: str) -> pd.Series:
    """One group label per row; intersections join the parts with ' & '; blanks become 'unknown'."""
    parts = [frame[c].astype(str).replace({"": "unknown", "nan": "unknown"}) for c in slice_columns(name)]
    labels = parts[0]
    for part in parts[1:]:
        labels = labels + " & " + part
    return labels.rename(name)
