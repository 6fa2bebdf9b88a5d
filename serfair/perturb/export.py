"""`serfair perturb`: write the perturbed audio to files, so a person can listen to what a model
heard. The waves are the ones an audit with the same data, conditions and seed feeds the model
(same per-clip seeds, same babble pool, drawn from every clip of the data)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf

from serfair.data.audio import load_audio
from serfair.errors import SpecError
from serfair.perturb.babble import pool_for, pool_from_clips
from serfair.perturb.base import FAMILIES, ClipContext, Condition, apply_condition
from serfair.perturb.seeding import rng_for
from serfair.safepath import refuse_inputs, safe_join

FORMATS = {"flac": ("flac", "PCM_16"), "wav": ("wav", "FLOAT")}
KEEP = ("speaker_id", "gender", "emotion", "dataset", "accent", "language", "age")


def folder_name(condition: str) -> str:
    """A file-system-safe folder for a condition (`telephone@low=300:high=3400` ->
    `telephone@low=300_high=3400`)."""
    return re.sub(r"[^A-Za-z0-9=.@+_-]", "_", condition)


def write_perturbed(clips: pd.DataFrame, conditions: list[Condition], out: Path, *, seed: int = 0,
                    sample_rate: int = 16000, limit: int | None = None,
                    fmt: str = "flac", inputs: tuple[str | Path, ...] = ()) -> pd.DataFrame:
    """Write `out/<condition>/<clip id>.<fmt>` for the first `limit` clips under every condition,
    and `out/manifest.csv` (a valid serfair manifest: the folder can itself be audited).

    Every file lies inside `out` and is none of the clips' audio files nor `inputs` (the
    manifest); either would raise UnsafePathError before anything is written."""
    if fmt not in FORMATS:
        raise SpecError(f"unknown audio format '{fmt}'; valid: {', '.join(FORMATS)}")
    if limit is not None and limit < 1:
        raise SpecError(f"--limit must be at least 1 (got {limit})")
    suffix, subtype = FORMATS[fmt]
    chosen = clips if limit is None else clips.head(limit)
    targets = {(c.clip_id, condition.name): safe_join(out, folder_name(condition.name),
                                                      f"{c.clip_id}.{suffix}")
               for c in chosen.itertuples(index=False) for condition in conditions}
    manifest_path = safe_join(out, "manifest.csv")
    refuse_inputs([*targets.values(), manifest_path], [*clips["audio_path"], *inputs])
    pool = None
    if any(FAMILIES[c.family].needs_context for c in conditions):
        pool = pool_for(pool_from_clips(clips["clip_id"], clips["speaker_id"].astype(str),
                                        clips["audio_path"], seed), sample_rate)
    rows = []
    for clip in chosen.itertuples(index=False):
        wave = load_audio(clip.audio_path, sample_rate, clip_id=clip.clip_id)
        context = ClipContext(clip.clip_id, str(clip.speaker_id), pool)
        for condition in conditions:
            audio = apply_condition(condition, wave, sample_rate,
                                    rng_for(seed, clip.clip_id, condition.name), context)
            target = targets[(clip.clip_id, condition.name)]
            rel = target.relative_to(out)
            target.parent.mkdir(parents=True, exist_ok=True)
            sf.write(str(target), audio, sample_rate, subtype=subtype)
            rows.append({"path": rel.as_posix(), "clip_id": f"{folder_name(condition.name)}/{clip.clip_id}",
                         "source_clip_id": clip.clip_id, "condition": condition.name,
                         **{k: getattr(clip, k) for k in KEEP if hasattr(clip, k)},
                         "peak": float(np.max(np.abs(audio))) if audio.size else 0.0,
                         "seconds": round(audio.shape[0] / sample_rate, 3)})
    manifest = pd.DataFrame(rows)
    out.mkdir(parents=True, exist_ok=True)
    manifest.to_csv(manifest_path, index=False)
    return manifest
