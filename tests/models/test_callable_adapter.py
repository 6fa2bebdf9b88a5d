"""Python models given as `package.module:factory`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from audio_fixtures import tone

from serfair.errors import ModelError, SpecError
from serfair.models import ModelSpec, load_adapter

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "byom"


@pytest.fixture
def hooks_module(tmp_path, monkeypatch):
    (tmp_path / "callable_models_t.py").write_text(
        "import numpy as np\n"
        "def plain():\n"
        "    def predict(inputs):\n"
        "        return np.tile([0.25, 0.75], (len(inputs), 1))\n"
        "    return predict\n"
        "def broken():\n    raise RuntimeError('no weights')\n"
        "def nothing():\n    return 42\n"
        "class Crashes:\n"
        "    labels = ('a', 'b'); sample_rate = 8000\n"
        "    def predict_proba(self, inputs):\n        raise IndexError('bad batch')\n"
        "def crashes():\n    return Crashes()\n"
        "def lengths():\n"
        "    def predict(inputs):\n"
        "        return np.array([[len(x) % 2, 1 - len(x) % 2] for x in inputs], dtype=float)\n"
        "    return predict\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "callable_models_t"


def test_the_example_model_object_declares_labels_and_rate(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    adapter = load_adapter(ModelSpec("python_model:factory", options={"args": {"temperature": 2.0}}))
    assert adapter.labels == ("angry", "happy", "neutral", "sad") and adapter.sample_rate == 16000
    loud, quiet = tone(0.5) * 3, tone(0.5) * 0.01
    probs = adapter.predict_proba([loud, quiet])
    assert probs.shape == (2, 4) and probs[0, 0] > probs[1, 0] and probs[1, 3] > probs[0, 3]
    assert adapter.model.temperature == 2.0
    info = adapter.describe()
    assert info["format"] == "callable" and info["sha256"].endswith("+version:1")


def test_a_plain_function_needs_labels_and_rate_from_flags(hooks_module):
    with pytest.raises(ModelError, match="does not declare its labels or sample rate"):
        load_adapter(ModelSpec(f"{hooks_module}:plain"))
    adapter = load_adapter(ModelSpec(f"{hooks_module}:plain", labels=("x", "y"), sample_rate=8000))
    np.testing.assert_allclose(adapter.predict_proba([tone(), tone()]), [[0.25, 0.75]] * 2)


def test_front_end_features_reach_the_function(hooks_module):
    adapter = load_adapter(ModelSpec(f"{hooks_module}:lengths", labels=("odd", "even"),
                                     sample_rate=16000, frontend="mfcc_mean:n_mfcc=13"))
    assert adapter.predict_proba([tone()]).tolist() == [[1.0, 0.0]]  # 13 features: odd length


def test_factory_and_model_failures_are_model_errors(hooks_module):
    with pytest.raises(ModelError, match="the factory raised RuntimeError: no weights"):
        load_adapter(ModelSpec(f"{hooks_module}:broken"))
    with pytest.raises(ModelError, match="returned a int, which has no predict_proba"):
        load_adapter(ModelSpec(f"{hooks_module}:nothing"))
    adapter = load_adapter(ModelSpec(f"{hooks_module}:crashes"))
    with pytest.raises(ModelError, match="raised IndexError on a batch of 1: bad batch"):
        adapter.predict_proba([tone()])
    with pytest.raises(SpecError, match="cannot import no_such_module_xyz"):
        load_adapter(ModelSpec("no_such_module_xyz:factory"))
