"""Warnings instead of false verdicts."""

from __future__ import annotations

import pandas as pd

from serfair.analysis.warnings import (
    empty_cell_warnings,
    gender_warnings,
    low_power_warnings,
    single_group_warnings,
    undefined_metric_warnings,
)


def test_single_group_and_empty_intersections():
    assert single_group_warnings({"all": ("all",), "accent": ("en-US",)})[0]["slice"] == "accent"
    clips = pd.DataFrame({"gender": ["female", "male", "female"],
                          "dataset": ["tess", "ravdess", "ravdess"]})
    (warning,) = empty_cell_warnings(clips, ["gender", "gender*dataset"])
    assert warning["groups"] == ["male & tess"] and "1 of 4 combinations" in warning["message"]


def test_undefined_metrics_are_named():
    nan = float("nan")
    table = pd.DataFrame({"slice": ["all", "gender", "gender"], "group": ["all", "female", "male"],
                          "condition": "clean", "recall_disgust": [0.5, 0.5, nan],
                          "recall_sad": [nan, nan, nan]})
    first, second = undefined_metric_warnings(table, ["recall_disgust", "recall_sad"], "clean")
    assert "recall_disgust is undefined for gender = male" in first["message"]
    assert second["slice"] == "all" and "undefined for every group" in second["message"]


def _comparison(**change):
    return {"slice": "gender", "metric": "uar", "condition": "clean", "significant": False,
            "mdg": 0.13, "mdg_power": 0.8, "supports_no_gap": False, **change}


def test_low_power_when_the_audit_cannot_see_a_gap_that_matters():
    comparisons = [_comparison(), _comparison(slice="dataset", mdg=0.03, supports_no_gap=True),
                   _comparison(slice="accent", significant=True, supports_no_gap=None),
                   _comparison(slice="age", significant=None, supports_no_gap=None, mdg=None,
                               untested_because=["a group has fewer than 5 speakers"])]
    gender, age = low_power_warnings(comparisons, 0.05)
    assert gender["slice"] == "gender" and "detects only gaps of 13 points" in gender["message"]
    assert "too small to support 'no gap found'" in gender["message"]
    assert age["slice"] == "age" and "could not be decided" in age["message"]


def test_gender_values_besides_female_male_and_speakers_with_two_genders_are_named():
    clips = pd.DataFrame({"speaker_id": ["s1", "s1", "s2", "s3", "s4", "s4"],
                          "gender": ["female", "male", "x", "nonbinary", "male", "male"]})
    found = {w["kind"]: w for w in gender_warnings(clips)}
    assert found["gender_values"]["groups"] == ["nonbinary", "x"]
    assert "'x' (1 clip(s), 1 speaker(s))" in found["gender_values"]["message"]
    assert found["speaker_genders"]["speakers"] == ["s1"]
    assert "s1 (female, male)" in found["speaker_genders"]["message"]
    assert gender_warnings(clips[clips["speaker_id"] == "s4"]) == []
