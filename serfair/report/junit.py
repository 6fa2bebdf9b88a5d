"""junit.xml: one test case per gate rule (failure / skipped), the headline numbers as suite
properties; every other number is in result.json (the `result` property), so CI viewers stay fast."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from serfair.report.digest import describe_rule_checks, headline_metric
from serfair.text import xml_safe

RESULT_FILE = "result.json"


def _fmt(value) -> str:
    return "" if value is None else (f"{value:.6g}" if isinstance(value, float) else str(value))


def _properties(parent: ET.Element, items: list[tuple[str, object]]) -> None:
    props = ET.SubElement(parent, "properties")
    for name, value in items:
        ET.SubElement(props, "property", name=name, value=_fmt(value))


def metric_properties(result: dict) -> list[tuple[str, object]]:
    """The headline metric (`uar[gender=female|clean]` = 0.61, with `.ci_low` / `.ci_high`): every
    group on clean speech, all clips under every condition, and the clean gaps between groups."""
    metric = headline_metric(result)
    clean = result["conditions"][0]["name"]
    items: list[tuple[str, object]] = [
        ("result", RESULT_FILE),
        ("serfair.version", result["provenance"].get("serfair_version")),
        ("result.schema_version", result["schema_version"]),
        ("model.sha256", (result["provenance"].get("model") or {}).get("sha256")),
        ("data.n_clips_scored", result["data"]["n_clips_scored"]),
        ("data.n_speakers", result["data"]["n_speakers"]),
        ("seed", result["provenance"].get("seed")),
    ]
    for row in result["metrics"]["groups"]:
        if row["condition"] != clean and row["slice"] != "all":
            continue
        key = f"{metric}[{row['slice']}={row['group']}|{row['condition']}]"
        items += _with_ci(key, row.get(metric), (row.get("ci") or {}).get(metric))
    for d in result.get("disparities") or []:
        if d.get("metric") != metric or d.get("condition") != clean:
            continue
        key = f"{metric}.{d.get('kind', 'difference')}[{d.get('slice')}|{d.get('condition')}]"
        items += _with_ci(key, d.get("value"), d.get("ci"))
    return items


def _with_ci(key: str, value: object, ci: list | None) -> list[tuple[str, object]]:
    return [(key, value)] + ([(f"{key}.ci_low", ci[0]), (f"{key}.ci_high", ci[1])] if ci else [])


def render_junit(result: dict) -> str:
    """The JUnit XML document as a string."""
    verdict = result.get("verdict")
    rules = verdict["rules"] if verdict else []
    policy = ((verdict or {}).get("policy") or {}).get("name") or "policy"
    failures = sum(r["status"] == "fail" for r in rules)
    skipped = sum(r["status"] == "skipped" for r in rules) if rules else 1
    tests = len(rules) or 1
    root = ET.Element(
        "testsuites",
        name="serfair",
        tests=str(tests),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
    )
    suite = ET.SubElement(
        root,
        "testsuite",
        name=f"serfair audit: {result['name']}",
        tests=str(tests),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
        timestamp=str(result["provenance"].get("created", "")),
    )
    _properties(suite, metric_properties(result))
    if not rules:
        case = ET.SubElement(suite, "testcase", classname="serfair", name="gate")
        ET.SubElement(case, "skipped", message=f"no policy was applied (serfair gate --policy P); "
                                                f"every number is in {RESULT_FILE}")
    for rule in rules:
        case = ET.SubElement(suite, "testcase", classname=f"serfair.{policy}", name=rule["id"])
        _properties(
            case,
            [
                ("severity", rule["severity"]),
                ("check", rule["check"]),
                ("metric", rule["metric"]),
                ("bound", rule.get("bound", "point")),
                ("min", rule.get("min")),
                ("max", rule.get("max")),
                ("status", rule["status"]),
                ("worst.tested", (rule.get("worst") or {}).get("tested")),
            ],
        )
        details = describe_rule_checks(rule)
        if rule["status"] == "fail":
            ET.SubElement(
                case, "failure", message=rule["message"], type="serfair.gate"
            ).text = details
        elif rule["status"] == "skipped":
            ET.SubElement(case, "skipped", message=rule["message"])
        elif rule["status"] == "warn":
            ET.SubElement(
                case, "system-out"
            ).text = f"WARNING (severity warn): {rule['message']}\n{details}"
        else:
            ET.SubElement(case, "system-out").text = details
    _make_safe(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _make_safe(root: ET.Element) -> None:
    """Every attribute and text as XML 1.0 can hold it (control characters from data made visible)."""
    for element in root.iter():
        element.attrib = {k: xml_safe(v) for k, v in element.attrib.items()}
        if element.text is not None:
            element.text = xml_safe(element.text)


def write_junit(result: dict, path: Path) -> Path:
    """Write junit.xml."""
    path.write_text(render_junit(result), encoding="utf-8")
    return path
