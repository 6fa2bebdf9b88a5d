"""Findings: disparities stated in plain words, most important first.

"Women's anger is recalled 14 points less than men's (95 % CI 6 to 22, adjusted p = 0.003)."

Which disparities become findings:
- `flag`: significant within its family and gated (enough speakers and clips);
- `note`: significant but not gated, or a gated prediction-rate ratio on clean speech whose whole
  interval lies below the four-fifths threshold;
- `info`: every primary comparison, whatever its size, with the smallest gap the audit could
  detect when it found none.
Degenerate comparisons (a group whose value never varies across resamples) are not findings.
Order: primary first, then flags, notes, infos, then by evidence (adjusted p) and size.
Exploratory findings say so ("Exploratory: ..."). Rates are stated as ratios (the four-fifths
rule); every other metric as a difference.
"""

from __future__ import annotations

from serfair.analysis.families import EXPLORATORY, PRIMARY
from serfair.analysis.metrics import MetricInfo
from serfair.analysis.multiple_testing import NAMES
from serfair.analysis.slicing import slice_columns

GENDER_NOUNS = {"female": "women", "male": "men", "non-binary": "non-binary speakers"}
EMOTION_NOUNS = {"angry": "anger", "happy": "happiness", "sad": "sadness", "fearful": "fear",
                 "disgust": "disgust", "neutral": "neutral speech", "calm": "calm speech",
                 "surprised": "surprise", "boredom": "boredom", "contempt": "contempt"}
LEVELS = ("flag", "note", "info")


def group_noun(slice_name: str, group: str) -> str:
    """`gender`/`female` -> 'women'; `dataset`/`emodb` -> 'emodb speakers';
    `gender*dataset`/`female & emodb` -> 'women in emodb'."""
    columns = slice_columns(slice_name)
    values = group.split(" & ") if len(columns) > 1 else [group]
    if len(values) != len(columns):
        return f"{slice_name} = {group}"
    gender = [GENDER_NOUNS.get(v, f"{v} speakers")
              for c, v in zip(columns, values) if c == "gender"]
    rest = [v for c, v in zip(columns, values) if c != "gender"]
    if gender:
        return gender[0] + (f" in {' / '.join(rest)}" if rest else "")
    return f"{' / '.join(rest)} speakers"


def _possessive(noun: str) -> str | None:
    if " in " in noun or " = " in noun:
        return None
    return noun + ("'" if noun.endswith("s") else "'s")


def digits_for(x: float) -> int:
    """Decimals for a gap in points: none from 10 points up, one below."""
    return 0 if abs(100 * x) >= 9.5 else 1


def points(x: float, digits: int | None = None) -> str:
    """A difference of shares in percentage points: '14', '3.2', '−4'."""
    digits = digits_for(x) if digits is None else digits
    return f"{100 * x:.{digits}f}".replace("-", "\u2212")


def p_text(p: float | None) -> str:
    """'p < 0.001', 'p = 0.003', 'p = 0.049', 'p = 0.27'."""
    if p is None:
        return "not tested"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


def _evidence(r: dict, confidence: float, unit: str) -> str:
    level = f"{100 * confidence:.0f} %"
    fewest = min((r.get("n_speakers") or {}).values(), default=None)
    if r["ci"] is None and r.get("p_value") is None and fewest is not None:
        return f"no interval or test: a group has {fewest} speaker{'s' if fewest != 1 else ''}"
    if r["ci"] is None:
        interval = "no interval"
    elif unit == "ratio":
        interval = f"{level} CI {r['ci'][0]:.2f} to {r['ci'][1]:.2f}"
    else:
        digits = digits_for(r["value"])
        interval = f"{level} CI {points(r['ci'][0], digits)} to {points(r['ci'][1], digits)}"
    if r["p_adjusted"] is not None:
        adjusted = p_text(r["p_adjusted"]).replace("p ", "adjusted p ", 1)
    else:
        adjusted = p_text(r["p_value"])
    return f"{interval}, {adjusted}"


