"""Model adapters: one file per format, one registry, one way to build them."""

from __future__ import annotations

from serfair.errors import ModelError
from serfair.models import (  # noqa: F401  (registration)
    callable_adapter,
    hf_adapter,
    http_adapter,
    onnx_adapter,
    precomputed_adapter,
    sklearn_adapter,
    torchscript_adapter,
)
from serfair.models.base import (
    ADAPTERS,
    Adapter,
    AdapterKind,
    ModelSpec,
    PredictsById,
    check_probabilities,
)

__all__ = ["ADAPTERS", "Adapter", "AdapterKind", "ModelSpec", "PredictsById", "adapter_kind",
           "check_probabilities", "load_adapter", "ordered_kinds", "predicts_by_id", "resolve_format"]


def resolve_format(spec: ModelSpec) -> str:
    """The adapter name: explicit `format`, else the first kind that recognises the source
    (a file suffix, a URL, a model folder, a `module:function` reference)."""
    if spec.format:
        if spec.format not in ADAPTERS:
            known = ", ".join(kind.name for kind in ordered_kinds())
            raise ModelError(f"unknown model format '{spec.format}'; known: {known}")
        return spec.format
    for kind in ordered_kinds():
        if kind.matches(spec.source):
            return kind.name
    raise ModelError(
        f"cannot tell the format of model '{spec.source}'; pass --format with one of "
        f"{', '.join(kind.name for kind in ordered_kinds())} (see docs/bring-your-own-model.md)"
    )


def ordered_kinds() -> list[AdapterKind]:
    """The registered kinds in the order they are tried (and listed)."""
    return sorted(ADAPTERS.values(), key=lambda kind: (kind.order, kind.name))


def adapter_kind(spec: ModelSpec) -> AdapterKind:
    """The registered kind a spec resolves to."""
    return ADAPTERS[resolve_format(spec)]


def load_adapter(spec: ModelSpec) -> Adapter:
    """Build the adapter a spec asks for."""
    return adapter_kind(spec).build(spec)


def predicts_by_id(adapter: object) -> bool:
    """Whether the adapter looks predictions up by (clip id, condition) instead of audio."""
    return isinstance(adapter, PredictsById) and callable(getattr(adapter, "predict_ids", None))
