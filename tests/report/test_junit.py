"""junit.xml: one test case per rule, failures and skips, metrics as properties."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from report_fixtures import XSS, cached_result

from serfair.gate import evaluate
from serfair.policy import parse_policy
from serfair.report.junit import render_junit


def gated(result):
    result["verdict"] = evaluate(
        parse_policy(
            {
                "name": "ci",
                "rules": [
                    {"id": "overall", "slice": "all", "min": 0.1},
                    {"id": "gap", "check": "gap", "slice": "gender", "bound": "upper", "max": 0.05},
                    {"id": "small", "slice": "dataset", "groups": "emodb", "min": 0.9},
                    {"id": "drop", "check": "drop", "max": 0.01, "severity": "warn"},
                ],
            }
        ),
        result,
    )
    return result


def test_one_case_per_rule_with_failure_and_skipped():
    root = ET.fromstring(render_junit(gated(cached_result())))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("4", "1", "1")
    suite = root.find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert list(cases) == ["overall", "gap", "small", "drop"]
    assert cases["gap"].find("failure") is not None
    assert "upper bound of the uar difference" in cases["gap"].find("failure").get("message")
    assert cases["small"].find("skipped") is not None
    assert cases["overall"].find("failure") is None and cases["overall"].find("skipped") is None
    assert "WARNING" in cases["drop"].find("system-out").text
    props = {p.get("name"): p.get("value") for p in cases["gap"].find("properties")}
    assert props["severity"] == "fail" and props["bound"] == "upper" and props["max"] == "0.05"


def test_metrics_are_suite_properties():
    result = cached_result()
    root = ET.fromstring(render_junit(result))
    props = {p.get("name"): p.get("value") for p in root.find("testsuite/properties")}
    female = next(
        r
        for r in result["metrics"]["groups"]
        if (r["slice"], r["group"], r["condition"]) == ("gender", "female", "clean")
    )
    assert float(props["uar[gender=female|clean]"]) == pytest.approx(female["uar"], rel=1e-5)
    assert float(props["uar[gender=female|clean].ci_low"]) == pytest.approx(
        female["ci"]["uar"][0], rel=1e-5
    )
    assert "uar.difference[gender|clean]" in props
    assert props["data.n_speakers"] == "10"


def test_without_a_policy_the_gate_case_is_skipped():
    root = ET.fromstring(render_junit(cached_result()))
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 1 and cases[0].find("skipped") is not None


def test_metadata_is_escaped_and_the_document_parses():
    text = render_junit(gated(cached_result(hostile=True)))
    assert XSS not in text
    root = ET.fromstring(text)
    assert root.find("testsuite").get("name") == f"serfair audit: {XSS}"  # round-trips as text


def test_only_headline_numbers_and_a_pointer_to_result_json():
    result = cached_result()
    text = render_junit(result)
    props = {p.get("name"): p.get("value") for p in ET.fromstring(text).find("testsuite/properties")}
    assert props["result"] == "result.json"
    assert "uar[all=all|noise@snr=0]" in props  # every condition, all clips
    assert "uar[gender=female|noise@snr=0]" not in props  # groups under noise: in result.json
    assert not [name for name in props if name.startswith(("recall_", "rate_", "accuracy", "ece"))]
    n_groups = len({(r["slice"], r["group"]) for r in result["metrics"]["groups"]})
    assert len(props) <= 7 + 3 * (n_groups + len(result["conditions"]) + len(result["disparities"]))
    assert len(text.encode()) < 20_000
