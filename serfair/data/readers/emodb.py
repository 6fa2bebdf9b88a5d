"""Berlin EmoDB: `SSTTTEV` file names (speaker, text, emotion letter, version)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from serfair.data.readers.base import CorpusReader, audio_files, register, relative_rows

EMOTIONS = {"W": "angry", "L": "boredom", "E": "disgust", "A": "fearful", "F": "happy",
            "T": "sad", "N": "neutral"}
# Speaker id -> (gender, age at recording), from the corpus documentation.
SPEAKERS = {"03": ("male", 31), "08": ("female", 34), "09": ("female", 21), "10": ("male", 32),
            "11": ("male", 26), "12": ("male", 30), "13": ("female", 32), "14": ("female", 35),
            "15": ("male", 25), "16": ("female", 31)}
PATTERN = re.compile(r"^(\d\d)([ab]\d\d)([WLEAFTN])([a-z])$")


def _files(folder: Path) -> list[tuple[Path, re.Match]]:
    found = []
    for file in audio_files(folder):
        match = PATTERN.match(file.stem)
        if match and match.group(1) in SPEAKERS:
            found.append((file, match))
    return found


def detect(folder: Path) -> bool:
    """A folder is EmoDB when its audio files follow the SSTTTEV naming."""
    return len(_files(folder)) > 0


def read(folder: Path) -> pd.DataFrame:
    """One row per clip with the speaker's gender and age; German (de-DE)."""
    rows = []
    for file, m in _files(folder):
        gender, age = SPEAKERS[m.group(1)]
        rows.append({
            "file": file, "dataset": "emodb", "speaker_id": f"emodb_{m.group(1)}",
            "gender": gender, "accent": "de-DE", "language": "de", "age": str(age),
            "emotion": EMOTIONS[m.group(3)], "emotion_raw": m.group(3), "text": m.group(2),
        })
    return relative_rows(folder, rows)


READER = register(CorpusReader(
    name="emodb",
    description="Berlin Database of Emotional Speech, 10 actors (5 F / 5 M), German",
    provides=("speaker_id", "gender", "age", "accent", "language", "emotion", "text"),
    detect=detect, read=read, licence="free for research; cite Burkhardt et al. 2005",
))
