"""`codec@mp3_kbps=K`: MP3 encode and decode at a bitrate (audiomentations Mp3Compression,
fast-mp3-augment backend, in memory)."""

from __future__ import annotations

import numpy as np

from serfair.perturb.base import Family, Param, register
from serfair.perturb.seeding import run_transform

# audiomentations' Mp3Compression.SUPPORTED_BITRATES (tests/perturb/test_codec.py checks they agree)
BITRATES = (8.0, 16.0, 24.0, 32.0, 40.0, 48.0, 56.0, 64.0, 80.0, 96.0, 112.0, 128.0, 144.0, 160.0,
            192.0, 224.0, 256.0, 320.0)


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator,
          mp3_kbps: float) -> np.ndarray:
    """MP3 round trip at `mp3_kbps` kbit/s (constant bitrate); the clip keeps its length."""
    from audiomentations import Mp3Compression  # slow to import: only when used
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
