"""Load user hooks given as `package.module:function` (preprocess, postprocess, factories).

Whether a hook may be loaded at all is decided by the caller (serfair.trust): hooks named by a
file need --trust-code. `code_hash` fingerprints a hook's source so edited code re-infers.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import sys
from collections.abc import Callable
from pathlib import Path

from serfair.errors import SpecError
from serfair.trust import check_hook_module


def load_callable(reference: str, what: str = "hook") -> Callable:
    """Import `module:attr` (the current directory is importable, like `python -m`)."""
    if ":" not in reference:
        raise SpecError(f"{what} '{reference}' must look like package.module:function")
    check_hook_module(reference, what)
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


def code_hash(func: object) -> str | None:
    """sha256 of the source file that defines `func` (its module's file), or None if it has none.

    Part of the prediction cache key: editing a hook's module re-infers.
    """
    target = inspect.unwrap(func) if callable(func) else func
    module = sys.modules.get(getattr(target, "__module__", None) or "")
    try:
        file = inspect.getsourcefile(target) or getattr(module, "__file__", None)
    except TypeError:  # builtins and C functions have no source file
        file = getattr(module, "__file__", None)
    if not file or not Path(file).is_file():
        return None
    with open(file, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