def _body(r: dict, info: MetricInfo, confidence: float) -> str:
    worst, best = group_noun(r["slice"], r["worst_group"]), group_noun(r["slice"], r["best_group"])
    low, high = group_noun(r["slice"], r["low_group"]), group_noun(r["slice"], r["high_group"])
    wv, bv = f"{100 * r['worst_value']:.1f} %", f"{100 * r['best_value']:.1f} %"
    d = points(r["value"]) if r["kind"] == "difference" else ""
    ev = _evidence(r, confidence, "ratio" if r["kind"] == "ratio" else "points")
    if r["kind"] == "difference" and r["value"] == 0:
        return f"the model's {info.label} is the same for {low} and {high} ({wv}; {ev})"
    if info.family == "rate":
        said = f"the model says \u201c{info.emotion}\u201d to"
        if r["kind"] == "ratio":
            rule = (f"below the four-fifths threshold of {r.get('threshold', 0.8):.2f}"
                    if r.get("below_threshold") else "within the four-fifths rule")
            if r["value"] == 0:
                return f"{said} {high} ({bv} of clips) but never to {low} ({rule}; {ev})"
            return (f"{said} {high} {1 / r['value']:.1f} times as often as to {low} ({bv} vs {wv} "
                    f"of clips; ratio {r['value']:.2f}, {rule}; {ev})")
        return f"{said} {high} {d} points more often than to {low} ({bv} vs {wv} of clips; {ev})"
    if info.family == "recall":
        emotion = EMOTION_NOUNS.get(info.emotion, f"{info.emotion} speech")
        who, whom = _possessive(worst), _possessive(best)
        if who and whom:
            return f"{who} {emotion} is recalled {d} points less than {whom} ({wv} vs {bv}; {ev})"
        return (f"{emotion} spoken by {worst} is recalled {d} points less than by {best} "
                f"({wv} vs {bv}; {ev})")
    if r["metric"] == "ece":
        return (f"the model is {d} points worse calibrated for {worst} than for {best} "
                f"(ECE {wv} vs {bv}; {ev})")
    if r["metric"] == "mean_confidence":
        return (f"the model is {d} points more confident for {high} than for {low} "
                f"({bv} vs {wv} mean confidence; {ev})")
    if r["kind"] == "ratio":
        return (f"the model's {info.label} for {worst} is {r['value']:.2f} times that for {best} "
                f"({ev})")
    return (f"the model's {info.label} for {worst} is {d} points lower than for {best} "
            f"({wv} vs {bv}; {ev})")


def sentence(r: dict, info: MetricInfo, *, clean: str, confidence: float, correction: str) -> str:
    """One disparity record in words, with its caveats."""
    body = _body(r, info, confidence)
    text = (f"Under {r['condition']}, {body}." if r["condition"] != clean
            else f"{body[0].upper()}{body[1:]}.")
    family = r.get("family")
    if family == EXPLORATORY:
        text = f"Exploratory: {text}"
    method = NAMES.get(r.get("correction") or correction, correction)
    if r["significant"] is False:
        within = f" within the {family} family" if family else ""
        text += f" Not significant after {method} correction{within}."
    if r.get("decision_note"):
        text += f" ({r['decision_note'][0].upper()}{r['decision_note'][1:]}.)"
    if not r["gated"]:
        text += f" Reported, not gated: {'; '.join(r['not_gated_because'])}."
    columns = [c for c in slice_columns(r["slice"])]
    if r["confounded_with"]:
        text += (f" This gap cannot be attributed to {' and '.join(columns)} rather than "
                 f"{' or '.join(r['confounded_with'])}.")
    return text


