"""Data summary: clips and speakers overall, per slice cell, and what was excluded."""

from __future__ import annotations

import pandas as pd

from serfair.analysis.slicing import group_labels


def data_summary(scored: pd.DataFrame, clips_total: pd.DataFrame, slices: list[str],
                 excluded: dict[str, int], labels: tuple[str, ...]) -> dict:
    """Counts for the report's data section (from the clean rows: one per clip)."""
    clips = scored.drop_duplicates("clip_id")
    cells = {}
    for name in slices:
        groups = group_labels(clips, name)
        counts = clips.groupby(groups).agg(clips=("clip_id", "size"), speakers=("speaker_id", "nunique"))
        cells[name] = [{"group": str(g), "clips": int(r.clips), "speakers": int(r.speakers)}
                       for g, r in counts.iterrows()]
    emotions = clips["y_true"].value_counts()
    return {
        "n_clips_total": int(len(clips_total)),
        "n_clips_scored": int(len(clips)),
        "n_speakers": int(clips["speaker_id"].nunique()),
        "model_labels": list(labels),
        "emotions": {str(k): int(emotions.get(k, 0)) for k in labels},
        "excluded_labels": excluded,
        "n_excluded": int(sum(excluded.values())),
        "cells": cells,
    }
