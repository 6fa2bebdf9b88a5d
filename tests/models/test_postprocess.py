"""Output hooks: declarative output maps and user functions."""

from __future__ import annotations

import numpy as np
import pytest

from serfair.errors import SpecError
from serfair.models.postprocess import build_output_map, is_mapping, resolve_postprocess

GENDER_EMOTION = ("female_angry", "female_sad", "male_angry", "male_sad")


def test_wildcards_sum_gender_by_emotion_columns():
    out = build_output_map("female_*=*,male_*=*", GENDER_EMOTION)
    assert out.labels == ("angry", "sad")
    probs = np.array([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25]])
    np.testing.assert_allclose(out(probs), [[0.4, 0.6], [0.5, 0.5]])
    np.testing.assert_allclose(out(probs).sum(axis=1), 1.0)


def test_explicit_rules_and_unmatched_labels_keep_their_names():
    out = build_output_map({"female_angry": "angry", "male_angry": "angry"}, GENDER_EMOTION)
    assert out.labels == ("angry", "female_sad", "male_sad")
    assert out.describe()["map"]["male_angry"] == "angry"


def test_a_rule_that_matches_nothing_is_an_error():
    with pytest.raises(SpecError, match="rule\\(s\\) child_\\* match none of the model's labels"):
        build_output_map("child_*=*", GENDER_EMOTION)


def test_mapping_or_function_is_told_apart(tmp_path, monkeypatch):
    assert is_mapping("a=b") and is_mapping({"a": "b"}) and not is_mapping("pkg.mod:fn")
    (tmp_path / "pp_hooks_a.py").write_text(
        "import numpy as np\n"
        "def halves(p):\n    return p[:, :2] + p[:, 2:]\n"
        "halves.labels = ('angry', 'sad')\n"
        "def same(p):\n    return p\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    hook = resolve_postprocess("pp_hooks_a:halves", GENDER_EMOTION)
    assert hook.labels == ("angry", "sad")
    np.testing.assert_allclose(hook.apply(np.full((1, 4), 0.25)), [[0.5, 0.5]])
    assert resolve_postprocess("pp_hooks_a:same", GENDER_EMOTION).labels == GENDER_EMOTION
    assert resolve_postprocess(None, GENDER_EMOTION) is None
