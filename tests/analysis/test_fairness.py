"""The fairness part of analyse(): a schema-valid result, warnings for bad input, never a crash."""

from __future__ import annotations

import json
import math

from synthetic_predictions import predictions
from synthetic_predictions import result as synthetic_result

from serfair.report.schema import schema_errors


def _analyse(frame, slices, conditions="clean", **stats):
    return synthetic_result(frame, slices, conditions, **stats)


def _no_nan(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_no_nan(v) for v in value.values())
    if isinstance(value, list):
        return all(_no_nan(v) for v in value)
    return True


def test_result_has_intervals_disparities_tests_and_findings_and_matches_the_schema():
    frame = predictions(n_speakers=12, clips_per_speaker=18, conditions=("clean", "noise@snr=10"))
    result = _analyse(frame, "gender,dataset,gender*dataset", "clean,noise@snr=10", correction="bh")
    assert schema_errors(result) == []
    assert _no_nan(result) and json.dumps(result, allow_nan=False)
    row = next(r for r in result["metrics"]["groups"] if r["slice"] == "gender")
    assert set(row["ci"]) == set(result["metrics"]["names"]) and row["ci"]["uar"][0] <= row["uar"]
    names = set(result["metrics"]["names"])
    assert {"recall_angry", "rate_angry", "ece", "mean_confidence"} <= names
    assert result["tests"]["correction"] == "bh" and result["tests"]["n_tests"] > 0
    assert "Benjamini-Hochberg" in result["tests"]["correction_name"]
    tested = [d for d in result["disparities"] if d["slice"] != "gender*dataset"]
    assert all(d["p_adjusted"] is not None for d in tested if not d["degenerate"])
    small = [d for d in result["disparities"] if d["slice"] == "gender*dataset"]
    assert all(d["ci"] is None and d["significant"] is None for d in small)  # 3 speakers a cell
    primary = {(d["slice"], d["condition"], d["metric"]) for d in result["disparities"]
               if d["family"] == "primary"}
    assert primary == {(s, "clean", "uar") for s in ("gender", "dataset", "gender*dataset")}
    assert result["tests"]["primary"]["correction"] == "bh"
    assert result["tests"]["exploratory"]["n_tests"] > 0
    cell = next(r for r in result["metrics"]["groups"] if r["slice"] == "gender*dataset")
    assert cell["ci"] is None and cell["range"]["uar"][0] <= cell["uar"] <= cell["range"]["uar"][1]
    assert any(f["metric"] == "uar" for f in result["findings"])
    confused = {g["slice"] for g in result["confusion"]["groups"]}
    assert confused == {"all", "gender", "dataset", "gender*dataset"}
    kinds = {w["kind"] for w in result["warnings"]}
    assert {"small_cell", "confounded"} <= kinds  # 3 speakers per intersection; accent = dataset


def test_bad_slices_warn_instead_of_crashing():
    frame = predictions(n_speakers=8, clips_per_speaker=12)
    frame["language"] = "en"                                       # one group only
    frame = frame[~((frame["gender"] == "male") & (frame["dataset"] == "b"))]  # an empty cell
    frame = frame[~((frame["gender"] == "female") & (frame["y_true"] == "disgust"))]  # no recall
    result = _analyse(frame, "language,gender*dataset,gender")
    kinds = {w["kind"] for w in result["warnings"]}
    assert {"single_group", "empty_cell", "undefined_metric"} <= kinds
    assert not [d for d in result["disparities"] if d["slice"] == "language"]
    assert not [d for d in result["disparities"]
                if d["metric"] == "recall_disgust" and d["slice"] == "gender"]
    assert _no_nan(result) and schema_errors(result) == []


def test_without_probabilities_calibration_is_left_out_with_a_warning():
    frame = predictions(n_speakers=6, clips_per_speaker=12)
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("p_")])
    result = _analyse(frame, "gender")
    assert "ece" not in result["metrics"]["names"]
    assert "no_probability" in {w["kind"] for w in result["warnings"]}
