"""summary.md: verdict, numbers, escaping, size, and the GitHub step summary."""

from __future__ import annotations

import pytest
from report_fixtures import XSS, cached_result

from serfair.gate import evaluate
from serfair.policy import parse_policy
from serfair.report.markdown import MAX_CHARS, append_step_summary, md, render_markdown


def test_summary_without_a_policy_states_numbers_not_a_decision():
    result = cached_result()
    text = render_markdown(result)
    overall = next(
        r for r in result["metrics"]["groups"] if r["slice"] == "all" and r["condition"] == "clean"
    )
    assert text.startswith(f"## serfair audit: {result['name']}\n")
    assert f"**UAR on clean speech: {100 * overall['uar']:.1f} %**" in text
    assert "No policy was applied" in text
    assert "| gender | female | 5 |" in text
    assert "| dataset | emodb † | 4 |" in text  # small cell marked
    assert "never gated" in text
    assert len(text) < MAX_CHARS


def test_summary_with_a_verdict_lists_failures_first():
    result = cached_result()
    result["verdict"] = evaluate(
        parse_policy(
            {
                "name": "p",
                "rules": [
                    {"id": "ok", "slice": "all", "min": 0.1},
                    {"id": "gap", "check": "gap", "slice": "gender", "bound": "upper", "max": 0.05},
                ],
            }
        ),
        result,
    )
    text = render_markdown(result)
    assert "— ❌ FAIL" in text.splitlines()[0]
    assert "1 passed, 1 failed, 0 warned, 0 skipped" in text
    assert text.index("`gap`") < text.index("`ok`")


def test_metadata_is_escaped():
    text = render_markdown(cached_result(hostile=True))
    assert XSS not in text and "<script" not in text
    assert "&lt;script>alert(1)&lt;/script>" in text
    row = next(line for line in text.splitlines() if line.startswith("| gender | &lt;script>"))
    assert "a\\|b \\*x\\*" in row and row.replace("\\|", "").count("|") == 7  # 6 cells
    assert md("a|b*c_d") == "a\\|b\\*c\\_d"
    assert md("x\ny") == "x y"


def test_step_summary_is_appended_only_when_set(tmp_path):
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n")
    assert append_step_summary("## one", env={"GITHUB_STEP_SUMMARY": str(target)}) == target
    append_step_summary("## two\n", env={"GITHUB_STEP_SUMMARY": str(target)})
    assert target.read_text() == "earlier step\n## one\n## two\n"
    assert append_step_summary("## three", env={}) is None


@pytest.mark.parametrize("n_warnings", [0, 25])
def test_long_warning_lists_are_cut(n_warnings):
    result = cached_result()
    result["warnings"] = [{"kind": "x", "message": f"warning {i}"} for i in range(n_warnings)]
    text = render_markdown(result)
    if n_warnings:
        assert (
            "- warning 9" in text
            and "- warning 10" not in text
            and "15 more in report.html" in text
        )
    else:
        assert "### Warnings" not in text
