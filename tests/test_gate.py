"""The gate: rules evaluated on real result documents (real analysis of simulated predictions),
small cells skipped, baselines, bad input, exit codes, and the `gate` and `audit --policy`
commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from report_fixtures import cached_result
from toy_models import make_energy_onnx

from serfair.cli import main
from serfair.errors import SpecError
from serfair.gate import empty_message, evaluate, exit_code, preflight
from serfair.policy import parse_policy
from serfair.report.schema import check_result


@pytest.fixture(scope="module")
def result() -> dict:
    return cached_result()


def row(result, slice_name, group, condition="clean"):
    return next(
        r
        for r in result["metrics"]["groups"]
        if (r["slice"], r["group"], r["condition"]) == (slice_name, group, condition)
    )


def gate(result, *rules):
    return evaluate(parse_policy({"name": "t", "rules": list(rules)}), result)


def test_value_rule_fails_on_the_worse_group_only(result):
    female, male = row(result, "gender", "female")["uar"], row(result, "gender", "male")["uar"]
    assert female < male
    verdict = gate(result, {"id": "floor", "slice": "gender", "min": (female + male) / 2})
    rule = verdict["rules"][0]
    assert rule["status"] == "fail" and verdict["status"] == "fail" and exit_code(verdict) == 1
    statuses = {c["group"]: c["status"] for c in rule["checks"]}
    assert statuses == {"female": "violated", "male": "pass"}
    assert rule["worst"]["group"] == "female" and rule["worst"]["tested"] == pytest.approx(female)
    assert "gender = female under clean" in rule["message"]


def test_bounds_test_the_interval_not_the_estimate(result):
    overall = row(result, "all", "all")
    lo, hi = overall["ci"]["uar"]
    assert lo < overall["uar"] < hi
    threshold = (lo + overall["uar"]) / 2
    point = gate(result, {"slice": "all", "min": threshold})["rules"][0]
    lower = gate(result, {"slice": "all", "min": threshold, "bound": "lower"})["rules"][0]
    assert point["status"] == "pass" and lower["status"] == "fail"
    assert lower["worst"]["tested"] == pytest.approx(lo)


def test_gap_rule_on_the_upper_bound_of_the_gender_gap(result):
    """The issue's example: fail when the upper 95 % bound of the gender UAR gap exceeds 0.05."""
    record = next(
        d
        for d in result["disparities"]
        if (d["slice"], d["condition"], d["metric"], d["kind"])
        == ("gender", "clean", "uar", "difference")
    )
    assert record["gated"] and record["ci"][1] > 0.05
    strict = gate(result, {"check": "gap", "slice": "gender", "bound": "upper", "max": 0.05})
    check = strict["rules"][0]["checks"][0]
    assert strict["status"] == "fail"
    assert check["tested"] == pytest.approx(record["ci"][1])
    assert check["worst_group"] == "female" and check["best_group"] == "male"
    lenient = gate(
        result, {"check": "gap", "slice": "gender", "bound": "lower", "max": record["ci"][0] + 0.01}
    )
    assert lenient["status"] == "pass"


def test_gap_without_disparities_is_computed_from_the_gated_groups(result):
    bare = {k: v for k, v in result.items() if k != "disparities"}
    verdict = gate(bare, {"check": "gap", "slice": "gender", "max": 0.5})
    check = verdict["rules"][0]["checks"][0]
    expected = row(result, "gender", "male")["uar"] - row(result, "gender", "female")["uar"]
    assert check["tested"] == pytest.approx(expected) and check["ci"] is None
    with pytest.raises(SpecError, match="no interval"):
        gate(bare, {"check": "gap", "slice": "gender", "bound": "upper", "max": 0.5})


def test_small_cells_are_skipped_never_gated(result):
    emodb = row(result, "dataset", "emodb")
    assert emodb["gated"] is False and emodb["n_speakers"] < 5
    verdict = gate(
        result,
        {"id": "emodb", "slice": "dataset", "groups": "emodb", "min": 0.99},
        {"id": "dataset-gap", "check": "gap", "slice": "dataset", "max": 0.0},
    )
    emodb_rule, gap_rule = verdict["rules"]
    assert emodb_rule["status"] == "skipped" and emodb_rule["n_checked"] == 0
    assert "too few speakers" in emodb_rule["checks"][0]["reason"]
    assert (
        gap_rule["status"] == "skipped"
        and "emodb has 4 speaker(s)" in gap_rule["checks"][0]["reason"]
    )
    # Every rule skipped: the gate checked nothing, which is refused (exit 2) unless allowed.
    assert verdict["status"] == "pass" and verdict["empty"] and exit_code(verdict) == 2
    assert "evaluated no rule" in empty_message(verdict)
    allowed = evaluate(parse_policy({"name": "t", "allow_empty": True, "rules": [
        {"id": "emodb", "slice": "dataset", "groups": "emodb", "min": 0.99}]}), result)
    assert allowed["empty"] and exit_code(allowed) == 0 and empty_message(allowed) is None
    assert verdict["counts"] == {"pass": 0, "fail": 0, "warn": 0, "skipped": 2}
    every = gate(result, {"slice": "dataset", "min": 0.99})["rules"][0]
    assert every["n_skipped"] == 1 and every["n_checked"] == 1  # ravdess judged, emodb skipped


