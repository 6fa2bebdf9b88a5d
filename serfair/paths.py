"""Where bundled things live: reference models, the demo set, the audit specs.

In a source checkout they are the top-level `reference_models/` and `audits/`; an installed wheel
carries copies in `serfair/_bundled/` (setup.py puts them there).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
BUNDLED_DIR = PACKAGE_DIR / "_bundled"
DEFAULT_MODEL_NAME = "cnnlstm-v1"


def bundled(name: str) -> Path:
    """The source tree's top-level folder `name`, else the wheel's copy of it."""
    source = PROJECT_DIR / name
    return source if source.is_dir() else BUNDLED_DIR / name


def reference_models_dir() -> Path:
    """`reference_models/` (or $SERFAIR_REFERENCE_MODELS)."""
    return Path(os.environ.get("SERFAIR_REFERENCE_MODELS", bundled("reference_models")))


def reference_model(name: str = DEFAULT_MODEL_NAME) -> Path:
    """The path of a bundled reference model."""
    return reference_models_dir() / f"{name}.onnx"


def audits_dir() -> Path:
    """`audits/`: the bundled audit specs and policies."""
    return bundled("audits")


def resolve_spec(path: str | Path) -> Path:
    """`path` if it exists; else the bundled spec or policy it names (`demo`, `ci-gate.yaml`,
    `audits/demo.yaml` from any folder); else `path` unchanged, for the caller's error."""
    path = Path(path)
    if path.exists() or path.parent not in (Path("."), Path("audits")):
        return path
    for candidate in (audits_dir() / path.name, audits_dir() / f"{path.name}.yaml"):
        if candidate.is_file():
            return candidate
    return path


def bundled_specs() -> str:
    """The bundled specs and policies by name, for error messages."""
    return ", ".join(sorted(p.stem for p in audits_dir().glob("*.yaml"))) or "(none)"
