"""result.json: the one document every renderer reads."""

from __future__ import annotations

import json
import math
from pathlib import Path

from serfair.errors import SerfairError
from serfair.report.schema import SCHEMA_MAJOR, check_result


def _clean(value):
    """NaN and infinities are not JSON: write them as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _clean(value.item())
    return value


def write_json(result: dict, path: Path) -> Path:
    """Write result.json (NaN as null), checked against the result schema first."""
    result = _clean(result)
    check_result(result, where="the result about to be written")
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def read_result(path: str | Path) -> dict:
    """Load a result.json written by serfair."""
    path = Path(path)
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SerfairError(f"cannot read result {path}: {exc}") from exc
    if not isinstance(result, dict) or "schema_version" not in result:
        raise SerfairError(f"{path} is not a serfair result (no schema_version)")
    if str(result["schema_version"]).split(".")[0] != SCHEMA_MAJOR:
        raise SerfairError(
            f"{path} has result schema {result['schema_version']}; this serfair "
            f"reads {SCHEMA_MAJOR}.x (re-run the audit, or use the serfair version "
            f"that wrote it)"
        )
    check_result(result, where=str(path))
    return result
