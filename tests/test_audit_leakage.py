"""`serfair audit --train-manifest` / `training_data:`: speaker leakage in every output."""

from __future__ import annotations

import json

import pandas as pd
from click.testing import CliRunner
from test_audit_e2e import _subset

from serfair.cli import main
from serfair.spec import load_spec


def _audit(tmp_path, train_csv, name):
    out = tmp_path / name
    args = ["audit", "--data", str(_subset(tmp_path, per_speaker=3)), "--out", str(out),
            "--conditions", "clean", "--slices", "gender", "--workers", "1",
            "--train-manifest", str(train_csv)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output, out


def test_leaked_speakers_are_reported_everywhere(tmp_path):
    audited = pd.read_csv(_subset(tmp_path, per_speaker=3), dtype=str)
    train = tmp_path / "train.csv"  # the audited clips themselves plus one more speaker
    pd.concat([audited[["path", "speaker_id"]],
               pd.DataFrame({"path": [audited["path"].iloc[0]], "speaker_id": ["other"]})]
              ).to_csv(train, index=False)
    output, out = _audit(tmp_path, train, "leaky")
    doc = json.loads((out / "result.json").read_text())
    leak = doc["leakage"]
    n_speakers = audited["speaker_id"].nunique()
    assert leak["speaker_independent"] is False
    assert leak["training_data"] == "train.csv"  # as results name files: no absolute path
    assert leak["n_shared_speakers"] == n_speakers == leak["audited_speakers"]
    assert leak["n_shared_clips"] == len(audited) == leak["audited_clips"]
    assert doc["warnings"][0]["kind"] == "leakage"
    assert "leakage check:" in output and "NOT speaker-independent" in output
    html = (out / "report.html").read_text()
    assert "NOT SPEAKER-INDEPENDENT" in html and 'id="leakage"' in html
    assert "NOT speaker-independent" in (out / "summary.md").read_text()


def test_disjoint_training_speakers_are_stated(tmp_path):
    train = tmp_path / "train.csv"
    train.write_text("speaker_id,audio_sha256\nravdess_01,abc\nemodb_16,def\n")
    output, out = _audit(tmp_path, train, "clean")
    leak = json.loads((out / "result.json").read_text())["leakage"]
    assert leak["speaker_independent"] is True and leak["train_speakers"] == 2
    assert "Speaker-independent" in output
    assert "SPEAKER-INDEPENDENT" in (out / "report.html").read_text()


def test_spec_training_data_is_relative_to_the_spec(tmp_path):
    (tmp_path / "audits").mkdir()
    spec_file = tmp_path / "audits" / "s.yaml"
    spec_file.write_text("training_data: ../t.csv\nmodels:\n  - path: a.onnx\n"
                         "  - path: b.onnx\n    training_data: b-train.csv\n")
    spec = load_spec(spec_file)
    first, second = spec.per_model()
    assert first.training_manifest() == str(tmp_path / "audits" / "../t.csv")
    assert second.training_manifest() == str(tmp_path / "audits" / "b-train.csv")
    assert load_spec(None, training_data="x.csv").training_manifest() == "x.csv"
