"""Provenance: tool and library versions, hashes, seed, time, command line."""

from __future__ import annotations

import platform
import sys
import time
from datetime import datetime, timezone
from importlib import metadata

LIBRARIES = ("numpy", "pandas", "scikit-learn", "fairlearn", "audiomentations", "onnxruntime",
             "soundfile", "soxr", "librosa", "scipy", "jinja2", "matplotlib")


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def provenance(spec, model: dict, manifest_sha256: str, started: float) -> dict:
    """Everything needed to say what produced a result and to reproduce it."""
    return {
        "serfair_version": _version("serfair") or "unknown",
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "libraries": {name: _version(name) for name in LIBRARIES},
        "model": model,
        "manifest_sha256": manifest_sha256,
        "data": spec.data or "bundled demo set",
        "seed": spec.seed,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(time.time() - started, 2),
        "command": " ".join(["serfair", *sys.argv[1:]]) if sys.argv and "serfair" in sys.argv[0] else None,
    }
