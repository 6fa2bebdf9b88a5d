"""RAVDESS and EmoDB readers on files generated in each corpus's real layout."""

from __future__ import annotations

import pytest

from audio_fixtures import write_clip
from serfair.data.loader import demo_data_dir, load_dataset
from serfair.errors import DataError


def _ravdess(root):
    for name in ("03-01-05-02-01-01-01", "03-01-02-01-02-02-12", "03-01-08-01-01-01-12"):
        actor = name[-2:]
        write_clip(root / f"Actor_{actor}" / f"{name}.wav")
    write_clip(root / "Actor_01" / "notes.wav")  # not in the naming scheme: ignored


def _emodb(root):
    for name in ("03a01Wa", "09b02Tb", "16a05Lc"):
        write_clip(root / "wav" / f"{name}.wav")


def test_ravdess_metadata_from_file_names(tmp_path):
    _ravdess(tmp_path)
    frame = load_dataset(tmp_path).set_index("clip_id")
    row = frame.loc["Actor_01/03-01-05-02-01-01-01"]
    assert (row.speaker_id, row.gender, row.emotion, row.intensity, row.accent) == (
        "ravdess_01", "male", "angry", "strong", "en-US")
    assert frame.loc["Actor_12/03-01-02-01-02-02-12"].gender == "female"
    assert frame.loc["Actor_12/03-01-08-01-01-01-12"].emotion == "surprised"
    assert len(frame) == 3


def test_emodb_metadata_from_file_names(tmp_path):
    _emodb(tmp_path)
    frame = load_dataset(tmp_path).set_index("clip_id")
    row = frame.loc["wav/03a01Wa"]
    assert (row.speaker_id, row.gender, row.emotion, row.age, row.language) == (
        "emodb_03", "male", "angry", "31", "de")
    assert frame.loc["wav/09b02Tb"].gender == "female"
    assert frame.loc["wav/16a05Lc"].emotion == "boredom"


def test_a_folder_holding_both_corpora(tmp_path):
    _ravdess(tmp_path / "ravdess")
    _emodb(tmp_path / "emodb")
    frame = load_dataset(tmp_path)
    assert set(frame["dataset"]) == {"ravdess", "emodb"}
    assert len(frame) == 6


def test_unknown_layout_says_what_to_do(tmp_path):
    write_clip(tmp_path / "random.wav")
    with pytest.raises(DataError, match="no manifest.csv and matches no known corpus"):
        load_dataset(tmp_path)


def test_the_bundled_demo_set_loads_with_both_genders_and_corpora():
    frame = load_dataset(demo_data_dir())
    assert set(frame["gender"]) == {"female", "male"}
    assert set(frame["dataset"]) == {"ravdess", "emodb"}
    assert frame["speaker_id"].nunique() == 10
