"""A declarative front end: waveform -> model input, from one shared STFT per clip."""

from __future__ import annotations

import numpy as np

from serfair.features.config import FrontEndConfig, parse_frontend
from serfair.features.parts import PARTS
from serfair.features.pooling import POOLS
from serfair.features.spectra import Spectra


def fix_duration(wave: np.ndarray, sample_rate: int, duration: float | None,
                 offset: float = 0.0) -> np.ndarray:
    """Skip `offset` seconds, then zero-pad or trim to `duration` seconds (librosa.load style)."""
    start = round(offset * sample_rate)
    wave = wave[start:]
    if duration is None:
        return wave
    size = round(duration * sample_rate)
    if wave.shape[0] >= size:
        return wave[:size]
    return np.pad(wave, (0, size - wave.shape[0]))


class FrontEnd:
    """Computes the configured features for one waveform at a fixed sample rate."""

    def __init__(self, config: FrontEndConfig | str | dict, sample_rate: int):
        self.config = parse_frontend(config)
        self.sample_rate = int(sample_rate)

    def __call__(self, wave: np.ndarray) -> np.ndarray:
        c = self.config
        wave = fix_duration(np.asarray(wave, dtype=np.float32), self.sample_rate, c.duration,
                            c.offset)
        spectra = Spectra(wave, self.sample_rate, c)
        pool = POOLS[c.pool]
        parts = [pool(PARTS[name](spectra)) for name in c.features]
        if c.pool == "none":
            out = np.concatenate(parts, axis=0)
            out = out.T if c.layout == "frames_first" else out
        else:
            out = np.hstack(parts)
        return np.ascontiguousarray(out, dtype=np.float32)

    def describe(self) -> dict:
        """Settings, for provenance."""
        return {"sample_rate": self.sample_rate, **self.config.to_dict()}