def detectable(r: dict, info: MetricInfo, clean: str) -> str | None:
    """'With 12 vs 12 speakers this audit detects a UAR gap by gender of 13 points or more 80 %
    of the time; smaller gaps may exist unseen.' (None without a minimum detectable gap)"""
    if r.get("mdg") is None:
        return None
    sizes = " vs ".join(str(n) for n in (r.get("n_speakers") or {}).values())
    where = f" under {r['condition']}" if r["condition"] != clean else ""
    power = f"{100 * r.get('mdg_power', 0.8):.0f} %"
    return (f"With {sizes} speakers this audit detects a {info.label} gap by {r['slice']}{where} "
            f"of {points(r['mdg'], 0 if r['mdg'] >= 0.095 else 1)} points or more {power} of the "
            f"time; smaller gaps may exist unseen.")


def _level(r: dict, clean: str, headline: str) -> str | None:
    if r.get("degenerate"):
        return None
    if r["significant"] and r["gated"]:
        return "flag"
    if r["significant"] or (r["condition"] == clean and r.get("below_threshold") and r["gated"]
                            and r["ci"] is not None and r["ci"][1] < r["threshold"]):
        return "note"
    primary = r.get("family") == PRIMARY if "family" in r else (
        r["condition"] == clean and r["metric"] == headline)
    if primary and r["kind"] == "difference":
        return "info"
    return None


def findings(records: list[dict], infos: dict[str, MetricInfo], *, clean: str, headline: str,
             confidence: float, correction: str) -> list[dict]:
    """Findings in order of importance: flags, notes, then the headline gaps."""
    chosen = []
    for r in records:
        info = infos[r["metric"]]
        if r["kind"] != ("ratio" if info.family == "rate" else "difference"):
            continue
        level = _level(r, clean, headline)
        if level is None:
            continue
        text = sentence(r, info, clean=clean, confidence=confidence, correction=correction)
        if r.get("family") == PRIMARY and not r["significant"] and r.get("mdg") is not None:
            text += " " + detectable(r, info, clean)
        chosen.append({"level": level, "family": r.get("family"), "slice": r["slice"],
                       "condition": r["condition"], "metric": r["metric"], "kind": r["kind"],
                       "value": r["value"], "ci": r["ci"], "p_adjusted": r["p_adjusted"],
                       "significant": r["significant"], "gated": r["gated"],
                       "mdg": r.get("mdg"), "text": text})
    rank = {level: i for i, level in enumerate(LEVELS)}

    def key(f: dict) -> tuple:
        p = f["p_adjusted"] if f["p_adjusted"] is not None else 2.0
        size = f["value"] if f["kind"] == "difference" else 1 - f["value"]
        return f["family"] != PRIMARY, rank[f["level"]], p, -abs(size)
    return sorted(chosen, key=key)


def primary_comparisons(records: list[dict], infos: dict[str, MetricInfo], *, clean: str,
                        meaningful_gap: float) -> list[dict]:
    """The primary family for result.json `tests.primary.comparisons`: each comparison's
    decision, its minimum detectable gap in words, and whether the audit is large enough to
    support "no gap found" (its minimum detectable gap is at most `meaningful_gap`)."""
    out = []
    for r in records:
        if r.get("family") != PRIMARY or r["kind"] != "difference":
            continue
        mdg = r.get("mdg")
        out.append({
            "slice": r["slice"], "condition": r["condition"], "metric": r["metric"],
            "value": r["value"], "ci": r["ci"], "ci_decision": r.get("ci_decision"),
            "decision_level": r.get("decision_level"), "p_adjusted": r["p_adjusted"],
            "significant": r["significant"], "worst_group": r["worst_group"],
            "best_group": r["best_group"], "n_speakers": r["n_speakers"], "mdg": mdg,
            "mdg_power": r.get("mdg_power"),
            "supports_no_gap": (None if r["significant"] is not False or mdg is None
                                else bool(mdg <= meaningful_gap)),
            "detectable": detectable(r, infos[r["metric"]], clean),
            "untested_because": (r.get("untested_because") or r["not_gated_because"])
            if r["significant"] is None else [],
        })
    return out
