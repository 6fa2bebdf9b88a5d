"""The speaker leakage check: speakers and identical audio shared by training and audited data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from serfair.data.leakage import (
    check_leakage,
    file_audio_hash,
    read_training_manifest,
    waveform_hash,
)
from serfair.errors import DataError


def _clip(path, seed: int, fmt: str = "WAV") -> np.ndarray:
    """16-bit samples written as they are (a lossless file of them), read back as float32."""
    y = np.random.default_rng(seed).integers(-8000, 8000, 4000).astype(np.int16)
    sf.write(path, y, 16000, subtype="PCM_16", format=fmt)
    return sf.read(path, dtype="float32")[0]


def _audited(tmp_path, speakers_seeds):
    rows = []
    for k, (speaker, seed) in enumerate(speakers_seeds):
        path = tmp_path / f"aud{k}.flac"
        _clip(path, seed, "FLAC")
        rows.append({"clip_id": f"aud{k}", "speaker_id": speaker, "audio_path": str(path)})
    return pd.DataFrame(rows)


def test_a_lossless_copy_has_the_same_hash(tmp_path):
    wav = _clip(tmp_path / "a.wav", 1)
    _clip(tmp_path / "a.flac", 1, "FLAC")
    assert file_audio_hash(tmp_path / "a.wav") == file_audio_hash(tmp_path / "a.flac")
    assert waveform_hash(wav) == file_audio_hash(tmp_path / "a.flac")
    assert waveform_hash(wav) != waveform_hash(wav[::-1])


def test_disjoint_speakers_are_speaker_independent(tmp_path):
    train = pd.DataFrame({"speaker_id": ["s1", "s2"], "audio_sha256": ["x", "y"]})
    out = check_leakage(train, _audited(tmp_path, [("s3", 1), ("s4", 2)]), source="train.csv")
    assert out["speaker_independent"] is True and out["n_shared_speakers"] == 0
    assert out["n_shared_clips"] == 0 and out["hashes_compared"] is True
    assert out["message"].startswith("Speaker-independent")


def test_shared_speakers_and_clips_are_reported(tmp_path):
    audited = _audited(tmp_path, [("s1", 1), ("s1", 2), ("s9", 3)])
    same = file_audio_hash(audited["audio_path"][1])
    train = pd.DataFrame({"speaker_id": ["s1", "s2"], "audio_sha256": [same, "other"]})
    out = check_leakage(train, audited, source="train.csv")
    assert out["speaker_independent"] is False
    assert out["shared_speakers"] == ["s1"] and out["audited_clips_of_shared_speakers"] == 2
    assert out["n_shared_clips"] == 1 and out["shared_clips"] == ["aud1"]
    assert "NOT speaker-independent: 1 of the 2 audited speakers (2 of 3 clips)" in out["message"]


def test_identical_audio_under_another_speaker_id_is_still_leakage(tmp_path):
    audited = _audited(tmp_path, [("new", 5)])
    train = pd.DataFrame({"speaker_id": ["old"],
                          "audio_sha256": [file_audio_hash(audited["audio_path"][0])]})
    out = check_leakage(train, audited, source="t.csv")
    assert out["speaker_independent"] is False and out["n_shared_speakers"] == 0
    assert out["n_shared_clips"] == 1


def test_training_manifest_paths_are_hashed_when_there_is_no_hash_column(tmp_path):
    _clip(tmp_path / "t.wav", 7)
    (tmp_path / "train.csv").write_text("path,speaker_id\nt.wav,s1\n")
    frame = read_training_manifest(tmp_path / "train.csv")
    assert frame["audio_sha256"][0] == file_audio_hash(tmp_path / "t.wav")
    (tmp_path / "speakers.csv").write_text("speaker_id\ns1\n")
    out = check_leakage(read_training_manifest(tmp_path / "speakers.csv"),
                        _audited(tmp_path, [("s2", 1)]), source="speakers.csv")
    assert out["hashes_compared"] is False and out["n_shared_clips"] is None
    assert "clips not compared" in out["message"]


def test_bad_training_manifests_raise_data_errors(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        read_training_manifest(tmp_path / "missing.csv")
    (tmp_path / "nospk.csv").write_text("path,emotion\na.wav,angry\n")
    with pytest.raises(DataError, match="no speaker_id column"):
        read_training_manifest(tmp_path / "nospk.csv")
