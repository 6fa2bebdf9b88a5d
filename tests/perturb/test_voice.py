"""`voice`: Praat's Change gender moves F0 and formants as asked, keeps the length, is seeded
per clip, leaves clips too short for Praat unchanged, and its defaults are the plain round trip."""

from __future__ import annotations

import numpy as np
import parselmouth
import pytest
from perturb_signals import RATE, voice

from serfair.data.audio import load_audio
from serfair.data.loader import demo_data_dir
from serfair.errors import SpecError
from serfair.perturb import apply_condition, parse_condition, rng_for
from serfair.perturb.voice import median_f0, min_samples


def _f0(wave: np.ndarray) -> float:
    return median_f0(parselmouth.Sound(wave.astype(np.float64), RATE))


def _run(name: str, wave: np.ndarray, seed: int = 0, clip: str = "x") -> np.ndarray:
    c = parse_condition(name)
    return apply_condition(c, wave, RATE, rng_for(seed, clip, c.name))


def test_defaults_are_the_resynthesis_control_that_keeps_f0_and_length():
    assert parse_condition("voice").name == "voice@formant=1:pitch=0:range=1:semitones=0"
    wave = voice(1.0, f0=150.0)
    out = _run("voice", wave)
    assert out.shape == wave.shape and out.dtype == np.float32
    assert _f0(out) == pytest.approx(_f0(wave), rel=0.03)


@pytest.mark.parametrize("semitones", [-9, 9])
def test_semitones_move_the_clips_own_median(semitones):
    wave = voice(1.0, f0=160.0)
    out = _run(f"voice@semitones={semitones}", wave)
    assert _f0(out) == pytest.approx(_f0(wave) * 2 ** (semitones / 12), rel=0.05)


def test_pitch_in_hz_sets_the_median():
    out = _run("voice@pitch=220", voice(1.0, f0=130.0))
    assert _f0(out) == pytest.approx(220.0, rel=0.05)


def test_formant_ratio_moves_the_spectral_centroid_on_real_speech():
    path = next((demo_data_dir() / "emodb").glob("03a01*.flac"))
    wave = load_audio(path, RATE)

    def centroid(x):
        spectrum = np.abs(np.fft.rfft(x)) ** 2
        freqs = np.fft.rfftfreq(len(x), 1 / RATE)
        keep = freqs < 5000
        return float((freqs[keep] * spectrum[keep]).sum() / spectrum[keep].sum())

    up, down = _run("voice@formant=1.3", wave), _run("voice@formant=0.75", wave)
    assert centroid(down) < centroid(wave) < centroid(up)
    assert _f0(up) == pytest.approx(_f0(wave), rel=0.06)  # the formants move, not the pitch


def test_seeded_per_clip_and_condition_and_leaves_numpy_alone():
    wave = voice(0.8, f0=140.0)
    state = np.random.get_state()[1].copy()
    a, b = _run("voice@semitones=4", wave, seed=3), _run("voice@semitones=4", wave, seed=3)
    other = _run("voice@semitones=4", wave, seed=4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, other)  # Praat's resynthesis does draw random numbers
    assert np.array_equal(np.random.get_state()[1], state)


def test_clips_too_short_for_praat_come_back_unchanged():
    n = min_samples(RATE)
    assert n == 640  # three periods of the 75 Hz floor at 16 kHz: 40 ms
    short = voice(1.0)[: n - 1]
    assert np.array_equal(_run("voice@formant=1.2:semitones=5", short), short)
    assert _run("voice@formant=1.2:semitones=5", voice(1.0)[:n]).shape == (n,)


def test_silence_passes_through_without_error():
    silent = np.zeros(RATE // 2, dtype=np.float32)
    out = _run("voice@semitones=5", silent)
    assert out.shape == silent.shape and np.all(np.isfinite(out))


@pytest.mark.parametrize("text", ["voice@formant=2", "voice@pitch=600", "voice@range=-1",
                                  "voice@semitones=13"])
def test_out_of_range_values_name_the_range(text):
    with pytest.raises(SpecError, match="must be (0 or )?between"):
        parse_condition(text)


def test_serfair_conditions_lists_the_family_with_units_and_ranges():
    from click.testing import CliRunner

    from serfair.cli import main

    out = CliRunner().invoke(main, ["conditions"]).output
    line = next(text for text in out.splitlines() if "formant" in text)
    assert "voice" in line and "ratio" in line and "between 0.7" in line  # a narrow table wraps


def test_pitch_is_zero_or_a_human_voice():
    import pytest

    from serfair.errors import SpecError
    from serfair.perturb import parse_conditions

    assert parse_conditions("voice@pitch=0")[-1].kwargs["pitch"] == 0.0
    assert parse_conditions("voice@pitch=60")[-1].kwargs["pitch"] == 60.0
    for bad in ("voice@pitch=5", "voice@pitch=59", "voice@pitch=501"):
        with pytest.raises(SpecError, match="must be 0 or between 60 and 500"):
            parse_conditions(bad)
