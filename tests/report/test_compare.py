"""Comparing models audited on the same data: clean UAR per group, robustness per condition, and
what the second model bought in robustness and cost on clean speech."""

from __future__ import annotations

import json

import pytest
import yaml
from audio_fixtures import write_manifest
from click.testing import CliRunner
from toy_models import LABELS, make_energy_onnx

from serfair.cli import main
from serfair.report import compare as cmp

CONDITIONS = ["clean", "noise@snr=10", "noise@snr=0"]


def _result(model: str, clean: float, uar: dict[str, float], seed: int = 0) -> dict:
    """A minimal result: overall and two gender groups, with a robustness section."""
    groups = {"all": 0.0, "female": -0.05, "male": 0.05}
    rows, cells = [], []
    for name in CONDITIONS:
        for slice_name, group in (("all", "all"), ("gender", "female"), ("gender", "male")):
            value = (clean if name == "clean" else uar[name]) + groups[group]
            base = clean + groups[group]
            rows.append({"slice": slice_name, "group": group, "condition": name, "n_clips": 10,
                         "n_speakers": 5, "uar": value})
            cells.append({"slice": slice_name, "group": group, "condition": name, "uar": value,
                          "clean_uar": base, "drop": base - value, "flip_rate": 0.1})
    return {"name": "x", "slices": ["gender"], "provenance": {"model": {"name": model, "path": f"{model}.onnx"},
                                                               "seed": seed, "manifest_sha256": "m"},
            "data": {"n_clips_scored": 10},
            "conditions": [{"name": n, "family": n.split("@")[0], "params": {}} for n in CONDITIONS],
            "metrics": {"groups": rows},
            "robustness": {"cells": cells, "families": [{"family": "noise", "conditions": CONDITIONS[1:]}],
                           "breaking_points": [{"slice": "all", "group": "all", "family": "noise",
                                                "condition": "noise@snr=0"}]}}


def test_deltas_say_what_robustness_was_bought_and_what_clean_speech_cost():
    base = _result("plain", 0.60, {"noise@snr=10": 0.50, "noise@snr=0": 0.30})
    aug = _result("aug", 0.58, {"noise@snr=10": 0.55, "noise@snr=0": 0.48})
    doc = cmp.compare([base, aug])
    summary = next(s for s in doc["sections"] if s["name"] == "summary")["records"][0]
    assert summary["clean_delta"] == pytest.approx(-0.02)
    assert summary["mean_drop"] == pytest.approx([0.20, 0.065])
    assert summary["robustness_bought"] == pytest.approx(0.135)
    assert summary["best"] == "noise@snr=0" and summary["best_delta"] == pytest.approx(0.18)
    assert "60.0 % -> 58.0 %" in cmp.sentences(doc)[0] and "its cost on clean speech" in cmp.sentences(doc)[0]
    per_condition = next(s for s in doc["sections"] if s["name"] == "conditions")["records"]
    assert per_condition[1]["robustness_bought"] == [pytest.approx(0.20)]
    clean = next(s for s in doc["sections"] if s["name"] == "clean")["records"]
    assert [r["group"] for r in clean] == ["all", "female", "male"]
    assert clean[1]["delta"] == [pytest.approx(-0.02)]
    assert doc["warnings"] == []
    markdown = cmp.render_markdown(doc)
    assert "| noise@snr=0 | 30.0 | 48.0 |" in markdown and "drop saved by aug" in markdown


def test_incompatible_results_are_flagged_and_sections_are_extendable():
    base = _result("plain", 0.6, {"noise@snr=10": 0.5, "noise@snr=0": 0.3})
    other = _result("plain", 0.6, {"noise@snr=10": 0.5, "noise@snr=0": 0.3}, seed=1)
    extra = cmp.register(cmp.Section("extra", "An added section", lambda results, labels: {
        "records": [], "sentences": ["added"], "tables": [{"caption": "c", "columns": ["a"], "rows": [["1"]]}]}))
    try:
        doc = cmp.compare([base, other])
        assert [m["label"] for m in doc["models"]] == ["plain", "plain (2)"]
        assert any("differ in seed" in w for w in doc["warnings"])
        html = cmp.render_html(doc)
        assert "An added section" in html and "<td>1</td>" in html
    finally:
        del cmp.SECTIONS[extra.name]


def test_a_spec_with_two_models_writes_two_runs_and_a_comparison(tmp_path):
    rows = [{"path": f"s{i % 4}/c{i}.wav", "speaker_id": f"s{i % 4}",
             "gender": "female" if i % 2 else "male", "emotion": LABELS[i % 6]} for i in range(8)]
    data = write_manifest(tmp_path / "data", rows)
    make_energy_onnx(tmp_path / "plain.onnx")
    make_energy_onnx(tmp_path / "other.onnx", with_lengths=True)
    spec = tmp_path / "both.yaml"
    spec.write_text(yaml.safe_dump({
        "models": ["plain.onnx", {"path": "other.onnx", "name": "padded"}], "data": str(data),
        "conditions": ["clean", "gain@db=-20", "tempo@rate=1.5"], "slices": ["gender"],
        "workers": 1, "out": "runs"}))
    result = CliRunner().invoke(main, ["audit", "--spec", str(spec)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "runs"
    assert (out / "plain" / "result.json").exists() and (out / "padded" / "report.html").exists()
    doc = json.loads((out / "comparison.json").read_text())
    assert [m["label"] for m in doc["models"]] == ["plain", "padded"]
    assert "padded against plain" in result.output
    assert "tempo@rate=1.5" in (out / "comparison.md").read_text()
    assert "<table>" in (out / "comparison.html").read_text()
    again = CliRunner().invoke(main, ["compare", str(out / "plain" / "result.json"),
                                      str(out / "padded" / "result.json"), "--out", str(tmp_path / "c")])
    assert again.exit_code == 0, again.output
    alone = json.loads((tmp_path / "c" / "comparison.json").read_text())
    assert [m["label"] for m in alone["models"]] == ["plain", "other"]  # file stems
    assert [s["records"] for s in alone["sections"][1:]] == [s["records"] for s in doc["sections"][1:]]
