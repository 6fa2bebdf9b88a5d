"""scikit-learn models: skops files, pickles only when trusted, features from a front end."""

from __future__ import annotations

import joblib
import numpy as np
import pytest
import skops.io as sio
import yaml
from audio_fixtures import tone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from serfair.errors import ModelError
from serfair.features import FrontEnd
from serfair.models import ModelSpec, load_adapter

LABELS = ("angry", "happy", "sad")


def _waves(n=6):
    return [tone(0.5, seed=i, freq=150 + 40 * i) * (0.5 + 0.3 * i) for i in range(n)]


def _fit(estimator, frontend="mfcc_mean:n_mfcc=13"):
    waves = _waves(9)
    x = np.stack([FrontEnd(frontend, 16000)(w) for w in waves])
    return estimator.fit(x, np.array(LABELS * 3)), waves, x


def test_skops_pipeline_with_labels_from_classes_and_front_end_from_sidecar(tmp_path):
    model, waves, x = _fit(make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)))
    path = tmp_path / "ser.skops"
    sio.dump(model, path)
    (tmp_path / "ser.yaml").write_text(yaml.safe_dump(
        {"sample_rate": 16000, "frontend": {"preset": "mfcc_mean", "n_mfcc": 13}}))
    adapter = load_adapter(ModelSpec(str(path)))
    assert adapter.labels == LABELS and adapter.sample_rate == 16000
    np.testing.assert_allclose(adapter.predict_proba(waves), model.predict_proba(x), atol=1e-6)
    info = adapter.describe()
    assert info["format"] == "sklearn" and info["estimator"] == "Pipeline"


def test_pickles_are_refused_unless_trusted_and_the_error_says_why(tmp_path):
    model, waves, x = _fit(LogisticRegression(max_iter=500))
    path = tmp_path / "ser.joblib"
    joblib.dump(model, path)
    spec = {"sample_rate": 16000, "frontend": "mfcc_mean:n_mfcc=13"}
    with pytest.raises(ModelError, match="is a pickle: unpickling runs arbitrary code.*--trust-pickle.*skops"):
        load_adapter(ModelSpec(str(path), **spec))
    adapter = load_adapter(ModelSpec(str(path), trust_pickle=True, **spec))
    np.testing.assert_allclose(adapter.predict_proba(waves), model.predict_proba(x), atol=1e-6)


def test_untrusted_skops_types_need_the_same_flag(tmp_path, monkeypatch):
    import importlib

    from sklearn.preprocessing import FunctionTransformer

    (tmp_path / "skops_custom_fn.py").write_text("def squash(x):\n    return x / (1 + abs(x))\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    custom = importlib.import_module("skops_custom_fn")
    model = make_pipeline(FunctionTransformer(custom.squash), LogisticRegression(max_iter=500))
    model, waves, x = _fit(model)
    path = tmp_path / "custom.skops"
    sio.dump(model, path)
    spec = {"sample_rate": 16000, "frontend": "mfcc_mean:n_mfcc=13"}
    with pytest.raises(ModelError, match="types skops does not trust by default: skops_custom_fn.squash.*--trust-pickle"):
        load_adapter(ModelSpec(str(path), **spec))
    adapter = load_adapter(ModelSpec(str(path), trust_pickle=True, **spec))
    np.testing.assert_allclose(adapter.predict_proba(waves), model.predict_proba(x), atol=1e-6)


def test_a_waveform_is_not_a_feature_vector(tmp_path):
    model, _, _ = _fit(LogisticRegression(max_iter=500))
    path = tmp_path / "ser.skops"
    sio.dump(model, path)
    with pytest.raises(ModelError, match="takes feature vectors, not waveforms.*--frontend mfcc_mean"):
        load_adapter(ModelSpec(str(path), sample_rate=16000))
    seq = load_adapter(ModelSpec(str(path), sample_rate=16000, frontend="mfcc_seq:n_mfcc=13"))
    with pytest.raises(ModelError, match="one feature vector of fixed length per clip"):
        seq.predict_proba(_waves(2))


def test_decision_function_only_with_logits(tmp_path):
    model, waves, x = _fit(make_pipeline(StandardScaler(), LinearSVC()))
    path = tmp_path / "svm.skops"
    sio.dump(model, path)
    spec = {"sample_rate": 16000, "frontend": "mfcc_mean:n_mfcc=13"}
    with pytest.raises(ModelError, match="has no predict_proba; pass --logits"):
        load_adapter(ModelSpec(str(path), **spec))
    probs = load_adapter(ModelSpec(str(path), logits=True, **spec)).predict_proba(waves)
    assert (probs.argmax(axis=1) == model.decision_function(x).argmax(axis=1)).all()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
