"""TorchScript models (torch is an optional extra: these tests carry the `train` mark)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from audio_fixtures import tone

from serfair.errors import ModelError
from serfair.models import ModelSpec, load_adapter

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "byom"
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit:DeprecationWarning")


@pytest.mark.train
def test_example_module_with_facts_saved_inside_and_a_lengths_input(tmp_path, monkeypatch):
    import torch

    monkeypatch.syspath_prepend(str(EXAMPLES))
    from torchscript_model import main

    path = main(["--out", str(tmp_path)])
    adapter = load_adapter(ModelSpec(str(path)))
    assert adapter.labels == ("angry", "happy", "neutral", "sad") and adapter.with_lengths
    waves = [tone(0.5, seed=1), tone(0.3, seed=2) * 2]
    batch = adapter.predict_proba(waves)
    single = np.vstack([adapter.predict_proba([w]) for w in waves])
    np.testing.assert_allclose(batch, single, atol=1e-5)  # padding + lengths: batch-independent
    module = torch.jit.load(str(path))
    logits = module(torch.from_numpy(waves[0][None]), torch.tensor([waves[0].shape[0]]))
    np.testing.assert_allclose(batch[0], torch.softmax(logits, -1)[0].detach().numpy(), atol=1e-5)
    assert adapter.describe()["format"] == "torchscript"


@pytest.mark.train
def test_feature_input_module_with_flags(tmp_path):
    import torch

    class Head(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(13, 3)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.softmax(self.linear(x), dim=-1)

    torch.manual_seed(0)
    path = tmp_path / "head.pt"
    torch.jit.save(torch.jit.script(Head()), str(path))
    adapter = load_adapter(ModelSpec(str(path), labels=("a", "b", "c"), sample_rate=16000,
                                     frontend="mfcc_mean:n_mfcc=13"))
    probs = adapter.predict_proba([tone(0.5), tone(0.4, seed=3)])
    assert probs.shape == (2, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    wrong = load_adapter(ModelSpec(str(path), labels=("a", "b", "c"), sample_rate=16000,
                                   frontend="mfcc_mean:n_mfcc=20"))
    with pytest.raises(ModelError, match=r"failed on inputs of shape \[\(1, 20\)\]"):
        wrong.predict_proba([tone()])


@pytest.mark.train
def test_a_state_dict_is_not_torchscript(tmp_path):
    import torch

    torch.save({"w": torch.zeros(2)}, tmp_path / "weights.pt")
    with pytest.raises(ModelError, match="is it a TorchScript file"):
        load_adapter(ModelSpec(str(tmp_path / "weights.pt"), labels=("a",), sample_rate=16000))


def test_without_torch_the_error_says_how_to_install_it(tmp_path, monkeypatch):
    (tmp_path / "m.pt").write_bytes(b"\x00")
    monkeypatch.setitem(sys.modules, "torch", None)  # as if torch were not installed
    with pytest.raises(ModelError, match="TorchScript models need PyTorch.*serfair\\[train\\]"):
        load_adapter(ModelSpec(str(tmp_path / "m.pt"), labels=("a",), sample_rate=16000))


def test_facts_file_must_be_json():
    from serfair.models.torchscript_adapter import _extra_metadata

    assert _extra_metadata(json.dumps({"labels": ["a"]}).encode(), Path("m.pt")) == {"labels": ["a"]}
    with pytest.raises(ModelError, match="serfair.json is not valid JSON"):
        _extra_metadata(b"{nope", Path("m.pt"))
