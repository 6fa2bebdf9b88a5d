"""Decoding: mono float32 at the model's rate; clear errors for bad audio."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from audio_fixtures import tone
from serfair.data.audio import load_audio
from serfair.errors import DataError


def test_stereo_44k_becomes_mono_16k(tmp_path):
    path = tmp_path / "x.wav"
    sf.write(str(path), tone(1.0, 44100, channels=2), 44100)
    wave = load_audio(path, 16000)
    assert wave.dtype == np.float32 and wave.ndim == 1
    assert abs(len(wave) - 16000) <= 1
    # A 220 Hz tone survives resampling: its spectral peak stays at 220 Hz.
    peak = np.argmax(np.abs(np.fft.rfft(wave))) * 16000 / len(wave)
    assert abs(peak - 220) < 2


def test_corrupt_file_is_a_data_error_naming_the_clip(tmp_path):
    path = tmp_path / "bad.wav"
    path.write_bytes(b"RIFF....WAVEfmt garbage")
    with pytest.raises(DataError, match="clip 'c1'.*cannot decode"):
        load_audio(path, 16000, clip_id="c1")


def test_empty_audio_is_a_data_error(tmp_path):
    path = tmp_path / "empty.wav"
    sf.write(str(path), np.zeros(0, dtype=np.float32), 16000)
    with pytest.raises(DataError, match="empty"):
        load_audio(path, 16000)
