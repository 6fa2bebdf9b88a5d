"""Turn `--data` (a manifest file, a folder with a manifest, or a corpus folder) into clips."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from serfair.data.manifest import read_manifest, validate_manifest
from serfair.data.readers import READERS
from serfair.errors import DataError

MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")
DEMO_DIR = Path(__file__).resolve().parent / "demo"


def demo_data_dir() -> Path:
    """The bundled demo set (test speakers of the reference models only)."""
    if not (DEMO_DIR / "manifest.csv").exists():
        raise DataError(f"the bundled demo set is missing from {DEMO_DIR}; reinstall serfair")
    return DEMO_DIR


def manifest_file(source: str | Path | None, corpus: str | None = None) -> Path | None:
    """The manifest file `--data` reads, if it reads one (not for corpus layouts)."""
    path = Path(source) if source is not None else demo_data_dir()
    if path.is_file():
        return path
    return next((path / n for n in MANIFEST_NAMES if (path / n).is_file() and corpus is None), None)


def load_dataset(source: str | Path | None = None, *, corpus: str | None = None,
                 check_files: bool = True) -> pd.DataFrame:
    """Load clips from a manifest file, a folder with a manifest, or a known corpus layout.

    `check_files=False` accepts manifests whose audio is absent (audits of precomputed predictions).
    """
    path = Path(source) if source is not None else demo_data_dir()
    if not path.exists():
        raise DataError(f"--data {path} does not exist")
    if path.is_file():
        return read_manifest(path, check_files=check_files)
    for name in MANIFEST_NAMES:
        if (path / name).exists() and corpus is None:
            return read_manifest(path / name, check_files=check_files)
    readers = [READERS[corpus]] if corpus else [r for r in READERS.values() if r.detect(path)]
    if corpus and corpus not in READERS:
        raise DataError(f"unknown corpus '{corpus}'; known: {', '.join(sorted(READERS))}")
    if not readers:
        raise DataError(
            f"{path} has no manifest.csv and matches no known corpus layout "
            f"({', '.join(sorted(READERS))}); write a manifest with columns path, speaker_id, "
            f"gender, emotion (see `serfair datasets`)"
        )
    frames = [r.read(path) for r in readers]
    frame = pd.concat(frames, ignore_index=True).fillna("")
    return validate_manifest(frame, root=path, source=f"{path} ({'+'.join(r.name for r in readers)})")
