"""The clip-split vs speaker-split record quoted by the model cards."""

from __future__ import annotations

import pytest

from serfair.reference.card import leakage_section
from serfair.reference.leakage_example import leakage_example


def _eval(name, split, uar, acc, fixed=None):
    test = {"uar": uar, "accuracy": acc, "macro_f1": uar, "n_clips": 455, "n_speakers": 10}
    return {"name": name, "split": split, "test": test, "per_gender_uar": {"female": uar},
            "command": f"serfair train-reference --name {name}", "training_seconds": 1.0,
            "test_clips_of_fixed_test_speakers": fixed, "train_manifest": f"{name}.train.csv"}


def test_record_and_card_section(tmp_path):
    fixed = {"uar": 0.9, "accuracy": 0.91, "macro_f1": 0.9, "n_clips": 130, "n_speakers": 10}
    doc = leakage_example(_eval("leaky", "clip", 0.95, 0.96, fixed),
                          _eval("cnnlstm-v1", "speaker", 0.615, 0.613))
    assert doc["clip_split"]["accuracy"] == 0.96 and doc["speaker_split"]["accuracy"] == 0.613
    assert doc["clip_split_fixed_speakers"]["n_clips"] == 130
    path = tmp_path / "leakage-example.json"
    import json

    path.write_text(json.dumps(doc))
    text = leakage_section(path)
    assert "accuracy 0.960" in text and "accuracy 0.613" in text and "--train-manifest" in text
    assert leakage_section(tmp_path / "absent.json") == ""


def test_the_runs_must_be_a_clip_split_then_a_speaker_split():
    with pytest.raises(ValueError, match="--split clip"):
        leakage_example(_eval("a", "speaker", 0.6, 0.6), _eval("b", "speaker", 0.6, 0.6))
