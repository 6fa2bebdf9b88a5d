"""Emotion label names: moved to `serfair.vocab.emotions` (the shared vocabulary); kept importable."""

from serfair.vocab.emotions import SYNONYMS, map_labels, normalise_label, parse_mapping

__all__ = ["SYNONYMS", "map_labels", "normalise_label", "parse_mapping"]
