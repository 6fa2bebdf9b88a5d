"""Executors: the process pool and Dask (a LocalCluster of 2 single-threaded worker processes)
store byte-identical predictions to a serial run, stream them as they finish, and resume."""

from __future__ import annotations

import json
import os
import sqlite3

import numpy as np
import pytest

from serfair.data.loader import demo_data_dir
from serfair.data.manifest import read_manifest
from serfair.engine import PredictionStore, predict_all
from serfair.engine.executors import EXECUTORS, executor_for
from serfair.errors import SerfairError
from serfair.models import ModelSpec
from serfair.paths import reference_model
from serfair.perturb import parse_conditions

CONDITIONS = parse_conditions("clean,noise@snr=10,babble@snr=5,tempo@rate=1.25")
LABELS = ("angry", "disgust", "fearful", "happy", "neutral", "sad")


@pytest.fixture(scope="module")
def clips():
    demo = demo_data_dir()
    frame = read_manifest(demo / "manifest.csv")
    frame = frame[frame["emotion"].isin(LABELS)]
    return frame.groupby("speaker_id").head(1).head(6).reset_index(drop=True)


def _run(folder, clips, *, executor: str, workers: int, tag: str, observe=None,
         pool=None) -> dict[str, str]:
    """The stored rows {key: probabilities as stored} after predicting `clips` (babble talkers
    drawn from `pool`, default `clips`)."""
    path = folder / f"{tag}.sqlite"
    store = PredictionStore(path)
    spec = ModelSpec(source=str(reference_model()))
    try:
        predict_all(clips, CONDITIONS, spec, LABELS, "ref", store, seed=3, workers=workers,
                    clips_per_task=2, batch_size=4, executor=executor, observe=observe,
                    babble_clips=pool)
    finally:
        store.close()
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT key, probs FROM predictions"))


def test_pool_matches_serial_byte_for_byte(tmp_path, clips):
    serial = _run(tmp_path, clips, executor="local", workers=1, tag="serial")
    pool = _run(tmp_path, clips, executor="local", workers=2, tag="pool")
    assert len(serial) == len(clips) * len(CONDITIONS)
    assert pool == serial


@pytest.mark.dask
def test_dask_local_cluster_matches_local_byte_for_byte_and_resumes(tmp_path, clips):
    half = clips.head(3)
    # The same killed-then-resumed run on the local executor: the same tasks, so the same bytes.
    # (Tasks of a resumed run hold other clips than a fresh run's, so batches pad differently and
    # probabilities may differ from a fresh run's in the last float digits; checked below.)
    _run(tmp_path, half, executor="local", workers=1, tag="local", pool=clips)
    local = _run(tmp_path, clips, executor="local", workers=1, tag="local", pool=clips)
    fresh = _run(tmp_path, clips, executor="local", workers=1, tag="fresh", pool=clips)
    arrived: list[int] = []
    _run(tmp_path, half, executor="dask", workers=2, tag="dask",
         observe=lambda r: arrived.append(len(r.rows)), pool=clips)  # a run killed half way
    assert sum(arrived) == len(half) * len(CONDITIONS)  # streamed back task by task
    assert len(arrived) == 2
    arrived.clear()
    resumed = _run(tmp_path, clips, executor="dask", workers=2, tag="dask",
                   observe=lambda r: arrived.append(len(r.rows)), pool=clips)
    assert sum(arrived) == (len(clips) - len(half)) * len(CONDITIONS)  # only what was missing
    assert resumed == local
    assert resumed.keys() == fresh.keys()
    for key, probs in fresh.items():
        assert np.allclose(json.loads(resumed[key]), json.loads(probs), atol=1e-5)


def test_unknown_executor_is_a_user_error():
    with pytest.raises(SerfairError, match="unknown executor"):
        executor_for(2, "spark")
    assert set(EXECUTORS) == {"local", "dask"}


def test_tasks_run_longest_clips_first(tmp_path, clips):
    order: list[str] = []
    _run(tmp_path, clips, executor="local", workers=1, tag="order",
         observe=lambda r: order.extend(dict.fromkeys(cid for cid, _, _ in r.rows)))
    sizes = {cid: os.path.getsize(p) for cid, p in zip(clips["clip_id"], clips["audio_path"])}
    assert [sizes[c] for c in order] == sorted(sizes.values(), reverse=True)
