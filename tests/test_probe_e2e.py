"""End to end: `serfair audit --probes gender_swap` on real speech (the demo set, and the corpus
when present) with the bundled reference model: the probe's numbers in result.json agree with the
saved predictions, and the report and summary show them."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from serfair.cli import main
from serfair.data.loader import demo_data_dir

CONTROL = "voice@formant=1:pitch=0:range=1:semitones=0"


def _subset(tmp_path, root, per_speaker: int = 5):
    """The first speaker of each gender in each corpus, a few clips each."""
    frame = pd.read_csv(root / "manifest.csv", dtype=str, keep_default_na=False)
    frame = frame[frame["emotion"].isin(["neutral", "happy", "sad", "angry", "fearful", "disgust"])]
    chosen = [cell[cell["speaker_id"] == min(cell["speaker_id"].unique())].head(per_speaker)
              for _, cell in frame.groupby(["gender", "dataset"])]
    subset = pd.concat(chosen)
    subset["path"] = [str(root / p) for p in subset["path"]]
    path = tmp_path / "subset.csv"
    subset.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("source", ["demo", "corpus"])
def test_gender_swap_probe_on_real_speech(tmp_path, source, shared_data):
    root = shared_data if source == "corpus" and shared_data else demo_data_dir()
    out = tmp_path / "run"
    args = ["audit", "--data", str(_subset(tmp_path, root)), "--out", str(out),
            "--conditions", "clean", "--slices", "gender", "--probes", "gender_swap",
            "--workers", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "probe: Made to sound" in result.output
    doc = json.loads((out / "result.json").read_text())
    probe = doc["probes"]["gender_swap"]
    preds = pd.read_parquet(out / "predictions.parquet")
    assert set(preds["condition"]) == {"clean", CONTROL, *probe["conditions"].values()}
    assert probe["n_clips"] == 20 and probe["excluded"] == {
        "other_gender": 0, "too_short": 0, "missing_predictions": 0}
    wide = preds.pivot(index="clip_id", columns="condition", values="y_pred")
    gender = preds.drop_duplicates("clip_id").set_index("clip_id")["gender"]
    for g in probe["groups"]:
        mine = wide[gender.reindex(wide.index) == g["group"]]
        swap = mine[probe["conditions"][g["group"]]]
        assert g["flip_rate"] == pytest.approx((swap != mine["clean"]).mean())
        assert g["control_flip_rate"] == pytest.approx((mine[CONTROL] != mine["clean"]).mean())
        assert g["n_speakers"] == 2 and g["n_clips"] == 10
    # the main analysis sees only the audit's own conditions
    assert [c["name"] for c in doc["conditions"]] == ["clean"]
    check = {g["group"]: g for g in probe["check"]["groups"]}
    assert check["male"]["swap"]["f0"] > check["male"]["clean"]["f0"]
    assert check["female"]["swap"]["f0"] < check["female"]["clean"]["f0"]
    html = (out / "report.html").read_text()
    assert 'id="probes"' in html and "Did the swap do what it says?" in html
    assert html.count("<svg") >= 1 and probe["findings"][0]["text"].split(",")[0] in html
    assert "Probe gender swap" in (out / "summary.md").read_text()

    rerun = CliRunner().invoke(main, args)  # everything cached: the same document
    assert rerun.exit_code == 0
    again = json.loads((out / "result.json").read_text())["probes"]["gender_swap"]
    assert again["groups"] == probe["groups"]


def test_probes_need_the_model_not_precomputed_predictions(tmp_path):
    rows = [{"path": f"s{i}/c.wav", "speaker_id": f"s{i}", "gender": ("female", "male")[i % 2],
             "emotion": "angry"} for i in range(4)]
    pd.DataFrame(rows).to_csv(tmp_path / "manifest.csv", index=False)
    preds = pd.DataFrame([{"clip_id": f"s{i}/c", "condition": "clean", "p_angry": 0.9, "p_sad": 0.1}
                          for i in range(4)])
    preds.to_csv(tmp_path / "preds.csv", index=False)
    result = CliRunner().invoke(main, ["audit", "--model", str(tmp_path / "preds.csv"), "--data",
                                       str(tmp_path / "manifest.csv"), "--out", str(tmp_path / "o"),
                                       "--probes", "gender_swap", "--slices", "gender"])
    assert result.exit_code == 2
    assert "precomputed-predictions model cannot run them" in " ".join(result.output.split())
