"""Shared by the examples: pick a few clips of the bundled demo set (or any manifest)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from serfair.data.audio import load_audio
from serfair.data.loader import demo_data_dir, load_dataset

EMOTIONS = ("angry", "happy", "neutral", "sad")


def pick_clips(data: str | Path | None = None, per_emotion: int = 2,
               emotions: tuple[str, ...] = EMOTIONS) -> pd.DataFrame:
    """Up to `per_emotion` clips of each of the given emotions from each speaker."""
    clips = load_dataset(data or demo_data_dir())
    clips = clips[clips["emotion"].isin(emotions)]
    return clips.groupby(["speaker_id", "emotion"], group_keys=False).head(per_emotion) \
        .reset_index(drop=True)


def write_manifest(clips: pd.DataFrame, path: Path) -> Path:
    """A manifest CSV with absolute audio paths, usable as --data from anywhere."""
    keep = clips.drop(columns=["audio_path"]).assign(path=clips["audio_path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    keep.to_csv(path, index=False)
    return path


def waves(clips: pd.DataFrame, sample_rate: int = 16000) -> list:
    """Decoded mono float32 waveforms."""
    return [load_audio(p, sample_rate) for p in clips["audio_path"]]
