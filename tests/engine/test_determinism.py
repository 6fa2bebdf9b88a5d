"""Predictions are identical for any clip order, batch size, task size and worker count: every
condition's randomness comes from (run seed, clip id, condition) only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from audio_fixtures import write_manifest
from toy_models import LABELS, make_energy_onnx

from serfair.data.manifest import read_manifest
from serfair.engine import PredictionStore, predict_all
from serfair.models import ModelSpec
from serfair.perturb import parse_conditions

CONDITIONS = parse_conditions("noise@snr=5,colour@snr=5,babble@snr=0:talkers=2,reverb@rt60=0.8,"
                              "tempo@rate=1.25,pitch@semitones=3,codec@mp3_kbps=8,telephone,"
                              "clipping@percent=20")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("determinism")
    rows = [{"path": f"s{i % 3}/clip{i}.wav", "speaker_id": f"s{i % 3}",
             "gender": "female" if i % 2 else "male", "emotion": LABELS[i % 6]} for i in range(9)]
    clips = read_manifest(write_manifest(folder, rows))
    model = make_energy_onnx(folder / "toy.onnx")
    return folder, clips, ModelSpec(source=str(model))


def _predict(setup, order: list[int], *, workers: int, batch_size: int, clips_per_task: int,
             seed: int = 0, tag: str) -> pd.DataFrame:
    folder, clips, spec = setup
    store = PredictionStore(folder / f"{tag}.sqlite")
    try:
        table = predict_all(clips.iloc[order].reset_index(drop=True), CONDITIONS, spec, LABELS,
                            "toy", store, seed=seed, workers=workers, batch_size=batch_size,
                            clips_per_task=clips_per_task)
    finally:
        store.close()
    return table.sort_values(["condition", "clip_id"]).reset_index(drop=True)


def test_same_predictions_for_any_order_batching_and_workers(setup):
    n = len(setup[1])
    reference = _predict(setup, list(range(n)), workers=1, batch_size=16, clips_per_task=8, tag="a")
    shuffled = list(np.random.default_rng(0).permutation(n))
    variants = [
        _predict(setup, shuffled, workers=2, batch_size=3, clips_per_task=2, tag="b"),
        _predict(setup, list(reversed(range(n))), workers=1, batch_size=1, clips_per_task=1, tag="c"),
    ]
    for table in variants:
        pd.testing.assert_frame_equal(reference, table)
    assert len(reference) == n * len(CONDITIONS)


def test_the_run_seed_changes_only_seeded_conditions(setup):
    n = len(setup[1])
    a = _predict(setup, list(range(n)), workers=1, batch_size=8, clips_per_task=4, seed=0, tag="s0")
    b = _predict(setup, list(range(n)), workers=1, batch_size=8, clips_per_task=4, seed=1, tag="s1")
    probs = [c for c in a.columns if c.startswith("p_")]
    changed = (a[probs] != b[probs]).any(axis=1).groupby(a["condition"]).any()
    assert changed[["noise@snr=5", "babble@snr=0:talkers=2", "reverb@rt60=0.8:drr=0"]].all()
    assert not changed[["clean", "pitch@semitones=3", "tempo@rate=1.25", "telephone@low=300:high=3400"]].any()


def test_a_resumed_run_equals_a_fresh_one(setup):
    folder, clips, spec = setup
    n = len(clips)
    fresh = _predict(setup, list(range(n)), workers=1, batch_size=16, clips_per_task=8, tag="fresh")
    store = PredictionStore(folder / "resumed.sqlite")
    try:  # a run killed after four clips: their rows are in the store
        predict_all(clips.iloc[:4].reset_index(drop=True), CONDITIONS, spec, LABELS, "toy", store,
                    seed=0, babble_clips=clips)
    finally:
        store.close()
    resumed = _predict(setup, list(range(n)), workers=1, batch_size=16, clips_per_task=8,
                       tag="resumed")
    pd.testing.assert_frame_equal(fresh, resumed)


def test_conditions_limited_to_some_clips_run_on_those_only(setup):
    """`only=`: a probe's swap runs on its clips only, with the rows it gives on them alone."""
    folder, clips, spec = setup
    up, down = "voice@formant=1.17:pitch=0:range=1:semitones=9", "voice@formant=0.85:pitch=0:range=1:semitones=-9"
    conditions = parse_conditions(["noise@snr=10", up, down, "voice"])
    ids = clips["clip_id"].tolist()
    only = {up: ids[::2], down: ids[1::2]}

    def run(frame, conds, tag, **kw):
        store = PredictionStore(folder / f"only-{tag}.sqlite")
        try:
            table = predict_all(frame.reset_index(drop=True), conds, spec, LABELS, "toy", store,
                                seed=0, **kw)
        finally:
            store.close()
        return table.sort_values(["condition", "clip_id"]).reset_index(drop=True)

    seen = []
    one = run(clips, conditions, "one", workers=1, only=only,
              progress=lambda done, total: seen.append((done, total)))
    pd.testing.assert_frame_equal(one, run(clips.iloc[::-1], conditions, "two", workers=2, only=only))
    counts = one["condition"].value_counts()
    n = len(clips)
    assert counts[up] == len(ids[::2]) and counts[down] == len(ids[1::2]) and counts["clean"] == n
    assert set(one.loc[one["condition"] == up, "clip_id"]) == set(ids[::2])
    alone = run(clips.iloc[::2], parse_conditions([up]), "alone", workers=1)
    pd.testing.assert_frame_equal(one[one["condition"] == up].reset_index(drop=True),
                                  alone[alone["condition"] == up].reset_index(drop=True))
    assert seen[-1] == (4 * n, 4 * n)
