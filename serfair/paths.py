"""Where bundled things live: reference models, the demo set, the audit specs.

In a source checkout they are the top-level `reference_models/` and `audits/`; an installed wheel
carries copies in `serfair/_bundled/` (setup.py puts them there).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
BUNDLED_DIR = PACKAGE_DIR / "_bundled"
DEFAULT_MODEL_NAME = "cnnlstm-v1"


NOT_A_FILE = re.compile(r"^[A-Za-z][\w+.-]*://|^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")  # URL, module:factory


def shown_path(value: str | Path | None, base: Path | None = None) -> str | None:
    """A file as results name it: relative to the working folder when inside it, else its bare
    name (the result identifies it by hash), so no local absolute path leaves the machine.
    Relative paths, URLs and `module:factory` references are kept as given."""
    if value is None or NOT_A_FILE.match(str(value)):
        return None if value is None else str(value)
    path = Path(value)
    if not path.is_absolute():
        return Path(os.path.normpath(path)).as_posix()  # "audits/../x.csv" -> "x.csv"
    base = base or Path.cwd()
    for root in (Path(os.path.abspath(base)), Path(base).resolve()):
        for candidate in (Path(os.path.normpath(path)), path.resolve()):
            if candidate.is_relative_to(root):
                return candidate.relative_to(root).as_posix() or "."
    return path.name


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
