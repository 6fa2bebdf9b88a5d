"""Every crash of issue 9 through the CLI: bad input exits 2 with a clear message before any
inference, a bug exits 3 with its traceback in a log file, a gate that checked nothing exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from report_fixtures import cached_result
from test_audit_e2e import _subset
from toy_models import make_energy_onnx

from serfair.cli import main
from serfair.engine.store import PredictionStore


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture()
def toy(tmp_path) -> Path:
    return make_energy_onnx(tmp_path / "toy.onnx")


@pytest.fixture()
def small(tmp_path) -> Path:
    return _subset(tmp_path, per_speaker=2)


def audit(toy: Path, data: Path, out: Path, *extra: str):
    return run("audit", "--model", toy, "--data", data, "--out", out, "--conditions", "clean",
               "--workers", "1", *extra)


def refused(result, *words: str) -> None:
    """Exit 2, the words in the message, no traceback on screen, nothing inferred."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, result.output


def nothing_inferred(out: Path) -> bool:
    if not (out / "predictions.sqlite").exists():
        return True
    store = PredictionStore(out / "predictions.sqlite")
    try:
        return len(store) == 0
    finally:
        store.close()


def test_spec_file_not_utf8(tmp_path, toy, small):
    spec = tmp_path / "latin1.yaml"
    spec.write_bytes("name: caf\xe9\ndescription: d\xe9j\xe0 vu\n".encode("latin-1"))
    refused(audit(toy, small, tmp_path / "o", "--spec", spec), "not UTF-8", "save it as UTF-8")
    refused(run("validate", spec), "not")


@pytest.mark.parametrize("value", [0, -4])
def test_batch_size_must_be_positive(tmp_path, toy, small, value):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"batch_size": value}))
    out = tmp_path / "o"
    refused(audit(toy, small, out, "--spec", spec), "batch_size", "greater than or equal to 1")
    assert nothing_inferred(out)


def test_negative_workers(tmp_path, toy, small):
    refused(audit(toy, small, tmp_path / "o", "--workers", "-3"), "workers")


def test_duplicate_labels(tmp_path, small):
    model = make_energy_onnx(tmp_path / "bare.onnx", metadata=False)
    result = run("audit", "--model", model, "--data", small, "--out", tmp_path / "o",
                 "--labels", "neutral,happy,sad,angry,sad,disgust", "--sample-rate", "16000",
                 "--conditions", "clean")
    refused(result, "sad given more than once")


def test_repeated_condition_parameter(tmp_path, toy, small):
    refused(run("audit", "--model", toy, "--data", small, "--out", tmp_path / "o",
                "--conditions", "clean,noise@snr=10:snr=20"), "sets snr twice")


def test_out_is_a_file_or_below_one(tmp_path, toy, small):
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    refused(audit(toy, small, afile), "is a file")
    refused(audit(toy, small, afile / "run"), "is a file")
    assert afile.read_text() == "not a folder"


def test_out_not_writable(tmp_path, toy, small):
    import os

    locked = tmp_path / "readonly"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores permissions: a path through /proc instead
            target = Path("/proc/version/run")
        else:
            target = locked / "run"
        refused(audit(toy, small, target), str(target.parent))
    finally:
        locked.chmod(0o700)


def test_short_clip_under_codec(tmp_path, toy, small):
    """A 0.05 s clip under codec@mp3_kbps=16 (audiomentations TooShortAudio): excluded with a count
    by default; with sanity.exclude false, refused before inference naming clip and family."""
    import pandas as pd
    import soundfile as sf
    from audio_fixtures import tone

    short = tmp_path / "short.wav"
    sf.write(str(short), tone(0.05), 16000)
    frame = pd.read_csv(small, dtype=str, keep_default_na=False)
    row = {"path": str(short), "speaker_id": "s1", "gender": "female", "emotion": "sad",
           "dataset": "ravdess"}
    data = tmp_path / "with_short.csv"
    pd.concat([frame, pd.DataFrame([row])]).fillna("").to_csv(data, index=False)
    args = ["--conditions", "clean,codec@mp3_kbps=16"]
    ok = run("audit", "--model", toy, "--data", data, "--out", tmp_path / "a", "--workers", "1",
             *args)
    assert ok.exit_code == 0, ok.output
    sanity = json.loads((tmp_path / "a" / "result.json").read_text())["sanity"]
    assert sanity["n_clips_excluded"] == 1
    assert {"slice": "all", "group": "all", "condition": "clean", "flag": "too_short", "clips": 1,
            "excluded": 1} in sanity["counts"]
    spec = tmp_path / "keep.yaml"
    spec.write_text(yaml.safe_dump({"sanity": {"exclude": False}}))
    out = tmp_path / "b"
    result = run("audit", "--model", toy, "--data", data, "--out", out, "--spec", spec,
                 "--workers", "1", *args)
    refused(result, "short.wav", "codec", "0.1 s")
    assert nothing_inferred(out)


