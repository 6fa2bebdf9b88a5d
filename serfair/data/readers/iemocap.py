"""IEMOCAP: `Session1/sentences/wav/<dialog>/<utterance>.wav`, labels in
`Session1/dialog/EmoEvaluation/<dialog>.txt`, speaker gender from the utterance id."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from serfair.data.readers.base import corpus_info, matching_files, register_corpus, relative_rows
from serfair.errors import DataError

INFO = corpus_info("iemocap")
# Ses01F_impro01_F000, Ses03M_script03_2_M032: session, who leads, dialog, speaker letter, turn
UTTERANCE = re.compile(r"^Ses(\d\d)([FM])_(impro|script)([\w]*)_([FM])(\d{3})$")
LABEL_LINE = re.compile(
    r"^\[(\d+\.\d+) - (\d+\.\d+)\]\s+(Ses\S+)\s+(\w+)\s+\[([\d.]+),\s*([\d.]+),\s*([\d.]+)\]")
GENDER = {"F": "female", "M": "male"}


def _files(folder: Path) -> list[tuple[Path, re.Match]]:
    return matching_files(folder, UTTERANCE)


def detect(folder: Path) -> bool:
    """A folder is IEMOCAP when its audio files are named like Ses01F_impro01_F000."""
    return len(_files(folder)) > 0


def labels(folder: Path) -> dict[str, tuple[str, float, float, float]]:
    """Utterance id -> (label code, valence, activation, dominance) from EmoEvaluation/*.txt."""
    found: dict[str, tuple[str, float, float, float]] = {}
    for path in sorted(folder.rglob("EmoEvaluation/*.txt")):
        for line in path.read_text(errors="replace").splitlines():
            m = LABEL_LINE.match(line.strip())
            if m:
                found[m.group(3)] = (m.group(4), float(m.group(5)), float(m.group(6)), float(m.group(7)))
    return found


def read(folder: Path) -> pd.DataFrame:
    """One row per utterance with its consensus label, session and speaker gender."""
    evaluations = labels(folder)
    if not evaluations:
        raise DataError(f"{folder} holds IEMOCAP utterances but no dialog/EmoEvaluation/*.txt label "
                        f"files; point --data at the IEMOCAP_full_release folder")
    rows = []
    for file, m in _files(folder):
        session, _lead, method, _dialog, letter, _turn = m.groups()
        code, valence, arousal, dominance = evaluations.get(file.stem, ("unlabelled", "", "", ""))
        rows.append({
            "file": file, "dataset": "iemocap", "speaker_id": f"iemocap_{session}{letter}",
            "gender": GENDER[letter], "accent": INFO["accent"], "language": INFO["language"],
            "emotion": INFO["emotions"].get(code, code), "emotion_raw": code,
            "session": f"Session{int(session)}", "method": "improvised" if method == "impro" else "scripted",
            "valence": str(valence), "arousal": str(arousal), "dominance": str(dominance),
        })
    return relative_rows(folder, rows)


READER = register_corpus("iemocap", detect, read)
