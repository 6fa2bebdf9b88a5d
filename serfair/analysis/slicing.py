"""Slices: manifest columns and their intersections (`gender*dataset`), as group labels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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
    parts = [frame[c].astype(str).replace({"": "unknown", "nan": "unknown"})
             for c in slice_columns(name)]
    labels = parts[0]
    for part in parts[1:]:
        labels = labels + " & " + part
    return labels.rename(name)


ALL = "all"


@dataclass(frozen=True)
class Clusters:
    """The resampling units of one slicing: each speaker's clips within one group.

    Groups and clusters are sorted by name, so they do not depend on the order of the rows.
    """

    slice: str
    groups: tuple[str, ...]
    cluster_group: np.ndarray
    cluster_speaker: tuple[str, ...]
    row_cluster: np.ndarray

    @property
    def n_clusters(self) -> int:
        return len(self.cluster_speaker)

    def sizes(self) -> np.ndarray:
        """Number of clusters (speakers) per group."""
        return np.bincount(self.cluster_group, minlength=len(self.groups))

    @property
    def within_speaker(self) -> bool:
        """True when some speaker has clips in more than one group of this slicing."""
        return len(set(self.cluster_speaker)) < self.n_clusters


def speaker_clusters(frame: pd.DataFrame, name: str) -> Clusters:
    """Clusters of a slicing (`all` puts every row in one group)."""
    labels = (pd.Series(ALL, index=frame.index) if name == ALL else group_labels(frame, name))
    keys = labels.astype(str) + "\x1f" + frame["speaker_id"].astype(str)
    codes, uniques = pd.factorize(keys, sort=True)
    pairs = [u.split("\x1f", 1) for u in uniques]
    groups = tuple(sorted({g for g, _ in pairs}))
    where = {g: i for i, g in enumerate(groups)}
    return Clusters(slice=name, groups=groups,
                    cluster_group=np.array([where[g] for g, _ in pairs], dtype=np.int64),
                    cluster_speaker=tuple(s for _, s in pairs),
                    row_cluster=np.asarray(codes, dtype=np.int64))
