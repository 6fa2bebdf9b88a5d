"""TESS reader on files generated in the corpus's real layout."""

from __future__ import annotations

from audio_fixtures import write_clip

from serfair.data.loader import load_dataset


def test_tess_speakers_emotions_and_words(tmp_path):
    root = tmp_path / "TESS Toronto emotional speech set data"
    write_clip(root / "OAF_angry" / "OAF_back_angry.wav")
    write_clip(root / "OAF_Pleasant_surprise" / "OAF_bath_ps.wav")
    write_clip(root / "YAF_fear" / "YAF_bean_fear.wav")
    write_clip(root / "YAF_neutral" / "YAF_youth_neutral.wav")
    frame = load_dataset(tmp_path).set_index("clip_id")
    assert len(frame) == 4 and set(frame["gender"]) == {"female"}
    older = frame.loc["TESS Toronto emotional speech set data/OAF_angry/OAF_back_angry"]
    assert (older.speaker_id, older.age, older.age_group, older.accent, older.emotion, older.text) == (
        "tess_OAF", "64", "older adult", "en-CA", "angry", "Say the word back")
    ps = frame.loc["TESS Toronto emotional speech set data/OAF_Pleasant_surprise/OAF_bath_ps"]
    assert ps.emotion == "surprised"
    younger = frame.loc["TESS Toronto emotional speech set data/YAF_fear/YAF_bean_fear"]
    assert (younger.speaker_id, younger.age, younger.emotion) == ("tess_YAF", "26", "fearful")
    assert frame["speaker_id"].nunique() == 2
