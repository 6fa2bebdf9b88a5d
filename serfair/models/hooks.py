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
from types import ModuleType

from serfair.errors import SpecError
from serfair.trust import check_hook_module

# module name -> sha256 of its source file when serfair loaded a hook from it
_LOADED: dict[str, str | None] = {}


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
    module = _fresh(module_name, module)
    target = module
    for part in attr.split("."):
        if not hasattr(target, part):
            raise SpecError(f"{what} '{reference}': {module_name} has no attribute '{attr}'")
        target = getattr(target, part)
    if not callable(target):
        raise SpecError(f"{what} '{reference}' is not callable")
    return target


def _digest(file: str | None) -> str | None:
    if not file or not Path(file).is_file():
        return None
    with open(file, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _fresh(name: str, module: ModuleType) -> ModuleType:
    """The module, executed again from its source if that changed since serfair loaded a hook
    from it (compiled from the text, not a cached .pyc), so an edited hook runs its new code."""
    file = getattr(module, "__file__", None)
    digest = _digest(file)
    if name in _LOADED and _LOADED[name] != digest and file and file.endswith(".py"):
        code = compile(Path(file).read_bytes(), file, "exec", dont_inherit=True)
        exec(code, module.__dict__)  # noqa: S102 - a hook already loaded, run again after an edit
    _LOADED[name] = digest
    return module


def loaded_hook_hashes() -> tuple[tuple[str, str | None], ...]:
    """The current sha256 of every module serfair loaded a hook from (for adapter caches)."""
    return tuple(sorted((name, _digest(getattr(sys.modules.get(name), "__file__", None)))
                        for name in _LOADED))


def code_hash(func: object) -> str | None:
    """sha256 of the source that defines `func` (its module's file as loaded), or None if it has
    none. Part of the prediction cache key: editing a hook's module re-infers.
    """
    target = inspect.unwrap(func) if callable(func) else func
    name = getattr(target, "__module__", None) or ""
    if name in _LOADED:
        return _LOADED[name]
    module = sys.modules.get(name)
    try:
        file = inspect.getsourcefile(target) or getattr(module, "__file__", None)
    except TypeError:  # builtins and C functions have no source file
        file = getattr(module, "__file__", None)
    return _digest(file)
