"""Stage keys of a run folder: what each stage's output was computed from.

A re-run computes each stage's key from its inputs (file contents, not names or times) and redoes
only the stages whose key changed: an unchanged re-run reads its result back, a changed policy
re-gates and re-renders, a changed slice or stats setting re-analyses the stored predictions, and
only a changed model, data set, condition or seed runs the model (and then only for what the
predictions store lacks). Keys and small payloads live in `<run folder>/stages.json`.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

FILE = "stages.json"


def digest(*parts: Any) -> str:
    """sha256 of the parts as canonical JSON."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def file_digest(path: str | Path) -> str | None:
    """sha256 of a file's bytes, None when it is not a file."""
    path = Path(path)
    if not path.is_file():
        return None
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def code_version() -> str:
    """The installed serfair's version: results of another version are never reused."""
    try:
        return metadata.version("serfair")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


class StageCache:
    """The stage keys recorded in one run folder."""

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / FILE
        try:
            self._stages: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._stages = {}

    def payload(self, stage: str, key: str | None) -> dict | None:
        """What the stage recorded when it last ran with this key, or None (a miss)."""
        entry = self._stages.get(stage)
        if key is None or not entry or entry.get("key") != key:
            return None
        files = entry.get("files", {})
        if any(file_digest(p) != d for p, d in files.items()):  # an output was edited or removed
            return None
        return entry.get("payload", {})

    def record(self, stage: str, key: str | None, payload: dict | None = None,
               files: list[Path] | tuple[Path, ...] = ()) -> None:
        """Remember a stage's key, payload and output files (their hashes); later stages are
        forgotten, since they were computed from the previous output."""
        if key is None:
            self._stages.pop(stage, None)
        else:
            self._stages[stage] = {"key": key, "payload": payload or {},
                                   "files": {str(p): file_digest(p) for p in files}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._stages, indent=1, default=str), encoding="utf-8")
        os.replace(tmp, self.path)
