"""The fixed speaker-independent split of the reference models."""

from __future__ import annotations

import pytest

from serfair.reference.split import (
    ALL_SPEAKERS,
    LABELS,
    TEST_SPEAKERS,
    TRAIN_SPEAKERS,
    VALIDATION_SPEAKERS,
    speaker_gender,
    split_of,
)

pytestmark = pytest.mark.train


def test_labels_fixed_order():
    assert LABELS == ("neutral", "happy", "sad", "angry", "fearful", "disgust")


def test_no_overlap_and_complete():
    train, val, test = set(TRAIN_SPEAKERS), set(VALIDATION_SPEAKERS), set(TEST_SPEAKERS)
    assert not train & val and not train & test and not val & test
    assert train | val | test == set(ALL_SPEAKERS)
    assert len(ALL_SPEAKERS) == 34
    assert all(split_of(s) == "test" for s in TEST_SPEAKERS)
    assert all(split_of(s) == "val" for s in VALIDATION_SPEAKERS)
    assert all(split_of(s) == "train" for s in TRAIN_SPEAKERS)


def test_test_speakers_as_specified():
    assert set(TEST_SPEAKERS) == {
        "ravdess_05", "ravdess_11", "ravdess_19", "ravdess_06", "ravdess_14", "ravdess_20",
        "emodb_03", "emodb_11", "emodb_09", "emodb_14"}


@pytest.mark.parametrize("group", [TRAIN_SPEAKERS, VALIDATION_SPEAKERS, TEST_SPEAKERS])
def test_each_split_covers_both_genders_and_corpora(group):
    assert {speaker_gender(s) for s in group} == {"male", "female"}
    corpora = {s.split("_")[0] for s in group}
    assert "ravdess" in corpora
    if group is not VALIDATION_SPEAKERS:
        assert corpora == {"ravdess", "emodb"}
    else:
        assert "emodb" in corpora
    ravdess = [s for s in group if s.startswith("ravdess")]
    assert {speaker_gender(s) for s in ravdess} == {"male", "female"}


def test_split_matches_manifest(shared_data):
    if shared_data is None:
        pytest.skip("shared data not present")
    import pandas as pd

    df = pd.read_csv(shared_data / "manifest.csv")
    speakers = df.groupby("speaker_id")["gender"].first()
    assert set(speakers.index) == set(ALL_SPEAKERS)
    for s, g in speakers.items():
        assert speaker_gender(s) == g
