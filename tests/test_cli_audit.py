"""`serfair audit` as a user meets it: an up-front error comes alone (no progress bar before it),
and an audit of the user's own model is named after the model everywhere."""

from __future__ import annotations

import json

from click.testing import CliRunner
from test_audit_e2e import _subset
from toy_models import make_energy_onnx

from serfair.cli import main


def test_an_up_front_error_is_printed_without_a_progress_bar(tmp_path):
    data = str(_subset(tmp_path, per_speaker=1))
    broken = make_energy_onnx(tmp_path / "nan.onnx", nan=True)
    wrong_labels = make_energy_onnx(tmp_path / "colours.onnx", labels=("red", "green", "blue"))
    for model in (broken, wrong_labels):
        result = CliRunner().invoke(main, ["audit", "--model", str(model), "--data", data,
                                           "--out", str(tmp_path / model.stem)])
        assert result.exit_code == 2, result.output
        assert "error" in result.output
        assert "inference" not in result.output, result.output


def test_the_progress_bar_still_shows_inference(tmp_path):
    model = make_energy_onnx(tmp_path / "mine.onnx")
    result = CliRunner().invoke(main, ["audit", "--model", str(model), "--data",
                                       str(_subset(tmp_path, per_speaker=1)), "--conditions", "clean",
                                       "--workers", "1", "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    assert "inference" in result.output


def test_an_audit_of_my_model_is_named_after_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    model = make_energy_onnx(tmp_path / "mine.onnx")
    args = ["audit", "--model", str(model), "--data", str(_subset(tmp_path, per_speaker=1)),
            "--conditions", "clean", "--workers", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    run = tmp_path / "reports" / "mine"
    assert json.loads((run / "result.json").read_text())["name"] == "mine"
    assert "UAR (%) by group and condition: mine" in " ".join(result.output.split())
    assert "mine" in (run / "summary.md").read_text().splitlines()[0]
    assert "<title>" in (html := (run / "report.html").read_text()) and "mine" in html.split("</title>")[0]
    for text in (result.output, (run / "summary.md").read_text()):
        assert "demo" not in text.replace("data/demo", "")
