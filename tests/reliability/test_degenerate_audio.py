"""Degenerate audio is never scored silently: silent, too short, one-sample, clipped-out and
huge-peak clips are flagged before inference, perturbed versions after each perturbation, counted
per group and condition in result.json, summary.md and report.html, and excluded by default.
Long clips are cropped (or excluded) at max_duration_s and never pad other clips' batches."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import soundfile as sf
import yaml
from audio_fixtures import tone
from click.testing import CliRunner
from degenerate_audio import manifest_with_degenerate, write_degenerate
from hypothesis import given, settings
from hypothesis import strategies as st
from test_audit_e2e import _subset
from toy_models import make_energy_onnx

from serfair.cli import main
from serfair.data.audio import load_audio
from serfair.data.quality import AudioLimits, length_flags, level_flags
from serfair.engine.batching import length_batches


def audit(tmp_path, data, out, conditions, spec: dict | None = None):
    args = ["audit", "--model", make_energy_onnx(tmp_path / "toy.onnx"), "--data", data,
            "--out", out, "--conditions", conditions, "--workers", "1", "--slices", "gender"]
    if spec is not None:
        path = tmp_path / f"{out.name}.yaml"
        path.write_text(yaml.safe_dump(spec))
        args += ["--spec", path]
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return json.loads((out / "result.json").read_text()), result.output


def count(sanity, flag, condition="clean", slice_name="all", group="all"):
    return next((c for c in sanity["counts"] if (c["flag"], c["condition"], c["slice"], c["group"])
                 == (flag, condition, slice_name, group)), None)


def test_degenerate_clips_are_counted_per_group_and_excluded(tmp_path):
    data = manifest_with_degenerate(_subset(tmp_path, per_speaker=2), tmp_path)
    result, output = audit(tmp_path, data, tmp_path / "run", "clean,noise@snr=10,codec@mp3_kbps=16")
    sanity = result["sanity"]
    assert sanity["n_clips_flagged"] == 5 and sanity["n_clips_excluded"] == 5
    assert count(sanity, "silent")["clips"] == 1
    assert count(sanity, "too_short")["clips"] == 2  # 0.05 s and one sample
    assert count(sanity, "clipped")["clips"] == 1 and count(sanity, "out_of_range")["clips"] == 1
    by_gender = [c for c in sanity["counts"] if c["slice"] == "gender"]
    assert sum(c["clips"] for c in by_gender) == 5 and {c["group"] for c in by_gender} == {
        "female", "male"}
    scored = pd.read_parquet(tmp_path / "run" / "predictions.parquet")
    assert not scored["speaker_id"].str.startswith("deg").any()  # none of them scored
    assert result["data"]["n_clips_scored"] == scored["clip_id"].nunique()
    assert result["warnings"][0]["kind"] == "degenerate_audio"
    assert "5 of" in output and "degenerate audio" in output
    summary = (tmp_path / "run" / "summary.md").read_text()
    assert "Audio sanity: 5 of" in summary and "| clean | silent | 1 | 1 |" in summary
    assert 'id="audio-sanity"' in (tmp_path / "run" / "report.html").read_text()


def test_kept_when_asked_but_unscorable_audio_never_scored(tmp_path):
    """sanity.exclude false: silent and clipped clips are scored, as asked; a huge finite peak
    (8e28) is out of range and excluded all the same (it overflows any model's arithmetic)."""
    data = manifest_with_degenerate(_subset(tmp_path, per_speaker=2), tmp_path)
    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    frame = frame[~frame["path"].str.contains("short|one_sample")]
    frame.to_csv(data, index=False)
    result, _ = audit(tmp_path, data, tmp_path / "keep", "clean,noise@snr=10",
                      {"sanity": {"exclude": False}})
    sanity = result["sanity"]
    assert count(sanity, "silent")["excluded"] == 0 and count(sanity, "clipped")["excluded"] == 0
    assert count(sanity, "out_of_range")["excluded"] == 1 and sanity["n_clips_excluded"] == 1
    scored = pd.read_parquet(tmp_path / "keep" / "predictions.parquet")
    assert {"deg0", "deg3"} <= set(scored["speaker_id"])  # the silent and clipped clips
    assert not scored["clip_id"].str.contains("huge_peak").any()
    assert np.isfinite(scored.filter(regex="^p_").to_numpy(dtype=float)).all()


def test_a_perturbation_that_overflows_is_flagged_and_not_scored(tmp_path):
    """In the worker: a version that turns non-finite under its perturbation gets no prediction,
    only its flag (here an 8e28 peak let through by a raised max_peak, under noise)."""
    from serfair.engine.tasks import Task, run_task
    from serfair.models import ModelSpec

    paths = write_degenerate(tmp_path / "deg")
    ok = tmp_path / "ok.wav"
    sf.write(str(ok), tone(1.0, 16000), 16000)
    task = Task(clips=(("huge", str(paths["huge_peak"])), ("ok", str(ok))),
                todo=(("noise@snr=10",), ("clean", "noise@snr=10")), seed=0, batch_size=4,
                limits=AudioLimits(max_peak=1e30))
    result = run_task(task, ModelSpec(source=str(make_energy_onnx(tmp_path / "toy.onnx"))))
    assert result.flags == [("huge", "noise@snr=10", ("non_finite",))]
    assert sorted((cid, name) for cid, name, _ in result.rows) == [("ok", "clean"),
                                                                   ("ok", "noise@snr=10")]
    assert all(np.isfinite(p).all() for *_, p in result.rows)


def test_long_clips_are_cropped_or_excluded_with_a_count(tmp_path):
    data = _subset(tmp_path, per_speaker=2)
    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    long = tmp_path / "long.flac"
    sf.write(str(long), tone(15.0, 16000, seed=3), 16000)
    row = {**frame.iloc[0].to_dict(), "path": str(long), "speaker_id": "long1"}
    pd.concat([frame, pd.DataFrame([row])]).to_csv(data, index=False)
    cropped, _ = audit(tmp_path, data, tmp_path / "crop", "clean", {"sanity": {"max_duration_s": 12}})
    assert count(cropped["sanity"], "cropped") == {
        "slice": "all", "group": "all", "condition": "clean", "flag": "cropped", "clips": 1,
        "excluded": 0}
    assert cropped["sanity"]["n_clips_excluded"] == 0
    excluded, _ = audit(tmp_path, data, tmp_path / "drop", "clean",
                        {"sanity": {"max_duration_s": 12, "long_clips": "exclude"}})
    assert count(excluded["sanity"], "too_long")["excluded"] == 1
    assert excluded["data"]["n_clips_scored"] == cropped["data"]["n_clips_scored"] - 1


def test_cropping_reads_only_the_first_seconds(tmp_path):
    path = tmp_path / "clip.wav"
    sf.write(str(path), tone(3.0, 8000), 8000)
    assert load_audio(path, 16000, max_seconds=1.0).shape[0] == 16000
    assert load_audio(path, 16000).shape[0] == 48000


def test_flags_of_a_clean_clip():
    limits = AudioLimits()
    assert level_flags(np.zeros(100, np.float32), limits) == ["silent"]
    assert level_flags(np.full(100, 1e-4, np.float32), limits) == ["silent"]  # -80 dBFS
    assert level_flags(np.full(100, 1e-4, np.float32), limits, perturbed=True) == []  # gain@db=-60
    assert level_flags(np.ones(100, np.float32), limits) == ["clipped"]
    assert level_flags(np.array([0.1, 8e28], np.float32), limits) == ["out_of_range"]
    assert level_flags(np.array([0.1, np.inf], np.float32), limits) == ["non_finite"]
    assert level_flags(np.zeros(0, np.float32), limits) == ["empty"]
    assert length_flags(0.05, limits) == ["too_short"]
    assert length_flags(0.2, AudioLimits(min_duration_s=0.0), min_seconds=0.1) == []
    assert length_flags(0.05, AudioLimits(min_duration_s=0.0), min_seconds=0.1) == ["too_short"]
    assert length_flags(61, limits) == ["cropped"]
    assert length_flags(61, AudioLimits(long_clips="exclude")) == ["too_long"]
    assert not limits.excludes(["cropped"]) and limits.excludes(["silent"])
    assert AudioLimits(exclude=False).excludes(["non_finite"])
    assert AudioLimits(exclude=False).excludes(["out_of_range"])
    assert not AudioLimits(exclude=False).excludes(["silent"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 10_000), max_size=60), st.integers(1, 16), st.integers(1, 50_000))
