"""The EU AI Act screen: unanswered stays unanswered; what follows from the answers."""

from __future__ import annotations

from serfair.report.ai_act import QUESTIONS, screen
from serfair.report.scope import validate_scope


def levels(scope: dict) -> dict[str, str]:
    return {
        f["text"].split(":")[0][:40]: f["level"] for f in screen(validate_scope(scope))["findings"]
    }


def test_nothing_answered_is_shown_as_unanswered_and_nothing_is_concluded():
    out = screen({})
    assert [q["answer"] for q in out["questions"]] == ["unanswered"] * len(QUESTIONS)
    assert all(q["consequence"] == "" for q in out["questions"])
    assert out["unanswered"] == [q.key for q in QUESTIONS]
    assert {f["level"] for f in out["findings"]} == {"unknown"}


def test_workplace_without_a_medical_or_safety_reason_is_prohibited():
    out = screen(validate_scope({"eu_ai_act": {"workplace": True, "medical_or_safety": False}}))
    bad = [f for f in out["findings"] if f["level"] == "bad"]
    assert len(bad) == 1 and "prohibited practice under Art. 5(1)(f)" in bad[0]["text"]


def test_workplace_with_the_exception_unanswered_stays_open():
    out = screen(validate_scope({"eu_ai_act": {"education": True}}))
    texts = [f["text"] for f in out["findings"] if f["level"] == "unknown"]
    assert any("unless for medical or safety reasons, which is unanswered" in t for t in texts)
    assert not [f for f in out["findings"] if f["level"] == "bad"]


def test_call_centre_customers_high_risk_and_informed():
    out = screen(
        validate_scope(
            {
                "eu_ai_act": {
                    "research_only": False,
                    "biometric": True,
                    "workplace": {"answer": False, "note": "customers"},
                    "education": False,
                    "annex_iii_areas": "none",
                    "people_informed": True,
                }
            }
        )
    )
    by_key = {q["key"]: q for q in out["questions"]}
    assert by_key["workplace"]["answer"] == "no" and by_key["workplace"]["note"] == "customers"
    assert by_key["annex_iii_areas"]["answer"] == "no"
    assert "high-risk" in by_key["biometric"]["consequence"]
    assert [f["level"] for f in out["findings"]] == ["warn"]  # high-risk obligations, nothing open
    assert out["unanswered"] == ["medical_or_safety"]
    answered = screen(validate_scope({"eu_ai_act": {"workplace": False, "education": False,
                                                    "medical_or_safety": False}}))
    exception = next(q for q in answered["questions"] if q["key"] == "medical_or_safety")
    assert exception["consequence"].startswith("Not relevant")


def test_people_not_informed_breaches_article_50():
    out = screen(validate_scope({"eu_ai_act": {"people_informed": False}}))
    assert any(f["level"] == "bad" and "Art. 50(3)" in f["text"] for f in out["findings"])


def test_research_only_ends_the_screen():
    out = screen(validate_scope({"eu_ai_act": {"research_only": True}}))
    assert [f["level"] for f in out["findings"]] == ["info"]
    assert "does not apply" in out["findings"][0]["text"]
