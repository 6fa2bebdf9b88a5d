"""CREMA-D: `AudioWAV/1001_DFA_ANG_XX.wav` (actor, sentence, emotion, level) and the speakers'
age, sex, race and ethnicity from `VideoDemographics.csv`."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from serfair.data.readers.base import corpus_info, matching_files, register_corpus, relative_rows
from serfair.errors import DataError

INFO = corpus_info("cremad")
PATTERN = re.compile(r"^(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})$")
SUFFIXES = (".wav", ".flac", ".mp3")  # AudioWAV is preferred over AudioMP3 when both are there


def _files(folder: Path) -> list[tuple[Path, re.Match]]:
    return [(f, m) for f, m in matching_files(folder, PATTERN, SUFFIXES, same=lambda f: f.stem)
            if m.group(3) in INFO["emotions"] and m.group(2) in INFO["sentences"]]


def detect(folder: Path) -> bool:
    """A folder is CREMA-D when its audio files follow the actor_sentence_emotion_level naming."""
    return len(_files(folder)) > 0


def demographics(folder: Path) -> pd.DataFrame:
    """VideoDemographics.csv (in the folder, below it, or beside an AudioWAV folder given as --data)."""
    name = INFO["demographics_file"]
    candidates = [folder / name, folder.parent / name, *sorted(folder.rglob(name))]
    path = next((c for c in candidates if c.is_file()), None)
    if path is None:
        raise DataError(
            f"{folder} holds CREMA-D clips but no {name}, which gives each actor's sex, age, race "
            f"and ethnicity; copy it from the corpus release next to the AudioWAV folder"
        )
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    columns = INFO["demographics_columns"]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{path} lacks the column(s) {', '.join(missing)}")
    frame = frame.rename(columns=columns)[list(columns.values())]
    return frame.assign(actor=frame["actor"].str.strip()).set_index("actor")


def read(folder: Path) -> pd.DataFrame:
    """One row per clip, with the actor's demographics; American English."""
    people = demographics(folder)
    files = _files(folder)
    unknown = sorted({m.group(1) for _, m in files} - set(people.index))
    if unknown:
        raise DataError(f"actors {', '.join(unknown[:5])} are not in {INFO['demographics_file']}")
    rows = []
    for file, m in files:
        actor, sentence, emotion, level = m.groups()
        person = people.loc[actor]
        rows.append({
            "file": file, "dataset": "cremad", "speaker_id": f"cremad_{actor}",
            "gender": person["gender"].strip().lower(), "age": person["age"].strip(),
            "race": person["race"].strip(), "ethnicity": person["ethnicity"].strip(),
            "accent": INFO["accent"], "language": INFO["language"],
            "emotion": INFO["emotions"][emotion], "emotion_raw": emotion,
            "intensity": INFO["levels"].get(level, level), "text": INFO["sentences"][sentence],
        })
    return relative_rows(folder, rows)


READER = register_corpus("cremad", detect, read)
