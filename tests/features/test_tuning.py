"""The band-limited tuning estimate equals librosa.estimate_tuning exactly."""

from __future__ import annotations

import librosa
import numpy as np
import pytest
from audio_fixtures import tone

from serfair.data.audio import load_audio
from serfair.data.loader import demo_data_dir, load_dataset
from serfair.features.tuning import estimate_tuning


def test_equal_to_librosa_on_real_speech(shared_data):
    frame = load_dataset(shared_data or demo_data_dir())
    paths = frame["audio_path"].tolist()[:: max(1, len(frame) // 25)][:25]
    for path in paths:
        spec = np.abs(librosa.stft(load_audio(path, 16000)))
        assert estimate_tuning(spec, 16000) == librosa.estimate_tuning(S=spec, sr=16000,
                                                                       bins_per_octave=12)


@pytest.mark.parametrize("sr, n_fft, bins", [(22050, 512, 12), (16000, 1024, 24), (8000, 256, 12)])
def test_equal_to_librosa_on_noise_and_detuned_tones(sr, n_fft, bins):
    rng = np.random.default_rng(sr)
    waves = [(rng.standard_normal(sr) * 0.1).astype(np.float32),
             tone(1.0, rate=sr, freq=440.0 * 2 ** (0.3 / 12)), tone(0.5, rate=sr, freq=196.0, seed=2)]
    for wave in waves:
        spec = np.abs(librosa.stft(wave, n_fft=n_fft))
        assert estimate_tuning(spec, sr, bins_per_octave=bins) == librosa.estimate_tuning(
            S=spec, sr=sr, bins_per_octave=bins)


@pytest.mark.filterwarnings("ignore:Trying to estimate tuning from empty frequency set")
def test_silence_has_zero_tuning():
    spec = np.zeros((1025, 10), dtype=np.float32)
    assert estimate_tuning(spec, 16000) == librosa.estimate_tuning(S=spec, sr=16000) == 0.0
