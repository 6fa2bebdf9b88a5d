"""The predictions store: rows saved as they are produced, keyed so that runs resume.

A row's key is a hash of (model sha256, model options, audio file hash, condition, seed), so a
killed run resumes where it stopped and an unchanged re-run infers nothing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Iterable

SCHEMA = """
CREATE TABLE IF NOT EXISTS predictions (
    key TEXT PRIMARY KEY,
    clip_id TEXT NOT NULL,
    condition TEXT NOT NULL,
    probs TEXT NOT NULL
)
"""


def audio_hash(path: str | Path) -> str:
    """sha1 of the audio file's bytes (cheap next to decoding it)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha1").hexdigest()


def prediction_key(model_id: str, audio: str, condition: str, seed: int | str | None) -> str:
    """The cache key of one (clip, condition) prediction."""
    text = f"{model_id}|{audio}|{condition}|{'' if seed is None else seed}"
    return hashlib.sha256(text.encode()).hexdigest()


class PredictionStore:
    """SQLite-backed append-only store of probability rows."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path))
        self._db.execute(SCHEMA)
        self._db.commit()

    def get_many(self, keys: Iterable[str]) -> dict[str, list[float]]:
        """The stored probabilities for those keys that are present."""
        found: dict[str, list[float]] = {}
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, probs in self._db.execute(
                    f"SELECT key, probs FROM predictions WHERE key IN ({marks})", chunk):
                found[key] = json.loads(probs)
        return found

    def put_many(self, rows: Iterable[tuple[str, str, str, list[float]]]) -> None:
        """Save (key, clip_id, condition, probs) rows and commit at once."""
        self._db.executemany(
            "INSERT OR REPLACE INTO predictions (key, clip_id, condition, probs) VALUES (?, ?, ?, ?)",
            [(k, c, cond, json.dumps([float(x) for x in p])) for k, c, cond, p in rows],
        )
        self._db.commit()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0])

    def close(self) -> None:
        self._db.close()
