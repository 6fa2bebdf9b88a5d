"""Where bundled things live: reference models, the demo set, the default audit spec."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DEFAULT_MODEL_NAME = "cnnlstm-v1"


def reference_models_dir() -> Path:
    """`reference_models/` of the source tree (or $SERFAIR_REFERENCE_MODELS)."""
    return Path(os.environ.get("SERFAIR_REFERENCE_MODELS", PROJECT_DIR / "reference_models"))


def reference_model(name: str = DEFAULT_MODEL_NAME) -> Path:
    """The path of a bundled reference model."""
    return reference_models_dir() / f"{name}.onnx"


def audits_dir() -> Path:
    """`audits/` of the source tree."""
    return PROJECT_DIR / "audits"
