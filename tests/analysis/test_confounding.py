"""Confounded attributes are found and stated in words."""

from __future__ import annotations

import pandas as pd
from synthetic_predictions import predictions

from serfair.analysis.confounding import confounders_of, find_confounding


def test_accent_fixed_by_dataset_is_stated_in_words():
    clips = predictions(n_speakers=8, clips_per_speaker=2)
    records = find_confounding(clips, ["gender", "accent"])
    pair = [r for r in records if {r["column"], r["with"]} == {"accent", "dataset"}]
    assert len(pair) == 1 and pair[0]["relation"] == "same_partition"
    assert "cannot be attributed to accent rather than dataset" in pair[0]["message"]
    assert confounders_of("accent", records) == ["dataset"]
    assert confounders_of("gender", records) == []  # gender is balanced within each dataset


def test_a_corpus_with_one_gender_confounds_gender_with_dataset():
    clips = pd.DataFrame({
        "speaker_id": ["a1", "a2", "b1", "b2", "t1", "t2"],
        "gender": ["female", "male", "female", "male", "female", "female"],
        "dataset": ["crema", "crema", "ravdess", "ravdess", "tess", "tess"],
    })
    records = find_confounding(clips, ["gender"])
    assert len(records) == 1 and records[0]["relation"] == "single_valued"
    assert "dataset = tess: gender = female" in records[0]["message"]
    assert "cannot be attributed to gender rather than dataset" in records[0]["message"]


def test_nested_groups_and_no_false_alarm_on_crossed_columns():
    clips = pd.DataFrame({"accent": ["us", "ca", "de", "at"] * 2,
                          "language": ["en", "en", "de", "de"] * 2,
                          "gender": ["female"] * 4 + ["male"] * 4})
    records = find_confounding(clips, ["accent", "gender"])
    nested = [r for r in records if r["column"] == "accent" and r["with"] == "language"]
    assert nested and nested[0]["relation"] == "nested"
    assert not [r for r in records if r["column"] == "gender"]
