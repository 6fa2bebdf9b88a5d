"""The model card: found next to the model, through the sidecar or the spec."""

from __future__ import annotations

import pytest
from toy_models import make_energy_onnx

from serfair.errors import SpecError
from serfair.models.card import find_model_card, load_model_card


def test_card_next_to_the_model(tmp_path):
    model = make_energy_onnx(tmp_path / "m.onnx")
    assert find_model_card(model) is None
    card = tmp_path / "m.card.md"
    card.write_text("# Model card: m\n")
    loaded = load_model_card(model)
    assert loaded["path"] == "m.card.md" and loaded["markdown"] == "# Model card: m\n"  # no local path
    assert len(loaded["sha256"]) == 64


def test_sidecar_and_spec_take_precedence(tmp_path):
    model = make_energy_onnx(tmp_path / "m.onnx")
    (tmp_path / "m.card.md").write_text("next to it")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "card.md").write_text("from the sidecar")
    (tmp_path / "m.yaml").write_text("model_card: docs/card.md\n")
    assert find_model_card(model) == tmp_path / "docs" / "card.md"
    explicit = tmp_path / "explicit.md"
    explicit.write_text("from the spec")
    assert find_model_card(model, explicit) == explicit
    with pytest.raises(SpecError, match="model_card .* does not exist"):
        find_model_card(model, tmp_path / "missing.md")
    (tmp_path / "m.yaml").write_text("model_card: nope.md\n")
    with pytest.raises(SpecError, match="names model_card"):
        find_model_card(model)
