"""RAVDESS: `modality-channel-emotion-intensity-statement-repetition-actor` file names."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from serfair.data.readers.base import CorpusReader, audio_files, register, relative_rows

EMOTIONS = {"01": "neutral", "02": "calm", "03": "happy", "04": "sad", "05": "angry",
            "06": "fearful", "07": "disgust", "08": "surprised"}
INTENSITY = {"01": "normal", "02": "strong"}
STATEMENTS = {"01": "Kids are talking by the door", "02": "Dogs are sitting by the door"}
PATTERN = re.compile(r"^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)$")


def _files(folder: Path) -> list[tuple[Path, re.Match]]:
    found = []
    for file in audio_files(folder):
        match = PATTERN.match(file.stem)
        if match and match.group(3) in EMOTIONS:
            found.append((file, match))
    return found


def detect(folder: Path) -> bool:
    """A folder is RAVDESS when its audio files follow the seven-field naming."""
    return len(_files(folder)) > 0


def read(folder: Path) -> pd.DataFrame:
    """One row per clip; odd actors are male, even are female; all North American English."""
    rows = []
    for file, m in _files(folder):
        actor = int(m.group(7))
        rows.append({
            "file": file, "dataset": "ravdess", "speaker_id": f"ravdess_{actor:02d}",
            "gender": "male" if actor % 2 else "female", "accent": "en-US", "language": "en",
            "emotion": EMOTIONS[m.group(3)], "emotion_raw": m.group(3),
            "intensity": INTENSITY.get(m.group(4), m.group(4)),
            "text": STATEMENTS.get(m.group(5), m.group(5)),
        })
    return relative_rows(folder, rows)


READER = register(CorpusReader(
    name="ravdess",
    description="Ryerson Audio-Visual Database of Emotional Speech and Song, 24 actors (12 F / 12 M)",
    provides=("speaker_id", "gender", "accent", "language", "emotion", "intensity", "text"),
    detect=detect, read=read, licence="CC BY-NC-SA 4.0 (Livingstone & Russo 2018)",
))
