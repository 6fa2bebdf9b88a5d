"""Policies: loading, validation messages, baseline paths, and `validate_file` (policies, specs)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from serfair.errors import SpecError
from serfair.policy import is_metric, load_policy, parse_policy, validate_file

ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data)
    return path


def test_defaults_and_derived_ids_are_unique():
    policy = parse_policy(
        {"rules": [{"min": 0.3}, {"min": 0.4}, {"check": "gap", "slice": "gender", "max": 0.05}]}
    )
    ids = [r.id for r in policy.rules]
    assert ids == ["value-uar-any", "value-uar-any-2", "gap-uar-gender"]
    first = policy.rules[0]
    assert (first.check, first.metric, first.bound, first.severity) == (
        "value",
        "uar",
        "point",
        "fail",
    )


def test_unknown_field_lists_the_valid_fields():
    with pytest.raises(SpecError) as info:
        parse_policy({"rules": [{"metric": "uar", "treshold": 0.3, "min": 0.3}]})
    message = str(info.value)
    assert "rules.0.treshold: unknown field" in message
    for field in (
        "check",
        "metric",
        "slice",
        "groups",
        "condition",
        "bound",
        "min",
        "max",
        "severity",
        "relative_to",
    ):
        assert field in message


def test_unknown_metric_lists_the_valid_metrics():
    with pytest.raises(
        SpecError,
        match=r"unknown metric 'uarr'; valid metrics: uar, accuracy, "
        r"macro_f1, .*recall_<emotion>",
    ):
        parse_policy({"rules": [{"metric": "uarr", "min": 0.3}]})
    assert is_metric("recall_angry") and is_metric("rate_neutral") and is_metric("ece")
    assert not is_metric("recall_") and not is_metric("precision")


@pytest.mark.parametrize(
    "rule, fragment",
    [
        ({"metric": "uar"}, "needs a threshold"),
        ({"min": 0.5, "max": 0.4}, "min (0.5) is above max (0.4)"),
        ({"check": "gap", "groups": "female", "max": 0.1}, "groups applies to value and drop"),
        ({"reference": "clean", "min": 0.1}, "drop checks only"),
        ({"check": "drop", "reference": "clean", "relative_to": "b.json", "max": 0.1}, "not both"),
        ({"kind": "ratio", "min": 0.8}, "gap checks only"),
        ({"bound": "upper95", "max": 0.1}, "'point', 'lower' or 'upper'"),
        ({"severity": "error", "max": 0.1}, "'fail' or 'warn'"),
    ],
)
def test_inconsistent_rules_are_rejected(rule, fragment):
    with pytest.raises(SpecError) as info:
        parse_policy({"rules": [rule]})
    assert fragment in str(info.value)


def test_empty_policy_and_duplicate_ids_are_rejected():
    with pytest.raises(SpecError, match="rules"):
        parse_policy({"rules": []})
    with pytest.raises(SpecError, match="used twice"):
        parse_policy({"rules": [{"id": "a", "min": 0.1}, {"id": "a", "min": 0.2}]})


def test_load_policy_reports_missing_and_malformed_files(tmp_path):
    with pytest.raises(SpecError, match="does not exist"):
        load_policy(tmp_path / "nope.yaml")
    with pytest.raises(SpecError, match="not valid YAML"):
        load_policy(write(tmp_path / "bad.yaml", "rules: [min: 0.3\n"))
    with pytest.raises(SpecError, match="must be a mapping"):
        load_policy(write(tmp_path / "list.yaml", "- min: 0.3\n"))


def test_baseline_paths_are_relative_to_the_policy_and_can_be_replaced(tmp_path):
    (tmp_path / "base").mkdir()
    baseline = write(tmp_path / "base" / "result.json", "{}")
    other = write(tmp_path / "other.json", "{}")
    policy_file = write(
        tmp_path / "p.yaml",
        {
            "rules": [
                {"check": "drop", "relative_to": "base/result.json", "max": 0.02},
                {"min": 0.2},
            ]
        },
    )
    policy = load_policy(policy_file)
    assert Path(policy.rules[0].relative_to) == baseline
    assert policy.name == "p" and len(policy.sha256) == 64
    assert Path(load_policy(policy_file, baseline=other).rules[0].relative_to) == other
    assert policy.rules[1].relative_to is None  # --baseline only replaces existing relative_to
    baseline.unlink()
    with pytest.raises(SpecError, match="baseline result .* does not exist"):
        load_policy(policy_file)


def test_example_policies_and_specs_validate():
    for name in ("ci-gate.yaml", "call-center.yaml"):
        summary = validate_file(ROOT / "audits" / name)
        assert summary.startswith("policy ")
    summary = validate_file(ROOT / "audits" / "call-center-audit.yaml")
    assert "policy 'call-center'" in summary
    assert "0 question(s) unanswered" in summary


def test_validate_file_detects_specs_and_reports_their_errors(tmp_path):
    spec = write(tmp_path / "spec.yaml", {"name": "x", "scope": {"intended_use": "y"}})
    summary = validate_file(spec)
    assert summary.startswith("audit spec 'x'")
    assert "7 question(s) unanswered" in summary
    typo = write(tmp_path / "typo.yaml", {"scope": {"intended": "y"}})
    with pytest.raises(SpecError, match="scope.intended: unknown key; valid keys: intended_use"):
        validate_file(typo)
    missing = write(tmp_path / "missing.yaml", {"policy": "nope.yaml"})
    with pytest.raises(SpecError, match="nope.yaml does not exist"):
        validate_file(missing)
    bad_policy = write(tmp_path / "bad-policy.yaml", {"rules": [{"metric": "wer", "max": 1}]})
    with pytest.raises(SpecError, match="unknown metric 'wer'"):
        validate_file(bad_policy)
