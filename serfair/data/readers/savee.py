"""SAVEE: `AudioData/DC/a01.wav` (speaker folder) or `DC_a01.wav` (speaker prefix)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from serfair.data.readers.base import audio_files, corpus_info, register_corpus, relative_rows

INFO = corpus_info("savee")
SPEAKERS = "|".join(INFO["speakers"])
CODES = "|".join(sorted(INFO["emotions"], key=len, reverse=True))  # sa, su before s
PREFIXED = re.compile(rf"^({SPEAKERS})_({CODES})(\d\d)$")
IN_FOLDER = re.compile(rf"^({CODES})(\d\d)$")


def _files(folder: Path) -> list[tuple[Path, str, str, str]]:
    """(file, speaker, emotion code, sentence number) for each clip in either layout."""
    found = []
    for file in audio_files(folder):
        match = PREFIXED.match(file.stem)
        if match:
            found.append((file, *match.groups()))
            continue
        match = IN_FOLDER.match(file.stem)
        if match and file.parent.name in INFO["speakers"]:
            found.append((file, file.parent.name, *match.groups()))
    return found


def detect(folder: Path) -> bool:
    """A folder is SAVEE when clips sit in DC/JE/JK/KL folders or carry those prefixes."""
    return len(_files(folder)) > 0


def read(folder: Path) -> pd.DataFrame:
    """One row per clip; all four speakers are male, British English."""
    rows = []
    for file, speaker, code, number in _files(folder):
        rows.append({
            "file": file, "dataset": "savee", "speaker_id": f"savee_{speaker}",
            "gender": INFO["speakers"][speaker]["gender"], "accent": INFO["accent"],
            "language": INFO["language"], "emotion": INFO["emotions"][code],
            "emotion_raw": code, "sentence": f"{code}{number}",
        })
    return relative_rows(folder, rows)


READER = register_corpus("savee", detect, read)
