"""Synthetic predictions tables with speaker-level variation, for analysis tests without a model."""

from __future__ import annotations

import numpy as np
import pandas as pd

LABELS = ("neutral", "happy", "sad", "angry", "fearful", "disgust")


def predictions(n_speakers: int = 12, clips_per_speaker: int = 30, conditions=("clean",),
                seed: int = 0, skill_sd: float = 0.6, base: float = 0.5,
                labels: tuple[str, ...] = LABELS) -> pd.DataFrame:
    """One row per (clip, condition): ids, gender/dataset/accent, y_true, y_pred, p_<label>.

    Speakers alternate female/male; the first half is dataset `a` (accent `x`), the rest `b`
    (accent `y`), so accent and dataset are the same partition. Each speaker has a random skill
    (logit shift) so that clips of a speaker are correlated, as in real speech.
    """
    rng = np.random.default_rng(seed)
    k = len(labels)
    rows = []
    skills = rng.normal(0.0, skill_sd, n_speakers)
    for c, condition in enumerate(conditions):
        for s in range(n_speakers):
            for j in range(clips_per_speaker):
                y = j % k
                logit = base + skills[s] - 0.7 * c
                correct = rng.random() < 1 / (1 + np.exp(-logit))
                pred = y if correct else (y + 1 + rng.integers(k - 1)) % k
                top = 0.3 + 0.7 * rng.random()
                probs = np.full(k, (1 - top) / (k - 1))
                probs[pred] = top
                rows.append({
                    "clip_id": f"s{s:02d}_c{j:03d}", "condition": condition,
                    "speaker_id": f"s{s:02d}", "gender": "female" if s % 2 == 0 else "male",
                    "dataset": "a" if s < n_speakers // 2 else "b",
                    "accent": "x" if s < n_speakers // 2 else "y",
                    "y_true": labels[y], "y_pred": labels[pred],
                    **{f"p_{label}": probs[i] for i, label in enumerate(labels)},
                })
    return pd.DataFrame(rows)


PROVENANCE = {"serfair_version": "test",
              "model": {"name": "synthetic", "path": "-", "format": "none", "sha256": "-"},
              "seed": 0, "created": "2026-01-01T00:00:00+00:00", "manifest_sha256": "-",
              "python": "3", "libraries": {}, "data": "synthetic"}


def result(frame: pd.DataFrame, slices: str, conditions: str = "clean", **stats) -> dict:
    """analyse() on a predictions table with a small bootstrap, cleaned as result.json is."""
    from serfair.analysis import analyse
    from serfair.perturb import parse_conditions
    from serfair.report.json_out import _clean
    from serfair.spec import load_spec

    spec = load_spec(None, slices=slices, conditions=conditions,
                     stats={"bootstrap": 200, "permutations": 500, **stats})
    labels = tuple(sorted(set(frame["y_true"]) | set(frame["y_pred"]), key=list(LABELS).index))
    doc = analyse(frame, spec=spec, conditions=parse_conditions(spec.conditions), labels=labels,
                  clips_total=frame.drop_duplicates("clip_id"), excluded={}, provenance=PROVENANCE)
    return _clean(doc)