def test_length_batches_bound_padding(lengths, batch_size, max_samples):
    batches = length_batches(lengths, batch_size, max_samples)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        longest = max(lengths[i] for i in batch)
        assert len(batch) <= batch_size
        assert len(batch) == 1 or len(batch) * longest <= max_samples  # a long clip goes alone


def test_a_long_clip_does_not_pad_the_short_ones():
    lengths = [48_000] * 15 + [960_000]  # fifteen 3 s clips and one 60 s clip at 16 kHz
    batches = length_batches(lengths, 16, 64 * 16_000)
    assert [15] in batches and all(15 not in b or len(b) == 1 for b in batches)


def test_a_changed_crop_re_infers_the_long_clip_only(tmp_path):
    """The crop is part of a long clip's cache key: raising max_duration_s re-scores it."""
    from serfair.engine.store import PredictionStore

    data = _subset(tmp_path, per_speaker=1)
    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    long = tmp_path / "long.flac"
    sf.write(str(long), tone(15.0, 16000, seed=3), 16000)
    pd.concat([frame, pd.DataFrame([{**frame.iloc[0].to_dict(), "path": str(long),
                                     "speaker_id": "long1"}])]).to_csv(data, index=False)
    out = tmp_path / "run"
    audit(tmp_path, data, out, "clean", {"sanity": {"max_duration_s": 12}})
    first = len(PredictionStore(out / "predictions.sqlite"))
    audit(tmp_path, data, out, "clean", {"sanity": {"max_duration_s": 12}})
    assert len(PredictionStore(out / "predictions.sqlite")) == first  # nothing new
    audit(tmp_path, data, out, "clean", {"sanity": {"max_duration_s": 30}})
    assert len(PredictionStore(out / "predictions.sqlite")) == first + 1  # the long clip only


def test_nothing_but_degenerate_clips_is_refused_before_inference(tmp_path):
    rows = [{"path": str(p), "speaker_id": f"d{i}", "gender": "female", "emotion": "sad",
             "dataset": "x"} for i, p in enumerate(write_degenerate(tmp_path / "deg").values())]
    data = tmp_path / "m.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    result = CliRunner().invoke(main, ["audit", "--model", str(make_energy_onnx(tmp_path / "t.onnx")),
                                       "--data", str(data), "--out", str(tmp_path / "o"),
                                       "--conditions", "clean", "--slices", "gender"])
    assert result.exit_code == 2, result.output
    assert "every one of the 5 clip(s) has degenerate audio" in result.output
    assert not (tmp_path / "o" / "predictions.sqlite").exists()