def test_drop_from_clean_per_group(result):
    verdict = gate(
        result, {"check": "drop", "slice": "gender", "condition": "noise@snr=10", "max": 1.0}
    )
    checks = {c["group"]: c for c in verdict["rules"][0]["checks"]}
    for group in ("female", "male"):
        expected = (
            row(result, "gender", group)["uar"]
            - row(result, "gender", group, "noise@snr=10")["uar"]
        )
        assert checks[group]["tested"] == pytest.approx(expected)
        assert checks[group]["reference"] == "clean"
    default = gate(result, {"check": "drop", "slice": "all", "max": 1.0})["rules"][0]
    assert [c["condition"] for c in default["checks"]] == ["noise@snr=10", "noise@snr=0"]


def test_relative_to_a_baseline_result(result, tmp_path):
    better = cached_result(female_penalty=0.0)  # the same speakers, women recognised better
    (tmp_path / "better.json").write_text(json.dumps(better))
    (tmp_path / "same.json").write_text(json.dumps(result))
    rule = {"id": "no-regression", "check": "drop", "slice": "gender", "max": 0.02}
    worse = gate(result, {**rule, "relative_to": str(tmp_path / "better.json")})["rules"][0]
    female = next(c for c in worse["checks"] if c["group"] == "female")
    expected = row(better, "gender", "female")["uar"] - row(result, "gender", "female")["uar"]
    assert female["status"] == "violated" and female["tested"] == pytest.approx(expected)
    assert worse["status"] == "fail" and female["reference"] == "baseline"
    same = gate(result, {**rule, "relative_to": str(tmp_path / "same.json")})["rules"][0]
    assert same["status"] == "pass" and all(c["tested"] == 0 for c in same["checks"])


@pytest.mark.parametrize(
    "rule, fragment",
    [
        ({"slice": "gendre", "min": 0.1}, "slice 'gendre' matches none"),
        ({"condition": "noise@snr=5", "min": 0.1}, "condition 'noise@snr=5' matches none"),
        ({"metric": "recall_calm", "min": 0.1}, "no metric 'recall_calm'"),
        ({"slice": "gender", "groups": "nonbinary", "min": 0.1}, "match no group"),
        ({"check": "drop", "reference": "reverb@rt60=1", "max": 0.1}, "reference condition"),
    ],
)
def test_rules_the_result_cannot_answer_are_bad_input(result, rule, fragment):
    with pytest.raises(SpecError, match=fragment):
        gate(result, rule)


def test_a_bound_on_a_result_without_intervals_is_bad_input(result):
    for r in result["metrics"]["groups"]:
        r.pop("ci", None)
        r.pop("range", None)  # a result without intervals has no speaker ranges either
    with pytest.raises(SpecError, match="tests the lower bound, but the result has no interval"):
        gate(result, {"slice": "all", "min": 0.1, "bound": "lower"})


def test_preflight_fits_the_policy_to_the_audit_before_inference():
    policy = parse_policy({"rules": [{"slice": "gender", "condition": "noise@*", "min": 0.1},
                                     {"metric": "recall_angry", "min": 0.1}]})
    preflight(policy, conditions=["clean", "noise@snr=10"], slices=["gender"],
              metrics=["uar", "recall_angry"])
    with pytest.raises(SpecError, match="slice 'gender' matches none"):
        preflight(policy, conditions=["clean", "noise@snr=10"], slices=["dataset"])
    with pytest.raises(SpecError, match="condition 'noise@\\*' matches none"):
        preflight(policy, conditions=["clean"], slices=["gender"])
    with pytest.raises(SpecError, match="the audit has no metric 'recall_angry'"):
        preflight(policy, conditions=["clean", "noise@snr=1"], slices=["gender"], metrics=["uar"])


