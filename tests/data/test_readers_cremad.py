"""CREMA-D reader on files generated in the corpus's real layout."""

from __future__ import annotations

import pytest
from audio_fixtures import write_clip

from serfair.data.loader import load_dataset
from serfair.data.readers import READERS
from serfair.errors import DataError

DEMOGRAPHICS = (
    '"ActorID","Age","Sex","Race","Ethnicity"\n'
    '1001,51,"Male","Caucasian","Not Hispanic"\n'
    '1002,21,"Female","Caucasian","Not Hispanic"\n'
    '1073,24,"Female","African American","Hispanic"\n'
)


def _cremad(root, demographics: bool = True, mp3_copy: bool = False):
    for name in ("1001_DFA_ANG_XX", "1002_IEO_HAP_HI", "1073_TSI_SAD_LO"):
        write_clip(root / "AudioWAV" / f"{name}.wav")
    if mp3_copy:
        write_clip(root / "AudioMP3" / "1001_DFA_ANG_XX.wav")  # same utterance, second copy
    write_clip(root / "AudioWAV" / "1001_XYZ_ANG_XX.wav")  # unknown sentence: not CREMA-D
    if demographics:
        (root / "VideoDemographics.csv").write_text(DEMOGRAPHICS)


def test_cremad_metadata_from_names_and_demographics(tmp_path):
    _cremad(tmp_path)
    frame = load_dataset(tmp_path).set_index("clip_id")
    assert len(frame) == 3 and set(frame["dataset"]) == {"cremad"}
    row = frame.loc["AudioWAV/1001_DFA_ANG_XX"]
    assert (row.speaker_id, row.gender, row.age, row.race, row.ethnicity) == (
        "cremad_1001", "male", "51", "Caucasian", "Not Hispanic")
    assert (row.emotion, row.intensity, row.text, row.accent) == (
        "angry", "unspecified", "Don't forget a jacket", "en-US")
    other = frame.loc["AudioWAV/1073_TSI_SAD_LO"]
    assert (other.gender, other.race, other.ethnicity, other.emotion, other.intensity) == (
        "female", "African American", "Hispanic", "sad", "low")
    assert frame.loc["AudioWAV/1002_IEO_HAP_HI"].text == "It's eleven o'clock"


def test_cremad_reads_an_utterance_once_when_shipped_twice(tmp_path):
    _cremad(tmp_path, mp3_copy=True)
    frame = load_dataset(tmp_path)
    assert frame["clip_id"].str.endswith("1001_DFA_ANG_XX").sum() == 1


def test_cremad_without_demographics_says_what_is_missing(tmp_path):
    _cremad(tmp_path, demographics=False)
    with pytest.raises(DataError, match="VideoDemographics.csv.*sex, age, race"):
        load_dataset(tmp_path)


def test_cremad_audio_folder_given_directly_finds_the_csv_beside_it(tmp_path):
    _cremad(tmp_path)
    frame = load_dataset(tmp_path / "AudioWAV", corpus="cremad")
    assert set(frame["gender"]) == {"male", "female"}


def test_cremad_declares_what_it_provides():
    reader = READERS["cremad"]
    assert {"age", "gender", "race", "ethnicity"} <= set(reader.provides)
    assert "VideoDemographics.csv" in reader.layout
