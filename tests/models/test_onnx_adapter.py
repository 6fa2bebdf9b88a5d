"""The ONNX adapter on small real graphs run by onnxruntime."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from audio_fixtures import tone
from serfair.errors import ModelError
from serfair.models import ModelSpec, load_adapter
from serfair.models.base import file_sha256
from toy_models import LABELS, make_energy_onnx


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
