"""Provenance: tool and library versions, hashes, seed, time, command line."""

from __future__ import annotations

import platform
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from serfair.paths import shown_path

LIBRARIES = ("numpy", "pandas", "scikit-learn", "fairlearn", "audiomentations", "onnxruntime",
             "soundfile", "soxr", "librosa", "scipy", "jinja2", "matplotlib")


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def shown_command(argv: list[str]) -> str | None:
    """The command line, absolute file paths in it named as results name files (shown_path)."""
    if not argv or "serfair" not in argv[0]:
        return None
    words = ["serfair"]
    for arg in argv[1:]:
        key, eq, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
        words.append(key + eq + (shown_path(value) if Path(value).is_absolute() else value))
    return " ".join(words)


def provenance(spec, model: dict, manifest_sha256: str, started: float) -> dict:
    """Everything needed to say what produced a result and to reproduce it; files are named
    relative to the working folder (or by bare name) and identified by their hashes."""
    model = {**model, "path": shown_path(model.get("path"))} if model.get("path") else model
    return {
        "serfair_version": _version("serfair") or "unknown",
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "libraries": {name: _version(name) for name in LIBRARIES},
        "model": model,
        "manifest_sha256": manifest_sha256,
        "data": shown_path(spec.data) or "bundled demo set",
        "seed": spec.seed,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(time.time() - started, 2),
        "command": shown_command(sys.argv),
    }
