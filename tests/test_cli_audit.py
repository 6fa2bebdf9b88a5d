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


def test_outputs_name_files_relative_to_the_working_folder(tmp_path, monkeypatch):
    """Absolute paths on the command line: the outputs name files relative to the working folder
    (or by bare name when outside it) and identify them by hash."""
    elsewhere, work = tmp_path / "private" / "models", tmp_path / "work"
    elsewhere.mkdir(parents=True)
    work.mkdir()
    model = make_energy_onnx(elsewhere / "mine.onnx")
    (elsewhere / "mine.card.md").write_text("# Model card: mine\n")
    data = _subset(work, per_speaker=1)
    monkeypatch.chdir(work)
    monkeypatch.setattr("sys.argv", ["serfair", "audit", "--model", str(model), "--data", str(data)])
    result = CliRunner().invoke(main, ["audit", "--model", str(model), "--data", str(data),
                                       "--conditions", "clean", "--workers", "1", "--out", "run"])
    assert result.exit_code == 0, result.output
    doc = json.loads((work / "run" / "result.json").read_text())
    assert doc["provenance"]["model"]["path"] == "mine.onnx" and doc["provenance"]["model"]["sha256"]
    assert doc["provenance"]["data"] == "subset.csv" and doc["provenance"]["manifest_sha256"]
    assert doc["model_card"]["path"] == "mine.card.md" and doc["model_card"]["sha256"]
    assert doc["provenance"]["command"] == "serfair audit --model mine.onnx --data subset.csv"
    for name in ("result.json", "report.html", "summary.md", "junit.xml"):
        text = (work / "run" / name).read_text()
        assert str(tmp_path) not in text, name
    assert "From <code>mine.card.md</code>" in (work / "run" / "report.html").read_text()
