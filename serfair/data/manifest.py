"""Read and validate a clip manifest (CSV or JSONL) into a DataFrame."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from serfair.data.schema import REQUIRED_COLUMNS, normalise_gender
from serfair.errors import DataError
from serfair.vocab.emotions import normalise_label


def read_manifest(path: Path | str, *, check_files: bool = True) -> pd.DataFrame:
    """Load a CSV/JSONL manifest; paths are resolved relative to the manifest's folder."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"manifest {path} does not exist")
    try:
        if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
            frame = pd.read_json(path, lines=path.suffix.lower() != ".json", dtype=False)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot parse manifest {path}: {exc}") from exc
    return validate_manifest(frame, root=path.parent, source=str(path), check_files=check_files)


def validate_manifest(
    frame: pd.DataFrame, *, root: Path, source: str = "manifest", check_files: bool = True
) -> pd.DataFrame:
    """Check columns and rows, normalise labels and genders, add `clip_id` and `audio_path`."""
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            f"{source} lacks the column(s) {', '.join(missing)}; a manifest needs at least "
            f"{', '.join(REQUIRED_COLUMNS)} (found: {', '.join(map(str, frame.columns)) or 'none'})"
        )
    if frame.empty:
        raise DataError(f"{source} has no rows: there is nothing to audit")
    frame = frame.copy().reset_index(drop=True)
    for column in frame.columns:
        frame[column] = frame[column].map(_clean_cell)
    for column in REQUIRED_COLUMNS:
        empty = frame.index[frame[column] == ""].tolist()
        if empty:
            row = empty[0]
            raise DataError(
                f"{source}, row {row + 2} ({frame.at[row, 'path'] or 'no path'}): "
                f"the column '{column}' is empty ({len(empty)} row(s) in all); fill it in or drop the rows"
            )
    frame["gender"] = frame["gender"].map(normalise_gender)
    frame["emotion"] = frame["emotion"].map(normalise_label)
    frame["audio_path"] = [str((root / p).resolve()) if not Path(p).is_absolute() else p
                           for p in frame["path"]]
    if "clip_id" not in frame.columns or (frame["clip_id"] == "").any():
        frame["clip_id"] = [str(Path(p).with_suffix("")).replace("\\", "/") for p in frame["path"]]
    duplicated = frame["clip_id"][frame["clip_id"].duplicated()].tolist()
    if duplicated:
        raise DataError(f"{source}: clip ids must be unique, '{duplicated[0]}' appears twice")
    if check_files:
        absent = [i for i, p in enumerate(frame["audio_path"]) if not Path(p).is_file()]
        if absent:
            row = absent[0]
            raise DataError(
                f"{source}, row {row + 2}: audio file {frame.at[row, 'audio_path']} does not exist "
                f"({len(absent)} missing in all); paths are read relative to the manifest's folder"
            )
    return frame


def _clean_cell(value: object) -> str:
    """Cells as stripped text; missing values become the empty string."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def manifest_hash(frame: pd.DataFrame) -> str:
    """A sha256 over the manifest's content (row order independent), for provenance."""
    columns = sorted(c for c in frame.columns if c != "audio_path")
    rows = frame[columns].astype(str).sort_values("clip_id" if "clip_id" in columns else columns[0])
    return hashlib.sha256(rows.to_csv(index=False).encode()).hexdigest()