def test_conditions_may_be_written_as_the_user_wrote_them_in_the_spec():
    """`telephone` in a policy matches the audit's `telephone@low=300:high=3400`."""
    policy = parse_policy({"rules": [{"condition": "telephone", "min": 0.1},
                                     {"check": "drop", "condition": "babble@snr=10",
                                      "reference": "clean", "max": 0.2}]})
    audited = ["clean", "telephone@low=300:high=3400", "babble@snr=10:talkers=4"]
    preflight(policy, conditions=audited, slices=["gender"])
    with pytest.raises(SpecError, match="matches none"):
        preflight(policy, conditions=["clean", "telephone@low=500:high=3000"], slices=[])


def test_warn_rules_never_fail_the_gate_and_the_verdict_matches_the_schema(result):
    verdict = gate(
        result,
        {"id": "w", "slice": "gender", "min": 0.99, "severity": "warn"},
        {"id": "p", "slice": "all", "min": 0.01},
    )
    assert [r["status"] for r in verdict["rules"]] == ["warn", "pass"]
    assert verdict["status"] == "warn" and exit_code(verdict) == 0 and verdict["exit_code"] == 0
    check_result({**result, "verdict": verdict})


# -- commands -------------------------------------------------------------------------------------


def write_policy(path: Path, rules: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"name": path.stem, "rules": rules}))
    return path


@pytest.fixture()
def result_file(result, tmp_path) -> Path:
    path = tmp_path / "run" / "result.json"
    path.parent.mkdir()
    path.write_text(json.dumps(result))
    return path


def test_gate_command_exit_codes_outputs_and_step_summary(result_file, tmp_path):
    runner = CliRunner()
    passing = write_policy(tmp_path / "pass.yaml", [{"slice": "all", "min": 0.2}])
    failing = write_policy(
        tmp_path / "fail.yaml",
        [{"id": "gap", "check": "gap", "slice": "gender", "bound": "upper", "max": 0.05}],
    )
    broken = write_policy(tmp_path / "broken.yaml", [{"metric": "uar", "minimum": 0.2}])
    summary = tmp_path / "step-summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}

    before = result_file.read_bytes()
    looked = runner.invoke(main, ["gate", str(result_file), "--policy", str(passing)])
    assert looked.exit_code == 0 and "gate PASS" in looked.output, looked.output
    assert result_file.read_bytes() == before  # without --write the gate writes nothing
    assert not (result_file.parent / "junit.xml").exists()
    ok = runner.invoke(main, ["gate", str(result_file), "--policy", str(passing), "--write"],
                       env=env)
    assert ok.exit_code == 0, ok.output
    assert "gate PASS" in ok.output
    gated = json.loads(result_file.read_text())
    assert gated["verdict"]["status"] == "pass"
    for name in ("report.html", "summary.md", "junit.xml"):
        assert (result_file.parent / name).exists()

    out = tmp_path / "failed"
    bad = runner.invoke(
        main, ["gate", str(result_file), "--policy", str(failing), "--out", str(out)], env=env
    )
    assert bad.exit_code == 1, bad.output
    assert "FAIL gap" in bad.output and "gate FAIL" in bad.output
    assert json.loads((out / "result.json").read_text())["verdict"]["status"] == "fail"
    text = summary.read_text()
    assert text.count("## serfair audit") == 2 and "❌ FAIL" in text and "✅ PASS" in text

    invalid = runner.invoke(main, ["gate", str(result_file), "--policy", str(broken)])
    assert invalid.exit_code == 2
    assert "unknown field; valid fields" in invalid.output


def test_gate_prints_metadata_literally(tmp_path):
    """A group name with rich markup (`[/]`) in a rule message must not break the output."""
    result = tmp_path / "result.json"
    result.write_text(json.dumps(cached_result(hostile=True)))
    policy = write_policy(tmp_path / "p.yaml", [{"id": "hostile", "slice": "gender",
                                                 "groups": "<script>*", "min": 0.99}])
    done = CliRunner().invoke(main, ["gate", str(result), "--policy", str(policy),
                                     "--out", str(tmp_path / "out")])
    assert done.exit_code == 1, done.output
    assert "<script>alert(1)</script> $\\nosuch{$ [/] a|b *x*" in done.output


def test_validate_command(tmp_path):
    runner = CliRunner()
    good = write_policy(tmp_path / "good.yaml", [{"min": 0.2}])
    bad = write_policy(tmp_path / "bad.yaml", [{"metric": "uarr", "min": 0.2}])
    assert runner.invoke(main, ["validate", str(good)]).exit_code == 0
    outcome = runner.invoke(main, ["validate", str(good), str(bad)])
    assert outcome.exit_code == 2 and "valid metrics: uar" in outcome.output


