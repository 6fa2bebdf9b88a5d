"""Load user hooks given as `package.module:function` (preprocess, postprocess, factories)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path

from serfair.errors import SpecError


def load_callable(reference: str, what: str = "hook") -> Callable:
    """Import `module:attr` (the current directory is importable, like `python -m`)."""
    if ":" not in reference:
        raise SpecError(f"{what} '{reference}' must look like package.module:function")
    module_name, _, attr = reference.partition(":")
    cwd = str(Path.cwd())
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise SpecError(f"{what} '{reference}': cannot import {module_name} ({exc})") from exc
    target = module
    for part in attr.split("."):
        if not hasattr(target, part):
            raise SpecError(f"{what} '{reference}': {module_name} has no attribute '{attr}'")
        target = getattr(target, part)
    if not callable(target):
        raise SpecError(f"{what} '{reference}' is not callable")
    return target
