"""Read and validate a clip manifest (CSV or JSONL) into a DataFrame."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pandas as pd

from serfair.data.clip_ids import check_clip_ids, derived_clip_id
from serfair.data.schema import REQUIRED_COLUMNS, normalise_gender
from serfair.errors import DataError
from serfair.vocab.emotions import normalise_label


def read_manifest(path: Path | str, *, check_files: bool = True) -> pd.DataFrame:
    """Load a CSV/JSONL manifest; paths are resolved relative to the manifest's folder."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"manifest {path} does not exist")
    frame = parse_manifest(path)
    return validate_manifest(frame, root=path.parent, source=str(path), check_files=check_files)


def parse_manifest(path: Path) -> pd.DataFrame:
    """The manifest's rows as text; errors say what is wrong with the file and how to fix it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise DataError(
            f"manifest {path} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} on line {line}); "
            f"save it as UTF-8, e.g. `iconv -f latin1 -t utf-8 {path.name} > fixed.csv`") from exc
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        try:
            return pd.read_json(io.StringIO(text), lines=path.suffix.lower() != ".json", dtype=False)
        except ValueError as exc:
            raise DataError(f"cannot parse manifest {path}: {exc}") from exc
    return _csv_rows(text, path)


def _csv_rows(text: str, path: Path) -> pd.DataFrame:
    """Comma-separated rows, each with the header's number of fields (blank lines skipped)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[list[str]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = row
                if len(row) == 1 and ";" in row[0]:
                    raise DataError(
                        f"manifest {path} is separated by semicolons (header: {row[0]}); serfair "
                        f"reads comma-separated CSV: save it with commas (quote values that "
                        f"contain commas)")
                repeated = sorted({h.strip() for h in row if [c.strip() for c in row].count(h.strip()) > 1})
                if repeated:
                    raise DataError(f"manifest {path}: the header names the column(s) "
                                    f"{', '.join(repeated)} twice; keep one of each")
                continue
            if len(row) != len(header):
                raise DataError(
                    f"manifest {path}, line {reader.line_num}: {len(row)} field(s) but the header "
                    f"has {len(header)}; quote values that contain commas (\"a, b\") and give "
                    f"every row the header's columns")
            rows.append(row)
    except csv.Error as exc:
        raise DataError(f"manifest {path}, line {reader.line_num}: not valid CSV ({exc})") from exc
    return pd.DataFrame(rows, columns=[h.strip() for h in header or []], dtype=str)


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
    given = list(frame["clip_id"]) if "clip_id" in frame.columns else [""] * len(frame)
    check_clip_ids(given, source)
    frame["clip_id"] = [c or _derived(p, root, source, i) for i, (c, p) in
                        enumerate(zip(given, frame["path"]))]
    _check_unique(frame, source, all(given))
    if check_files:
        _check_files(frame, source)
    return frame


def _derived(path_text: str, root: Path, source: str, row: int) -> str:
    try:
        return derived_clip_id(path_text, root)
    except DataError as exc:
        raise DataError(f"{source}, row {row + 2}: {exc}") from exc


def _check_unique(frame: pd.DataFrame, source: str, given: bool) -> None:
    """Duplicate clip ids, with the rows that share one and what to do."""
    repeated = frame["clip_id"].duplicated(keep=False)
    if not repeated.any():
        return
    first_id = frame["clip_id"][repeated].iloc[0]
    rows = [i + 2 for i in frame.index[frame["clip_id"] == first_id]]
    paths = ", ".join(frame["path"][frame["clip_id"] == first_id].tolist()[:4])
    why = ("the clip_id column repeats it" if given else
           "ids are the paths without their suffix, so two files that differ only by suffix "
           "(a.flac and a.wav) or that resolve to one path share an id")
    raise DataError(
        f"{source}: clip id '{first_id}' appears in rows {', '.join(map(str, rows))} ({paths}); "
        f"{why}. Drop the repeated rows, or add a clip_id column with a unique name per row "
        f"({int(repeated.sum())} rows share an id in all)"
    )


def _check_files(frame: pd.DataFrame, source: str) -> None:
    """Every clip path names an existing file (a folder is called a folder)."""
    absent = [i for i, p in enumerate(frame["audio_path"]) if not Path(p).is_file()]
    if not absent:
        return
    row = absent[0]
    where = Path(frame.at[row, "audio_path"])
    what = "is a folder, not an audio file" if where.is_dir() else "does not exist"
    raise DataError(
        f"{source}, row {row + 2}: audio file {where} {what} ({len(absent)} unusable in all); "
        f"paths are read relative to the manifest's folder"
    )


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
