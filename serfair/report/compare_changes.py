"""Comparison sections: what got better and what got worse, judged with the intervals when present.

A change in a cell (slice, group, condition) counts as *better* or *worse* only when the two
models' intervals do not overlap (a conservative reading: separate 95 % intervals mean a clear
difference); overlapping intervals are *within the noise*. A group too small to gate (fewer than
`min_speakers` speakers) has no interval and is *not judged*: its change is shown, never counted as
better or worse. Otherwise, without intervals, a change of at least `POINTS` is reported by its
estimate alone and marked so. Gaps between groups and gate verdicts are compared the same way. serfair.report.compare registers `CHANGES` right after "summary".
"""

from __future__ import annotations

from serfair.report.compare_base import ALL, Section, clean_name, group_rows, pct, signed

POINTS = 0.02  # without intervals, smaller changes count as "about the same"
NOT_JUDGED = "too few speakers"  # the verdict of a change in a group too small to gate
TOP = 5  # changes put in words, each way
METRIC = "uar"


def _ci(row: dict | None, metric: str = METRIC) -> list | None:
    ci = ((row or {}).get("ci") or {}).get(metric)
    return ci if ci and None not in ci else None


def judge(a: float, b: float, ci_a: list | None, ci_b: list | None, higher_is_better: bool = True):
    """('better' | 'worse' | 'within the noise' | 'about the same', judged on intervals?)."""
    if ci_a and ci_b:
        if ci_b[0] > ci_a[1]:
            verdict = "better" if higher_is_better else "worse"
        elif ci_b[1] < ci_a[0]:
            verdict = "worse" if higher_is_better else "better"
        else:
            verdict = "within the noise"
        return verdict, True
    delta = b - a
    if abs(delta) < POINTS:
        return "about the same", False
    return ("better" if (delta > 0) == higher_is_better else "worse"), False


def _with_ci(value: float | None, ci: list | None) -> str:
    return pct(value) + (f" [{pct(ci[0])}, {pct(ci[1])}]" if ci else "")


def _cell_name(slice_name: str, group: str, condition: str) -> str:
    who = "all clips" if slice_name == ALL else f"{slice_name} = {group}"
    return f"{who} under {condition}"


def cell_changes(a: dict, b: dict) -> list[dict]:
    """Every (slice, group, condition) both results have: UAR, intervals, change, verdict."""
    rows_a, rows_b = group_rows(a), group_rows(b)
    small = {(r["slice"], r["group"]) for r in b["metrics"]["groups"] if r.get("gated") is False}
    small |= {(r["slice"], r["group"]) for r in a["metrics"]["groups"] if r.get("gated") is False}
    out = []
    for key, row_a in rows_a.items():
        row_b = rows_b.get(key)
        if row_b is None or row_a.get(METRIC) is None or row_b.get(METRIC) is None:
            continue
        ci_a, ci_b = _ci(row_a), _ci(row_b)
        verdict, by_interval = judge(row_a[METRIC], row_b[METRIC], ci_a, ci_b)
        if (key[0], key[1]) in small and not by_interval:
            verdict = NOT_JUDGED
        out.append({"slice": key[0], "group": key[1], "condition": key[2],
                    "a": row_a[METRIC], "b": row_b[METRIC], "ci_a": ci_a, "ci_b": ci_b,
                    "delta": row_b[METRIC] - row_a[METRIC], "verdict": verdict,
                    "by_interval": by_interval, "small": (key[0], key[1]) in small})
    return out


def gap_changes(a: dict, b: dict) -> list[dict]:
    """The UAR gap between groups per slice and condition in both results (narrower is better)."""
    def index(result):
        return {(d["slice"], d["condition"]): d for d in result.get("disparities") or []
                if d.get("metric") == METRIC and d.get("kind", "difference") == "difference"
                and d.get("value") is not None}
    gaps_a, gaps_b = index(a), index(b)
    out = []
    for key, da in gaps_a.items():
        db = gaps_b.get(key)
        if db is None:
            continue
        ci_a = da.get("ci") if da.get("ci") and None not in da["ci"] else None
        ci_b = db.get("ci") if db.get("ci") and None not in db["ci"] else None
        verdict, by_interval = judge(da["value"], db["value"], ci_a, ci_b, higher_is_better=False)
        gated = bool(da.get("gated", True) and db.get("gated", True))
        if not gated and not by_interval:
            verdict = NOT_JUDGED
        out.append({"slice": key[0], "condition": key[1], "a": da["value"], "b": db["value"],
                    "ci_a": ci_a, "ci_b": ci_b, "delta": db["value"] - da["value"],
                    "verdict": verdict, "by_interval": by_interval,
                    "worst_group": [da.get("worst_group"), db.get("worst_group")],
                    "gated": gated})
    return out


def verdict_changes(a: dict, b: dict) -> list[dict]:
    """Gate rules both results were judged on (same rule id): status before and after."""
    rules_a = {r["id"]: r for r in (a.get("verdict") or {}).get("rules", [])}
    rules_b = {r["id"]: r for r in (b.get("verdict") or {}).get("rules", [])}
    return [{"rule": rule_id, "a": rules_a[rule_id]["status"], "b": rules_b[rule_id]["status"],
             "message": rules_b[rule_id].get("message", "")}
            for rule_id in rules_a if rule_id in rules_b]


