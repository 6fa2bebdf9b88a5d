"""Reconciling the data's emotions with the model's labels, and counting what is excluded."""

from __future__ import annotations

import pandas as pd
import pytest

from serfair.errors import LabelError
from serfair.labelsets import plan_labels


def _clips(emotions):
    return pd.DataFrame({"clip_id": [f"c{i}" for i in range(len(emotions))], "emotion": emotions})


def test_synonyms_on_both_sides_and_excluded_counts_per_emotion():
    clips = _clips(["angry", "happy", "calm", "calm", "surprised", "sad"])
    plan = plan_labels(clips, ("Anger", "joy", "sadness", "neutral"), {})
    assert plan.model_labels == ("angry", "happy", "sad", "neutral")
    assert plan.kept["y_true"].tolist() == ["angry", "happy", "sad"]
    assert plan.excluded == {"calm": 2, "surprised": 1}


def test_an_explicit_map_keeps_clips_the_model_could_not_otherwise_score():
    clips = _clips(["calm", "excited", "neutral"])
    plan = plan_labels(clips, ("neutral", "happy"), {"calm": "neutral", "excited": "happy"})
    assert plan.kept["y_true"].tolist() == ["neutral", "happy", "neutral"]
    assert plan.excluded == {}


def test_no_overlap_suggests_a_label_map_and_an_output_map_for_combined_labels():
    with pytest.raises(LabelError, match="--label-map"):
        plan_labels(_clips(["angry"]), ("pos", "neg"), {})
    with pytest.raises(LabelError, match="--postprocess 'female_\\*=\\*,male_\\*=\\*'"):
        plan_labels(_clips(["angry", "sad"]), ("female_angry", "female_sad", "male_angry", "male_sad"), {})
