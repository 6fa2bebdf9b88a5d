"""Conditions on some clips only: the same rows as predict_all on those clips, for any order and
number of workers, and cached rows are reused."""

from __future__ import annotations

import pandas as pd
import pytest
from audio_fixtures import write_manifest
from toy_models import LABELS, make_energy_onnx

from serfair.data.manifest import read_manifest
from serfair.engine import PredictionStore, predict_all
from serfair.engine.subsets import predict_runs
from serfair.models import ModelSpec
from serfair.perturb import parse_conditions


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("subsets")
    rows = [{"path": f"s{i % 3}/clip{i}.wav", "speaker_id": f"s{i % 3}",
             "gender": "female" if i % 2 else "male", "emotion": LABELS[i % 6]} for i in range(6)]
    clips = read_manifest(write_manifest(folder, rows))
    return folder, clips, ModelSpec(source=str(make_energy_onnx(folder / "toy.onnx")))


def _runs(clips):
    ids = clips["clip_id"].tolist()
    return [(tuple(ids[::2]), "voice@formant=1.17:semitones=9"),
            (tuple(ids[1::2]), "voice@formant=0.85:semitones=-9"), (tuple(ids), "voice")]


def _sorted(table):
    return table.sort_values(["condition", "clip_id"]).reset_index(drop=True)


def test_runs_equal_predict_all_on_each_subset_for_any_workers(setup):
    folder, clips, spec = setup
    seen = []
    with_one = PredictionStore(folder / "one.sqlite")
    with_two = PredictionStore(folder / "two.sqlite")
    try:
        one = predict_runs(clips, _runs(clips), spec, LABELS, "toy", with_one, seed=0, workers=1,
                           progress=lambda done, total: seen.append((done, total)))
        two = predict_runs(clips.iloc[::-1], _runs(clips)[::-1], spec, LABELS, "toy", with_two,
                           seed=0, workers=2)
        direct = predict_all(clips.iloc[::2].reset_index(drop=True),
                             parse_conditions(["voice@formant=1.17:semitones=9"])[1:], spec,
                             LABELS, "toy", with_one, seed=0)
    finally:
        with_one.close()
        with_two.close()
    assert len(one) == 3 + 3 + 6
    pd.testing.assert_frame_equal(_sorted(one), _sorted(two))
    mine = one[one["condition"] == "voice@formant=1.17:pitch=0:range=1:semitones=9"]
    pd.testing.assert_frame_equal(_sorted(mine), _sorted(direct))
    assert seen[-1] == (12, 12) and all(d <= t for d, t in seen)
