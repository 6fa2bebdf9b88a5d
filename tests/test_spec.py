"""AuditSpec defaults: an audit of the user's own model is named after that model, never `demo`."""

from __future__ import annotations

from serfair.spec import AuditSpec, load_spec, model_name


def test_name_comes_from_the_model_file():
    assert load_spec(None, model="models/mine.onnx").name == "mine"
    assert load_spec(None, model="models/mine.onnx", name="release-7").name == "release-7"
    assert load_spec(None).name == "demo"  # the bundled reference model on the demo set


def test_name_from_other_model_references():
    assert model_name({"path": "http://localhost:8000/predict"}) == "predict"
    assert model_name({"path": "my_models.ser:build"}) == "my_models.ser.build"
    assert model_name({"path": "checkpoints/wav2vec2-ser/"}) == "wav2vec2-ser"
    assert model_name({"path": "x.onnx", "name": "given"}) == "given"
    assert AuditSpec(model={"path": "a/b/model v2.onnx"}).name == "model-v2"


def test_a_spec_file_names_the_audit_after_itself(tmp_path):
    spec = tmp_path / "nightly.yaml"
    spec.write_text("model: mine.onnx\n")
    assert load_spec(spec).name == "nightly"
