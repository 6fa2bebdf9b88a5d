"""The training recipe: a tiny run produces the ONNX model, eval JSON and card; it is seeded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.train

LABELS = ("neutral", "happy", "sad", "angry", "fearful", "disgust")
SYNTH_SPEAKERS = {  # speaker -> gender; covers train, validation and test speakers
    "ravdess_01": "male", "ravdess_02": "female", "emodb_08": "female",
    "ravdess_03": "male", "emodb_13": "female",
    "ravdess_05": "male", "ravdess_06": "female", "emodb_09": "female",
}


def write_synthetic_corpus(root: Path, clips_per_emotion: int = 1) -> Path:
    """Sine 'speech' whose pitch depends on the emotion: a manifest in the shared-data layout."""
    import soundfile as sf

    rows = []
    rng = np.random.default_rng(0)
    for s, (speaker, gender) in enumerate(SYNTH_SPEAKERS.items()):
        for e, emotion in enumerate(LABELS):
            for k in range(clips_per_emotion):
                n = int(16000 * rng.uniform(0.8, 2.2))
                t = np.arange(n) / 16000
                f0 = 120 + 40 * e + 5 * s
                y = 0.3 * np.sin(2 * np.pi * f0 * t) * (1 + 0.5 * np.sin(2 * np.pi * (2 + e) * t))
                y += 0.01 * rng.standard_normal(n)
                rel = f"{speaker}/{emotion}_{k}.flac"
                (root / speaker).mkdir(parents=True, exist_ok=True)
                sf.write(root / rel, y.astype(np.float32), 16000, subtype="PCM_16")
                rows.append(f"{rel},{speaker.split('_')[0]},{speaker},{gender},xx,xx,,{emotion},"
                            f"{emotion},,,{n / 16000:.4f},test")
    head = ("path,dataset,speaker_id,gender,accent,language,age,emotion,emotion_raw,intensity,"
            "text,duration_s,licence")
    (root / "manifest.csv").write_text(head + "\n" + "\n".join(rows) + "\n")
    return root


@pytest.fixture(scope="module")
def torch_threads():
    import torch

    torch.set_num_threads(1)


def _tiny_config(**kw):
    from serfair.reference.model import ModelConfig
    from serfair.reference.train import TrainConfig

    return TrainConfig(epochs=1, batch_size=8, crop_s=1.5, threads=1, aug_copies=1,
                       model=ModelConfig(n_mels=40, conv_channels=(16, 16), lstm_hidden=16), **kw)


def _check_outputs(out: Path, name: str, result: dict) -> None:
    import onnxruntime as ort

    onnx_path, eval_path, card_path = (out / f"{name}.onnx", out / f"{name}.eval.json",
                                       out / f"{name}.card.md")
    assert onnx_path.exists() and eval_path.exists() and card_path.exists()
    saved = json.loads(eval_path.read_text())
    assert saved["uar"] == result["uar"]
    for key in ("uar", "accuracy", "macro_f1", "per_gender_uar", "per_dataset_uar", "n_clips",
                "n_speakers", "test_speakers", "validation_uar", "seed", "epochs",
                "training_seconds", "torch_version", "sha256"):
        assert key in saved, key
    assert 0.0 <= saved["uar"] <= 1.0
    assert set(saved["test"]["speakers"]) <= set(saved["test_speakers"])
    assert not set(saved["test_speakers"]) & set(saved["final_model_trained_on"])
    assert saved["max_abs_diff_torch_vs_onnx"] < 1e-4
    import hashlib

    assert hashlib.sha256(onnx_path.read_bytes()).hexdigest() == saved["sha256"]
    meta = ort.InferenceSession(str(onnx_path)).get_modelmeta().custom_metadata_map
    assert meta["serfair.name"] == name and json.loads(meta["serfair.labels"]) == list(LABELS)
    card = card_path.read_text()
    assert name in card and "CC BY-NC-SA 4.0" in card and "EU AI Act" in card
    assert "## Licence" in card and "## Size and latency" in card and "median **" in card
    assert "## Intended use" in card and "Test (10; never used" in card
    assert saved["latency"]["fastest_ms"] > 0
    assert "2.0 s" in card


def test_tiny_training_run(tmp_path, shared_data, torch_threads):
    from serfair.reference.train import train_reference

    data = shared_data if shared_data is not None else write_synthetic_corpus(tmp_path / "data")
    out = tmp_path / "models"
    result = train_reference(data, out, name="tiny", seed=3, config=_tiny_config(),
                             limit_per_speaker=1, log=lambda *a: None)
    _check_outputs(out, "tiny", result)
    assert result["refit"] is True and result["seed"] == 3 and result["epochs"] == 1
    assert result["validation_uar"] is not None


def test_tiny_augmented_run_on_synthetic_data(tmp_path, torch_threads):
    from serfair.reference.train import train_reference

    data = write_synthetic_corpus(tmp_path / "data")
    out = tmp_path / "models"
    result = train_reference(data, out, name="tiny-aug", seed=1, augment=True,
                             config=_tiny_config(refit=False), log=lambda *a: None)
    _check_outputs(out, "tiny-aug", result)
    assert result["augment"] is True and result["refit"] is False
    assert result["n_speakers"] == 3


@pytest.mark.parametrize("rnn,balance,augment", [
    ("lstm", "none", True), ("gru", "none", False), ("lstm", "reweight", False),
    ("lstm", "sample", False)])
def test_fit_is_deterministic(tmp_path, torch_threads, rnn, balance, augment):
    import dataclasses

    import torch

    from serfair.reference.clips import load_clips
    from serfair.reference.train import fit, read_waves

    data = write_synthetic_corpus(tmp_path / "data")
    df = load_clips(data)
    df = df[df["split"] == "train"]
    waves, labels = read_waves(df["abspath"].tolist()), df["label"].to_numpy()
    groups = (df["gender"] + "*" + df["dataset"]).to_numpy()
    base = _tiny_config()
    cfg = dataclasses.replace(base, group_balance=balance,
                              model=dataclasses.replace(base.model, rnn=rnn))
    states = []
    for _ in range(2):
        model, hist = fit(waves, labels, cfg, seed=5, augment=augment, groups=groups,
                          log=lambda *a: None)
        states.append(model.state_dict())
    assert any(k.startswith(f"{rnn}_fwd.") for k in states[0])
    for k in states[0]:
        assert torch.equal(states[0][k], states[1][k]), k


def test_group_weights_give_every_group_the_same_total():
    from serfair.reference.train import group_weights

    groups = np.array(["a"] * 6 + ["b"] * 2 + ["c"])
    w = group_weights(groups, len(groups))
    totals = {g: w[groups == g].sum() for g in "abc"}
    assert totals["a"] == pytest.approx(3.0) and totals["b"] == pytest.approx(3.0)
    assert totals["c"] == pytest.approx(3.0) and w.sum() == pytest.approx(len(groups))
    with pytest.raises(ValueError, match="one group label per training clip"):
        group_weights(None, 3)


def test_unknown_recipe_options_are_refused():
    from serfair.reference.model import ModelConfig
    from serfair.reference.train import TrainConfig

    with pytest.raises(ValueError, match="rnn='rnn'"):
        ModelConfig(rnn="rnn")
    with pytest.raises(ValueError, match="group_balance='oversample'"):
        TrainConfig(group_balance="oversample")


def test_clip_split_keeps_the_sizes_and_mixes_speakers(tmp_path, torch_threads):
    from serfair.reference.split import random_clip_split
    from serfair.reference.train import load_clips

    df = load_clips(write_synthetic_corpus(tmp_path / "data", clips_per_emotion=2))
    split = random_clip_split(df["clip_key"].tolist(), df["split"].tolist(), seed=0)
    assert sorted(split) == sorted(df["split"])
    assert split == random_clip_split(df["clip_key"].tolist(), df["split"].tolist(), seed=0)
    df["clip_split"] = split
    speakers = df.groupby("clip_split")["speaker_id"].apply(set)
    assert speakers["train"] & speakers["test"]  # leaky by construction


def test_clip_split_run_records_its_split_and_training_clips(tmp_path, torch_threads):
    import pandas as pd

    from serfair.reference.train import train_reference

    data = write_synthetic_corpus(tmp_path / "data", clips_per_emotion=2)
    out = tmp_path / "models"
    result = train_reference(data, out, name="leaky", seed=0, config=_tiny_config(refit=False),
                             split="clip", log=lambda *a: None)
    assert result["split"] == "clip" and "--split clip --no-refit" in result["command"]
    train = pd.read_csv(out / "leaky.train.csv")
    assert set(train["speaker_id"]) & set(result["test"]["speakers"])
    assert train["audio_sha256"].str.len().eq(64).all()
    assert (out / "leaky.pt").exists() and (out / "leaky.train-only.pt").exists()


def test_augmentation_uses_only_the_given_generator():
    from serfair.reference import augment as aug

    y = np.sin(np.arange(16000) / 16000 * 2 * np.pi * 220).astype(np.float32)
    np.random.seed(0)
    a, pa = aug.pitch_tempo_copy(y, np.random.default_rng([1, 2, 3]))
    b1 = aug.noise_gain(y, np.random.default_rng([4, 5]))
    np.random.seed(123)  # global state must not matter
    b, pb = aug.pitch_tempo_copy(y, np.random.default_rng([1, 2, 3]))
    b2 = aug.noise_gain(y, np.random.default_rng([4, 5]))
    assert pa == pb and np.array_equal(a, b) and np.array_equal(b1, b2)
    z = aug.pitch_tempo(y, 0.0, 1.25)
    assert abs(len(z) - len(y) / 1.25) < 400
    z = aug.pitch_tempo(y, 3.0, 1.0)
    assert abs(len(z) - len(y)) < 400 and z.dtype == np.float32

