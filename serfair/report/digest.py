"""The few numbers a reader needs first, from the result alone (shared by HTML and Markdown).

Tolerates results without intervals, disparities or robustness: what is absent is left out.
"""

from __future__ import annotations

from serfair.vocab.metrics import metric_label

STATUS_WORDS = {"pass": "PASS", "warn": "PASS WITH WARNINGS", "fail": "FAIL", "skipped": "SKIPPED"}


def clean_condition(result: dict) -> str:
    """The reference condition (the first one)."""
    return result["conditions"][0]["name"]


def headline_metric(result: dict) -> str:
    return result["metrics"].get("headline") or result["metrics"]["names"][0]


def interval(row: dict | None, metric: str) -> list | None:
    """[lo, hi] of a group row's metric, or None."""
    ci = ((row or {}).get("ci") or {}).get(metric)
    return ci if ci and None not in ci else None


def overall(result: dict, condition: str | None = None) -> dict | None:
    """The `all` row under a condition (default clean)."""
    condition = condition or clean_condition(result)
    return next(
        (
            r
            for r in result["metrics"]["groups"]
            if r["slice"] == "all" and r["condition"] == condition
        ),
        None,
    )


def small_cells(result: dict) -> set[tuple[str, str]]:
    """(slice, group) pairs flagged too small to judge."""
    cells = {
        (w.get("slice"), w.get("group"))
        for w in result.get("warnings", [])
        if w.get("kind") == "small_cell"
    }
    cells |= {
        (r["slice"], r["group"]) for r in result["metrics"]["groups"] if r.get("gated") is False
    }
    return cells


def gaps(result: dict, condition: str | None = None, metric: str | None = None) -> list[dict]:
    """Per slice: the largest difference between groups, largest first.

    From the analysis' disparities when present (with interval and adjusted p-value), otherwise
    max - min over the groups large enough to judge (no interval).
    """
    condition = condition or clean_condition(result)
    metric = metric or headline_metric(result)
    small = small_cells(result)
    out = []
    for slice_name in result["slices"]:
        record = next(
            (
                d
                for d in result.get("disparities") or []
                if d.get("slice") == slice_name
                and d.get("condition") == condition
                and d.get("metric") == metric
                and d.get("kind", "difference") == "difference"
            ),
            None,
        )
        if record is not None and record.get("value") is not None:
            out.append(
                {
                    "slice": slice_name,
                    "value": record["value"],
                    "ci": record.get("ci"),
                    "worst_group": record.get("worst_group"),
                    "best_group": record.get("best_group"),
                    "p_adjusted": record.get("p_adjusted"),
                    "gated": record.get("gated", True),
                }
            )
            continue
        rows = [
            r
            for r in result["metrics"]["groups"]
            if r["slice"] == slice_name
            and r["condition"] == condition
            and r.get(metric) is not None
            and (slice_name, r["group"]) not in small
        ]
        if len(rows) < 2:
            continue
        worst = min(rows, key=lambda r: r[metric])
        best = max(rows, key=lambda r: r[metric])
        out.append(
            {
                "slice": slice_name,
                "value": best[metric] - worst[metric],
                "ci": None,
                "worst_group": worst["group"],
                "best_group": best["group"],
                "p_adjusted": None,
                "gated": True,
            }
        )
    return sorted(out, key=lambda g: -g["value"])


def drops(result: dict, metric: str | None = None) -> list[dict]:
    """Per perturbed condition: the overall drop from clean and the group that loses most."""
    metric = metric or headline_metric(result)
    clean = clean_condition(result)
    small = small_cells(result)
    by_cell = {
        (r["slice"], r["group"], r["condition"]): r.get(metric) for r in result["metrics"]["groups"]
    }
    out = []
    for cond in [c["name"] for c in result["conditions"][1:]]:
        base, now = by_cell.get(("all", "all", clean)), by_cell.get(("all", "all", cond))
        if base is None or now is None:
            continue
        worst = None
        for (slice_name, group, c), value in by_cell.items():
            if c != cond or slice_name == "all" or (slice_name, group) in small or value is None:
                continue
            ref = by_cell.get((slice_name, group, clean))
            if ref is None:
                continue
            if worst is None or ref - value > worst["drop"]:
                worst = {"slice": slice_name, "group": group, "drop": ref - value}
        out.append(
            {"condition": cond, "clean": base, "value": now, "drop": base - now, "worst": worst}
        )
    return out


def describe_check(rule: dict, check: dict) -> str:
    """One gate check in words, e.g. `gender = female under clean: uar 0.512 < min 0.55`."""
    where = check["slice"] if check.get("group") is None else f"{check['slice']} = {check['group']}"
    metric = rule.get("metric", "")
    number = {
        "value": metric,
        "gap": f"{metric} {rule.get('kind', 'difference')}",
        "drop": f"{metric} drop from {check.get('reference')}",
    }[rule.get("check", "value")]
    if rule.get("bound", "point") != "point":
        number = f"{rule['bound']} bound of the {number}"
    if check["status"] == "skipped":
        return f"{where} under {check['condition']}: skipped, {check['reason']}"
    return f"{where} under {check['condition']}: {number} {check['tested']:.3f} {check['reason']}"


def describe_rule_checks(rule: dict) -> str:
    """Every check of an evaluated rule, one per line, violations first."""
    order = {"violated": 0, "pass": 1, "skipped": 2}
    checks = sorted(rule.get("checks", []), key=lambda c: order.get(c["status"], 3))
    return "\n".join(f"[{c['status']}] {describe_check(rule, c)}" for c in checks)


def digest(result: dict) -> dict:
    """Everything the executive summary shows."""
    metric = headline_metric(result)
    row = overall(result)
    gap_list = gaps(result)
    drop_list = drops(result)
    warnings = result.get("warnings", [])
    kinds: dict[str, int] = {}
    for w in warnings:
        kinds[w.get("kind", "other")] = kinds.get(w.get("kind", "other"), 0) + 1
    return {
        "metric": metric,
        "metric_label": metric_label(metric),
        "clean": clean_condition(result),
        "overall": row,
        "overall_ci": interval(row, metric),
        "chance": 1 / len(result["data"]["model_labels"]),
        "largest_gap": gap_list[0] if gap_list else None,
        "gaps": gap_list,
        "worst_drop": max(drop_list, key=lambda d: d["drop"]) if drop_list else None,
        "drops": drop_list,
        "n_warnings": len(warnings),
        "warning_kinds": kinds,
        "verdict": result.get("verdict"),
    }
