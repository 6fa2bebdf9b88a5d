"""Label names: synonyms and explicit mappings."""

from __future__ import annotations

import pytest

from serfair.errors import SpecError
from serfair.vocab.emotions import map_labels, normalise_label, parse_mapping


@pytest.mark.parametrize("raw, expected", [
    ("Anger", "angry"), ("ANG", "angry"), ("happiness", "happy"), ("joy", "happy"),
    ("fear", "fearful"), ("surprise", "surprised"), ("ps", "surprised"),
    ("pleasant_surprise", "surprised"), (" Neutral ", "neutral"), ("sadness", "sad"),
    ("disgusted", "disgust"), ("boredom", "boredom"), ("whatever", "whatever"),
])
def test_synonyms_are_normalised(raw, expected):
    assert normalise_label(raw) == expected


def test_explicit_mapping_applies_after_synonyms():
    assert map_labels(["Anger", "calm", "joy"], {"calm": "neutral"}) == ["angry", "neutral", "happy"]
    assert map_labels(["exc", "hap"], {"excited": "happy"}) == ["happy", "happy"]


def test_parse_mapping_from_flag_text():
    assert parse_mapping("calm=neutral, excited = happy") == {"calm": "neutral", "excited": "happy"}
    assert parse_mapping({"a": "b"}) == {"a": "b"}
    assert parse_mapping(None) == {}
    with pytest.raises(SpecError, match="'calm' must look like from=to"):
        parse_mapping("calm")
