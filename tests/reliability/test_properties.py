"""Property-based: condition strings, specs, policies and audio bytes. Whatever a user writes,
serfair either accepts it or raises a SerfairError (exit 2) saying what is wrong; never another
exception (which would be exit 3, a bug)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import soundfile as sf
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from serfair.data.audio import load_audio
from serfair.data.quality import AudioLimits, level_flags
from serfair.errors import SerfairError, SpecError
from serfair.perturb import FAMILIES, apply_condition, parse_condition, parse_conditions, rng_for
from serfair.policy import parse_policy
from serfair.spec import AuditSpec, load_spec

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

families = st.sampled_from(sorted(FAMILIES))
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6))
tokens = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_@=:,.-+ 0123456789eE[]/\\", max_size=40)


@st.composite
def condition_texts(draw) -> str:
    """A family with a few parameters, valid names or not, values in range or not."""
    family = draw(st.one_of(families, st.text(max_size=8)))
    names = [p.name for p in FAMILIES[family].params] if family in FAMILIES else []
    params = draw(st.lists(st.tuples(st.one_of(st.sampled_from(names or ["x"]), st.text(max_size=5)),
                                     numbers), max_size=3))
    if not params:
        return family
    return family + "@" + ":".join(f"{k}={v}" for k, v in params)


@FAST
@given(st.one_of(condition_texts(), tokens))
def test_any_condition_string_parses_or_is_a_spec_error(text):
    try:
        condition = parse_condition(text)
    except SpecError as exc:
        assert str(exc)  # says what is wrong
        return
    assert parse_condition(condition.name) == condition  # canonical names round-trip
    family = FAMILIES[condition.family]
    for name, value in condition.params:
        param = family.param(name)
        assert math.isfinite(value)
        assert value in param.also or param.low <= value <= param.high  # `also`: e.g. pitch=0


@FAST
@given(families, st.data())
def test_a_repeated_parameter_is_refused(family, data):
    params = FAMILIES[family].params
    assume(params)
    p = data.draw(st.sampled_from(params))
    with pytest.raises(SpecError, match="twice"):
        parse_condition(f"{family}@{p.name}={p.default:g}:{p.name}={p.default:g}")


@FAST
@given(st.lists(condition_texts(), max_size=4))
def test_condition_lists_put_clean_first_once(texts):
    try:
        conditions = parse_conditions(texts)
    except SpecError:
        return
    names = [c.name for c in conditions]
    assert names[0] == "clean" and len(set(names)) == len(names)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=10), inner, max_size=3)),
    max_leaves=8)
spec_keys = st.sampled_from(sorted(AuditSpec.model_fields) + ["nonsense"])


@FAST
@given(st.dictionaries(spec_keys, json_values, max_size=5))
def test_any_spec_mapping_loads_or_is_a_spec_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("spec") / "spec.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        spec = load_spec(path)
    except SerfairError as exc:
        assert str(exc)
        return
    assert spec.batch_size >= 1 and (spec.workers is None or spec.workers >= 1)
    assert spec.conditions[0] == "clean" or "clean" in spec.conditions


@FAST
@given(st.binary(max_size=200))
def test_any_spec_bytes_load_or_are_a_spec_error(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("spec") / "spec.yaml"
    path.write_bytes(raw)
    try:
        load_spec(path)
    except SerfairError:
        pass


rule_keys = st.sampled_from(["id", "check", "metric", "slice", "groups", "condition", "severity",
                             "min", "max", "bound", "reference", "kind", "nonsense"])


@FAST
@given(st.lists(st.dictionaries(rule_keys, json_values, max_size=5), max_size=3),
       st.one_of(st.none(), json_values))
def test_any_policy_mapping_parses_or_is_a_spec_error(rules, allow_empty):
    data = {"name": "p", "rules": rules}
    if allow_empty is not None:
        data["allow_empty"] = allow_empty
    try:
        policy = parse_policy(data)
    except SpecError as exc:
        assert str(exc)
        return
    assert policy.rules and len({r.id for r in policy.rules}) == len(policy.rules)


@FAST
@given(st.binary(min_size=0, max_size=400), st.sampled_from([".wav", ".flac", ".ogg", ".mp3"]))
def test_any_audio_bytes_decode_to_finite_audio_or_a_data_error(tmp_path_factory, raw, suffix):
    path = tmp_path_factory.mktemp("audio") / f"clip{suffix}"
    path.write_bytes(raw)
    try:
        wave = load_audio(path, 16000, clip_id="c")
    except SerfairError:
        return
    assert wave.dtype == np.float32 and np.all(np.isfinite(wave))


@FAST
@given(st.lists(st.floats(width=32), min_size=1, max_size=64), st.integers(8000, 48000))
def test_any_float_wav_decodes_or_is_flagged(tmp_path_factory, samples, rate):
    """Float WAVs keep any value they hold (NaN, inf, 8e28): loading refuses the non-finite ones;
    the screen flags every degenerate one, never raises."""
    wave = np.asarray(samples, dtype=np.float32)
    path = tmp_path_factory.mktemp("audio") / "clip.wav"
    sf.write(str(path), wave, rate, subtype="FLOAT")
    flags = level_flags(wave, AudioLimits())
    if not np.all(np.isfinite(wave)):
        assert flags == ["non_finite"]
        with pytest.raises(SerfairError):
            load_audio(path, rate)
    elif np.abs(wave).max() > AudioLimits().max_peak:
        assert flags == ["out_of_range"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["noise@snr=10", "gain@db=20", "clipping@percent=10", "telephone",
                        "colour@snr=0", "reverb@rt60=0.6"]),
       st.floats(1e-3, 1e30), st.integers(0, 2**31))
def test_perturbed_audio_is_finite_or_flagged(name, peak, seed):
    """A huge but finite peak (8e28) may overflow under a perturbation; the flags say so."""
    rng = np.random.default_rng(seed)
    wave = (rng.standard_normal(4000) * 0.1).astype(np.float32)
    wave[rng.integers(0, 4000)] = np.float32(peak)
    condition = parse_condition(name)
    with np.errstate(all="ignore"):
        out = apply_condition(condition, wave, 16000, rng_for(seed, "clip", condition.name))
    flags = level_flags(out, AudioLimits(), perturbed=True)
    if not np.all(np.isfinite(out)):
        assert flags == ["non_finite"] and AudioLimits().excludes(flags)
    if peak > AudioLimits().max_peak and np.all(np.isfinite(out)) and np.abs(out).max() > 16:
        assert "out_of_range" in flags
