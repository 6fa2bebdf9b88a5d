"""Berlin EmoDB: `SSTTTEV` file names (speaker, text, emotion letter, version)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from serfair.data.readers.base import corpus_info, matching_files, register_corpus, relative_rows

INFO = corpus_info("emodb")
PATTERN = re.compile(r"^(\d\d)([ab]\d\d)([WLEAFTN])([a-z])$")


def _files(folder: Path) -> list[tuple[Path, re.Match]]:
    return [(f, m) for f, m in matching_files(folder, PATTERN) if m.group(1) in INFO["speakers"]]


def detect(folder: Path) -> bool:
    """A folder is EmoDB when its audio files follow the SSTTTEV naming."""
    return len(_files(folder)) > 0


def read(folder: Path) -> pd.DataFrame:
    """One row per clip with the speaker's gender and age; German (de-DE)."""
    rows = []
    for file, m in _files(folder):
        speaker = INFO["speakers"][m.group(1)]
        rows.append({
            "file": file, "dataset": "emodb", "speaker_id": f"emodb_{m.group(1)}",
            "gender": speaker["gender"], "accent": INFO["accent"], "language": INFO["language"],
            "age": str(speaker["age"]), "emotion": INFO["emotions"][m.group(3)],
            "emotion_raw": m.group(3), "text": m.group(2),
        })
    return relative_rows(folder, rows)


READER = register_corpus("emodb", detect, read)
