"""`babble`: other speakers of the run, never the clip's own, at the asked SNR, chosen from a pool
that depends only on the seed and the set of clips."""

from __future__ import annotations

import random

import numpy as np
import pytest
import soundfile as sf
from perturb_signals import RATE, band_power, sine, snr_db

from serfair.errors import DataError
from serfair.perturb import ClipContext, apply_condition, parse_condition, rng_for
from serfair.perturb.babble import BabblePool, choose_pool, pick_talkers, pool_from_clips

TONES = {"s1": 200.0, "s2": 500.0, "s3": 1300.0}  # each speaker 'speaks' one frequency


@pytest.fixture
def entries(tmp_path):
    rows = []
    for speaker, freq in TONES.items():
        for k in range(3):
            path = tmp_path / f"{speaker}_{k}.wav"
            sf.write(str(path), sine(freq, 0.7 + 0.1 * k), RATE)
            rows.append((f"{speaker}/{k}", speaker, str(path)))
    return rows


def _babble(entries, speaker: str, condition: str, clip_id: str = "target") -> np.ndarray:
    pool = BabblePool(pool_from_clips(*zip(*entries), seed=0), RATE)
    clean = sine(TONES[speaker], 1.0)
    c = parse_condition(condition)
    out = apply_condition(c, clean, RATE, rng_for(0, clip_id, c.name), ClipContext(clip_id, speaker, pool))
    assert out.shape == clean.shape
    return out.astype(np.float64) - clean


@pytest.mark.parametrize("speaker", list(TONES))
def test_never_the_clips_own_speaker(entries, speaker):
    added = _babble(entries, speaker, "babble@snr=0:talkers=8")
    power = {s: band_power(added, f - 20, f + 20) for s, f in TONES.items()}
    others = [p for s, p in power.items() if s != speaker]
    assert power[speaker] < 1e-4 * min(others)


def test_snr_and_distinct_speakers_first(entries):
    pool = BabblePool(pool_from_clips(*zip(*entries), seed=0), RATE)
    clean = sine(TONES["s1"], 1.0)
    c = parse_condition("babble@snr=5:talkers=2")
    out = apply_condition(c, clean, RATE, rng_for(0, "t", c.name), ClipContext("t", "s1", pool))
    assert snr_db(clean, out) == pytest.approx(5.0, abs=0.01)
    for seed in range(10):
        chosen = pick_talkers(pool.others("s1"), 2, np.random.default_rng(seed))
        assert {speaker for _, speaker, _ in chosen} == {"s2", "s3"}


def test_pool_depends_on_seed_and_clip_set_not_order(entries):
    shuffled = entries[:]
    random.Random(3).shuffle(shuffled)
    assert choose_pool(entries, 0, size=4) == choose_pool(shuffled, 0, size=4)
    assert {s for _, s, _ in choose_pool(entries, 0, size=3)} == set(TONES)  # spread over speakers
    assert any(choose_pool(entries, 0, size=4) != choose_pool(entries, s, size=4) for s in range(1, 5))


def test_same_clip_same_babble_different_clip_different_babble(entries):
    a = _babble(entries, "s1", "babble@snr=10", "clip-a")
    np.testing.assert_array_equal(a, _babble(entries, "s1", "babble@snr=10", "clip-a"))
    assert not np.allclose(a, _babble(entries, "s1", "babble@snr=10", "clip-b"))


def test_one_speaker_is_not_enough(entries):
    only_s1 = [e for e in entries if e[1] == "s1"]
    with pytest.raises(DataError, match="only one speaker"):
        pool_from_clips(*zip(*only_s1), seed=0)
