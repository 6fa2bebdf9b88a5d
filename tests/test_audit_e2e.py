"""End to end: `serfair audit` through the CLI on real demo clips with the bundled reference model."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.metrics import balanced_accuracy_score

from serfair.cli import main
from serfair.data.loader import demo_data_dir
from serfair.engine.store import PredictionStore
from serfair.paths import reference_model
from toy_models import make_energy_onnx


def _subset(tmp_path, per_speaker: int = 6, speakers: int = 4, extra_rows: list[dict] | None = None):
    demo = demo_data_dir()
    frame = pd.read_csv(demo / "manifest.csv", dtype=str, keep_default_na=False)
    frame = frame[frame["emotion"].isin(["neutral", "happy", "sad", "angry", "fearful", "disgust"])]
    chosen = []  # the first speaker of each gender in each corpus
    for (_, _), cell in frame.groupby(["gender", "dataset"]):
        for sid in sorted(cell["speaker_id"].unique())[: max(1, speakers // 4)]:
            chosen.append(cell[cell["speaker_id"] == sid].head(per_speaker))
    subset = pd.concat(chosen)
    subset["path"] = [str(demo / p) for p in subset["path"]]
    if extra_rows:
        subset = pd.concat([subset, pd.DataFrame(extra_rows)], ignore_index=True).fillna("")
    path = tmp_path / "subset.csv"
    subset.to_csv(path, index=False)
    return path


def test_audit_writes_results_whose_group_uar_matches_sklearn(tmp_path):
    assert reference_model().exists(), "the bundled reference model is missing"
    out = tmp_path / "run"
    args = ["audit", "--data", str(_subset(tmp_path)), "--out", str(out),
            "--conditions", "clean,noise@snr=10", "--slices", "gender,dataset", "--workers", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "UAR (%) by group" in result.output
    doc = json.loads((out / "result.json").read_text())
    preds = pd.read_parquet(out / "predictions.parquet")
    assert len(preds) == 24 * 2 and doc["schema_version"]
    assert doc["provenance"]["model"]["sha256"] and doc["provenance"]["manifest_sha256"]
    checked = 0
    for row in doc["metrics"]["groups"]:
        part = preds[preds["condition"] == row["condition"]]
        if row["slice"] != "all":
            part = part[part[row["slice"]] == row["group"]]
        assert row["uar"] == pytest.approx(balanced_accuracy_score(part["y_true"], part["y_pred"]))
        assert row["n_clips"] == len(part)
        checked += 1
    assert checked == 2 * (1 + 2 + 2)
    html = (out / "report.html").read_text()
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org", "")


def test_rerun_infers_nothing_and_reproduces_the_result(tmp_path):
    data, out = _subset(tmp_path, per_speaker=3), tmp_path / "run"
    args = ["audit", "--data", str(data), "--out", str(out), "--conditions", "clean,noise@snr=0",
            "--workers", "1"]
    assert CliRunner().invoke(main, args).exit_code == 0
    first = pd.read_parquet(out / "predictions.parquet")
    (out / "predictions.parquet").unlink()
    mtime = (out / "predictions.sqlite").stat().st_mtime_ns
    assert CliRunner().invoke(main, args).exit_code == 0
    pd.testing.assert_frame_equal(first, pd.read_parquet(out / "predictions.parquet"))
    assert (out / "predictions.sqlite").stat().st_mtime_ns == mtime  # nothing new was written


def test_bad_manifest_exits_2_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("path,speaker_id,emotion\nx.wav,s1,angry\n")
    result = CliRunner().invoke(main, ["audit", "--data", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "lacks the column(s) gender" in result.output
    assert "Traceback" not in result.output


def test_corrupt_clip_exits_2_before_inference_and_keeps_what_was_computed(tmp_path):
    """Every clip is decoded before inference: a corrupt one is named at once (exit 2), and the
    predictions of an earlier run into the same folder are kept."""
    out = tmp_path / "run"
    base = ["--out", str(out), "--conditions", "clean", "--workers", "1"]
    first = CliRunner().invoke(main, ["audit", "--data", str(_subset(tmp_path)), *base])
    assert first.exit_code == 0, first.output
    store = PredictionStore(out / "predictions.sqlite")
    computed = len(store)
    store.close()
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF0000WAVEjunk")
    row = {"path": str(broken), "speaker_id": "x1", "gender": "female", "emotion": "angry",
           "dataset": "ravdess"}
    data = _subset(tmp_path, extra_rows=[row])
    result = CliRunner().invoke(main, ["audit", "--data", str(data), *base])
    assert result.exit_code == 2 and "broken.wav" in result.output and "cannot decode" in result.output
    store = PredictionStore(out / "predictions.sqlite")
    assert computed >= 8 and len(store) == computed  # nothing computed is lost
    store.close()


def test_model_returning_nan_exits_2_naming_the_adapter(tmp_path):
    model = make_energy_onnx(tmp_path / "nan.onnx", nan=True)
    result = CliRunner().invoke(main, ["audit", "--model", str(model), "--data",
                                       str(_subset(tmp_path, per_speaker=1)), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "NaN" in result.output and "onnx" in result.output
