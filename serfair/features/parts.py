"""Feature parts, one function each: a clip's Spectra -> (n_features, frames)."""

from __future__ import annotations

import librosa
import numpy as np

from serfair.features.banks import chroma_bank
from serfair.features.config import PARTS
from serfair.features.spectra import Spectra
from serfair.features.tuning import estimate_tuning


def mfcc(s: Spectra) -> np.ndarray:
    """librosa.feature.mfcc: DCT-II (ortho) of the log-mel spectrogram, first n_mfcc rows."""
    return librosa.feature.mfcc(S=s.logmel, n_mfcc=s.config.n_mfcc)


def chroma(s: Spectra) -> np.ndarray:
    """librosa.feature.chroma_stft on |STFT|**chroma_power (tutorials pass the magnitude)."""
    c = s.config
    spec = s.magnitude if c.chroma_power == 1.0 else (
        s.power if c.chroma_power == 2.0 else s.magnitude ** c.chroma_power)
    tuning = c.tuning
    if tuning is None:
        tuning = estimate_tuning(spec, s.sr, bins_per_octave=c.n_chroma)
    bank = chroma_bank(s.sr, c.n_fft, c.n_chroma, float(tuning))
    raw = np.einsum("cf,...ft->...ct", bank, spec, optimize=True)
    return librosa.util.normalize(raw, norm=np.inf, axis=-2)


def mel(s: Spectra) -> np.ndarray:
    """librosa.feature.melspectrogram (power)."""
    return s.mel


def logmel(s: Spectra) -> np.ndarray:
    """power_to_db(melspectrogram)."""
    return s.logmel


PARTS.update({"mfcc": mfcc, "chroma": chroma, "mel": mel, "logmel": logmel})
