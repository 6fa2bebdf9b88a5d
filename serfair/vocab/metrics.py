"""Metric names as people read them (UAR, macro-F1, ...), shared by the analysis and the renderers."""

from __future__ import annotations

HEADLINE = "uar"
LABELS_FOR_HUMANS = {"uar": "UAR", "accuracy": "accuracy", "macro_f1": "macro-F1",
                     "ece": "ECE", "mean_confidence": "mean confidence"}


def metric_label(name: str) -> str:
    """A metric's name for people (uar -> UAR); unknown names as they are."""
    return LABELS_FOR_HUMANS.get(name, name)
