"""Decode audio once: mono float32 at the model's sample rate (soundfile + soxr)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from serfair.errors import DataError


def load_audio(path: str | Path, sample_rate: int, *, clip_id: str | None = None) -> np.ndarray:
    """Read a file, mix to mono, resample to `sample_rate`; raise DataError on bad audio."""
    where = f"clip '{clip_id}' ({path})" if clip_id else str(path)
    try:
        data, file_rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise DataError(f"{where}: cannot decode the audio ({exc}); re-encode it as WAV or FLAC "
                        f"or remove the row from the manifest") from exc
    if data.size == 0:
        raise DataError(f"{where}: the audio file is empty; remove the row from the manifest")
    wave = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    if not np.all(np.isfinite(wave)):
        raise DataError(f"{where}: the audio contains NaN or infinite samples")
    if file_rate != sample_rate:
        wave = soxr.resample(wave, file_rate, sample_rate, quality="HQ")
    return np.ascontiguousarray(wave, dtype=np.float32)
