"""The gate: policy rules -> pass / warn / fail / skipped per rule -> verdict and exit code.

Reads only the result document (and a baseline result for `relative_to` rules), so a result can be
gated again without the model: `serfair gate result.json --policy P`.
Cells the analysis flagged as too small are skipped, never gated.
"""

from __future__ import annotations

from datetime import UTC, datetime
from fnmatch import fnmatchcase
from pathlib import Path

from serfair.errors import SerfairError, SpecError
from serfair.paths import shown_path
from serfair.policy import DEPLOYMENT_METRICS, Policy, Rule
from serfair.report.digest import describe_check, small_cells
from serfair.report.json_out import read_result
from serfair.vocab.conditions import parse_condition

EXIT_PASS, EXIT_FAIL, EXIT_REFUSED = 0, 1, 2


def evaluate(policy: Policy, result: dict) -> dict:
    """The verdict document stored as `result["verdict"]`."""
    baselines: dict[str, dict] = {}
    rules = [evaluate_rule(rule, result, baselines) for rule in policy.rules]
    counts = {
        status: sum(r["status"] == status for r in rules)
        for status in ("pass", "fail", "warn", "skipped")
    }
    status = "fail" if counts["fail"] else "warn" if counts["warn"] else "pass"
    empty = counts["skipped"] == len(rules)  # every rule skipped: nothing was checked
    return {
        "status": status,
        "exit_code": EXIT_FAIL if status == "fail" else
        EXIT_REFUSED if empty and not policy.allow_empty else EXIT_PASS,
        "empty": empty,
        "policy": policy.describe(),
        "baselines": sorted(shown_path(b) for b in baselines),
        "counts": counts,
        "rules": rules,
        "evaluated": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def preflight(
    policy: Policy, *, conditions: list[str], slices: list[str], metrics: list[str] | None = None
) -> None:
    """Before any inference: raise SpecError for a rule naming a condition, slice, reference or
    metric the audit will not have (the checks `evaluate` would otherwise fail after the run)."""
    skeleton = {
        "conditions": [{"name": c} for c in conditions],
        "slices": list(slices),
        "metrics": {"names": list(metrics or [])},
    }
    for rule in policy.rules:
        _slices(rule, skeleton)
        _conditions(rule, skeleton)
        if rule.reference and canonical(rule.reference) not in conditions:
            raise SpecError(
                f"rule '{rule.id}': reference condition '{rule.reference}' is not "
                f"among the audit's conditions ({', '.join(conditions)})"
            )
        if metrics is not None:
            _check_metric(rule, skeleton, "audit")


def exit_code(verdict: dict | None) -> int:
    """0 when nothing with severity fail failed (warnings allowed), 1 when one did, 2 when no rule
    could be evaluated (all skipped) and the policy does not say `allow_empty: true`."""
    if not verdict:
        return EXIT_PASS
    if verdict.get("status") == "fail":
        return EXIT_FAIL
    if verdict.get("empty") and not (verdict.get("policy") or {}).get("allow_empty"):
        return EXIT_REFUSED
    return EXIT_PASS


def empty_message(verdict: dict | None) -> str | None:
    """What to print when the gate evaluated no rule (None when it did, or the policy allows it)."""
    if exit_code(verdict) != EXIT_REFUSED:
        return None
    return (f"the gate evaluated no rule: all {len(verdict['rules'])} rule(s) were skipped (groups "
            f"too small or metrics not computed), so it checked nothing; audit more speakers, "
            f"lower stats.min_speakers / min_clips, or set `allow_empty: true` in the policy")


# -- selecting cells ---------------------------------------------------------------------------


def _matches(value: str, patterns: str | list[str]) -> bool:
    patterns = [patterns] if isinstance(patterns, str) else patterns
    return any(fnmatchcase(value, p) for p in patterns)


def canonical(condition: str) -> str:
    """A condition as the audit names it (`telephone` -> `telephone@low=300:high=3400`); glob
    patterns and names serfair cannot parse are returned unchanged."""
    if any(ch in condition for ch in "*?["):
        return condition
    try:
        return parse_condition(condition).name
    except SerfairError:
        return condition


def _conditions(rule: Rule, result: dict) -> list[str]:
    names = [c["name"] for c in result["conditions"]]
    clean = names[0]
    if rule.condition is None:
        if rule.check == "drop" and rule.relative_to is None:
            reference = canonical(rule.reference) if rule.reference else clean
            return [n for n in names if n != reference]
        return [clean]
    patterns = [rule.condition] if isinstance(rule.condition, str) else rule.condition
    chosen = [n for n in names if _matches(n, [*patterns, *map(canonical, patterns)])]
    if not chosen:
        raise SpecError(
            f"rule '{rule.id}': condition {rule.condition!r} matches none of the "
            f"audited conditions ({', '.join(names)})"
        )
    return chosen


def _slices(rule: Rule, result: dict) -> list[str]:
    names = ["all", *result["slices"]]
    if rule.check == "gap":
        names = names[1:]
    chosen = [n for n in names if fnmatchcase(n, rule.slice)]
    if not chosen:
        raise SpecError(
            f"rule '{rule.id}': slice '{rule.slice}' matches none of the audited "
            f"slices ({', '.join(names) or 'none'})"
        )
    return chosen


def _check_metric(rule: Rule, result: dict, what: str = "result") -> None:
    if rule.metric in DEPLOYMENT_METRICS:
        if what == "result" and (result.get("deployment") or {}).get(rule.metric) is None:
            raise SpecError(
                f"rule '{rule.id}': the result has no {rule.metric} (no model ran, or it was not "
                f"measured); re-run `serfair audit` with a model file to measure it"
            )
        return
    names = result["metrics"]["names"]
    if rule.metric not in names:
        raise SpecError(
            f"rule '{rule.id}': the {what} has no metric '{rule.metric}' "
            f"(it has: {', '.join(names)})"
        )


# -- numbers -----------------------------------------------------------------------------------


def _interval(row: dict, metric: str) -> list | None:
    ci = (row.get("ci") or {}).get(metric)
    return ci if ci and None not in ci else None


def _no_interval(rule: Rule, what: str) -> SpecError:
    return SpecError(
        f"rule '{rule.id}' tests the {rule.bound} bound, but the result has no "
        f"interval for {what}; test the estimate (bound: point) or re-run the audit "
        f"with intervals"
    )


def _tested(rule: Rule, point, interval):
    if rule.bound == "point":
        return point
    return interval[0] if rule.bound == "lower" else interval[1]


def _has_intervals(result: dict, check: str) -> bool:
    """Whether the result carries intervals for this kind of check at all (a small cell's speaker
    range or a gap's family shows that it does, even where a cell has none)."""
    if check == "gap":
        return any(d.get("ci") or d.get("family") for d in result.get("disparities") or [])
    return any(r.get("ci") or r.get("range") for r in result["metrics"]["groups"])


def _compare(rule: Rule, tested: float) -> tuple[bool, str]:
    """(violated, what the threshold says)."""
    if rule.min is not None and tested < rule.min:
        return True, f"< min {rule.min:g}"
    if rule.max is not None and tested > rule.max:
        return True, f"> max {rule.max:g}"
    parts = [
        f"≥ min {rule.min:g}" if rule.min is not None else "",
        f"≤ max {rule.max:g}" if rule.max is not None else "",
    ]
    return False, " and ".join(p for p in parts if p)


def _check(
    rule: Rule,
    result: dict,
    *,
    slice_name: str,
    group: str | None,
    condition: str,
    point,
    interval,
    what: str,
    skip: str | None = None,
    **extra,
) -> dict:
    record = {
        "slice": slice_name,
        "group": group,
        "condition": condition,
        "value": point,
        "ci": interval,
        **extra,
    }
    if skip is None and point is None:
        skip = "not computed (an empty cell, or a class without clips)"
    if skip is None and rule.bound != "point" and interval is None:
        if not _has_intervals(result, rule.check):
            raise _no_interval(rule, what)
        skip = "no interval for this cell"
    if skip is not None:
        return {**record, "tested": None, "status": "skipped", "reason": skip}
    tested = _tested(rule, point, interval)
    violated, says = _compare(rule, tested)
    return {
        **record,
        "tested": tested,
        "status": "violated" if violated else "pass",
        "reason": says,
    }


# -- the three checks --------------------------------------------------------------------------


def _value_checks(rule: Rule, result: dict) -> list[dict]:
    small = small_cells(result)
    slices, conditions = _slices(rule, result), _conditions(rule, result)
    checks = []
    for row in result["metrics"]["groups"]:
        if row["slice"] not in slices or row["condition"] not in conditions:
            continue
        if not _matches(row["group"], rule.groups):
            continue
        skip = (
            "too few speakers or clips to gate" if (row["slice"], row["group"]) in small else None
        )
        checks.append(
            _check(
                rule,
                result,
                slice_name=row["slice"],
                group=row["group"],
                condition=row["condition"],
                point=row.get(rule.metric),
                interval=_interval(row, rule.metric),
                skip=skip,
                what=f"{rule.metric} of {row['slice']} = {row['group']}",
            )
        )
    return checks


def _not_gated(record: dict) -> str | None:
    """Why the analysis says a disparity must not be gated (small groups, too few clips), or None.

    A missing test or interval does not block a threshold on the estimate; a missing interval is
    handled where a bound is tested.
    """
    if record.get("gated", True):
        return None
    reasons = [
        r
        for r in record.get("not_gated_because") or []
        if not r.startswith(("not tested", "no interval"))
    ]
    if record.get("not_gated_because") is None:
        reasons = ["the analysis marks it as not gated"]
    return "; ".join(reasons) or None


def _gap_from_groups(
    rule: Rule, rows: list[dict], small: set, direction: str = "higher"
) -> tuple[float | None, dict, str | None]:
    """max - min (or min / max) over the groups large enough to gate, without an interval."""
    usable = [
        r for r in rows if (r["slice"], r["group"]) not in small and r.get(rule.metric) is not None
    ]
    if len(usable) < 2:
        return None, {}, "fewer than two groups large enough to gate"
    worst = min(usable, key=lambda r: r[rule.metric])
    best = max(usable, key=lambda r: r[rule.metric])
    lo, hi = worst[rule.metric], best[rule.metric]
    value = hi - lo if rule.kind == "difference" else (lo / hi if hi else None)
    if direction == "lower":  # e.g. ECE: the highest group is the worst
        worst, best = best, worst
    return value, {"worst_group": worst["group"], "best_group": best["group"]}, None


def _gap_checks(rule: Rule, result: dict) -> list[dict]:
    small = small_cells(result)
    disparities = result.get("disparities") or []
    checks = []
    for slice_name in _slices(rule, result):
        for condition in _conditions(rule, result):
            record = next(
                (
                    d
                    for d in disparities
                    if d.get("slice") == slice_name
                    and d.get("condition") == condition
                    and d.get("metric") == rule.metric
                    and d.get("kind", "difference") == rule.kind
                ),
                None,
            )
            what = f"the {rule.metric} {rule.kind} of {slice_name} under {condition}"
            if record is not None:
                extra = {
                    k: record.get(k)
                    for k in ("worst_group", "best_group", "p_value", "p_adjusted")
                    if record.get(k) is not None
                }
                skip = _not_gated(record)
                ci = record.get("ci")
                checks.append(
                    _check(
                        rule,
                        result,
                        slice_name=slice_name,
                        group=None,
                        condition=condition,
                        point=record.get("value"),
                        what=what,
                        skip=skip,
                        interval=ci if ci and None not in ci else None,
                        **extra,
                    )
                )
                continue
            rows = [
                r
                for r in result["metrics"]["groups"]
                if r["slice"] == slice_name and r["condition"] == condition
            ]
            direction = (result["metrics"].get("info") or {}).get(rule.metric, {}).get("direction")
            value, extra, skip = _gap_from_groups(rule, rows, small, direction or "higher")
            checks.append(
                _check(
                    rule,
                    result,
                    slice_name=slice_name,
                    group=None,
                    condition=condition,
                    point=value,
                    interval=None,
                    what=what,
                    skip=skip,
                    **extra,
                )
            )
    return checks


def _drop_interval(reference: float, row: dict, metric: str) -> list | None:
    """The drop's interval, the reference taken as fixed: [ref - hi, ref - lo]."""
    ci = _interval(row, metric)
    return None if ci is None else [reference - ci[1], reference - ci[0]]


def _drop_checks(rule: Rule, result: dict, baselines: dict[str, dict]) -> list[dict]:
    small = small_cells(result)
    if rule.relative_to:
        key = str(Path(rule.relative_to))
        if key not in baselines:
            if not Path(key).is_file():
                raise SpecError(
                    f"rule '{rule.id}': baseline result {key} does not exist "
                    f"(relative_to is relative to the policy file; or pass --baseline)"
                )
            baselines[key] = read_result(key)
        reference_result = baselines[key]
        _check_metric(rule, reference_result, f"baseline {key}")
        small |= small_cells(reference_result)
    else:
        reference_result = result
    reference_rows = {
        (r["slice"], r["group"], r["condition"]): r for r in reference_result["metrics"]["groups"]
    }
    clean = result["conditions"][0]["name"]
    if rule.reference and canonical(rule.reference) not in {
        c["name"] for c in result["conditions"]
    }:
        raise SpecError(
            f"rule '{rule.id}': reference condition '{rule.reference}' is not in the "
            f"result ({', '.join(c['name'] for c in result['conditions'])})"
        )
    checks = []
    slices, conditions = _slices(rule, result), _conditions(rule, result)
    for row in result["metrics"]["groups"]:
        if row["slice"] not in slices or row["condition"] not in conditions:
            continue
        if not _matches(row["group"], rule.groups):
            continue
        ref_condition = (
            row["condition"]
            if rule.relative_to
            else canonical(rule.reference)
            if rule.reference
            else clean
        )
        ref = reference_rows.get((row["slice"], row["group"], ref_condition))
        current = row.get(rule.metric)
        skip = None
        if (row["slice"], row["group"]) in small:
            skip = "too few speakers or clips to gate"
        elif ref is None or ref.get(rule.metric) is None:
            skip = "not in the baseline" if rule.relative_to else f"no value under {ref_condition}"
        point = interval = None
        if skip is None and current is not None:
            point = ref[rule.metric] - current
            if rule.bound != "point":
                interval = _drop_interval(ref[rule.metric], row, rule.metric)
        checks.append(
            _check(
                rule,
                result,
                slice_name=row["slice"],
                group=row["group"],
                condition=row["condition"],
                point=point,
                interval=interval,
                skip=skip,
                what=f"{rule.metric} of {row['slice']} = {row['group']}",
                reference=(rule.relative_to and "baseline") or ref_condition,
                reference_value=None if ref is None else ref.get(rule.metric),
                current_value=current,
            )
        )
    return checks


def _deployment_checks(rule: Rule, result: dict) -> list[dict]:
    """A deployment metric: one number for the whole model, measured on this machine."""
    value = result["deployment"][rule.metric]
    return [_check(rule, result, slice_name="all", group=None, condition="deployment",
                   point=value, interval=None, what=rule.metric)]


CHECKERS = {
    "value": lambda rule, result, baselines: (
        _deployment_checks(rule, result) if rule.metric in DEPLOYMENT_METRICS
        else _value_checks(rule, result)),
    "gap": lambda rule, result, baselines: _gap_checks(rule, result),
    "drop": _drop_checks,
}


# -- one rule ----------------------------------------------------------------------------------


def _margin(rule: Rule, check: dict) -> float:
    """How far a check is from its threshold (negative = violated); the worst is the minimum."""
    tested = check["tested"]
    margins = []
    if rule.min is not None:
        margins.append(tested - rule.min)
    if rule.max is not None:
        margins.append(rule.max - tested)
    return min(margins)


def evaluate_rule(rule: Rule, result: dict, baselines: dict[str, dict] | None = None) -> dict:
    """One rule's verdict with every cell it looked at."""
    spec = rule.model_dump(mode="json", exclude_none=True)
    _check_metric(rule, result)
    checks = CHECKERS[rule.check](rule, result, {} if baselines is None else baselines)
    if not checks:
        raise SpecError(
            f"rule '{rule.id}': groups {rule.groups!r} match no group of the selected "
            f"slices and conditions"
        )
    judged = [c for c in checks if c["status"] != "skipped"]
    violated = [c for c in judged if c["status"] == "violated"]
    if violated:
        status = rule.severity
        worst = min(violated, key=lambda c: _margin(rule, c))
        message = (
            f"{len(violated)} of {len(judged)} cell(s) violate the rule; worst: "
            f"{describe_check(spec, worst)}"
        )
    elif judged:
        status = "pass"
        worst = min(judged, key=lambda c: _margin(rule, c))
        message = f"{len(judged)} cell(s) pass; closest: {describe_check(spec, worst)}"
    else:
        status, worst = "skipped", checks[0]
        message = f"every cell was skipped: {checks[0]['reason']}"
    skipped = len(checks) - len(judged)
    if skipped and judged:
        message += f" ({skipped} cell(s) skipped as too small or not computed)"
    return {
        **spec,
        "status": status,
        "message": message,
        "n_checked": len(judged),
        "n_skipped": skipped,
        "worst": worst,
        "checks": checks,
    }
