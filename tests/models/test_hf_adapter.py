"""Hugging Face audio classifiers from a local folder: a tiny random model the test creates."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from audio_fixtures import tone

from serfair.errors import ModelError
from serfair.models import ModelSpec, load_adapter, resolve_format

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "byom"


def _needs_transformers() -> None:
    """Like conftest's extras rule: skip on a user machine without transformers, fail in CI."""
    if importlib.util.find_spec("transformers") is not None:
        return
    if os.environ.get("CI") or os.environ.get("SERFAIR_REQUIRE_ALL") == "1":
        pytest.fail("CI must run the Hugging Face tests, but transformers is not installed "
                    "(it is in the dev extra)", pytrace=False)
    pytest.skip("transformers is not installed (pip install -e '.[dev]')")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    _needs_transformers()
    sys.path.insert(0, str(EXAMPLES))
    try:
        from hf_model import make_tiny_model
    finally:
        sys.path.remove(str(EXAMPLES))
    return make_tiny_model(tmp_path_factory.mktemp("hf") / "tiny", labels=["ang", "hap", "neu", "sad"])


@pytest.mark.train
def test_labels_and_rate_from_the_folder_and_logits_turned_into_probabilities(tiny_model):
    import torch
    from transformers import AutoFeatureExtractor, AutoModelForAudioClassification

    assert resolve_format(ModelSpec(str(tiny_model))) == "hf"
    adapter = load_adapter(ModelSpec(str(tiny_model)))
    assert adapter.labels == ("ang", "hap", "neu", "sad") and adapter.sample_rate == 16000
    waves = [tone(0.5, seed=1), tone(0.3, seed=2), tone(0.5, seed=3)]
    probs = adapter.predict_proba(waves)
    assert probs.shape == (3, 4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    extractor = AutoFeatureExtractor.from_pretrained(str(tiny_model), local_files_only=True)
    model = AutoModelForAudioClassification.from_pretrained(str(tiny_model), local_files_only=True)
    with torch.no_grad():
        logits = model(**extractor([waves[1]], sampling_rate=16000, return_tensors="pt")).logits
    np.testing.assert_allclose(probs[1], torch.softmax(logits, -1)[0].numpy(), atol=1e-5)
    single = np.vstack([adapter.predict_proba([w]) for w in waves])
    np.testing.assert_allclose(probs, single, atol=1e-6)  # batch composition changes nothing
    info = adapter.describe()
    assert info["format"] == "hf" and info["architecture"] == "Wav2Vec2ForSequenceClassification"
    assert len(info["sha256"]) == 64


@pytest.mark.train
def test_label_names_are_normalised_by_the_audit_and_rate_conflicts_are_errors(tiny_model):
    from serfair.vocab.emotions import map_labels

    adapter = load_adapter(ModelSpec(str(tiny_model)))
    assert map_labels(adapter.labels) == ["angry", "happy", "neutral", "sad"]
    with pytest.raises(ModelError, match="--sample-rate 8000 differs from the feature extractor's"):
        load_adapter(ModelSpec(str(tiny_model), sample_rate=8000))


def test_a_folder_without_configs_is_not_a_model(tmp_path):
    with pytest.raises(ModelError, match="not a Hugging Face model folder"):
        load_adapter(ModelSpec(str(tmp_path), format="hf"))
