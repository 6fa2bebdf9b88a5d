"""Model adapters: one file per format, one registry, one way to build them."""

from __future__ import annotations

from pathlib import Path

from serfair.errors import ModelError
from serfair.models import onnx_adapter  # noqa: F401  (registration)
from serfair.models.base import ADAPTERS, Adapter, ModelSpec, check_probabilities

__all__ = ["ADAPTERS", "Adapter", "ModelSpec", "load_adapter", "check_probabilities"]


def resolve_format(spec: ModelSpec) -> str:
    """The adapter name: explicit `format`, a `scheme://` prefix, or the file suffix."""
    if spec.format:
        if spec.format not in ADAPTERS:
            raise ModelError(f"unknown model format '{spec.format}'; known: {', '.join(sorted(ADAPTERS))}")
        return spec.format
    scheme = spec.source.split("://", 1)[0] if "://" in spec.source else None
    if scheme in ("http", "https") and "http" in ADAPTERS:
        return "http"
    suffix = Path(spec.source).suffix.lower()
    for kind in ADAPTERS.values():
        if suffix and suffix in kind.suffixes:
            return kind.name
    if ":" in spec.source and not Path(spec.source).exists() and "callable" in ADAPTERS:
        return "callable"
    raise ModelError(
        f"cannot tell the format of model '{spec.source}'; pass --format with one of "
        f"{', '.join(sorted(ADAPTERS))}"
    )


def load_adapter(spec: ModelSpec) -> Adapter:
    """Build the adapter a spec asks for."""
    return ADAPTERS[resolve_format(spec)].build(spec)