def test_validate_checks_condition_families(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"conditions": ["clean", "nosie@snr=10"]}))
    refused(run("validate", spec), "unknown condition family 'nosie'", "valid families")


def test_internal_error_exits_3_with_a_log_in_the_run_folder(tmp_path, toy, small, monkeypatch):
    """A bug (here: an exception injected into the analysis) is not a verdict and not bad input."""
    import serfair.audit

    def broken(*args, **kwargs):
        raise ZeroDivisionError("injected fault")

    monkeypatch.setattr(serfair.audit, "_analyse", broken)
    out = tmp_path / "run"
    result = audit(toy, small, out)
    assert result.exit_code == 3, result.output
    assert "internal error, please report" in result.output
    assert "Traceback" not in result.output
    logs = list(out.glob("serfair-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in result.output.replace("\n", "")
    text = logs[0].read_text()
    assert "Traceback" in text and "ZeroDivisionError: injected fault" in text


def test_internal_error_without_a_usable_run_folder_logs_to_a_temp_folder(tmp_path, monkeypatch):
    import serfair.report.json_out

    def broken(*args, **kwargs):
        raise KeyError("injected")

    monkeypatch.setattr(serfair.report.json_out, "read_result", broken)
    result_file = tmp_path / "result.json"
    result_file.write_text("{}")
    result = run("report", result_file)
    assert result.exit_code == 3, result.output
    log = result.output.replace("\n", "").split("the traceback is in ")[1].split(" (attach")[0]
    assert "KeyError" in Path(log).read_text()
    Path(log).unlink()


def test_a_gate_that_evaluated_no_rule_exits_2_unless_allowed(tmp_path):
    result_file = tmp_path / "result.json"
    result_file.write_text(json.dumps(cached_result()))
    rule = {"id": "tiny", "slice": "dataset", "groups": "emodb", "min": 0.99}  # emodb: 4 speakers
    policy = tmp_path / "p.yaml"
    policy.write_text(yaml.safe_dump({"rules": [rule]}))
    before = result_file.read_bytes()
    empty = run("gate", result_file, "--policy", policy)
    refused(empty, "evaluated no rule", "allow_empty", "gate CHECKED NOTHING")
    assert "gate PASS" not in empty.output
    assert result_file.read_bytes() == before  # the gate writes nothing unless asked
    written = run("gate", result_file, "--policy", policy, "--out", tmp_path / "gated")
    refused(written, "evaluated no rule")
    assert "NO RULE EVALUATED" in (tmp_path / "gated" / "summary.md").read_text()
    assert json.loads((tmp_path / "gated" / "result.json").read_text())["verdict"]["empty"]
    policy.write_text(yaml.safe_dump({"allow_empty": True, "rules": [rule]}))
    assert run("gate", result_file, "--policy", policy).exit_code == 0


def test_validate_checks_the_conditions_policies_name(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text(yaml.safe_dump({"rules": [{"check": "drop", "condition": "nosie@snr=0",
                                                 "max": 0.2}]}))
    refused(run("validate", policy), "unknown condition family 'nosie'")
    policy.write_text(yaml.safe_dump({"rules": [{"check": "drop", "condition": "noise@snr=0",
                                                 "max": 0.2}]}))
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"conditions": ["clean", "noise@snr=10"],
                                    "policy": str(policy)}))
    refused(run("validate", spec), "noise@snr=0")  # the spec does not audit it
    glob = tmp_path / "glob.yaml"
    glob.write_text(yaml.safe_dump({"rules": [{"check": "drop", "condition": "noise@*", "max": 0.2}]}))
    assert run("validate", glob).exit_code == 0


def test_report_and_gate_into_an_unusable_folder(tmp_path):
    result_file = tmp_path / "result.json"
    result_file.write_text(json.dumps(cached_result()))
    afile = tmp_path / "afile"
    afile.write_text("x")
    refused(run("report", result_file, "--out", afile / "sub"), "cannot write the outputs")
    policy = tmp_path / "p.yaml"
    policy.write_text(yaml.safe_dump({"rules": [{"slice": "all", "min": 0.1}]}))
    refused(run("gate", result_file, "--policy", policy, "--out", afile / "sub"),
            "cannot write the outputs")
