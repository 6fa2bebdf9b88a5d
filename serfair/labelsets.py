"""Reconcile the data's emotions with the model's label set; count what cannot be scored."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from serfair.errors import LabelError
from serfair.vocab.emotions import map_labels, normalise_label


@dataclass(frozen=True)
class LabelPlan:
    """Model labels after mapping, the clips kept, and per-emotion counts of excluded clips."""

    model_labels: tuple[str, ...]
    kept: pd.DataFrame
    excluded: dict[str, int]


def plan_labels(clips: pd.DataFrame, raw_labels: tuple[str, ...], mapping: dict[str, str]) -> LabelPlan:
    """Map the model's labels and the data's emotions to common names; exclude the rest."""
    model_labels = tuple(map_labels(raw_labels, mapping))
    norm_map = {normalise_label(k): normalise_label(v) for k, v in mapping.items()}
    truth = clips["emotion"].map(lambda e: norm_map.get(normalise_label(e), normalise_label(e)))
    clips = clips.assign(y_true=truth)
    inside = clips["y_true"].isin(set(model_labels))
    excluded = clips.loc[~inside, "y_true"].value_counts().sort_index()
    if not inside.any():
        raise LabelError(
            f"none of the data's emotions ({', '.join(sorted(clips['y_true'].unique()))}) is among the "
            f"model's labels ({', '.join(model_labels)}); map them with label_map in the audit spec "
            f"or --label-map data=model,...{_combined_hint(model_labels, set(clips['y_true']))}"
        )
    return LabelPlan(model_labels, clips[inside].reset_index(drop=True),
                     {str(k): int(v) for k, v in excluded.items()})


def _combined_hint(model_labels: tuple[str, ...], emotions: set[str]) -> str:
    """A hint when the model's labels combine an emotion with something else (female_angry)."""
    parts = [label.split("_") for label in model_labels if "_" in label]
    if not any(set(p) & emotions for p in parts):
        return ""
    prefixes = sorted({p[0] for p in parts if p[-1] in emotions})
    rule = ",".join(f"{prefix}_*=*" for prefix in prefixes) or "female_*=*,male_*=*"
    return f"; the model's labels combine emotions with other classes: sum them with --postprocess '{rule}'"
