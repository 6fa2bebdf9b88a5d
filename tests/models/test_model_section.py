"""The audit spec's model section and flags become a hashable ModelSpec."""

from __future__ import annotations

import json

import yaml

from serfair.spec import load_spec


def test_mappings_in_the_spec_become_hashable_text(tmp_path):
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump({
        "model": {"path": "models/m.onnx", "frontend": {"preset": "logmel_seq", "n_mels": 64},
                  "postprocess": {"female_angry": "angry", "male_angry": "angry"}},
        "label_map": {"calm": "neutral"},
    }))
    spec = load_spec(path, trust_pickle=True)  # trust comes from the command line only
    model = spec.model_spec(tmp_path / "default.onnx")
    assert model.source == str(tmp_path / "models" / "m.onnx")
    assert json.loads(model.frontend) == {"preset": "logmel_seq", "n_mels": 64}
    assert model.postprocess == "female_angry=angry,male_angry=angry"
    assert model.trust_pickle and hash(model)
    assert spec.label_map == {"calm": "neutral"}


def test_flags_override_and_module_references_stay_as_written(tmp_path):
    path = tmp_path / "audit.yaml"
    path.write_text(yaml.safe_dump({"model": "python_model:factory"}))
    spec = load_spec(path, label_map="calm=neutral,excited=happy", frontend="mfcc_mean:n_mfcc=13",
                     postprocess="female_*=*,male_*=*", trust_pickle=None, trust_code=True)
    model = spec.model_spec(tmp_path / "default.onnx")
    assert model.source == "python_model:factory"
    assert (model.frontend, model.postprocess, model.trust_pickle) == (
        "mfcc_mean:n_mfcc=13", "female_*=*,male_*=*", False)
    assert spec.label_map == {"calm": "neutral", "excited": "happy"}
