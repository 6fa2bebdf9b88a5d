"""The result JSON Schema (result.schema.json, shipped with the package) and checking against it."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from jsonschema import Draft202012Validator

from serfair.errors import SerfairError

SCHEMA_FILE = "result.schema.json"
SCHEMA_MAJOR = "1"  # readers accept any 1.x; keys are added, never renamed


class ResultError(SerfairError):
    """A result document does not match the result schema."""


@lru_cache(maxsize=1)
def result_schema() -> dict:
    """The JSON Schema of result.json."""
    return json.loads(resources.files("serfair.report").joinpath(SCHEMA_FILE).read_text("utf-8"))


def schema_errors(result: dict, limit: int = 10) -> list[str]:
    """Readable schema violations (`at metrics.groups.3.n_clips: 'x' is not of type 'integer'`)."""
    validator = Draft202012Validator(result_schema())
    errors = sorted(validator.iter_errors(result), key=lambda e: list(e.absolute_path))
    return [
        f"at {'.'.join(str(p) for p in e.absolute_path) or '(top level)'}: {e.message}"
        for e in errors[:limit]
    ]


def check_result(result: dict, where: str = "result") -> None:
    """Raise ResultError listing the violations if the result does not match the schema."""
    errors = schema_errors(result)
    if errors:
        raise ResultError(
            f"{where} does not match the result schema "
            f"(serfair/report/{SCHEMA_FILE}):\n  " + "\n  ".join(errors)
        )
