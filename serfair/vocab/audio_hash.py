"""The content hash of a clip's audio, shared by training manifests (`audio_sha256`, written by
the reference recipe) and the speaker leakage check (serfair.data.leakage)."""

from __future__ import annotations

import hashlib

import numpy as np

HASH_COLUMN = "audio_sha256"


def waveform_hash(wave: np.ndarray) -> str:
    """sha256 of a mono waveform quantised to 16-bit PCM (equal for lossless re-encodings)."""
    pcm = np.clip(np.round(np.asarray(wave, dtype=np.float64) * 32768.0), -32768, 32767)
    return hashlib.sha256(pcm.astype("<i2").tobytes()).hexdigest()
