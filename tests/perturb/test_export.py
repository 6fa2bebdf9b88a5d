"""`serfair perturb` writes what an audit feeds the model, plus a manifest to audit or listen to."""

from __future__ import annotations

import numpy as np
import soundfile as sf
from audio_fixtures import write_manifest
from click.testing import CliRunner

from serfair.cli import main
from serfair.data.audio import load_audio
from serfair.data.manifest import read_manifest
from serfair.engine.runner import babble_pool
from serfair.engine.tasks import perturbed
from serfair.perturb.babble import pool_for

CONDITIONS = "noise@snr=5,babble@snr=0,tempo@rate=1.25,telephone@low=500:high=3000"


def _data(tmp_path):
    rows = [{"path": f"spk{i % 3}/c{i}.wav", "speaker_id": f"spk{i % 3}", "gender": "female",
             "emotion": "angry"} for i in range(6)]
    return write_manifest(tmp_path / "data", rows)


def test_written_audio_is_what_the_audit_feeds_the_model(tmp_path):
    manifest, out = _data(tmp_path), tmp_path / "listen"
    result = CliRunner().invoke(main, ["perturb", "--data", str(manifest), "--conditions", CONDITIONS,
                                       "--out", str(out), "--limit", "2", "--seed", "3", "--format", "wav"])
    assert result.exit_code == 0, result.output
    written = read_manifest(out / "manifest.csv")  # a valid manifest: the folder can be audited
    assert len(written) == 2 * 5 and set(written["condition"]) >= {"clean", "babble@snr=0:talkers=4"}
    assert (out / "telephone@low=500_high=3000").is_dir()
    clips = read_manifest(manifest)
    pool = pool_for(babble_pool(clips, 3), 16000)
    for row in written.itertuples():
        source = clips.set_index("clip_id").loc[row.source_clip_id]
        wave = load_audio(source["audio_path"], 16000)
        expected = perturbed(row.source_clip_id, wave, row.condition, 16000, 3, source["speaker_id"], pool)
        audio, rate = sf.read(row.audio_path, dtype="float32")
        assert rate == 16000
        np.testing.assert_array_equal(audio, expected)


def test_flac_by_default_and_bad_input_exits_2(tmp_path):
    manifest = _data(tmp_path)
    ok = CliRunner().invoke(main, ["perturb", "--data", str(manifest), "--conditions", "gain@db=-40",
                                   "--out", str(tmp_path / "o"), "--limit", "1"])
    assert ok.exit_code == 0, ok.output
    assert len(list((tmp_path / "o").rglob("*.flac"))) == 2
    bad = CliRunner().invoke(main, ["perturb", "--data", str(manifest), "--conditions", "gain@dB=-40",
                                    "--out", str(tmp_path / "o")])
    assert bad.exit_code == 2 and "valid: db" in bad.output


def test_a_folder_being_written_is_refused_and_the_lock_is_gone_afterwards(tmp_path):
    import os

    from serfair.lifecycle import LOCK_NAME, run_lock

    manifest, out = _data(tmp_path), tmp_path / "busy"
    args = ["perturb", "--data", str(manifest), "--conditions", "gain@db=-6", "--out", str(out),
            "--limit", "1"]
    with run_lock(out):  # another serfair run holds the folder
        busy = CliRunner().invoke(main, args)
    assert busy.exit_code == 2
    assert "being written by another serfair run" in busy.output
    assert f"pid {os.getpid()}" in busy.output and not list(out.rglob("*.flac"))
    free = CliRunner().invoke(main, args)
    assert free.exit_code == 0, free.output
    assert not (out / LOCK_NAME).exists() and len(list(out.rglob("*.flac"))) == 2
