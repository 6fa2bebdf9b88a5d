"""Degenerate audio, flagged: non-finite, empty, too short or too long, near-silent, clipped out
or out of range. Pure functions on waves, used before inference (every clean clip) and in the
workers (every perturbed version), so nothing degenerate is scored silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FULL_SCALE = 0.999  # a sample at or above this magnitude is at full scale
DIGITAL_SILENCE = 1e-7  # a perturbed version whose peak is below this has lost its signal

FLAGS: dict[str, str] = {
    "non_finite": "NaN or infinite samples",
    "empty": "no samples at all",
    "too_short": "shorter than the shortest clip the audit or one of its conditions accepts",
    "too_long": "longer than max_duration_s",
    "silent": "near-silent (peak below the silence level)",
    "clipped": "clipped out (a large share of samples at full scale)",
    "out_of_range": "peak far beyond full scale (e.g. a float WAV with a huge value)",
    "cropped": "longer than max_duration_s: only its first max_duration_s seconds are scored",
}
# No model can score these (a peak of 8e28 overflows float32 arithmetic in any front end).
ALWAYS_EXCLUDED = frozenset({"non_finite", "empty", "out_of_range"})
NOT_EXCLUDED = frozenset({"cropped"})  # counted, the cropped clip is scored


@dataclass(frozen=True)
class AudioLimits:
    """What counts as degenerate (see SanitySection in serfair/spec.py); hashable and picklable."""

    exclude: bool = True
    silence_dbfs: float = -60.0
    min_duration_s: float = 0.25
    clipped_share: float = 0.5
    max_peak: float = 16.0
    max_duration_s: float | None = 60.0
    long_clips: str = "crop"

    @property
    def crop_seconds(self) -> float | None:
        """Seconds decoded per clip (crop mode), None for the whole clip."""
        return self.max_duration_s if self.long_clips == "crop" else None

    def excludes(self, flags: tuple[str, ...] | list[str]) -> bool:
        """Whether a clip (version) with these flags is left out of the scores."""
        flags = set(flags) - NOT_EXCLUDED
        return bool(flags & ALWAYS_EXCLUDED) or (self.exclude and bool(flags))


def level_flags(wave: np.ndarray, limits: AudioLimits, *, perturbed: bool = False) -> list[str]:
    """Flags about the samples: non-finite, empty, silent, out of range, clipped.

    A clean clip is silent below `silence_dbfs` peak; a perturbed version only when its signal is
    gone (peak below DIGITAL_SILENCE), so a deliberate `gain@db=-40` is not flagged.
    """
    wave = np.asarray(wave)
    if wave.size == 0:
        return ["empty"]
    if not np.all(np.isfinite(wave)):
        return ["non_finite"]
    magnitude = np.abs(wave)
    peak = float(magnitude.max())
    silence = DIGITAL_SILENCE if perturbed else 10 ** (limits.silence_dbfs / 20)
    if peak < silence:
        return ["silent"]
    if peak > limits.max_peak:
        return ["out_of_range"]
    if float(np.mean(magnitude >= FULL_SCALE)) >= limits.clipped_share:
        return ["clipped"]
    return []


def length_flags(seconds: float, limits: AudioLimits, min_seconds: float = 0.0) -> list[str]:
    """Flags about a clean clip's duration: too short (for the audit or a condition), too long."""
    flags = []
    if seconds < max(limits.min_duration_s, min_seconds):
        flags.append("too_short")
    if limits.max_duration_s is not None and seconds > limits.max_duration_s:
        flags.append("cropped" if limits.long_clips == "crop" else "too_long")
    return flags


def crop_frames(rate: int, limits_seconds: float | None) -> int:
    """Frames to read at `rate` for a crop of `limits_seconds` (-1: all)."""
    return -1 if limits_seconds is None else max(1, math.ceil(limits_seconds * rate))
