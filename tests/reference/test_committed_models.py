"""The bundled reference models in reference_models/: metadata, files, and (when the shared
corpus is present) their committed test-speaker UAR re-computed with onnxruntime.

No torch needed: onnxruntime only.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = ROOT / "reference_models"
EXPECTED = ("cnnlstm-v1", "cnnlstm-aug-v1", "cnngru-v1", "cnnlstm-seed2-v1", "cnngru-seed1-v1",
            "ensemble-v2", "cnnlstm-balanced-v1")
ENSEMBLE = "ensemble-v2"
LABELS = ["neutral", "happy", "sad", "angry", "fearful", "disgust"]
MAX_BYTES = 5 * 1024 * 1024


def _session(path: Path) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module", params=EXPECTED)
def model(request):
    path = MODELS_DIR / f"{request.param}.onnx"
    assert path.exists(), f"{path} is missing; train it with python -m serfair.reference.train"
    evaluation = json.loads((MODELS_DIR / f"{request.param}.eval.json").read_text())
    return request.param, path, _session(path), evaluation


def test_files_and_size(model):
    name, path, _, evaluation = model
    assert path.stat().st_size <= MAX_BYTES
    assert (MODELS_DIR / f"{name}.card.md").exists()
    assert evaluation["name"] == name and evaluation["model_file"] == path.name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == evaluation["sha256"]


def test_metadata_and_signature(model):
    name, _, sess, evaluation = model
    meta = sess.get_modelmeta().custom_metadata_map
    assert json.loads(meta["serfair.labels"]) == LABELS == evaluation["labels"]
    assert meta["serfair.sample_rate"] == "16000"
    assert meta["serfair.input"] == "waveform"
    assert meta["serfair.lengths_input"] == "lengths"
    assert int(meta["serfair.min_samples"]) > 0
    assert meta["serfair.name"] == name
    assert meta["serfair.version"] and meta["serfair.description"]
    assert "\n" not in meta["serfair.description"]
    assert [i.name for i in sess.get_inputs()] == ["waveform", "lengths"]
    assert [o.name for o in sess.get_outputs()] == ["probabilities"]


def test_runs_and_is_padding_invariant(model):
    _, _, sess, _ = model
    rng = np.random.default_rng(0)
    lens = [400, 9000, 24000]
    waves = [(0.1 * rng.standard_normal(n)).astype(np.float32) for n in lens]
    batch = np.zeros((3, max(lens)), np.float32)
    for i, w in enumerate(waves):
        batch[i, : len(w)] = w
    probs = sess.run(None, {"waveform": batch, "lengths": np.array(lens, np.int64)})[0]
    assert probs.shape == (3, 6)
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-5)
    for i, w in enumerate(waves):
        alone = sess.run(None, {"waveform": w[None], "lengths": np.array([len(w)])})[0]
        np.testing.assert_allclose(alone[0], probs[i], atol=1e-4)


def test_committed_eval_matches_onnxruntime(model, shared_data):
    if shared_data is None:
        pytest.skip("shared corpus (../shared/data) not present: metadata checked only")
    import pandas as pd
    import soundfile as sf

    _, _, sess, evaluation = model
    min_samples = int(sess.get_modelmeta().custom_metadata_map["serfair.min_samples"])
    df = pd.read_csv(shared_data / "manifest.csv")
    df = df[df["speaker_id"].isin(evaluation["test_speakers"]) & df["emotion"].isin(LABELS)]
    df = df.sort_values(["speaker_id", "path"]).reset_index(drop=True)
    waves = [sf.read(shared_data / p, dtype="float32")[0] for p in df["path"]]
    y_true = df["emotion"].map(LABELS.index).to_numpy()
    order = np.argsort([len(w) for w in waves], kind="stable")
    y_pred = np.zeros(len(waves), dtype=int)
    for b in range(0, len(order), 32):
        idx = order[b: b + 32]
        lens = np.array([max(len(waves[j]), min_samples) for j in idx], np.int64)
        batch = np.zeros((len(idx), lens.max()), np.float32)
        for r, j in enumerate(idx):
            batch[r, : len(waves[j])] = waves[j]
        y_pred[idx] = sess.run(None, {"waveform": batch, "lengths": lens})[0].argmax(1)
    recalls = [np.mean(y_pred[y_true == k] == k) for k in range(len(LABELS)) if np.any(y_true == k)]
    assert len(df) == evaluation["n_clips"]
    assert df["speaker_id"].nunique() == evaluation["n_speakers"]
    # the same onnxruntime computation: equal up to a near-tie flipping on another CPU
    assert float(np.mean(recalls)) == pytest.approx(evaluation["uar"], abs=0.005)
    assert float(np.mean(y_true == y_pred)) == pytest.approx(evaluation["accuracy"], abs=0.005)
    for gender, uar in evaluation["per_gender_uar"].items():
        sel = (df["gender"] == gender).to_numpy()
        r = [np.mean(y_pred[sel & (y_true == k)] == k) for k in range(6)
             if np.any(sel & (y_true == k))]
        assert float(np.mean(r)) == pytest.approx(uar, abs=0.01)


def _eval(name: str) -> dict:
    return json.loads((MODELS_DIR / f"{name}.eval.json").read_text())


def test_the_ensemble_meets_its_targets_on_the_test_speakers():
    """UAR >= 0.65, above every published single model, every gender and corpus >= 0.50
    (the eval numbers themselves are re-computed by test_committed_eval_matches_onnxruntime)."""
    ens = _eval(ENSEMBLE)
    singles = {n: _eval(n)["uar"] for n in EXPECTED if not _eval(n).get("members")}
    assert ens["uar"] >= 0.65 and ens["uar"] > max(singles.values()), (ens["uar"], singles)
    groups = {**ens["per_gender_uar"], **ens["per_dataset_uar"]}
    assert set(groups) == {"female", "male", "emodb", "ravdess"}
    assert min(groups.values()) >= 0.50, groups
    assert {m["rnn"] for m in ens["members"]} == {"lstm", "gru"}


def test_the_ensemble_pair_is_the_validation_choice_and_saw_no_test_speaker():
    from serfair.reference.split import TEST_SPEAKERS, VALIDATION_SPEAKERS

    ens = _eval(ENSEMBLE)
    record = json.loads((MODELS_DIR / ens["selection"]["file"]).read_text())
    pairs = record["pairs"]
    best = max(p["validation_uar"] for p in pairs)
    first_best = next(p for p in pairs if p["validation_uar"] >= best - 1e-9)
    assert record["chosen"] == first_best["members"] == [m["name"] for m in ens["members"]]
    assert ens["validation_uar"] == pytest.approx(record["chosen_validation_uar"], abs=1e-9)
    assert record["validation_speakers"] == sorted(VALIDATION_SPEAKERS)
    assert not set(record["validation_speakers"]) & set(TEST_SPEAKERS)
    assert len(pairs) == len({c["name"] for c in record["candidates"] if c["rnn"] == "lstm"}) * len(
        {c["name"] for c in record["candidates"] if c["rnn"] == "gru"})
    for member in ens["members"]:  # published, so the ensemble can be rebuilt and verified
        assert (MODELS_DIR / f"{member['name']}.onnx").exists()
        assert _eval(member["name"])["sha256"] == member["sha256"]
