"""Provenance names files relative to the working folder (or by bare name), never by a local
absolute path; hashes identify them."""

from __future__ import annotations

from pathlib import Path

from serfair.paths import shown_path
from serfair.provenance import shown_command


def test_files_inside_the_working_folder_are_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert shown_path(tmp_path / "models" / "mine.onnx") == "models/mine.onnx"
    assert shown_path(str(tmp_path / "data")) == "data"


def test_files_elsewhere_are_named_by_their_file_name(tmp_path, monkeypatch):
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert shown_path(tmp_path / "secret" / "mine.onnx") == "mine.onnx"
    assert shown_path("/home/someone/models/mine.onnx") == "mine.onnx"


def test_relative_paths_urls_and_references_are_kept():
    assert shown_path("../shared/data") == "../shared/data"
    assert shown_path("audits/../reference_models/train.csv") == "reference_models/train.csv"
    assert shown_path("http://localhost:8000/predict") == "http://localhost:8000/predict"
    assert shown_path("my_models.ser:build") == "my_models.ser:build"
    assert shown_path(None) is None


def test_the_command_line_loses_absolute_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["/usr/bin/serfair", "audit", "--model", "/home/someone/mine.onnx",
            f"--data={tmp_path / 'corpus'}", "--conditions", "clean"]
    assert shown_command(argv) == "serfair audit --model mine.onnx --data=corpus --conditions clean"
    assert shown_command(["python", "-m", "pytest"]) is None
    assert "/" not in shown_command(["serfair", "audit", "--out", str(Path.home() / "r")])
