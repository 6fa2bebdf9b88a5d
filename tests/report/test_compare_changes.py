"""What got better and what got worse between two audits, judged on the intervals when present."""

from __future__ import annotations

import pytest
from report_fixtures import cached_result

from serfair.gate import evaluate
from serfair.policy import parse_policy
from serfair.report.compare import compare, render_markdown
from serfair.report.compare_changes import POINTS, cell_changes, gap_changes, judge


@pytest.fixture(scope="module")
def pair() -> tuple[dict, dict]:
    """The same speakers; the candidate recognises women as well as men."""
    baseline, candidate = cached_result(), cached_result(female_penalty=0.0)
    candidate["provenance"]["model"]["name"] = "candidate"
    return baseline, candidate


def by_cell(changes, slice_name, group, condition="clean"):
    return next(c for c in changes if (c["slice"], c["group"], c["condition"])
                == (slice_name, group, condition))


def test_judge_uses_intervals_when_both_have_them():
    assert judge(0.5, 0.7, [0.45, 0.55], [0.65, 0.75]) == ("better", True)
    assert judge(0.5, 0.7, [0.45, 0.66], [0.65, 0.75]) == ("within the noise", True)
    assert judge(0.5, 0.3, [0.45, 0.55], [0.25, 0.35]) == ("worse", True)
    assert judge(0.2, 0.1, [0.15, 0.25], [0.05, 0.12], higher_is_better=False) == ("better", True)
    assert judge(0.5, 0.5 + POINTS / 2, None, [0.4, 0.6]) == ("about the same", False)
    assert judge(0.5, 0.45, None, None) == ("worse", False)


def test_cells_that_changed_and_cells_within_the_noise(pair):
    baseline, candidate = pair
    changes = cell_changes(baseline, candidate)
    female, male = by_cell(changes, "gender", "female"), by_cell(changes, "gender", "male")
    assert female["verdict"] == "better" and female["by_interval"]
    assert female["ci_b"][0] > female["ci_a"][1]
    assert male["verdict"] == "within the noise" and male["delta"] == pytest.approx(0.0, abs=1e-9)
    emodb = by_cell(changes, "dataset", "emodb")
    assert emodb["small"] and emodb["ci_a"] is None  # shown, never counted better or worse
    assert emodb["verdict"] == "too few speakers" and not emodb["by_interval"]
    backwards = by_cell(cell_changes(candidate, baseline), "gender", "female")
    assert backwards["verdict"] == "worse"


def test_without_intervals_the_estimate_decides_and_says_so(pair):
    bare = [{**r, "metrics": {**r["metrics"], "groups": [{k: v for k, v in g.items() if k != "ci"}
                                                       for g in r["metrics"]["groups"]]}}
            for r in pair]
    changes = cell_changes(*bare)
    female = by_cell(changes, "gender", "female")
    assert female["verdict"] == "better" and not female["by_interval"]
    assert by_cell(changes, "gender", "male")["verdict"] == "about the same"


def test_the_gender_gap_narrows(pair):
    gaps = {(g["slice"], g["condition"]): g for g in gap_changes(*pair)}
    gender = gaps[("gender", "clean")]
    assert gender["b"] < gender["a"]
    assert gender["verdict"] in ("better", "within the noise")
    assert gender["ci_a"] is not None and gender["ci_b"] is not None


def test_section_in_the_document_and_markdown(pair):
    baseline, candidate = pair
    policy = parse_policy({"name": "p", "rules": [{"id": "women", "slice": "gender",
                                                   "groups": "female", "min": 0.6}]})
    baseline = {**baseline, "verdict": evaluate(policy, baseline)}
    candidate = {**candidate, "verdict": evaluate(policy, candidate)}
    doc = compare([baseline, candidate])
    names = [s["name"] for s in doc["sections"]]
    assert names[:2] == ["summary", "changes"]
    section = doc["sections"][1]
    text = " ".join(section["sentences"])
    assert "better in" in text and "gender = female under clean" in text
    assert "Gate rule women: fail -> pass." in text
    assert section["records"][0]["counts"]["better"] >= 1
    markdown = render_markdown(doc)
    assert "## What got better, what got worse" in markdown
    assert "| gender | female | clean |" in markdown


def test_markdown_escapes_group_names():
    baseline, candidate = cached_result(), cached_result(female_penalty=0.0)
    for result in (baseline, candidate):
        for row in result["metrics"]["groups"]:
            if row["group"] == "male":
                row["group"] = "a|b"
    markdown = render_markdown(compare([baseline, candidate]))
    row = next(line for line in markdown.splitlines() if line.startswith("| gender | a"))
    assert "a\\|b" in row
    assert row.replace("\\|", "").count("|") == len(row.split(" | ")) + 1  # no extra cell


def test_the_clean_gap_is_always_stated_with_intervals_and_the_cost(pair):
    from serfair.report.compare_changes import gap_sentence

    baseline, candidate = pair
    gap = next(g for g in gap_changes(baseline, candidate)
               if g["slice"] == "gender" and g["condition"] == "clean")
    overall = by_cell(cell_changes(baseline, candidate), "all", "all")
    text = gap_sentence(gap, overall, "base", "cand")
    assert text.startswith("The UAR gap by gender on clean speech narrowed from ")
    assert "[" in text and "overall clean UAR" in text and "(base)" in text
    same = gap_sentence({**gap, "b": gap["a"], "ci_b": gap["ci_a"], "delta": 0.0,
                         "verdict": "within the noise"}, None, "base", "cand")
    assert "stayed" in same and "within the noise" in same and "overall" not in same


def test_small_groups_are_shown_but_not_counted(pair):
    baseline, candidate = pair
    candidate = {**candidate, "metrics": {**candidate["metrics"], "groups": [
        {**g, "uar": g["uar"] + 0.1} if (g["slice"], g["group"]) == ("dataset", "emodb") else g
        for g in candidate["metrics"]["groups"]]}}
    doc = compare([baseline, candidate])
    section = next(s for s in doc["sections"] if s["name"] == "changes")
    counts = section["records"][0]["counts"]
    assert counts["too few speakers"] >= 1
    text = " ".join(section["sentences"])
    assert "not judged (groups under min_speakers have no interval)" in text
    assert "Not judged (too few speakers): dataset = emodb under clean" in text
    assert "Better: dataset = emodb" not in text
    gaps = {(g["slice"], g["condition"]): g for g in section["records"][0]["gaps"]}
    if not gaps[("dataset", "clean")]["gated"]:
        assert gaps[("dataset", "clean")]["verdict"] == "too few speakers"
