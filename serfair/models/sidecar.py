"""Model facts from outside the model file: a sidecar YAML next to it (or inside a model folder)."""

from __future__ import annotations

from pathlib import Path

import yaml

from serfair.errors import ModelError


def sidecar_candidates(model_path: Path) -> list[Path]:
    """Where a sidecar may be: model.yaml, model.serfair.yaml, model.onnx.yaml, folder/serfair.yaml."""
    if model_path.is_dir():
        return [model_path / "serfair.yaml", Path(str(model_path).rstrip("/") + ".yaml")]
    return [model_path.with_suffix(".yaml"), model_path.with_suffix(".serfair.yaml"),
            Path(str(model_path) + ".yaml")]


def sidecar_name(model_path: Path) -> str:
    """The sidecar file name to suggest in error messages."""
    return sidecar_candidates(model_path)[0].name


def find_sidecar(model_path: Path) -> Path | None:
    """The sidecar file read for a model, or None."""
    return next((c for c in sidecar_candidates(Path(model_path)) if c.is_file()), None)


def read_sidecar(model_path: Path) -> dict:
    """The first sidecar that exists, as a mapping (labels, sample_rate, frontend, ...), or {}."""
    for candidate in sidecar_candidates(Path(model_path)):
        if candidate.is_file():
            try:
                data = yaml.safe_load(candidate.read_text()) or {}
            except yaml.YAMLError as exc:
                raise ModelError(f"sidecar {candidate} is not valid YAML: {exc}") from exc
            if not isinstance(data, dict):
                raise ModelError(f"sidecar {candidate} must be a mapping (labels: [...], sample_rate: N)")
            return data
    return {}
