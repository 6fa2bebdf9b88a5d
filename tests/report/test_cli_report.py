"""`serfair report`: re-render a result.json in any format without the model."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner
from report_fixtures import cached_result

from serfair.cli import main


def test_report_renders_each_format_from_the_result_alone(tmp_path):
    source = tmp_path / "result.json"
    source.write_text(json.dumps(cached_result()))
    runner = CliRunner()
    out = tmp_path / "md-junit"
    done = runner.invoke(
        main, ["report", str(source), "--format", "md", "--format", "junit", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in out.iterdir()) == ["junit.xml", "summary.md"]
    assert (out / "summary.md").read_text().startswith("## serfair audit: synthetic")

    every = tmp_path / "all"
    assert (
        runner.invoke(
            main, ["report", str(source), "--format", "all", "--out", str(every)]
        ).exit_code
        == 0
    )
    assert sorted(p.name for p in every.iterdir() if not p.name.startswith(".")) == [
        "junit.xml",
        "report.html",
        "result.json",
        "summary.md",
    ]
    assert (every / ".serfair" / "views.json").is_file()  # the figures, cached for re-renders
    assert json.loads((every / "result.json").read_text()) == json.loads(source.read_text())

    beside = runner.invoke(main, ["report", str(source)])  # default: html beside the result
    assert beside.exit_code == 0 and (tmp_path / "report.html").exists()


def test_report_with_a_policy_embeds_the_verdict_but_exits_zero(tmp_path):
    source = tmp_path / "result.json"
    source.write_text(json.dumps(cached_result()))
    policy = tmp_path / "strict.yaml"
    policy.write_text(
        yaml.safe_dump({"rules": [{"id": "impossible", "slice": "all", "min": 0.99}]})
    )
    done = CliRunner().invoke(
        main,
        [
            "report",
            str(source),
            "--format",
            "html",
            "--format",
            "md",
            "--policy",
            str(policy),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert done.exit_code == 0, done.output
    assert "❌ FAIL" in (tmp_path / "out" / "summary.md").read_text()
    assert "impossible" in (tmp_path / "out" / "report.html").read_text()


def test_a_result_that_breaks_the_schema_is_bad_input(tmp_path):
    result = cached_result()
    del result["metrics"]["groups"][0]["n_clips"]
    source = tmp_path / "result.json"
    source.write_text(json.dumps(result))
    done = CliRunner().invoke(main, ["report", str(source), "--format", "md"])
    assert done.exit_code == 2
    text = " ".join(done.output.split())  # the terminal wraps long paths at any width
    assert "does not match the result schema" in text and "metrics.groups.0" in text
