"""IEMOCAP reader on a small release generated in the corpus's real layout."""

from __future__ import annotations

import pytest
from audio_fixtures import write_clip

from serfair.data.loader import load_dataset
from serfair.errors import DataError

EVALUATION = """% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]

[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]
C-E2:\tNeutral;\t()
C-E3:\tNeutral;\t()

[10.0100 - 11.3925]\tSes01F_impro01_M001\tang\t[2.0000, 3.5000, 3.5000]
C-E2:\tAnger;\t()

[14.8872 - 18.0175]\tSes01F_impro01_F002\txxx\t[2.5000, 2.0000, 2.5000]
"""
SCRIPT = """[1.0 - 2.0]\tSes02M_script01_2_M010\texc\t[4.0000, 4.0000, 3.0000]
"""


def _iemocap(root, with_labels: bool = True):
    release = root / "IEMOCAP_full_release"
    s1 = release / "Session1"
    for utt in ("Ses01F_impro01_F000", "Ses01F_impro01_M001", "Ses01F_impro01_F002"):
        write_clip(s1 / "sentences" / "wav" / "Ses01F_impro01" / f"{utt}.wav")
    write_clip(s1 / "dialog" / "wav" / "Ses01F_impro01.wav")  # the whole dialog: not an utterance
    s2 = release / "Session2"
    write_clip(s2 / "sentences" / "wav" / "Ses02M_script01_2" / "Ses02M_script01_2_M010.wav")
    if with_labels:
        (s1 / "dialog" / "EmoEvaluation").mkdir(parents=True)
        (s1 / "dialog" / "EmoEvaluation" / "Ses01F_impro01.txt").write_text(EVALUATION)
        (s2 / "dialog" / "EmoEvaluation" / "Categorical").mkdir(parents=True)
        (s2 / "dialog" / "EmoEvaluation" / "Ses02M_script01_2.txt").write_text(SCRIPT)
    return release


def test_iemocap_labels_sessions_and_gender_from_ids(tmp_path):
    frame = load_dataset(_iemocap(tmp_path)).set_index("clip_id")
    assert len(frame) == 4
    f0 = frame.loc["Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F000"]
    assert (f0.speaker_id, f0.gender, f0.emotion, f0.session, f0.method) == (
        "iemocap_01F", "female", "neutral", "Session1", "improvised")
    m1 = frame.loc["Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_M001"]
    assert (m1.speaker_id, m1.gender, m1.emotion, m1.valence, m1.arousal) == (
        "iemocap_01M", "male", "angry", "2.0", "3.5")
    # no majority among evaluators: kept under a readable name, so the report counts it
    assert frame.loc["Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F002"].emotion == "no_agreement"
    scripted = frame.loc["Session2/sentences/wav/Ses02M_script01_2/Ses02M_script01_2_M010"]
    assert (scripted.speaker_id, scripted.emotion, scripted.method) == (
        "iemocap_02M", "excited", "scripted")


def test_iemocap_without_label_files_says_where_they_are(tmp_path):
    with pytest.raises(DataError, match="EmoEvaluation"):
        load_dataset(_iemocap(tmp_path, with_labels=False))
