"""Where an adapter's facts come from (flags > sidecar > model metadata > native) and what
happens to its input and output."""

from __future__ import annotations

import numpy as np
import pytest
from audio_fixtures import tone

from serfair.errors import ModelError, SpecError
from serfair.models import ModelSpec
from serfair.models.io import as_labels, resolve_io


def test_flags_beat_the_sidecar_which_beats_metadata_which_beats_native_facts():
    spec = ModelSpec("m", labels=("x", "y"))
    io = resolve_io(spec, "toy", sidecar={"labels": ["s1", "s2"], "sample_rate": 8000},
                    embedded={"labels": '["e1", "e2"]', "sample_rate": "22050"},
                    native_labels=["n1", "n2"], native_rate=44100)
    assert io.labels == ("x", "y") and io.sample_rate == 8000
    io = resolve_io(ModelSpec("m"), "toy", embedded={"labels": '["e1", "e2"]', "sample_rate": "22050"},
                    native_labels=["n1", "n2"], native_rate=44100)
    assert io.labels == ("e1", "e2") and io.sample_rate == 22050
    io = resolve_io(ModelSpec("m"), "toy", native_labels={1: "b", 0: "a"}, native_rate=16000)
    assert io.labels == ("a", "b")


def test_missing_facts_name_every_way_to_give_them():
    with pytest.raises(ModelError, match="toy does not declare its labels or sample rate: add a sidecar "
                                         "m.yaml.*--labels angry,happy.*--sample-rate 16000"):
        resolve_io(ModelSpec("m"), "toy", where="m.yaml")


def test_labels_from_text_and_lists():
    assert as_labels("angry, happy,sad") == ("angry", "happy", "sad")
    assert as_labels('["a", "b"]') == ("a", "b")
    assert as_labels(None) is None


def test_front_end_preset_with_options_and_invalid_settings():
    io = resolve_io(ModelSpec("m", frontend="mfcc_mean:n_mfcc=13"), "toy", native_labels=["a"],
                    native_rate=16000)
    assert io.features(tone(0.5)).shape == (13,) and not io.takes_waveform
    with pytest.raises(SpecError, match="unknown front end preset 'mfcc'.*mfcc_mean"):
        resolve_io(ModelSpec("m", frontend="mfcc"), "toy", native_labels=["a"], native_rate=16000)


def test_logits_then_output_map_then_check():
    spec = ModelSpec("m", logits=True, postprocess="f_*=*,m_*=*")
    io = resolve_io(spec, "toy", native_labels=["f_a", "f_b", "m_a", "m_b"], native_rate=16000)
    out = io.finish(np.array([[0.0, 0.0, 0.0, 0.0]]), 1)
    np.testing.assert_allclose(out, [[0.5, 0.5]])
    assert io.labels == ("a", "b") and io.raw_labels == ("f_a", "f_b", "m_a", "m_b")
    with pytest.raises(ModelError, match=r"returned shape \(1, 3\), but its labels .* say \(1, 4\)"):
        io.finish(np.zeros((1, 3)), 1)
