"""Clip ids: relative, portable names that are safe as parts of file names.

A clip's id is its path relative to the manifest's folder, without the suffix, with `/` between
folders (`Actor_01/03-01-05-01-01-01-01`). A clip outside that folder (an absolute path
elsewhere, or `../`) is named by its absolute path without the leading `/` or drive
(`/corpus/a.flac` -> `corpus/a`); add a `clip_id` column for ids that do not depend on where
the files lie. Ids are derived from the text alone (no symlinks followed), so they are the same on
every run: they seed the perturbations (serfair.perturb.seeding) and name `serfair perturb`'s files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from serfair.errors import DataError

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def derived_clip_id(path_text: str, root: Path) -> str:
    """The id of the clip at `path_text` (as written in a manifest whose folder is `root`)."""
    text = path_text.replace("\\", "/")
    base = os.path.abspath(root)
    full = PurePosixPath(os.path.normpath(os.path.join(base, text)))
    base_posix = PurePosixPath(base)
    try:
        relative = full.relative_to(base_posix)
    except ValueError:
        relative = full.relative_to(full.anchor)
    if not relative.name or relative.name in (".", ".."):
        raise DataError(f"the path '{path_text}' names no file (it ends in a folder)")
    keep_suffix = not relative.suffix or relative.stem in (".", "..")  # `...wav` is not `..`
    return (relative if keep_suffix else relative.with_suffix("")).as_posix()


def clip_id_problem(clip_id: str) -> str | None:
    """Why a `clip_id` value cannot be used as a relative file name, or None when it can."""
    if not clip_id:
        return "it is empty"
    if _CONTROL.search(clip_id):
        return "it contains control characters"
    if "\\" in clip_id:
        return "it contains a backslash (use / between folders)"
    if clip_id.startswith("/") or _DRIVE.match(clip_id):
        return "it is an absolute path"
    parts = clip_id.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return "it has an empty, '.' or '..' part"
    return None


def check_clip_ids(ids: list[str], source: str) -> None:
    """Refuse clip ids that are not relative portable names, naming the first bad row (empty
    values are allowed: those clips are named by their paths)."""
    for row, clip_id in enumerate(ids):
        problem = clip_id_problem(clip_id) if clip_id else None
        if problem:
            raise DataError(
                f"{source}, row {row + 2}: clip_id {clip_id!r} cannot be used: {problem}. A clip_id "
                f"is a relative name like 'speaker1/clip01' (letters, digits, '/' between parts)"
            )
