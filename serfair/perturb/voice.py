"""`voice@formant=R:pitch=HZ:range=F:semitones=S`: another voice for the same words and delivery,
by Praat's "Change gender" (pitch-synchronous overlap-add resynthesis, through praat-parselmouth).

`formant` scales every formant (a shorter or longer vocal tract), `pitch` sets a new median F0 in
Hz (0 keeps the clip's own), `semitones` moves the median from there (so each clip keeps its own
level: angry speech stays higher than sad speech), and `range` scales the F0 excursions around
the median. `voice` with every parameter at its default is the resynthesis control: the same
Praat round trip with no change of voice.

Praat's resynthesis draws random numbers (from Praat's own generator, not numpy's), so the family
seeds that generator from the clip's generator before every call and reseeds it unpredictably
after; a lock keeps one seeded call at a time in a process. Clips shorter than Praat's pitch
analysis needs (`min_samples`: three periods of the pitch floor, 40 ms) come back unchanged.
"""

from __future__ import annotations

import math
import threading
import warnings

import numpy as np
import parselmouth
from parselmouth.praat import call, run

from serfair.perturb.base import Family, Param, register
from serfair.perturb.seeding import seed_from

PITCH_FLOOR = 75.0  # Hz: Praat's defaults for the pitch analysis inside "Change gender"
PITCH_CEILING = 600.0
PERIODS = 3  # Praat analyses pitch in windows of three periods of the floor
_PRAAT_LOCK = threading.Lock()


def min_samples(sample_rate: int) -> int:
    """The shortest clip Praat can resynthesise: three periods of the pitch floor."""
    return math.ceil(PERIODS * sample_rate / PITCH_FLOOR)


def median_f0(sound: parselmouth.Sound) -> float:
    """The clip's median F0 in Hz over voiced frames (NaN when nothing is voiced)."""
    pitch = sound.to_pitch(pitch_floor=PITCH_FLOOR, pitch_ceiling=PITCH_CEILING)
    return float(call(pitch, "Get quantile", 0.0, 0.0, 0.5, "Hertz"))


def new_median(sound: parselmouth.Sound, pitch: float, semitones: float) -> float:
    """Praat's "new pitch median": `pitch` (or the clip's own median) moved by `semitones`;
    0 (no change) when there is nothing to move."""
    if semitones == 0:
        return pitch
    base = pitch or median_f0(sound)
    return base * 2.0 ** (semitones / 12.0) if math.isfinite(base) and base > 0 else 0.0


def change_gender(wave: np.ndarray, sample_rate: int, seed: int, formant: float, median: float,
                  pitch_range: float) -> np.ndarray:
    """Praat "Change gender" with its random generator seeded from `seed`; same length as `wave`."""
    sound = parselmouth.Sound(wave.astype(np.float64), sampling_frequency=sample_rate)
    with _PRAAT_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", parselmouth.PraatWarning)  # "no voiced segments"
        run(f"random_initializeWithSeedUnsafelyButPredictably ({seed})")
        try:
            out = call(sound, "Change gender", PITCH_FLOOR, PITCH_CEILING, formant, median,
                       pitch_range, 1.0)
        finally:
            run("random_initializeSafelyAndUnpredictably ()")
    values = out.values[0]
    n = wave.shape[0]
    return values[:n] if values.shape[0] >= n else np.pad(values, (0, n - values.shape[0]))


def apply(wave: np.ndarray, sample_rate: int, rng: np.random.Generator, formant: float,
          pitch: float, range: float, semitones: float) -> np.ndarray:  # `range`: Praat's name
    """Resynthesise with formants scaled by `formant`, median F0 set to `pitch` Hz (0: kept) and
    moved by `semitones`, F0 excursions scaled by `range`; clips too short for Praat unchanged."""
    if wave.shape[0] < min_samples(sample_rate):
        return wave
    seed = seed_from(rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", parselmouth.PraatWarning)
        median = new_median(parselmouth.Sound(wave.astype(np.float64), sample_rate), pitch,
                            semitones)
    return change_gender(wave, sample_rate, seed, formant, median, range).astype(np.float32)


def _distance(formant: float, pitch: float, range: float, semitones: float) -> float:
    """How far from the unchanged voice, in semitones of formant and F0 shift plus range change."""
    return abs(12.0 * math.log2(formant)) + abs(semitones) + 12.0 * abs(range - 1.0) + (pitch > 0)


FAMILY = register(Family(
    name="voice",
    description="another voice (Praat Change gender): formants, median F0 and F0 range; "
                "all defaults = the resynthesis control",
    params=(
        Param("formant", "ratio", 0.7, 1.5, 1.0,
              "formant shift ratio: above 1 a shorter vocal tract (more female- or child-like)"),
        Param("pitch", "Hz", 60.0, 500.0, 0.0,
              "new median F0 (a human voice: 60-500 Hz); 0 keeps the clip's own median",
              named=((0.0, "own"),), also=(0.0,)),
        Param("range", "x", 0.0, 3.0, 1.0,
              "pitch range factor: F0 excursions around the median (0 monotone, 1 unchanged)"),
        Param("semitones", "semitones", -12.0, 12.0, 0.0,
              "moves the median F0 (the clip's own, or `pitch`) up or down"),
    ),
    apply=apply,
    severity=_distance,
))
