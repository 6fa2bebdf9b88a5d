"""The worked examples of docs/bring-your-own-model.md, run end to end through `serfair audit`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from serfair.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "byom"
FAST = ["--conditions", "clean,noise@snr=10", "--workers", "1", "--slices", "gender"]


@pytest.fixture(scope="module")
def examples():
    sys.path.insert(0, str(EXAMPLES))
    yield EXAMPLES
    sys.path.remove(str(EXAMPLES))


@pytest.fixture(scope="module")
def sklearn_models(examples, tmp_path_factory):
    import sklearn_model

    out = tmp_path_factory.mktemp("byom")
    files = sklearn_model.main(["--out", str(out), "--per-emotion", "1"])
    files["gender_emotion"] = sklearn_model.main(
        ["--out", str(out), "--per-emotion", "1", "--target", "gender_emotion"])["onnx"]
    return files


def _audit(args, out):
    result = CliRunner().invoke(main, ["audit", *args, "--out", str(out), *FAST])
    assert result.exit_code == 0, result.output
    return json.loads((out / "result.json").read_text())


def test_skl2onnx_feature_model_audited_from_its_metadata(sklearn_models, tmp_path):
    result = _audit(["--model", str(sklearn_models["onnx"]), "--data", str(sklearn_models["manifest"])],
                    tmp_path / "onnx")
    model = result["provenance"]["model"]
    assert model["format"] == "onnx" and model["frontend"]["features"] == ["mfcc", "chroma", "mel"]
    assert model["labels"] == ["angry", "happy", "neutral", "sad"]
    clean = [g for g in result["metrics"]["groups"] if g["condition"] == "clean"]
    assert clean and all(0.0 <= g["uar"] <= 1.0 for g in clean if g["uar"] is not None)
    # the same estimator through skops and (trusted) joblib gives the same predictions
    onnx_preds = pd.read_parquet(tmp_path / "onnx" / "predictions.parquet").sort_values(
        ["clip_id", "condition"])
    _audit(["--model", str(sklearn_models["skops"]), "--data", str(sklearn_models["manifest"])],
           tmp_path / "skops")
    skops_preds = pd.read_parquet(tmp_path / "skops" / "predictions.parquet").sort_values(
        ["clip_id", "condition"])
    columns = [c for c in onnx_preds.columns if c.startswith("p_")]
    np.testing.assert_allclose(onnx_preds[columns].to_numpy(), skops_preds[columns].to_numpy(), atol=1e-5)


def test_pickle_needs_trust_on_the_command_line(sklearn_models, tmp_path):
    args = ["--model", str(sklearn_models["joblib"]), "--data", str(sklearn_models["manifest"]),
            "--frontend", "mfcc_chroma_mel_mean", "--sample-rate", "16000"]
    refused = CliRunner().invoke(main, ["audit", *args, "--out", str(tmp_path / "a"), *FAST])
    assert refused.exit_code == 2 and "arbitrary code" in refused.output
    result = _audit([*args, "--trust-pickle"], tmp_path / "b")
    assert result["provenance"]["model"]["format"] == "sklearn"


def test_gender_by_emotion_model_mapped_down_to_emotions(sklearn_models, tmp_path):
    args = ["--model", str(sklearn_models["gender_emotion"]), "--data", str(sklearn_models["manifest"])]
    unmapped = CliRunner().invoke(main, ["audit", *args, "--out", str(tmp_path / "a"), *FAST])
    assert unmapped.exit_code == 2 and "--postprocess 'female_*=*,male_*=*'" in unmapped.output
    result = _audit([*args, "--postprocess", "female_*=*,male_*=*"], tmp_path / "b")
    model = result["provenance"]["model"]
    assert model["labels"] == ["angry", "happy", "neutral", "sad"] and len(model["model_labels"]) == 8
    preds = pd.read_parquet(tmp_path / "b" / "predictions.parquet")
    np.testing.assert_allclose(preds.filter(regex="^p_").sum(axis=1), 1.0, atol=1e-6)


def test_label_map_flag_keeps_calm_clips_as_neutral(examples, tmp_path):
    import precomputed

    out = tmp_path / "pre"
    precomputed.main(["--out", str(out)])
    clips = pd.read_csv(out / "clips.csv")
    clips.loc[clips.index[:3], "emotion"] = "calm"
    clips.to_csv(out / "clips.csv", index=False)
    base = ["--model", str(out / "predictions.csv"), "--data", str(out / "clips.csv"),
            "--workers", "1", "--slices", "gender"]
    without = CliRunner().invoke(main, ["audit", *base, "--out", str(tmp_path / "r1")])
    assert without.exit_code == 0, without.output
    excluded = json.loads((tmp_path / "r1" / "result.json").read_text())["data"]["excluded_labels"]
    assert excluded == {"calm": 3}
    assert "calm: 3" in (tmp_path / "r1" / "report.html").read_text()  # shown to the reader
    mapped = CliRunner().invoke(main, ["audit", *base, "--label-map", "calm=neutral",
                                       "--out", str(tmp_path / "r2")])
    assert mapped.exit_code == 0, mapped.output
    assert json.loads((tmp_path / "r2" / "result.json").read_text())["data"]["excluded_labels"] == {}
