"""Output paths stay inside the output folder and never replace an input.

Every file serfair writes is joined with `safe_join` (a name from data, such as a clip id, cannot
climb out of the folder with `..` or an absolute path, nor through a symlink) and checked with
`refuse_inputs` (a run never writes over the manifest, the audio or the model it reads).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from serfair.errors import SerfairError


class UnsafePathError(SerfairError):
    """An output path would leave the output folder or replace an input file."""


def safe_join(root: Path, *parts: str) -> Path:
    """`root / parts...`, refused when the result would lie outside `root` (symlinks resolved)."""
    joined = Path(root).joinpath(*parts)
    for part in parts:
        if Path(part).is_absolute() or ".." in Path(part).parts:
            raise UnsafePathError(
                f"refusing to write {joined}: the name {part!r} is absolute or climbs out with "
                f"'..'; every output must lie inside {root}")
    base = Path(root).resolve()
    target = joined.resolve()
    if target != base and base not in target.parents:
        raise UnsafePathError(
            f"refusing to write {joined}: it resolves to {target}, outside the output folder "
            f"{base} (a symlink?); choose another --out")
    return joined


def refuse_inputs(targets: Iterable[Path], inputs: Iterable[str | Path]) -> None:
    """Raise if any output target is one of the input files (same file after resolving)."""
    resolved = {Path(p).resolve() for p in inputs if p}
    for target in targets:
        if Path(target).resolve() in resolved:
            raise UnsafePathError(
                f"refusing to write {target}: it is one of this run's input files; choose an "
                f"--out folder apart from the data and the model")
