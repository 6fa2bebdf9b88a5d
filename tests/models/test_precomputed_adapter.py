"""Precomputed predictions: audited without a model and without decoding audio."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from serfair.audit import audit
from serfair.errors import ModelError
from serfair.models import ModelSpec, load_adapter, predicts_by_id
from serfair.spec import load_spec

LABELS = ("angry", "happy", "neutral", "sad")


def _manifest(folder, n_speakers=4, per=4, audio=False):
    """A manifest whose audio files do not exist (unless `audio`)."""
    rows = []
    for s in range(n_speakers):
        for i in range(per):
            rows.append({"path": f"spk{s}/clip{i}.wav", "speaker_id": f"spk{s}",
                         "gender": "female" if s % 2 else "male", "emotion": LABELS[i % 4],
                         "dataset": "toy"})
    frame = pd.DataFrame(rows)
    frame.to_csv(folder / "manifest.csv", index=False)
    return frame


def _predictions(frame, conditions=("clean", "noise@snr=10"), seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for cond in conditions:
        for path, emotion in zip(frame["path"], frame["emotion"]):
            p = rng.dirichlet(np.ones(4))
            if cond == "clean":
                p = 0.3 * p + 0.7 * np.eye(4)[LABELS.index(emotion)]
            rows.append({"clip_id": path.removesuffix(".wav"), "condition": cond,
                         **{f"p_{label}": v for label, v in zip(LABELS, p)}})
    return pd.DataFrame(rows)


def test_lookup_by_clip_and_condition(tmp_path):
    frame = _manifest(tmp_path)
    table = _predictions(frame)
    table.to_parquet(tmp_path / "preds.parquet")
    adapter = load_adapter(ModelSpec(str(tmp_path / "preds.parquet")))
    assert predicts_by_id(adapter) and adapter.labels == LABELS
    assert adapter.conditions == ("clean", "noise@snr=10")
    out = adapter.predict_ids([("spk1/clip2", "noise@snr=10"), ("spk0/clip0", "clean")])
    expected = table.set_index(["clip_id", "condition"]).loc[
        [("spk1/clip2", "noise@snr=10"), ("spk0/clip0", "clean")]].to_numpy()
    np.testing.assert_allclose(out, expected)
    # ids given as bare file names match the manifest's path-like ids
    table.assign(clip_id=table["clip_id"].str.split("/").str[-1] + "_" + table["clip_id"].str[3]) \
        .to_csv(tmp_path / "other.csv", index=False)
    with pytest.raises(ModelError, match="no row for 1 of 1.*clip 'spk0/clip0' under 'clean'"):
        load_adapter(ModelSpec(str(tmp_path / "other.csv"))).predict_ids([("spk0/clip0", "clean")])


def test_labels_flag_orders_the_probability_columns(tmp_path):
    frame = _manifest(tmp_path)
    table = _predictions(frame, conditions=("clean",))
    table.to_csv(tmp_path / "preds.csv", index=False)
    flipped = load_adapter(ModelSpec(str(tmp_path / "preds.csv"), labels=LABELS[::-1]))
    assert flipped.labels == LABELS[::-1]
    np.testing.assert_allclose(flipped.predict_ids([("spk0/clip1", "clean")]),
                               table.loc[[1], [f"p_{label}" for label in LABELS[::-1]]].to_numpy())
    with pytest.raises(ModelError, match="has no column\\(s\\) p_calm"):
        load_adapter(ModelSpec(str(tmp_path / "preds.csv"), labels=("calm", "sad")))


def test_bare_file_names_and_hard_predictions(tmp_path):
    pd.DataFrame({"clip_id": ["a1", "b2"], "prediction": ["sad", "angry"]}).to_csv(
        tmp_path / "hard.csv", index=False)
    adapter = load_adapter(ModelSpec(str(tmp_path / "hard.csv"), labels=LABELS))
    out = adapter.predict_ids([("corpus/spk/b2", "clean"), ("corpus/spk/a1", "clean")])
    np.testing.assert_array_equal(out, [[1, 0, 0, 0], [0, 0, 0, 1]])
    with pytest.raises(ModelError, match="cannot predict on audio"):
        adapter.predict_proba([np.zeros(10, dtype=np.float32)])


def test_tables_without_probabilities_or_ids_are_explained(tmp_path):
    pd.DataFrame({"clip_id": ["a"], "score": [0.3]}).to_csv(tmp_path / "x.csv", index=False)
    with pytest.raises(ModelError, match="no probability columns: name them p_<label>"):
        load_adapter(ModelSpec(str(tmp_path / "x.csv")))
    pd.DataFrame({"name": ["a"], "p_sad": [1.0]}).to_csv(tmp_path / "y.csv", index=False)
    with pytest.raises(ModelError, match="needs a clip_id \\(or path\\) column"):
        load_adapter(ModelSpec(str(tmp_path / "y.csv")))
    pd.DataFrame({"clip_id": ["a", "a"], "p_sad": [1.0, 1.0]}).to_csv(tmp_path / "z.csv", index=False)
    with pytest.raises(ModelError, match="1 duplicated"):
        load_adapter(ModelSpec(str(tmp_path / "z.csv")))


def test_audit_of_predictions_decodes_no_audio_and_uses_the_files_conditions(tmp_path):
    frame = _manifest(tmp_path)  # no audio file exists: decoding any would fail
    table = _predictions(frame)
    table.to_csv(tmp_path / "preds.csv", index=False)
    spec = load_spec(None, model=str(tmp_path / "preds.csv"), data=str(tmp_path / "manifest.csv"),
                     out=str(tmp_path / "run"), workers=2, slices="gender")
    run = audit(spec)
    assert set(run.predictions["condition"]) == {"clean", "noise@snr=10"}
    merged = run.predictions.merge(table, on=["clip_id", "condition"], suffixes=("", "_file"))
    np.testing.assert_allclose(merged["p_sad"], merged["p_sad_file"])
    assert run.result["provenance"]["model"]["format"] == "precomputed"
    assert [c["name"] for c in run.result["conditions"]] == ["clean", "noise@snr=10"]
    # asking for a condition the file lacks names what it has
    spec = load_spec(None, model=str(tmp_path / "preds.csv"), data=str(tmp_path / "manifest.csv"),
                     out=str(tmp_path / "run2"), conditions="clean,noise@snr=0", workers=1)
    with pytest.raises(ModelError, match="under 'noise@snr=0'.*its conditions: clean, noise@snr=10"):
        audit(spec)
