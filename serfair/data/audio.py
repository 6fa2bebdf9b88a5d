"""Decode audio once: mono float32 at the model's sample rate (soundfile + soxr)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from serfair.data.quality import crop_frames
from serfair.errors import DataError


def duration(path: str | Path, *, clip_id: str | None = None) -> float:
    """Seconds of audio in a file, from its header; DataError if it cannot be read."""
    where = f"clip '{clip_id}' ({path})" if clip_id else str(path)
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise DataError(f"{where}: cannot decode the audio ({exc}); re-encode it as WAV or FLAC "
                        f"or remove the row from the manifest") from exc
    return info.frames / info.samplerate if info.samplerate else 0.0


def decode(path: str | Path, *, clip_id: str | None = None,
           max_seconds: float | None = None) -> tuple[np.ndarray, int]:
    """The file's samples, mixed to mono, at the file's rate (at most `max_seconds` of them, read
    without decoding the rest); DataError if it cannot be decoded or is empty."""
    where = f"clip '{clip_id}' ({path})" if clip_id else str(path)
    try:
        with sf.SoundFile(str(path)) as handle:
            file_rate = handle.samplerate
            data = handle.read(crop_frames(file_rate, max_seconds), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as exc:
        raise DataError(f"{where}: cannot decode the audio ({exc}); re-encode it as WAV or FLAC "
                        f"or remove the row from the manifest") from exc
    if data.size == 0:
        raise DataError(f"{where}: the audio file is empty; remove the row from the manifest")
    wave = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    return np.asarray(wave, dtype=np.float32), file_rate


def load_audio(path: str | Path, sample_rate: int, *, clip_id: str | None = None,
               max_seconds: float | None = None) -> np.ndarray:
    """Read a file (its first `max_seconds`), mix to mono, resample to `sample_rate`; raise
    DataError on bad audio."""
    where = f"clip '{clip_id}' ({path})" if clip_id else str(path)
    wave, file_rate = decode(path, clip_id=clip_id, max_seconds=max_seconds)
    if not np.all(np.isfinite(wave)):
        raise DataError(f"{where}: the audio contains NaN or infinite samples")
    if file_rate != sample_rate:
        wave = soxr.resample(wave, file_rate, sample_rate, quality="HQ")
    return np.ascontiguousarray(wave, dtype=np.float32)
