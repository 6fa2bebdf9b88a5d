"""SAVEE reader on files generated in both of the corpus's common layouts."""

from __future__ import annotations

from audio_fixtures import write_clip

from serfair.data.loader import load_dataset


def test_savee_speaker_folders(tmp_path):
    for speaker, name in (("DC", "a01"), ("JE", "sa03"), ("JK", "su15"), ("KL", "n30")):
        write_clip(tmp_path / "AudioData" / speaker / f"{name}.wav")
    write_clip(tmp_path / "AudioData" / "XX" / "a01.wav")  # not a SAVEE speaker: ignored
    frame = load_dataset(tmp_path).set_index("clip_id")
    assert len(frame) == 4 and set(frame["gender"]) == {"male"} and set(frame["accent"]) == {"en-GB"}
    assert frame.loc["AudioData/DC/a01"].emotion == "angry"
    assert frame.loc["AudioData/JE/sa03"].emotion == "sad"
    assert frame.loc["AudioData/JK/su15"].emotion == "surprised"
    assert (frame.loc["AudioData/KL/n30"].speaker_id, frame.loc["AudioData/KL/n30"].emotion) == (
        "savee_KL", "neutral")


def test_savee_prefixed_file_names(tmp_path):
    for name in ("DC_a01", "DC_d02", "JE_f03", "KL_h04"):
        write_clip(tmp_path / "ALL" / f"{name}.wav")
    frame = load_dataset(tmp_path).set_index("clip_id")
    assert frame.loc["ALL/DC_d02"].emotion == "disgust"
    assert frame.loc["ALL/JE_f03"].emotion == "fearful"
    assert frame.loc["ALL/KL_h04"].emotion == "happy"
    assert sorted(frame["speaker_id"].unique()) == ["savee_DC", "savee_JE", "savee_KL"]
