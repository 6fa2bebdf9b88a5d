"""An EU AI Act screen (Regulation (EU) 2024/1689) as questions the audit spec answers.

A screening aid for the reviewer, not legal advice: it states what follows from the answers given
and lists the questions nobody answered, without guessing them.
"""

from __future__ import annotations

from dataclasses import dataclass

from serfair.report.scope import ANNEX_III_AREAS


@dataclass(frozen=True)
class Question:
    """One screen question: where it comes from and what a yes or a no means."""

    key: str
    article: str
    text: str
    if_yes: str
    if_no: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        "research_only",
        "Art. 2(6)",
        "Is the model used solely for scientific research and development, not placed on the "
        "market or put into service?",
        "The Act does not apply to this use; screen again before any deployment.",
        "The Act applies; answer the questions below.",
    ),
    Question(
        "biometric",
        "Art. 3(39), Annex III 1(c)",
        "Does the system infer emotions of natural persons from their voice (biometric data), "
        "making it an emotion recognition system?",
        "Unless prohibited, it is a high-risk AI system (Annex III point 1(c)): risk management, "
        "data governance, technical documentation, human oversight and accuracy duties apply.",
        "Not an emotion recognition system in the Act's sense; Annex III 1(c) does not apply.",
    ),
    Question(
        "workplace",
        "Art. 5(1)(f)",
        "Does it infer the emotions of people at a workplace (for example employees, "
        "call-centre agents, job candidates)?",
        "Prohibited since 2 February 2025, unless the use is intended for medical or safety "
        "reasons.",
        "The workplace prohibition does not apply.",
    ),
    Question(
        "education",
        "Art. 5(1)(f)",
        "Does it infer the emotions of people in an education institution (pupils, students, "
        "candidates in admission tests)?",
        "Prohibited since 2 February 2025, unless the use is intended for medical or safety "
        "reasons.",
        "The education prohibition does not apply.",
    ),
    Question(
        "medical_or_safety",
        "Art. 5(1)(f)",
        "If it is used at a workplace or in education: is that use intended for medical or "
        "safety reasons?",
        "The exception of Art. 5(1)(f) may apply; the system remains high-risk.",
        "No exception: a workplace or education use is prohibited.",
    ),
    Question(
        "annex_iii_areas",
        "Art. 6(2), Annex III",
        "Is it used in another Annex III area (employment, education, essential services such as "
        "credit, insurance or emergency calls, law enforcement, migration, justice ...)?",
        "High-risk in those areas too; list them.",
        "No further Annex III area.",
    ),
    Question(
        "people_informed",
        "Art. 50(3)",
        "Are the people exposed to the system informed that it is operating?",
        "The deployer's duty to inform is met (applies from 2 August 2026).",
        "The deployer's duty to inform (Art. 50(3)) is not met.",
    ),
)


def _answer(answers: dict, key: str) -> tuple[bool | None, str]:
    if key == "annex_iii_areas":
        areas = answers.get(key)
        if areas is None:
            return None, ""
        return bool(areas), ", ".join(ANNEX_III_AREAS.get(a, a) for a in areas)
    value = answers.get(key) or {}
    if isinstance(value, bool):
        return value, ""
    return value.get("answer"), value.get("note", "") or ""


def screen(scope: dict | None) -> dict:
    """The answered screen: one row per question and the findings that follow from the answers."""
    answers = (scope or {}).get("eu_ai_act") or {}
    rows = []
    given: dict[str, bool | None] = {}
    for q in QUESTIONS:
        answer, note = _answer(answers, q.key)
        given[q.key] = answer
        rows.append(
            {
                "key": q.key,
                "article": q.article,
                "question": q.text,
                "answer": {True: "yes", False: "no", None: "unanswered"}[answer],
                "note": note,
                "consequence": "" if answer is None else (q.if_yes if answer else q.if_no),
            }
        )
    if given["workplace"] is False and given["education"] is False:
        exception = next(r for r in rows if r["key"] == "medical_or_safety")
        exception["consequence"] = "Not relevant: neither a workplace nor an education use."
    return {
        "questions": rows,
        "findings": findings(given),
        "unanswered": [r["key"] for r in rows if r["answer"] == "unanswered"],
    }


def findings(given: dict[str, bool | None]) -> list[dict]:
    """What follows from the answers: [{level, text}], level one of bad, warn, info, unknown."""
    out: list[dict] = []
    if given.get("research_only") is True:
        out.append(
            {
                "level": "info",
                "text": "Answered as research and development only (Art. 2(6)): "
                "the Act does not apply to this use. Screen again before any deployment.",
            }
        )
        return out
    in_protected_area = [k for k in ("workplace", "education") if given.get(k) is True]
    if in_protected_area:
        where = " and ".join(
            "a workplace" if k == "workplace" else "education" for k in in_protected_area
        )
        exception = given.get("medical_or_safety")
        if exception is False:
            out.append(
                {
                    "level": "bad",
                    "text": f"Emotion inference in {where} without a medical or "
                    "safety reason: a prohibited practice under Art. 5(1)(f).",
                }
            )
        elif exception is None:
            out.append(
                {
                    "level": "unknown",
                    "text": f"Emotion inference in {where}: prohibited under "
                    "Art. 5(1)(f) unless for medical or safety reasons, which is unanswered.",
                }
            )
        else:
            out.append(
                {
                    "level": "warn",
                    "text": f"Emotion inference in {where} for medical or safety "
                    "reasons: the Art. 5(1)(f) exception is claimed; document its basis.",
                }
            )
    elif given.get("workplace") is None or given.get("education") is None:
        out.append(
            {
                "level": "unknown",
                "text": "Whether the use is at a workplace or in education "
                "is unanswered, so the Art. 5(1)(f) prohibition cannot be ruled out.",
            }
        )
    if given.get("biometric") is True:
        out.append(
            {
                "level": "warn",
                "text": "An emotion recognition system: high-risk under Annex III "
                "point 1(c) where it is permitted at all.",
            }
        )
    elif given.get("biometric") is None:
        out.append(
            {
                "level": "unknown",
                "text": "Whether the system infers emotions from biometric "
                "data is unanswered, so its Annex III 1(c) status is open.",
            }
        )
    if given.get("annex_iii_areas") is True:
        out.append(
            {"level": "warn", "text": "Used in further Annex III areas: high-risk there too."}
        )
    if given.get("people_informed") is False:
        out.append(
            {
                "level": "bad",
                "text": "People exposed to the system are not informed: the "
                "Art. 50(3) duty to inform is not met.",
            }
        )
    elif given.get("people_informed") is None:
        out.append(
            {
                "level": "unknown",
                "text": "Whether exposed people are informed (Art. 50(3)) is unanswered.",
            }
        )
    return out