def _sentence(change: dict, label_a: str, label_b: str) -> str:
    basis = "intervals apart" if change["by_interval"] else "estimates only, no intervals"
    return (f"{_cell_name(change['slice'], change['group'], change['condition'])}: "
            f"UAR {_with_ci(change['a'], change['ci_a'])} % ({label_a}) -> "
            f"{_with_ci(change['b'], change['ci_b'])} % ({label_b}), "
            f"{signed(change['delta'])} points ({basis})"
            + ("; a group too small to gate" if change["small"] else "") + ".")


def gap_sentence(gap: dict, overall: dict | None, label_a: str, label_b: str) -> str:
    """Whether a slice's clean-speech UAR gap narrowed, with intervals, and what it cost."""
    delta = gap["delta"]
    moved = "narrowed" if delta < 0 else "widened" if delta > 0 else "stayed"
    if gap["by_interval"]:
        judged = ("the intervals do not overlap" if gap["verdict"] in ("better", "worse")
                  else "the intervals overlap: within the noise")
    else:
        judged = "estimates only, no intervals"
    text = (f"The UAR gap by {gap['slice']} on clean speech {moved} from "
            f"{_with_ci(gap['a'], gap['ci_a'])} ({label_a}) to {_with_ci(gap['b'], gap['ci_b'])} "
            f"points ({label_b}), {signed(delta)} points ({judged})")
    if overall is not None:
        text += (f"; overall clean UAR {_with_ci(overall['a'], overall['ci_a'])} % -> "
                 f"{_with_ci(overall['b'], overall['ci_b'])} % ({signed(overall['delta'])} points, "
                 f"{overall['verdict']})")
    return text + "."


def changes_section(results: list[dict], labels: list[str]) -> dict:
    """Per later model against the baseline: cells, gaps and gate rules that got better or worse."""
    base, records, sentences, tables = results[0], [], [], []
    for label, result in zip(labels[1:], results[1:], strict=True):
        cells = cell_changes(base, result)
        gaps = gap_changes(base, result)
        rules = verdict_changes(base, result)
        counts = {v: sum(c["verdict"] == v for c in cells)
                  for v in ("better", "worse", "within the noise", "about the same", NOT_JUDGED)}
        records.append({"counts": counts, "cells": cells, "gaps": gaps, "rules": rules})
        judged_by = (
            "their 95 % intervals do not overlap" if any(c["by_interval"] for c in cells)
            else f"the estimates differ by {100 * POINTS:.0f} points or more (no intervals)")
        sentences.append(
            f"{label} against {labels[0]}: better in {counts['better']} and worse in "
            f"{counts['worse']} of {len(cells)} group x condition cells (a change counts when "
            f"{judged_by}); {counts['within the noise'] + counts['about the same']} "
            f"unchanged within the noise"
            + (f"; {counts[NOT_JUDGED]} not judged (groups under min_speakers have no interval)"
               if counts[NOT_JUDGED] else "") + ".")
        worse = sorted((c for c in cells if c["verdict"] == "worse"), key=lambda c: c["delta"])
        better = sorted((c for c in cells if c["verdict"] == "better"), key=lambda c: -c["delta"])
        sentences += [f"Worse: {_sentence(c, labels[0], label)}" for c in worse[:TOP]]
        sentences += [f"Better: {_sentence(c, labels[0], label)}" for c in better[:TOP]]
        moved = sorted((c for c in cells if c["verdict"] == NOT_JUDGED
                        and abs(c["delta"]) >= POINTS), key=lambda c: -abs(c["delta"]))
        sentences += [f"Not judged ({NOT_JUDGED}): {_sentence(c, labels[0], label)}"
                      for c in moved[:TOP]]
        clean = clean_name(base)
        overall = next((c for c in cells if c["slice"] == ALL and c["condition"] == clean), None)
        sentences += [gap_sentence(g, overall, labels[0], label) for g in gaps
                      if g["condition"] == clean]
        for r in rules:
            if r["a"] != r["b"]:
                sentences.append(f"Gate rule {r['rule']}: {r['a']} -> {r['b']}.")
        changed = worse + better + moved
        tables.append({
            "caption": f"{label} against {labels[0]}: cells whose UAR changed (%, [95 % interval]; "
                       f"worse first)",
            "columns": ["slice", "group", "condition", f"{labels[0]} UAR", f"{label} UAR",
                        "change (points)", "verdict"],
            "rows": [[c["slice"], c["group"], c["condition"], _with_ci(c["a"], c["ci_a"]),
                      _with_ci(c["b"], c["ci_b"]), signed(c["delta"]),
                      c["verdict"] + ("" if c["by_interval"] else " (estimate)")
                      + (" †" if c["small"] else "")] for c in changed]})
        if gaps:
            tables.append({
                "caption": f"{label} against {labels[0]}: UAR gaps between groups (points, "
                           f"[95 % interval]; narrower is better)",
                "columns": ["slice", "condition", f"{labels[0]} gap", f"{label} gap", "change",
                            "verdict"],
                "rows": [[g["slice"], g["condition"], _with_ci(g["a"], g["ci_a"]),
                          _with_ci(g["b"], g["ci_b"]), signed(g["delta"]),
                          ("narrower" if g["verdict"] == "better" else "wider"
                           if g["verdict"] == "worse" else g["verdict"])
                          + ("" if g["gated"] else " (not gated)")] for g in gaps]})
        if rules:
            tables.append({
                "caption": f"Gate rules: {labels[0]} -> {label}",
                "columns": ["rule", labels[0], label, f"{label}: result"],
                "rows": [[r["rule"], r["a"], r["b"], r["message"]] for r in rules]})
    return {"records": records, "sentences": sentences, "tables": tables}


CHANGES = Section("changes", "What got better, what got worse", changes_section)
