"""The reference recipe's clips: the six-emotion subset of a manifest, with split and label."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from .split import LABELS, split_of


def load_clips(data_dir: str | Path, limit_per_speaker: int | None = None) -> pd.DataFrame:
    """Six-emotion clips of the manifest with columns `split` (train / val / test), `label`
    (index into LABELS) and `clip_key` (see `clip_key`). `limit_per_speaker` keeps k clips of
    each speaker, evenly spread over its clips sorted by path, for quick runs."""
    data_dir = Path(data_dir)
    manifest = data_dir / "manifest.csv"
    if not manifest.exists():
        raise FileNotFoundError(f"{manifest} not found: --data must be a folder with manifest.csv")
    df = pd.read_csv(manifest, dtype={"speaker_id": str, "emotion": str, "path": str})
    df = df[df["emotion"].isin(LABELS)].copy()
    df["split"] = df["speaker_id"].map(split_of)
    df["label"] = df["emotion"].map({e: i for i, e in enumerate(LABELS)}).astype(int)
    df = df.sort_values(["speaker_id", "path"]).reset_index(drop=True)
    if limit_per_speaker is not None:
        keep = []
        for _, idx in df.groupby("speaker_id", sort=False).indices.items():
            k = min(limit_per_speaker, len(idx))
            keep.extend(idx[np.linspace(0, len(idx) - 1, k).round().astype(int)].tolist())
        df = df.iloc[sorted(set(keep))].reset_index(drop=True)
    df["abspath"] = [str(data_dir / p) for p in df["path"]]
    df["clip_key"] = [clip_key(p) for p in df["path"]]
    return df


def clip_key(path: str) -> int:
    """A stable integer id of a clip (from its manifest path) that keys its random draws, so a
    clip gets the same crops and augmentation whichever other clips are loaded."""
    return int(hashlib.sha1(path.replace("\\", "/").encode()).hexdigest()[:12], 16)
