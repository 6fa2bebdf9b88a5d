"""Model facts from outside the model file: a sidecar YAML next to it, or flags."""

from __future__ import annotations

from pathlib import Path

import yaml

from serfair.errors import ModelError


def read_sidecar(model_path: Path) -> dict:
    """`model.yaml` / `model.serfair.yaml` next to the model, if any (labels, sample_rate ...)."""
    for candidate in (model_path.with_suffix(".yaml"), model_path.with_suffix(".serfair.yaml"),
                      Path(str(model_path) + ".yaml")):
        if candidate.exists():
            try:
                data = yaml.safe_load(candidate.read_text()) or {}
            except yaml.YAMLError as exc:
                raise ModelError(f"sidecar {candidate} is not valid YAML: {exc}") from exc
            if not isinstance(data, dict):
                raise ModelError(f"sidecar {candidate} must be a mapping (labels: [...], sample_rate: N)")
            return data
    return {}
