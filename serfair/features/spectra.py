"""One clip's spectra, each computed at most once and shared by every feature that needs it."""

from __future__ import annotations

from functools import cached_property

import librosa
import numpy as np

from serfair.features.banks import mel_bank
from serfair.features.config import FrontEndConfig


class Spectra:
    """Lazily computed STFT, magnitude, power, mel and log-mel of one waveform."""

    def __init__(self, wave: np.ndarray, sample_rate: int, config: FrontEndConfig):
        self.wave = wave
        self.sr = sample_rate
        self.config = config

    @cached_property
    def stft(self) -> np.ndarray:
        c = self.config
        return librosa.stft(self.wave, n_fft=c.n_fft, hop_length=c.hop_length,
                            win_length=c.win_length, window=c.window, center=c.center,
                            pad_mode=c.pad_mode)

    @cached_property
    def magnitude(self) -> np.ndarray:
        return np.abs(self.stft)

    @cached_property
    def power(self) -> np.ndarray:
        return self.magnitude ** 2.0

    @cached_property
    def mel(self) -> np.ndarray:
        """Mel power spectrogram, as librosa.feature.melspectrogram computes it."""
        c = self.config
        bank = mel_bank(self.sr, c.n_fft, c.n_mels, c.fmin, c.fmax, c.htk, c.mel_norm)
        return np.einsum("...ft,mf->...mt", self.power, bank, optimize=True)

    @cached_property
    def logmel(self) -> np.ndarray:
        """power_to_db of the mel spectrogram (ref 1.0, amin 1e-10, top_db as configured)."""
        return librosa.power_to_db(self.mel, top_db=self.config.top_db)
