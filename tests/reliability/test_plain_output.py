"""Terminal and files: data is printed as plain text (never rich markup), control characters are
escaped in terminal, Markdown and XML outputs, and junit.xml always parses."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from report_fixtures import cached_result
from rich.console import Console
from test_audit_e2e import _subset
from toy_models import make_energy_onnx

from serfair.cli import main
from serfair.report.junit import render_junit
from serfair.report.markdown import md
from serfair.terminal import error, plain
from serfair.text import printable, xml_safe

HOSTILE = "grp\x1b[31mred\x07\x00[/]\u202e"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_brackets_in_paths_and_messages_print_intact(tmp_path):
    out = tmp_path / "x[" / "]y[bold]"  # `--out .../x[/]y[bold]`
    model = make_energy_onnx(tmp_path / "toy.onnx")
    result = run("audit", "--model", model, "--data", _subset(tmp_path, per_speaker=2),
                 "--out", out, "--conditions", "clean", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'result.json'}" in result.output.replace("\n", "")
    missing = run("audit", "--model", model, "--data", tmp_path / "serfair[train]" / "[/]",
                  "--out", tmp_path / "o")
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    assert "serfair[train]/[/]" in missing.output.replace("\n", "")


def test_error_text_with_markup_is_printed_as_is():
    console = Console(record=True, width=200)
    error(console, "training needs torch: pip install 'serfair[train]' (first values: [nan, inf])")
    text = console.export_text()
    assert "pip install 'serfair[train]' (first values: [nan, inf])" in text


def test_control_characters_from_the_manifest_are_escaped_everywhere(tmp_path):
    data = _subset(tmp_path, per_speaker=2)
    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    frame["accent"] = [HOSTILE if i % 2 else "plain" for i in range(len(frame))]
    frame.loc[0, "speaker_id"] = "spk\x1b]0;title\x07"
    frame.to_csv(data, index=False)
    out = tmp_path / "run"
    result = run("audit", "--model", make_energy_onnx(tmp_path / "toy.onnx"), "--data", data,
                 "--out", out, "--conditions", "clean", "--slices", "accent", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b" in result.output  # shown, escaped
    ET.parse(out / "junit.xml")  # parses
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "\x1b" not in summary and "\x00" not in summary and "\\\\x1b" in summary


def test_junit_parses_with_control_characters_in_group_names():
    result = cached_result()
    for row in result["metrics"]["groups"]:
        row["group"] = row["group"] + HOSTILE
    ET.fromstring(render_junit(result).encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_safe_in_xml_markdown_and_the_terminal(text):
    element = ET.Element("case", name=xml_safe(text))
    element.text = xml_safe(text)
    ET.fromstring(ET.tostring(element))  # always parses
    for out in (printable(text), md(text), plain(text)):
        assert not any(ord(c) < 32 and c not in "\t\n" for c in out)
    assert "\n" not in md(text)
    console = Console(record=True, width=500, force_terminal=False)
    console.print(plain(text), markup=True, highlight=False)  # never raises on markup
