"""Degenerate clips written by tests: silent, too short, one sample, clipped out, a huge float peak."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf
from audio_fixtures import tone

RATE = 16000


def degenerate_waves() -> dict[str, np.ndarray]:
    """Name -> samples (float32) of each kind of degenerate clip."""
    huge = tone(1.0, RATE, seed=7).copy()
    huge[RATE // 2] = 8e28  # finite, but far beyond full scale
    clipped = np.clip(tone(1.0, RATE, seed=8) * 40, -1.0, 1.0)
    return {
        "silent": np.zeros(RATE, dtype=np.float32),
        "short": tone(0.05, RATE, seed=9),
        "one_sample": np.array([0.2], dtype=np.float32),
        "clipped": clipped.astype(np.float32),
        "huge_peak": huge,
    }


def write_degenerate(folder: Path) -> dict[str, Path]:
    """Write each degenerate clip as a 32-bit float WAV (values kept as they are)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, wave in degenerate_waves().items():
        paths[name] = folder / f"{name}.wav"
        sf.write(str(paths[name]), wave, RATE, subtype="FLOAT")
    return paths


def manifest_with_degenerate(base: Path, folder: Path) -> Path:
    """`base` manifest (absolute paths) plus one row per degenerate clip, alternating genders."""
    frame = pd.read_csv(base, dtype=str, keep_default_na=False)
    rows = [{"path": str(p), "speaker_id": f"deg{i}", "gender": "female" if i % 2 else "male",
             "emotion": "sad", "dataset": "ravdess"}
            for i, p in enumerate(write_degenerate(folder / "degenerate").values())]
    out = folder / "with_degenerate.csv"
    pd.concat([frame, pd.DataFrame(rows)], ignore_index=True).fillna("").to_csv(out, index=False)
    return out
