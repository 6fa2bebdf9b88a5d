"""The condition grammar, argument validation, severities and labels."""

from __future__ import annotations

import numpy as np
import pytest

from serfair.errors import SpecError
from serfair.perturb import (
    CLEAN,
    FAMILIES,
    apply_condition,
    parse_condition,
    parse_conditions,
    severity,
    tick,
)


def test_names_are_canonical_and_round_trip():
    c = parse_condition(" babble@snr=10 ")
    assert c.name == "babble@snr=10:talkers=4"
    assert parse_condition(c.name) == c
    assert parse_condition("telephone").kwargs == {"low": 300.0, "high": 3400.0}
    assert parse_condition("colour@slope=-6.02:snr=0").name == "colour@snr=0:slope=-6.02"


def test_clean_comes_first_once():
    names = [c.name for c in parse_conditions("noise@snr=0,clean,noise@snr=0,pitch@semitones=-2")]
    assert names == ["clean", "noise@snr=0", "pitch@semitones=-2"]
    assert parse_conditions([])[0] == CLEAN


def test_unknown_family_lists_the_valid_ones():
    with pytest.raises(SpecError) as err:
        parse_condition("rain@mm=3")
    for name in ("babble", "codec", "reverb", "telephone", "tempo"):
        assert name in str(err.value)


def test_unknown_parameter_lists_the_family_parameters():
    with pytest.raises(SpecError, match=r"'reverb' has no parameter 'size' \(valid: rt60, drr\)"):
        parse_condition("reverb@size=3")


@pytest.mark.parametrize("text, message", [
    ("noise@snr=70", "between -10 and 60"),
    ("tempo@rate=0", "between 0.5 and 2"),
    ("pitch@semitones=nan", "between -12 and 12"),
    ("codec@mp3_kbps=17", "one of 8, 16, 24"),
    ("clipping@percent=5", "in steps of 2"),
    ("babble@talkers=2.5", "in steps of 1"),
    ("gain@db=loud", "is not a number"),
    ("noise@snr", "must look like param=value"),
])
def test_bad_values_say_what_is_valid(text, message):
    with pytest.raises(SpecError, match=message):
        parse_condition(text)


def test_every_default_is_valid_and_every_family_runs_on_a_short_clip():
    wave = np.random.default_rng(0).standard_normal(4000).astype(np.float32) * 0.1
    for family in FAMILIES.values():
        condition = parse_condition(family.name)
        for p in family.params:
            assert p.check(family.name, p.default) == p.default
        if family.needs_context:
            continue  # babble needs other clips: tests/perturb/test_babble.py
        out = apply_condition(condition, wave, 16000, np.random.default_rng(1))
        assert out.dtype == np.float32 and out.ndim == 1 and np.all(np.isfinite(out))


def test_severity_grows_from_mild_to_harsh():
    def order(*names):
        return [severity(parse_condition(n)) for n in names]
    assert order("noise@snr=20", "noise@snr=10", "noise@snr=0") == sorted(order("noise@snr=20", "noise@snr=10", "noise@snr=0"))
    assert severity(parse_condition("pitch@semitones=-2")) == severity(parse_condition("pitch@semitones=2"))
    assert severity(parse_condition("tempo@rate=0.5")) == pytest.approx(severity(parse_condition("tempo@rate=2")))
    assert severity(parse_condition("codec@mp3_kbps=8")) > severity(parse_condition("codec@mp3_kbps=32"))
    assert severity(parse_condition("telephone@low=800:high=2400")) > severity(parse_condition("telephone"))
    assert severity(parse_condition("gain@db=-40")) > severity(parse_condition("gain@db=12"))
    assert severity(CLEAN) == 0


def test_ticks_name_well_known_values():
    assert tick(parse_condition("colour@snr=0:slope=-6.02"), ["snr", "slope"]) == "0 brown"
    assert tick(parse_condition("noise@snr=10")) == "10"
    assert tick(parse_condition("telephone@low=800:high=2400")) == "800-2400"


def test_babble_without_context_is_refused():
    with pytest.raises(SpecError, match="needs the other clips"):
        apply_condition(parse_condition("babble"), np.zeros(100, np.float32), 16000,
                        np.random.default_rng(0))