def test_audit_with_a_policy_end_to_end(tmp_path):
    """A real audit (toy ONNX model, bundled demo speech) gated in the same command."""
    model = make_energy_onnx(tmp_path / "toy.onnx")
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        yaml.safe_dump(
            {
                "model": "toy.onnx",
                "conditions": ["clean"],
                "slices": ["gender"],
                "workers": 1,
                "stats": {"bootstrap": 50, "permutations": 100},
            }
        )
    )
    runner = CliRunner()
    passing = write_policy(tmp_path / "pass.yaml", [{"slice": "all", "min": 0.1}])
    failing = write_policy(
        tmp_path / "fail.yaml",
        [{"slice": "all", "min": 0.9}, {"slice": "gender", "min": 0.99, "severity": "warn"}],
    )
    broken = write_policy(tmp_path / "broken.yaml", [{"slice": "all"}])
    assert model.exists()

    out = tmp_path / "run"
    first = runner.invoke(
        main, ["audit", "--spec", str(spec), "--policy", str(failing), "--out", str(out)]
    )
    assert first.exit_code == 1, first.output
    result = json.loads((out / "result.json").read_text())
    assert [r["status"] for r in result["verdict"]["rules"]] == ["fail", "warn"]
    assert "<failure" in (out / "junit.xml").read_text()

    second = runner.invoke(
        main, ["audit", "--spec", str(spec), "--policy", str(passing), "--out", str(out)]
    )
    assert second.exit_code == 0, second.output
    assert json.loads((out / "result.json").read_text())["verdict"]["status"] == "pass"

    elsewhere = write_policy(tmp_path / "elsewhere.yaml", [{"condition": "noise@snr=5",
                                                            "min": 0.1}])
    unfit = runner.invoke(main, ["audit", "--spec", str(spec), "--policy", str(elsewhere),
                                 "--out", str(tmp_path / "unfit")])
    assert unfit.exit_code == 2
    assert "matches none of the audited conditions" in " ".join(unfit.output.split())
    assert not (tmp_path / "unfit").exists()  # the policy is fitted to the audit before inference

    fresh = tmp_path / "never"
    third = runner.invoke(
        main, ["audit", "--spec", str(spec), "--policy", str(broken), "--out", str(fresh)]
    )
    assert third.exit_code == 2 and "needs a threshold" in third.output
    assert not fresh.exists()  # the policy is checked before any inference


def test_bound_rules_skip_cells_that_get_a_speaker_range_instead_of_an_interval():
    from synthetic_predictions import predictions
    from synthetic_predictions import result as synthetic_result

    small = synthetic_result(predictions(n_speakers=4, clips_per_speaker=12), "gender")
    assert all(r["ci"] is None for r in small["metrics"]["groups"])  # 4 speakers in all
    verdict = evaluate(parse_policy({"name": "p", "rules": [
        {"id": "floor", "slice": "all", "bound": "lower", "min": 0.2},
        {"id": "gap", "check": "gap", "slice": "gender", "bound": "upper", "max": 0.1}]}), small)
    assert [r["status"] for r in verdict["rules"]] == ["skipped", "skipped"]


DEPLOYMENT = {"model_bytes": 2_000_000, "model_size_mb": 1.9, "latency_p50_ms": 12.0,
              "latency_p95_ms": 31.0, "peak_memory_mb": 40.0, "calls": 20, "threads": 1}


def test_deployment_rules_gate_on_the_measured_footprint(result):
    measured = {**result, "deployment": DEPLOYMENT}
    verdict = gate(measured, {"metric": "latency_p95_ms", "max": 50},
                   {"metric": "model_size_mb", "max": 1.0, "severity": "warn"})
    first, second = verdict["rules"]
    assert first["status"] == "pass" and first["worst"]["tested"] == 31.0
    assert second["status"] == "warn" and "> max 1" in second["message"]
    check_result({**measured, "verdict": verdict})


def test_deployment_rule_without_a_measurement_is_a_user_error(result):
    with pytest.raises(SpecError, match="no latency_p95_ms"):
        gate({**result, "deployment": None}, {"metric": "latency_p95_ms", "max": 50})


def test_deployment_metric_only_takes_value_checks():
    with pytest.raises(SpecError, match="one number per audit"):
        parse_policy({"name": "t", "rules": [{"metric": "latency_p95_ms", "check": "gap",
                                              "max": 5}]})
