"""Did the swap do what it says? Median F0 and mean F1/F2 (Praat) of a sample of clips as the
model heard them: clean, under the resynthesis control and under the swap. The same analysis
settings are used for every version, so any difference comes from the audio."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import parselmouth

from serfair.data.audio import load_audio
from serfair.perturb import apply_condition, parse_condition, rng_for
from serfair.probes.base import ProbePlan

F0_FLOOR, F0_CEILING = 60.0, 700.0  # Hz: wide enough for lowered men's and raised women's voices
FORMANT_CEILING = 5500.0  # Hz: Praat's default (adult female); one ceiling for every version
FORMANTS = 5
MEASURES = ("f0", "f1", "f2")


def measure(wave: np.ndarray, sample_rate: int) -> dict[str, float]:
    """Median F0 and mean F1, F2 in Hz over the voiced frames (NaN when nothing is voiced)."""
    sound = parselmouth.Sound(wave.astype(np.float64), sampling_frequency=sample_rate)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", parselmouth.PraatWarning)
        pitch = sound.to_pitch(pitch_floor=F0_FLOOR, pitch_ceiling=F0_CEILING)
        f0 = pitch.selected_array["frequency"]
        voiced = f0 > 0
        if not voiced.any():
            return {m: float("nan") for m in MEASURES}
        formant = sound.to_formant_burg(max_number_of_formants=FORMANTS,
                                        maximum_formant=FORMANT_CEILING)
        times = pitch.xs()[voiced]
        values = np.array([[formant.get_value_at_time(k, t) for t in times] for k in (1, 2)])
    return {"f0": float(np.median(f0[voiced])), "f1": float(np.nanmean(values[0])),
            "f2": float(np.nanmean(values[1]))}


def measure_plan(plan: ProbePlan, clips: pd.DataFrame, *, sample_rate: int,
                 seed: int) -> pd.DataFrame:
    """One row per sampled clip and version (clean, control, swap) with f0, f1, f2 in Hz; the
    audio is exactly what the model heard (same per-clip seeds)."""
    rows = []
    by_id = clips.set_index("clip_id", drop=False)
    for clip_id in plan.sample:
        clip = by_id.loc[clip_id]
        wave = load_audio(clip["audio_path"], sample_rate, clip_id=clip_id)
        group = plan.source[clip_id]
        for version, name in (("clean", None), ("control", plan.control),
                              ("swap", plan.swap[clip_id])):
            audio = wave if name is None else apply_condition(
                parse_condition(name), wave, sample_rate, rng_for(seed, clip_id, name))
            rows.append({"clip_id": clip_id, "speaker_id": str(clip["speaker_id"]),
                         "group": group, "target": plan.target[group], "version": version,
                         "condition": name or "clean", **measure(audio, sample_rate)})
    table = pd.DataFrame(rows, columns=["clip_id", "speaker_id", "group", "target", "version",
                                        "condition", *MEASURES])
    table.attrs["settings"] = {"f0_range_hz": [F0_FLOOR, F0_CEILING],
                               "formant_ceiling_hz": FORMANT_CEILING, "formants": FORMANTS}
    return table
