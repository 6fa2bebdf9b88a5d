"""What the compliance sections of report.html show, computed from the result alone.

Every value here is plain data; the templates escape it. The one exception is the model card,
rendered to HTML by markdown-it with raw HTML switched off (so it is escaped there).
"""

from __future__ import annotations

from markupsafe import Markup

from serfair.report.ai_act import screen
from serfair.report.digest import STATUS_WORDS, digest, metric_label
from serfair.report.model_card import card_html
from serfair.report.scope import SCOPE_FIELDS

SECTIONS = (  # (id, title) in reading order; the table of contents and the browser test use it
    ("summary", "Executive verdict"),
    ("scope", "Scope and intended use"),
    ("ai-act", "EU AI Act screen"),
    ("model-card", "Model card"),
    ("data", "Data"),
    ("methods", "Methods"),
    ("fairness", "Fairness results"),
    ("robustness", "Robustness results"),
    ("probes", "Counterfactual voice probes"),
    ("gate", "Policy checks"),
    ("warnings", "Limitations and warnings"),
    ("provenance", "Provenance"),
    ("sign-off", "Sign-off"),
)

METRIC_DEFINITIONS = (
    (
        "UAR (headline)",
        "unweighted average recall: for each emotion the share of its clips "
        "recognised, averaged over emotions (balanced accuracy); chance is 1 / number of labels",
    ),
    ("accuracy", "share of all clips recognised; depends on how many clips each emotion has"),
    ("macro-F1", "F1 averaged over the emotions present in the group"),
    (
        "recall of an emotion",
        "share of that emotion's clips recognised (recall_<emotion>): which "
        "emotion is misread for whom",
    ),
    (
        "rate of an emotion",
        "share of all clips the model labels as that emotion (rate_<emotion>); "
        "ratios between groups are read against the four-fifths rule",
    ),
    (
        "ECE, mean confidence",
        "calibration: expected calibration error of the top label, and its "
        "mean probability (when the model outputs probabilities)",
    ),
)

# Where this report answers NIST AI RMF 1.0, MEASURE 2 (reviewer's cross-reference).
NIST_MEASURE = (
    ("MEASURE 2.1", "test sets, metrics and tools are documented", "Data, Methods, Provenance"),
    (
        "MEASURE 2.5",
        "validity and reliability; limits of generalisation documented",
        "Fairness and robustness results, Limitations",
    ),
    (
        "MEASURE 2.11",
        "fairness and bias are evaluated and the results documented",
        "Fairness results, Policy checks",
    ),
)

WARNING_KINDS = {
    "small_cell": "Groups too small to judge (reported, never gated)",
    "confounded": "Slices that coincide: a gap cannot be attributed to one of them",
    "low_power": "Too few speakers for a gap to reach significance",
    "single_group": "Slices with a single group",
    "empty_cell": "Empty intersections",
    "undefined_metric": "Metrics that could not be computed",
    "within_speaker": "Speakers in more than one group",
    "no_probability": "No probabilities: calibration not measured",
    "leakage": "Audited speakers were in the training data",
}

FINDING_ORDER = {"flag": 0, "note": 1, "info": 2}


def _scope_rows(scope: dict) -> list[dict]:
    rows = []
    for key, (label, hint) in SCOPE_FIELDS.items():
        value = scope.get(key)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        rows.append({"key": key, "label": label, "hint": hint, "value": value or None})
    return rows


def _correction(tests: dict) -> str | None:
    """How p-values are adjusted, per family when the result has families."""
    primary, exploratory = tests.get("primary"), tests.get("exploratory")
    if not primary or not exploratory:
        return tests.get("correction_name") or tests.get("correction")
    return (
        f"{primary['correction_name']} within the {primary['n_tests']} primary comparison(s) "
        f"(stats.primary); {exploratory['correction_name']} across the {exploratory['n_tests']} "
        f"exploratory ones; a gap is significant exactly when its interval at the corrected "
        f"level excludes 0"
    )


def _methods(result: dict) -> dict:
    tests = result.get("tests") or {}
    robustness = result.get("robustness") or {}
    families = bool(tests.get("primary"))
    return {
        "confidence": tests.get("confidence") or robustness.get("confidence"),
        "interval": tests.get("interval") or robustness.get("interval"),
        "bootstrap": tests.get("bootstrap") or robustness.get("replicates"),
        "test": tests.get("test"),
        "permutations": tests.get("permutations"),
        "correction": _correction(tests),
        "n_tests": None if families else tests.get("n_tests"),
        "alpha": tests.get("alpha"),
        "min_speakers": tests.get("min_speakers"),
        "min_clips": tests.get("min_clips"),
        "four_fifths": tests.get("four_fifths"),
        "seed": result["provenance"].get("seed"),
    }


def _warning_groups(result: dict) -> list[dict]:
    groups: dict[str, list[str]] = {}
    for w in result.get("warnings", []):
        groups.setdefault(w.get("kind", "other"), []).append(w["message"])
    return [
        {
            "kind": kind,
            "title": WARNING_KINDS.get(kind, kind.replace("_", " ").capitalize()),
            "messages": messages,
        }
        for kind, messages in groups.items()
    ]


def _signoff(scope: dict, blank: int = 3) -> list[dict]:
    rows = [
        {"name": r.get("name", ""), "role": r.get("role", "")} for r in scope.get("reviewers", [])
    ]
    return rows + [{"name": "", "role": ""}] * max(blank - len(rows), 1)


def ai_banner(ai: dict) -> dict:
    """The screen outcome for the executive verdict: a style and the sentences that matter."""
    levels = {f["level"] for f in ai["findings"]}
    if "bad" in levels:
        return {
            "style": "fail",
            "texts": [f["text"] for f in ai["findings"] if f["level"] == "bad"],
        }
    if ai["unanswered"]:
        return {
            "style": "none",
            "texts": [
                f"{len(ai['unanswered'])} of {len(ai['questions'])} screen question(s) unanswered "
                f"in the audit spec ({', '.join(ai['unanswered'])})."
            ],
        }
    if "warn" in levels:
        return {
            "style": "warn",
            "texts": [f["text"] for f in ai["findings"] if f["level"] == "warn"],
        }
    return {
        "style": "pass",
        "texts": [f["text"] for f in ai["findings"]]
        or ["Every screen question is answered and nothing follows from the answers."],
    }


def report_context(result: dict) -> dict:
    """Template variables for the compliance sections (executive verdict ... sign-off)."""
    scope = result.get("scope") or {}
    card = result.get("model_card")
    ai = screen(scope)
    findings = sorted(  # primary first, then by level (the analysis' order within those)
        result.get("findings") or [],
        key=lambda f: (f.get("family") == "exploratory", FINDING_ORDER.get(f.get("level"), 3)),
    )
    return {
        "sections": SECTIONS,
        "d": digest(result),
        "status_words": STATUS_WORDS,
        "metric_label": metric_label,
        "ai": ai,
        "ai_banner": ai_banner(ai),
        "scope_rows": _scope_rows(scope),
        "out_of_scope": scope.get("out_of_scope") or [],
        "card_html": Markup(card_html(card["markdown"])) if card and card.get("markdown") else None,
        "card": card,
        "methods": _methods(result),
        "metric_definitions": METRIC_DEFINITIONS,
        "nist": NIST_MEASURE,
        "key_findings": findings[:5],
        "primary": (result.get("tests") or {}).get("primary"),
        "warning_groups": _warning_groups(result),
        "signoff": _signoff(scope),
        "verdict": result.get("verdict"),
    }
