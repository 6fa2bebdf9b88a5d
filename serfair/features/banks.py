"""Filter banks, built once per run (per process) and shared by every clip."""

from __future__ import annotations

from functools import lru_cache

import librosa
import numpy as np


@lru_cache(maxsize=32)
def mel_bank(sr: int, n_fft: int, n_mels: int, fmin: float, fmax: float | None, htk: bool,
             norm: str | None) -> np.ndarray:
    """librosa.filters.mel, cached; read-only so no caller can change a shared bank."""
    bank = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk,
                               norm=norm)
    bank.setflags(write=False)
    return bank


@lru_cache(maxsize=512)
def chroma_bank(sr: int, n_fft: int, n_chroma: int, tuning: float) -> np.ndarray:
    """librosa.filters.chroma, cached by tuning (estimated tunings take at most 100 values)."""
    bank = librosa.filters.chroma(sr=sr, n_fft=n_fft, tuning=tuning, n_chroma=n_chroma)
    bank.setflags(write=False)
    return bank
