"""TESS: `OAF_back_angry.wav` / `YAF_back_ps.wav` (speaker, word, emotion) in per-emotion folders."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from serfair.data.readers.base import corpus_info, matching_files, register_corpus, relative_rows

INFO = corpus_info("tess")
PATTERN = re.compile(r"^(OAF|YAF)_([A-Za-z']+)_([A-Za-z]+)$", re.IGNORECASE)


def _files(folder: Path) -> list[tuple[Path, re.Match]]:
    return [(f, m) for f, m in matching_files(folder, PATTERN)
            if m.group(3).lower() in INFO["emotions"]]


def detect(folder: Path) -> bool:
    """A folder is TESS when its audio files are named OAF_/YAF_<word>_<emotion>."""
    return len(_files(folder)) > 0


def read(folder: Path) -> pd.DataFrame:
    """One row per clip; both speakers are female, Canadian English, aged 64 (OAF) and 26 (YAF)."""
    rows = []
    for file, m in _files(folder):
        code, word, emotion = m.group(1).upper(), m.group(2).lower(), m.group(3).lower()
        speaker = INFO["speakers"][code]
        rows.append({
            "file": file, "dataset": "tess", "speaker_id": f"tess_{code}",
            "gender": speaker["gender"], "age": str(speaker["age"]),
            "age_group": speaker["age_group"], "accent": INFO["accent"],
            "language": INFO["language"], "emotion": INFO["emotions"][emotion],
            "emotion_raw": emotion, "text": INFO["carrier_phrase"].format(word=word),
        })
    return relative_rows(folder, rows)


READER = register_corpus("tess", detect, read)
