"""`codec@mp3_kbps=K`: MP3 encode and decode at a bitrate (audiomentations Mp3Compression,
fast-mp3-augment backend, in memory)."""

from __future__ import annotations

import numpy as np
from audiomentations import Mp3Compression

from serfair.perturb.base import Family, Param, register
from serfair.perturb.seeding import run_transform

BITRATES = tuple(float(b) for b in Mp3Compression.SUPPORTED_BITRATES)


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator,
          mp3_kbps: float) -> np.ndarray:
    """MP3 round trip at `mp3_kbps` kbit/s (constant bitrate); the clip keeps its length."""
    kbps = int(mp3_kbps)
    transform = Mp3Compression(min_bitrate=kbps, max_bitrate=kbps, backend="fast-mp3-augment",
                               preserve_delay=False, p=1.0)
    out = run_transform(transform, wave, sample_rate)
    return _same_length(out, wave.shape[0])


def _same_length(out: np.ndarray, n: int) -> np.ndarray:
    return out[:n] if out.shape[0] >= n else np.pad(out, (0, n - out.shape[0]))


FAMILY = register(Family(
    name="codec",
    description="lossy MP3 compression at a constant bitrate",
    params=(Param("mp3_kbps", "kbit/s", BITRATES[0], BITRATES[-1], 16.0,
                  "MP3 bitrate; lower is lossier", choices=BITRATES),),
    apply=apply,
    randomised=False,
    min_seconds=0.1,  # fast-mp3-augment raises TooShortAudio below rate / 10 samples (measured)
    severity=lambda mp3_kbps: -mp3_kbps,
))
