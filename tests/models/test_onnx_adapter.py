"""The ONNX adapter on small real graphs run by onnxruntime."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml
from audio_fixtures import tone
from toy_models import LABELS, make_energy_onnx

from serfair.errors import ModelError
from serfair.models import ModelSpec, load_adapter
from serfair.models.base import file_sha256


def test_labels_and_rate_from_metadata_and_batched_predictions(tmp_path):
    path = make_energy_onnx(tmp_path / "m.onnx")
    adapter = load_adapter(ModelSpec(str(path)))
    assert adapter.labels == LABELS and adapter.sample_rate == 16000
    waves = [tone(0.5, seed=i) * (i + 1) for i in range(3)] + [tone(0.3)]
    batch = adapter.predict_proba(waves)
    single = np.vstack([adapter.predict_proba([w]) for w in waves])
    assert batch.shape == (4, len(LABELS))
    np.testing.assert_allclose(batch.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(batch, single, atol=1e-6)
    info = adapter.describe()
    assert info["format"] == "onnx" and info["sha256"] == file_sha256(path)


def test_lengths_input_is_fed(tmp_path):
    path = make_energy_onnx(tmp_path / "m.onnx", with_lengths=True)
    adapter = load_adapter(ModelSpec(str(path)))
    assert adapter.lengths_name == "lengths"
    assert adapter.predict_proba([tone(0.5), tone(0.2)]).shape == (2, len(LABELS))


def test_missing_metadata_says_which_and_how(tmp_path):
    path = make_energy_onnx(tmp_path / "bare.onnx", metadata=False)
    with pytest.raises(ModelError, match="labels or sample rate.*bare.yaml.*--labels"):
        load_adapter(ModelSpec(str(path)))
    flags = load_adapter(ModelSpec(str(path), labels=tuple("abcdef"), sample_rate=8000))
    assert flags.labels == tuple("abcdef") and flags.sample_rate == 8000
    (tmp_path / "bare.yaml").write_text(yaml.safe_dump({"labels": list(LABELS), "sample_rate": 22050}))
    sidecar = load_adapter(ModelSpec(str(path)))
    assert sidecar.labels == LABELS and sidecar.sample_rate == 22050


def test_logits_need_the_flag(tmp_path):
    path = make_energy_onnx(tmp_path / "logits.onnx", logits=True)
    with pytest.raises(ModelError, match="--logits"):
        load_adapter(ModelSpec(str(path))).predict_proba([tone() * 3])
    probs = load_adapter(ModelSpec(str(path), logits=True)).predict_proba([tone() * 3])
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_wrong_label_count_is_a_clear_error(tmp_path):
    path = make_energy_onnx(tmp_path / "m.onnx")
    adapter = load_adapter(ModelSpec(str(path), labels=("a", "b")))
    with pytest.raises(ModelError, match=r"shape \(1, 6\), expected \(1, 2\)"):
        adapter.predict_proba([tone()])


def test_unloadable_file(tmp_path):
    (tmp_path / "junk.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelError, match="cannot load"):
        load_adapter(ModelSpec(str(tmp_path / "junk.onnx")))


def _skl2onnx_model(path, labels=("angry", "happy", "sad"), n_features=40, zipmap=True):
    """A logistic regression on random features, converted by skl2onnx (class labels in the graph)."""
    from skl2onnx import to_onnx
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    y = np.array(labels * 10)
    x = rng.standard_normal((len(y), n_features)).astype(np.float32)
    model = LogisticRegression(max_iter=500).fit(x, y)
    options = None if zipmap else {id(model): {"zipmap": False}}
    onx = to_onnx(model, x[:1], options=options, target_opset=17)
    path.write_bytes(onx.SerializeToString())
    return model, path


def test_feature_input_model_from_skl2onnx_with_a_declarative_front_end(tmp_path):
    from serfair.features import FrontEnd

    model, path = _skl2onnx_model(tmp_path / "feat.onnx")
    adapter = load_adapter(ModelSpec(str(path), sample_rate=16000, frontend="mfcc_mean"))
    assert adapter.labels == ("angry", "happy", "sad")  # read from the graph's classifier node
    waves = [tone(0.6, seed=i, freq=200 + 50 * i) for i in range(3)]
    probs = adapter.predict_proba(waves)
    features = np.stack([FrontEnd("mfcc_mean", 16000)(w) for w in waves])
    np.testing.assert_allclose(probs, model.predict_proba(features), atol=1e-5)
    assert adapter.describe()["frontend"]["features"] == ["mfcc"]


def test_front_end_and_output_map_declared_in_onnx_metadata(tmp_path):
    import onnx

    labels = ("female_angry", "female_sad", "male_angry", "male_sad")
    model, path = _skl2onnx_model(tmp_path / "ge.onnx", labels=labels, n_features=13, zipmap=False)
    onx = onnx.load(str(path))
    onnx.helper.set_model_props(onx, {
        "serfair.labels": json.dumps(list(labels)), "serfair.sample_rate": "16000",
        "serfair.frontend": "mfcc_mean:n_mfcc=13", "serfair.postprocess": "female_*=*,male_*=*"})
    onnx.save(onx, str(path))
    adapter = load_adapter(ModelSpec(str(path)))
    assert adapter.labels == ("angry", "sad")
    wave = tone(0.5, seed=3)
    from serfair.features import FrontEnd

    raw = model.predict_proba(FrontEnd("mfcc_mean:n_mfcc=13", 16000)(wave)[None])
    np.testing.assert_allclose(adapter.predict_proba([wave]),
                               [[raw[0, 0] + raw[0, 2], raw[0, 1] + raw[0, 3]]], atol=1e-5)


def test_preprocess_hook_feeds_the_model_and_its_failures_name_the_hook(tmp_path, monkeypatch):
    _, path = _skl2onnx_model(tmp_path / "feat.onnx", n_features=20)
    (tmp_path / "onnx_hooks_x.py").write_text(
        "import numpy as np, librosa\n"
        "def mfcc20(wave, sr):\n    return librosa.feature.mfcc(y=wave, sr=sr, n_mfcc=20).mean(axis=1)\n"
        "def broken(wave, sr):\n    raise ValueError('boom')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    adapter = load_adapter(ModelSpec(str(path), sample_rate=16000, preprocess="onnx_hooks_x:mfcc20"))
    assert adapter.predict_proba([tone(), tone(seed=2)]).shape == (2, 3)
    broken = load_adapter(ModelSpec(str(path), sample_rate=16000, preprocess="onnx_hooks_x:broken"))
    with pytest.raises(ModelError, match="--preprocess onnx_hooks_x:broken failed.*ValueError: boom"):
        broken.predict_proba([tone()])


def test_feature_shape_mismatch_says_what_the_model_expects(tmp_path):
    _, path = _skl2onnx_model(tmp_path / "feat.onnx", n_features=40)
    adapter = load_adapter(ModelSpec(str(path), sample_rate=16000, frontend="mfcc_mean:n_mfcc=13"))
    with pytest.raises(ModelError, match=r"inputs \{'X': \(1, 13\)\}.*expects X"):
        adapter.predict_proba([tone()])


def test_feature_input_without_a_front_end_names_the_matching_one(tmp_path):
    """[N, 180] takes the classic MFCC + chroma + mel means: the error says which --frontend
    matches that width before any inference, instead of onnxruntime's text."""
    _, path = _skl2onnx_model(tmp_path / "mlp180.onnx", n_features=180)
    with pytest.raises(ModelError, match=r"takes features \(X \[N, 180\]\), not a waveform: .*"
                                         r"--frontend mfcc_chroma_mel_mean"):
        load_adapter(ModelSpec(str(path), sample_rate=16000))
    _, path = _skl2onnx_model(tmp_path / "mfcc13.onnx", n_features=13)
    with pytest.raises(ModelError, match=r"--frontend mfcc_mean:n_mfcc=13"):
        load_adapter(ModelSpec(str(path), sample_rate=16000))
    _, path = _skl2onnx_model(tmp_path / "odd.onnx", n_features=300)
    with pytest.raises(ModelError, match=r"no built-in front end gives that width.*--preprocess"):
        load_adapter(ModelSpec(str(path), sample_rate=16000))
    adapter = load_adapter(ModelSpec(str(tmp_path / "mlp180.onnx"), sample_rate=16000,
                                     frontend="mfcc_chroma_mel_mean"))
    assert adapter.predict_proba([tone()]).shape == (1, 3)
