"""The generic manifest (CSV or JSONL), the `datasets` listing, and detection across corpora."""

from __future__ import annotations

import json

from audio_fixtures import write_clip
from click.testing import CliRunner

from serfair.cli import main
from serfair.data.loader import load_dataset
from serfair.data.readers import READERS


def test_jsonl_manifest_with_extra_columns(tmp_path):
    rows = [{"path": f"clips/{i}.wav", "speaker_id": f"s{i % 2}", "gender": "F" if i % 2 else "m",
             "emotion": ["Anger", "joy", "ps"][i], "accent": "en-IN"} for i in range(3)]
    for row in rows:
        write_clip(tmp_path / row["path"])
    (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    frame = load_dataset(tmp_path)
    assert frame["emotion"].tolist() == ["angry", "happy", "surprised"]
    assert frame["gender"].tolist() == ["male", "female", "male"]
    assert set(frame["accent"]) == {"en-IN"}


def test_every_reader_is_listed_with_what_it_provides():
    assert set(READERS) == {"ravdess", "emodb", "cremad", "tess", "savee", "iemocap"}
    result = CliRunner().invoke(main, ["datasets"], terminal_width=250)
    assert result.exit_code == 0, result.output
    for name, reader in READERS.items():
        assert name in result.output
        assert reader.provides and reader.description and reader.licence and reader.layout
    assert "manifest" in result.output and "ethnicity" in result.output


def test_a_folder_of_several_corpora_reads_them_all(tmp_path):
    write_clip(tmp_path / "tess" / "OAF_angry" / "OAF_back_angry.wav")
    write_clip(tmp_path / "savee" / "DC" / "a01.wav")
    write_clip(tmp_path / "ravdess" / "Actor_02" / "03-01-05-01-01-01-02.wav")
    frame = load_dataset(tmp_path)
    assert sorted(frame["dataset"]) == ["ravdess", "savee", "tess"]
    assert set(frame["accent"]) == {"en-CA", "en-GB", "en-US"}
