"""`predict_all(..., only=...)`: a condition limited to some clips runs on those clips only, gives
the same rows as running it on them alone, for any clip order and number of workers."""

from __future__ import annotations

import pandas as pd
import pytest
from audio_fixtures import write_manifest
from toy_models import LABELS, make_energy_onnx

from serfair.data.manifest import read_manifest
from serfair.engine import PredictionStore, predict_all
from serfair.models import ModelSpec
from serfair.perturb import parse_conditions

UP, DOWN = "voice@formant=1.17:pitch=0:range=1:semitones=9", "voice@formant=0.85:pitch=0:range=1:semitones=-9"
CONDITIONS = parse_conditions(["noise@snr=10", UP, DOWN, "voice"])


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("only")
    rows = [{"path": f"s{i % 3}/clip{i}.wav", "speaker_id": f"s{i % 3}",
             "gender": "female" if i % 2 else "male", "emotion": LABELS[i % 6]} for i in range(6)]
    clips = read_manifest(write_manifest(folder, rows))
    return folder, clips, ModelSpec(source=str(make_energy_onnx(folder / "toy.onnx")))


def _run(setup, clips, conditions, tag, **kw):
    folder, _, spec = setup
    store = PredictionStore(folder / f"{tag}.sqlite")
    try:
        table = predict_all(clips.reset_index(drop=True), conditions, spec, LABELS, "toy", store,
                            seed=0, **kw)
    finally:
        store.close()
    return table.sort_values(["condition", "clip_id"]).reset_index(drop=True)


def test_limited_conditions_run_on_their_clips_only(setup):
    _, clips, _ = setup
    ids = clips["clip_id"].tolist()
    only = {UP: ids[::2], DOWN: ids[1::2]}
    seen = []
    one = _run(setup, clips, CONDITIONS, "one", workers=1, only=only,
               progress=lambda done, total: seen.append((done, total)))
    two = _run(setup, clips.iloc[::-1], CONDITIONS, "two", workers=2, only=only)
    pd.testing.assert_frame_equal(one, two)
    counts = one["condition"].value_counts()
    assert counts[UP] == 3 and counts[DOWN] == 3 and counts["clean"] == 6
    assert counts["voice@formant=1:pitch=0:range=1:semitones=0"] == 6
    assert set(one.loc[one["condition"] == UP, "clip_id"]) == set(ids[::2])
    alone = _run(setup, clips.iloc[::2], parse_conditions([UP]), "alone", workers=1)
    pd.testing.assert_frame_equal(one[one["condition"] == UP].reset_index(drop=True),
                                  alone[alone["condition"] == UP].reset_index(drop=True))
    assert seen[-1] == (6 * 3 + 3 + 3, 6 * 3 + 3 + 3)
