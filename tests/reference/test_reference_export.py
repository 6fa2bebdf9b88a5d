"""ONNX export of the reference model: torch == onnxruntime, dynamic axes, padding invariance,
metadata."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytestmark = pytest.mark.train

LABELS = ("neutral", "happy", "sad", "angry", "fearful", "disgust")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    import torch

    from serfair.reference.export import export_onnx
    from serfair.reference.model import CnnLstm, ModelConfig

    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = CnnLstm(ModelConfig(n_mels=40, conv_channels=(16, 24, 32), lstm_hidden=16)).eval()
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm1d):
            m.running_mean.normal_(0.0, 0.3)
            m.running_var.uniform_(0.5, 2.0)
    path = export_onnx(model, tmp_path_factory.mktemp("onnx") / "m.onnx", LABELS,
                       {"serfair.name": "test-model", "serfair.version": "0.0.1",
                        "serfair.description": "untrained test model"})
    return model, path


@pytest.fixture(scope="module")
def session(exported):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    return ort.InferenceSession(str(exported[1]), opts, providers=["CPUExecutionProvider"])


def _batch(waves):
    lens = np.array([len(w) for w in waves], dtype=np.int64)
    out = np.zeros((len(waves), lens.max()), np.float32)
    for i, w in enumerate(waves):
        out[i, : len(w)] = w
    return out, lens


def _waves(seed, lens):
    rng = np.random.default_rng(seed)
    t = [np.arange(n) / 16000 for n in lens]
    return [(0.3 * np.sin(2 * np.pi * (150 + 50 * i) * ti) + 0.05 * rng.standard_normal(len(ti)))
            .astype(np.float32) for i, ti in enumerate(t)]


def test_signature_and_metadata(session):
    import onnx

    ins = {i.name: i for i in session.get_inputs()}
    assert list(ins) == ["waveform", "lengths"]
    assert ins["waveform"].type == "tensor(float)" and ins["lengths"].type == "tensor(int64)"
    assert ins["waveform"].shape == ["batch", "samples"] and ins["lengths"].shape == ["batch"]
    out = session.get_outputs()
    assert [o.name for o in out] == ["probabilities"] and out[0].shape == ["batch", 6]
    meta = session.get_modelmeta().custom_metadata_map
    assert json.loads(meta["serfair.labels"]) == list(LABELS)
    assert meta["serfair.sample_rate"] == "16000"
    assert meta["serfair.input"] == "waveform"
    assert meta["serfair.lengths_input"] == "lengths"
    assert meta["serfair.min_samples"] == "400"
    assert meta["serfair.name"] == "test-model"
    assert meta["serfair.version"] == "0.0.1"
    assert meta["serfair.description"] == "untrained test model"
    del onnx  # the checker already ran in export_onnx


@pytest.mark.parametrize(
    "lens", [[16000], [16000, 7000, 401], [400] * 4, [50000, 24000, 800, 3201, 16001]])
def test_onnx_matches_torch_any_batch_and_length(exported, session, lens):
    import torch

    model, _ = exported
    x, n = _batch(_waves(len(lens), lens))
    probs = session.run(["probabilities"], {"waveform": x, "lengths": n})[0]
    with torch.no_grad():
        ref = model(torch.from_numpy(x), torch.from_numpy(n)).numpy()
    assert probs.shape == (len(lens), 6) and probs.dtype == np.float32
    np.testing.assert_allclose(probs, ref, atol=1e-4)
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-5)


def test_onnx_padding_invariance(session):
    lens = [400, 560, 2999, 16000, 31234, 48000]
    waves = _waves(7, lens)
    x, n = _batch(waves)
    together = session.run(None, {"waveform": x, "lengths": n})[0]
    for i, w in enumerate(waves):
        alone = session.run(None, {"waveform": w[None], "lengths": np.array([len(w)])})[0]
        np.testing.assert_allclose(alone[0], together[i], atol=1e-4)
    # a different batch composition and extra padding change nothing either
    x2, n2 = _batch(waves[::-1])
    x2 = np.pad(x2, ((0, 0), (0, 5000)))
    np.testing.assert_allclose(session.run(None, {"waveform": x2, "lengths": n2})[0][::-1],
                               together, atol=1e-4)


def test_clips_shorter_than_min_samples(session):
    """The adapter pads short clips to serfair.min_samples; the model accepts them either way."""
    w = _waves(3, [120])[0]
    padded = np.pad(w, (0, 400 - len(w)))
    a = session.run(None, {"waveform": padded[None], "lengths": np.array([400])})[0]
    b = session.run(None, {"waveform": w[None], "lengths": np.array([120])})[0]
    np.testing.assert_allclose(a, b, atol=1e-5)
