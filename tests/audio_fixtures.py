"""Small real audio written by tests: tones with a little noise, in any layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf


def tone(seconds: float = 0.5, rate: int = 16000, freq: float = 220.0, seed: int = 0,
         channels: int = 1) -> np.ndarray:
    """A tone plus a little noise, float32, (samples,) or (samples, channels)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    wave = 0.3 * np.sin(2 * np.pi * freq * t) + 0.01 * rng.standard_normal(t.shape)
    wave = wave.astype(np.float32)
    return np.stack([wave] * channels, axis=1) if channels > 1 else wave


def write_clip(path: Path, seconds: float = 0.5, rate: int = 16000, **kwargs) -> Path:
    """Write a tone to `path` (WAV or FLAC by suffix), creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), tone(seconds, rate, **kwargs), rate)
    return path


def write_manifest(folder: Path, rows: list[dict], name: str = "manifest.csv") -> Path:
    """Write clips for each row (by `path`) and a CSV manifest of the rows."""
    import pandas as pd

    for i, row in enumerate(rows):
        write_clip(folder / row["path"], seed=i, freq=150 + 20 * i)
    path = folder / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return path
