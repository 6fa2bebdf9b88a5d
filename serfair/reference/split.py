"""The fixed speaker-independent split and label set of the reference models.

Test speakers are never used for training or model selection; validation speakers (drawn from
the non-test speakers) choose epochs and settings. Everything else in the six-emotion subset of
RAVDESS and EmoDB is training data.
"""

from __future__ import annotations

import numpy as np

LABELS: tuple[str, ...] = ("neutral", "happy", "sad", "angry", "fearful", "disgust")

TEST_SPEAKERS: tuple[str, ...] = (
    # RAVDESS male, female
    "ravdess_05", "ravdess_11", "ravdess_19",
    "ravdess_06", "ravdess_14", "ravdess_20",
    # EmoDB male, female
    "emodb_03", "emodb_11",
    "emodb_09", "emodb_14",
)

VALIDATION_SPEAKERS: tuple[str, ...] = (
    # RAVDESS male, female
    "ravdess_03", "ravdess_15",
    "ravdess_10", "ravdess_22",
    # EmoDB female
    "emodb_13",
)

ALL_SPEAKERS: tuple[str, ...] = tuple(
    [f"ravdess_{i:02d}" for i in range(1, 25)]
    + [f"emodb_{i:02d}" for i in (3, 8, 9, 10, 11, 12, 13, 14, 15, 16)]
)

TRAIN_SPEAKERS: tuple[str, ...] = tuple(
    s for s in ALL_SPEAKERS if s not in TEST_SPEAKERS and s not in VALIDATION_SPEAKERS
)

_EMODB_MALE = {"emodb_03", "emodb_10", "emodb_11", "emodb_12", "emodb_15"}


def speaker_gender(speaker_id: str) -> str:
    """Gender of a corpus speaker (RAVDESS: odd actor ids are male; EmoDB: per the corpus)."""
    corpus, num = speaker_id.split("_")
    if corpus == "ravdess":
        return "male" if int(num) % 2 == 1 else "female"
    if corpus == "emodb":
        return "male" if speaker_id in _EMODB_MALE else "female"
    raise ValueError(f"unknown speaker {speaker_id!r}: expected ravdess_NN or emodb_NN")


def split_of(speaker_id: str) -> str:
    """'test', 'val' or 'train' for a speaker id."""
    if speaker_id in TEST_SPEAKERS:
        return "test"
    if speaker_id in VALIDATION_SPEAKERS:
        return "val"
    return "train"


def random_clip_split(clip_keys: list[int], speaker_splits: list[str], seed: int) -> list[str]:
    """A seeded random CLIP-level split with as many train / val / test clips as the speaker
    split `speaker_splits` has: the same speakers appear in training and test. Leaky on
    purpose; only for showing what speaker leakage does to a score."""
    order = np.argsort(np.asarray(clip_keys, dtype=np.int64), kind="stable")
    shuffled = order[np.random.default_rng([seed, 20260]).permutation(len(order))]
    labels = sorted(speaker_splits)  # the multiset of split names, in a fixed order
    out = [""] * len(clip_keys)
    for row, name in zip(shuffled.tolist(), labels):
        out[row] = name
    return out
