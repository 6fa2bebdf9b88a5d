"""Findings in plain words."""

from __future__ import annotations

from serfair.analysis.findings import findings, group_noun, points, sentence
from serfair.analysis.metrics import metric_set

INFOS = metric_set(("neutral", "happy", "sad", "angry", "fearful", "disgust"))


def _record(**change):
    record = {"slice": "gender", "condition": "clean", "metric": "recall_angry",
              "kind": "difference",
              "value": 0.14, "ci": [0.06, 0.22], "p_value": 0.0004, "p_adjusted": 0.003,
              "significant": True, "gated": True, "not_gated_because": [], "confounded_with": [],
              "worst_group": "female", "best_group": "male", "worst_value": 0.60,
              "best_value": 0.74,
              "low_group": "female", "high_group": "male"}
    return {**record, **change}


def _say(record):
    return sentence(record, INFOS[record["metric"]], clean="clean", confidence=0.95,
                    correction="holm")


def test_the_issue_sentence():
    assert _say(_record()) == ("Women's anger is recalled 14 points less than men's "
                               "(60.0 % vs 74.0 %; 95 % CI 6 to 22, adjusted p = 0.003).")


def test_caveats_are_spelled_out():
    text = _say(_record(slice="accent", worst_group="de-DE", best_group="en-US", low_group="de-DE",
                        high_group="en-US", significant=False, p_adjusted=0.4, gated=False,
                        not_gated_because=["accent = de-DE has 4 speaker(s), fewer than 5"],
                        confounded_with=["dataset"], condition="noise@snr=10"))
    assert text.startswith("Under noise@snr=10, de-DE speakers' anger is recalled")
    assert "Not significant after Holm (family-wise error rate) correction." in text
    assert "Reported, not gated: accent = de-DE has 4 speaker(s), fewer than 5." in text
    assert text.endswith("This gap cannot be attributed to accent rather than dataset.")


def test_rates_are_stated_as_four_fifths_ratios():
    text = _say(_record(metric="rate_angry", kind="ratio", value=0.5, ci=[0.3, 0.7], threshold=0.8,
                        below_threshold=True, worst_group="female", best_group="male",
                        worst_value=0.1, best_value=0.2))
    assert text.startswith("The model says \u201cangry\u201d to men 2.0 times as often as to women")
    assert "below the four-fifths threshold of 0.80" in text


def test_group_nouns_and_points():
    assert group_noun("gender*dataset", "female & emodb") == "women in emodb"
    assert group_noun("dataset", "emodb") == "emodb speakers"
    assert points(0.032) == "3.2" and points(-0.14) == "\u221214"


def test_order_flags_then_notes_then_headline_info():
    records = [
        _record(metric="uar", significant=False, p_adjusted=0.5),
        _record(),
        _record(metric="recall_sad", gated=False, not_gated_because=["small"]),
        _record(metric="accuracy", significant=False, p_adjusted=0.5),  # not a finding
    ]
    found = findings(records, INFOS, clean="clean", headline="uar", confidence=0.95,
                     correction="holm")
    assert [(f["level"], f["metric"]) for f in found] == [
        ("flag", "recall_angry"), ("note", "recall_sad"), ("info", "uar")]


def test_primary_first_then_evidence_and_degenerate_gaps_are_not_findings():
    records = [
        _record(family="exploratory"),                                       # a flag
        _record(metric="uar", family="primary", significant=False, p_adjusted=0.4, mdg=0.13,
                mdg_power=0.8, n_speakers={"female": 12, "male": 12}),
        _record(metric="rate_sad", kind="ratio", family="exploratory", degenerate=True,
                value=0.0, ci=[0.0, 0.0], threshold=0.8, below_threshold=True),
        _record(metric="recall_sad", family="exploratory", p_adjusted=0.0001, value=0.05),
    ]
    found = findings(records, INFOS, clean="clean", headline="uar", confidence=0.95,
                     correction="holm")
    assert [(f["family"], f["metric"]) for f in found] == [
        ("primary", "uar"), ("exploratory", "recall_sad"), ("exploratory", "recall_angry")]
    assert found[0]["text"].endswith(
        "With 12 vs 12 speakers this audit detects a UAR gap by gender of 13 points or more "
        "80 % of the time; smaller gaps may exist unseen.")
    assert "within the primary family" in found[0]["text"]
    assert all(f["text"].startswith("Exploratory: ") for f in found[1:])


def test_a_decision_that_differs_from_the_95_interval_says_why():
    text = _say(_record(significant=False, p_adjusted=0.07, family="primary",
                        decision_note="its 95 % interval excludes 0, but the decision interval "
                                      "at 97.5 % (Holm over 2 primary comparisons) does not"))
    assert "(Its 95 % interval excludes 0, but the decision interval at 97.5 %" in text


def test_small_cells_are_not_quoted_with_an_interval():
    text = _say(_record(ci=None, p_value=None, p_adjusted=None, significant=None, gated=False,
                        n_speakers={"female": 3, "male": 2},
                        not_gated_because=["gender = male has 2 speaker(s), fewer than 5"]))
    assert "CI" not in text and "no interval or test: a group has 2 speakers" in text
