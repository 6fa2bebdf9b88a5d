"""Slices: missing columns, intersections, clusters independent of row order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from synthetic_predictions import predictions

from serfair.analysis.slicing import check_slices, group_labels, speaker_clusters
from serfair.errors import SpecError


def test_a_slice_column_that_does_not_exist_is_a_spec_error():
    with pytest.raises(SpecError, match="no column 'accnt'"):
        check_slices(["gender*accnt"], predictions(n_speakers=2, clips_per_speaker=1))


def test_intersections_and_blanks():
    frame = pd.DataFrame({"gender": ["female", "male", ""], "dataset": ["a", "b", "a"]})
    labels = group_labels(frame, "gender*dataset").tolist()
    assert labels == ["female & a", "male & b", "unknown & a"]


def test_clusters_are_speaker_by_group_and_sorted():
    frame = predictions(n_speakers=6, clips_per_speaker=3)
    a = speaker_clusters(frame, "gender*dataset")
    b = speaker_clusters(frame.iloc[::-1], "gender*dataset")
    assert a.groups == b.groups and a.cluster_speaker == b.cluster_speaker
    assert np.array_equal(a.cluster_group, b.cluster_group)
    assert a.sizes().sum() == 6 and not a.within_speaker


def test_a_column_varying_within_speakers_is_detected():
    frame = predictions(n_speakers=4, clips_per_speaker=4)
    frame["intensity"] = np.where(frame.index % 2 == 0, "normal", "strong")
    assert speaker_clusters(frame, "intensity").within_speaker
