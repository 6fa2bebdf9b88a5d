"""The figure views of report.html, cached on disk by the content they are drawn from.

Drawing the figures (matplotlib) is most of the cost of rendering a report; a re-render whose
figure inputs did not change (a new policy verdict, a new model card, a re-gate) reads them back.
The cache is JSON (never pickle: a run folder is data), with Markup marked so that it survives.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from markupsafe import Markup

FOLDER = ".serfair"
# Parts of the result the figures never read: a change there keeps the cached figures.
NOT_DRAWN = ("verdict", "provenance", "model_card", "scope", "deployment")
_MARK = "__markup__"


def code_digest(modules: tuple[str, ...]) -> str:
    """sha256 of the drawing modules' source, so that edited figure code draws afresh."""
    h = hashlib.sha256()
    for name in modules:
        origin = getattr(find_spec(name), "origin", None)
        h.update(Path(origin).read_bytes() if origin and Path(origin).is_file() else name.encode())
    return h.hexdigest()


def view_key(result: dict, code: str) -> str:
    """sha256 of everything the figures may read, and of the code that draws them."""
    drawn = {k: v for k, v in result.items() if k not in NOT_DRAWN}
    text = json.dumps([code, drawn], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _encode(value: Any) -> Any:
    if isinstance(value, Markup):
        return {_MARK: str(value)}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_MARK}:
            return Markup(value[_MARK])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def cached_views(result: dict, folder: Path | None, build: Callable[[dict], dict],
                 modules: tuple[str, ...]) -> dict:
    """`build(result)`, or what it returned last time in `folder` for the same figure inputs and
    the same source of the drawing `modules`."""
    if folder is None:
        return build(result)
    path = folder / FOLDER / "views.json"
    key = view_key(result, code_digest(modules))
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return _decode(stored["views"])
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    views = build(result)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"key": key, "views": _encode(views)}), encoding="utf-8")
    os.replace(tmp, path)
    return views
