"""The corpus reader protocol and registry: a folder in, a manifest DataFrame out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from serfair.errors import DataError


@dataclass(frozen=True)
class CorpusReader:
    """A corpus's conventions: how to recognise its folder and how to read its metadata."""

    name: str
    description: str
    provides: tuple[str, ...]
    detect: Callable[[Path], bool]
    read: Callable[[Path], pd.DataFrame]
    licence: str = ""
    extra: dict = field(default_factory=dict)


READERS: dict[str, CorpusReader] = {}


def register(reader: CorpusReader) -> CorpusReader:
    """Add a reader to the registry (one file per corpus calls this)."""
    READERS[reader.name] = reader
    return reader


def audio_files(folder: Path, suffixes: tuple[str, ...] = (".wav", ".flac")) -> list[Path]:
    """All audio files under a folder, sorted, so the manifest order is stable."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in suffixes and p.is_file())


def relative_rows(folder: Path, rows: list[dict]) -> pd.DataFrame:
    """Turn reader rows (with an absolute `file`) into a manifest frame with relative paths."""
    if not rows:
        raise DataError(f"{folder}: no audio files in the expected layout were found")
    frame = pd.DataFrame(rows)
    frame["path"] = [str(Path(f).relative_to(folder)) for f in frame.pop("file")]
    return frame
