"""Declarative front ends give what the tutorials' plain librosa calls give."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
from audio_fixtures import tone

from serfair.data.audio import load_audio
from serfair.data.loader import demo_data_dir, load_dataset
from serfair.features import FrontEnd, fix_duration
from serfair.features.banks import chroma_bank, mel_bank

SR = 16000


@pytest.fixture(scope="module")
def speech(shared_data):
    """A few real clips (the shared corpus, else the bundled demo set), plus noise and a tone."""
    frame = load_dataset(shared_data or demo_data_dir())
    paths = frame["audio_path"].tolist()[:: max(1, len(frame) // 6)][:6]
    rng = np.random.default_rng(0)
    return [load_audio(p, SR) for p in paths] + [
        (0.1 * rng.standard_normal(SR)).astype(np.float32), tone(0.7, freq=440.0)]


def tutorial_180(wave: np.ndarray, sr: int = SR) -> np.ndarray:
    """The classic recipe, verbatim: three STFTs, banks rebuilt per call."""
    stft = np.abs(librosa.stft(wave))
    mfccs = np.mean(librosa.feature.mfcc(y=wave, sr=sr, n_mfcc=40).T, axis=0)
    chroma = np.mean(librosa.feature.chroma_stft(S=stft, sr=sr).T, axis=0)
    mel = np.mean(librosa.feature.melspectrogram(y=wave, sr=sr).T, axis=0)
    return np.hstack([mfccs, chroma, mel])


def test_the_180d_recipe_matches_librosa(speech):
    frontend = FrontEnd("mfcc_chroma_mel_mean", SR)
    for wave in speech:
        ours, theirs = frontend(wave), tutorial_180(wave)
        assert ours.shape == (180,) and ours.dtype == np.float32
        np.testing.assert_array_equal(ours[:40], theirs[:40])    # mfcc: bit-identical
        np.testing.assert_array_equal(ours[52:], theirs[52:])    # mel: bit-identical
        np.testing.assert_allclose(ours[40:52], theirs[40:52], rtol=1e-6, atol=0)  # chroma


def test_sequences_match_librosa_with_custom_parameters(speech):
    params = {"n_fft": 512, "hop_length": 160, "n_mels": 64}
    logmel = FrontEnd({"preset": "logmel_seq", **params}, SR)
    mfcc = FrontEnd({"preset": "mfcc_seq", "n_mfcc": 13, "layout": "features_first", **params}, SR)
    for wave in speech[:3]:
        mel = librosa.feature.melspectrogram(y=wave, sr=SR, **params)
        np.testing.assert_array_equal(logmel(wave), librosa.power_to_db(mel).T)
        np.testing.assert_array_equal(
            mfcc(wave), librosa.feature.mfcc(y=wave, sr=SR, n_mfcc=13, **params))


def test_pad_mode_and_centre_are_passed_to_the_stft(speech):
    wave = speech[0]
    frontend = FrontEnd({"preset": "mfcc_mean", "n_mfcc": 20, "pad_mode": "reflect",
                         "center": True, "fmax": 7600.0}, SR)
    expected = np.mean(librosa.feature.mfcc(y=wave, sr=SR, n_mfcc=20, pad_mode="reflect",
                                            fmax=7600.0).T, axis=0)
    np.testing.assert_array_equal(frontend(wave), expected)


def test_fixed_duration_pads_or_trims_like_librosa_load(speech):
    long, short = speech[0], speech[0][: SR // 2]
    assert fix_duration(long, SR, 1.0).shape == (SR,)
    np.testing.assert_array_equal(fix_duration(long, SR, 1.0, offset=0.5), long[SR // 2: SR // 2 + SR])
    padded = fix_duration(short, SR, 1.0)
    assert padded.shape == (SR,) and not padded[SR // 2:].any()
    frontend = FrontEnd({"preset": "logmel_seq", "duration": 2.5, "offset": 0.1}, SR)
    assert frontend(long).shape == frontend(short).shape == (79, 128)  # ceil(40000/512) frames


def test_filter_banks_are_built_once_per_run(speech):
    mel_bank.cache_clear()
    chroma_bank.cache_clear()
    frontend = FrontEnd("mfcc_chroma_mel_mean", SR)
    for wave in speech:
        frontend(wave)
    assert mel_bank.cache_info().misses == 1
    assert mel_bank.cache_info().hits == len(speech) - 1
    tunings = chroma_bank.cache_info()
    assert tunings.misses <= len(speech) and tunings.hits + tunings.misses == len(speech)
    with pytest.raises(ValueError):  # shared banks are read-only
        mel_bank(SR, 2048, 128, 0.0, None, False, "slaney")[0, 0] = 1.0


def test_mean_std_pooling_doubles_the_vector(speech):
    out = FrontEnd({"features": "mfcc+chroma", "pool": "mean_std", "n_mfcc": 13}, SR)(speech[0])
    assert out.shape == (2 * (13 + 12),)


def test_models_from_librosa_before_0_10_need_reflect_padding(speech):
    """librosa < 0.10 padded centred STFTs with pad_mode='reflect' (now 'constant'): the option
    docs/bring-your-own-model.md shows gives that recipe's features."""
    old = FrontEnd("mfcc_chroma_mel_mean:pad_mode=reflect", SR)
    for wave in speech[:3]:
        stft = np.abs(librosa.stft(wave, pad_mode="reflect"))
        theirs = np.hstack([
            np.mean(librosa.feature.mfcc(y=wave, sr=SR, n_mfcc=40, pad_mode="reflect").T, axis=0),
            np.mean(librosa.feature.chroma_stft(S=stft, sr=SR).T, axis=0),
            np.mean(librosa.feature.melspectrogram(y=wave, sr=SR, pad_mode="reflect").T, axis=0)])
        ours = old(wave)
        np.testing.assert_array_equal(ours[:40], theirs[:40])
        np.testing.assert_array_equal(ours[52:], theirs[52:])
        np.testing.assert_allclose(ours[40:52], theirs[40:52], rtol=1e-6, atol=0)
    assert not np.array_equal(old(speech[0]), FrontEnd("mfcc_chroma_mel_mean", SR)(speech[0]))
