"""End to end through analyse(): the issue's Urdu case, decisions that agree with intervals,
exploratory labels, small cells and degenerate comparisons."""

from __future__ import annotations

import numpy as np
import pandas as pd
from synthetic_predictions import predictions
from synthetic_predictions import result as synthetic_result

from serfair.report.markdown import render_markdown


def urdu_like() -> pd.DataFrame:
    """11 women the model almost never recognises, 18 men at about a third; the model says
    'sad' to a few men and never to a woman."""
    women = predictions(n_speakers=22, clips_per_speaker=16, base=-5.5, skill_sd=0.5, seed=1)
    women = women[women["gender"] == "female"]
    men = predictions(n_speakers=36, clips_per_speaker=16, base=-0.55, skill_sd=1.0, seed=2)
    men = men[men["gender"] == "male"].copy()
    men["speaker_id"], men["clip_id"] = "m" + men["speaker_id"], "m" + men["clip_id"]
    frame = pd.concat([women, men], ignore_index=True)
    female, sad = frame["gender"] == "female", frame["y_pred"] == "sad"
    frame.loc[female & sad, "y_pred"] = "neutral"
    rare = ~female & sad & (np.arange(len(frame)) % 12 != 0)
    frame.loc[rare, "y_pred"] = "happy"
    return frame


def test_the_urdu_case_is_significant_with_its_finding_at_the_top():
    result = synthetic_result(urdu_like(), "gender", bootstrap=1000, permutations=2000)
    groups = {r["group"]: r for r in result["metrics"]["groups"] if r["slice"] == "gender"}
    assert groups["female"]["uar"] < 0.05 and 0.25 < groups["male"]["uar"] < 0.45
    (primary,) = result["tests"]["primary"]["comparisons"]
    assert primary["significant"] and primary["ci_decision"][0] > 0
    assert result["tests"]["primary"]["n_tests"] == 1
    top = result["findings"][0]
    assert (top["level"], top["family"], top["metric"]) == ("flag", "primary", "uar")
    assert top["text"].startswith("The model's UAR for women is ")
    assert "lower than for men" in top["text"] and "95 % CI" in top["text"]
    assert all(f["family"] == "exploratory" and f["text"].startswith("Exploratory: ")
               for f in result["findings"][1:])
    sad = [d for d in result["disparities"] if d["metric"] == "rate_sad"]
    assert sad and all(d["degenerate"] and d["significant"] is None for d in sad)
    assert not [f for f in result["findings"] if f["metric"] == "rate_sad"]
    summary = render_markdown(result)
    assert "primary" in summary and "Exploratory" in summary


def test_significant_exactly_when_the_decision_interval_excludes_zero():
    frame = predictions(n_speakers=16, clips_per_speaker=18, seed=4)
    result = synthetic_result(frame, "gender,dataset", bootstrap=400)
    decided = [d for d in result["disparities"]
               if d["kind"] == "difference" and d["significant"] is not None]
    assert decided
    for d in decided:
        lo, hi = d["ci_decision"]
        assert d["significant"] == (lo > 0 or hi < 0), d
        assert lo <= d["value"] <= hi and d["ci"][0] <= d["value"] <= d["ci"][1]
        nominal_excludes = d["ci"][0] > 0 or d["ci"][1] < 0
        if nominal_excludes and not d["significant"]:
            assert "decision interval" in d["decision_note"]
    for c in result["tests"]["primary"]["comparisons"]:
        assert c["mdg"] > 0 and "speakers this audit detects a UAR gap" in c["detectable"]


def test_small_cells_get_a_speaker_range_not_an_interval():
    frame = predictions(n_speakers=12, clips_per_speaker=18)
    result = synthetic_result(frame, "gender*dataset")
    cells = [r for r in result["metrics"]["groups"] if r["slice"] == "gender*dataset"]
    assert cells and all(r["ci"] is None for r in cells)
    for r in cells:
        lo, hi = r["range"]["uar"]
        assert lo <= r["uar"] <= hi
    assert all("95 % CI" not in f["text"] for f in result["findings"])
    assert "range" in render_markdown(result)


def test_the_report_states_what_a_small_audit_cannot_rule_out():
    from serfair.report.html import render_html

    frame = predictions(n_speakers=10, clips_per_speaker=18, seed=5)
    result = synthetic_result(frame, "gender")
    (primary,) = result["tests"]["primary"]["comparisons"]
    assert primary["significant"] is False and primary["supports_no_gap"] is False
    page = render_html(result)
    assert "Primary comparisons" in page and "too small to support" in page
    assert "With 5 vs 5 speakers this audit detects a UAR gap by gender of" in page
    text = render_markdown(result)
    assert "Too few speakers to support" in text and "this audit detects a UAR gap" in text
    assert any(w["kind"] == "low_power" for w in result["warnings"])


def test_the_report_counts_only_the_primary_comparisons_it_could_test():
    from serfair.report.html import render_html

    frame = predictions(n_speakers=12, clips_per_speaker=18)
    result = synthetic_result(frame, "gender,gender*dataset")
    primary = result["tests"]["primary"]
    assert len(primary["comparisons"]) == 2 and primary["n_tests"] == 1
    page = " ".join(render_html(result).split())
    assert "1 of these 2 comparison(s) could be tested" in page
    assert "within these 1 comparison" not in page
    one = " ".join(render_html(synthetic_result(frame, "gender")).split())
    assert "within these 1 comparison(s)." in one
