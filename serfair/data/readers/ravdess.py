"""RAVDESS: `modality-channel-emotion-intensity-statement-repetition-actor` file names."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from serfair.data.readers.base import corpus_info, matching_files, register_corpus, relative_rows

INFO = corpus_info("ravdess")
PATTERN = re.compile(r"^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)$")


def _files(folder: Path) -> list[tuple[Path, re.Match]]:
    return [(f, m) for f, m in matching_files(folder, PATTERN) if m.group(3) in INFO["emotions"]]


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
            "gender": "male" if actor % 2 else "female", "accent": INFO["accent"],
            "language": INFO["language"], "emotion": INFO["emotions"][m.group(3)],
            "emotion_raw": m.group(3), "intensity": INFO["intensity"].get(m.group(4), m.group(4)),
            "text": INFO["statements"].get(m.group(5), m.group(5)),
            "vocal_channel": INFO["vocal_channel"].get(m.group(2), m.group(2)),
        })
    return relative_rows(folder, rows)


READER = register_corpus("ravdess", detect, read)
