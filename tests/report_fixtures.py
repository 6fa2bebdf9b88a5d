"""Real result documents without a model: the bundled demo manifest (real speakers, genders and
corpora), simulated predictions with known group effects, then the real analysis (`analyse`).

Used by tests/report/* and tests/test_gate.py, and to render an example report by hand:
    python tests/report_fixtures.py /tmp/demo-result   # writes result.json, report.html, ...
"""

from __future__ import annotations

import json
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from serfair.analysis import analyse
from serfair.data.loader import demo_data_dir, load_dataset
from serfair.data.manifest import manifest_hash
from serfair.labelsets import plan_labels
from serfair.perturb import parse_conditions
from serfair.provenance import provenance
from serfair.spec import AuditSpec

LABELS = ("neutral", "happy", "sad", "angry", "fearful", "disgust")
CONDITIONS = ("clean", "noise@snr=10", "noise@snr=0")
XSS = "<script>alert(1)</script>"
# A group name with every hazard: HTML, TeX for matplotlib, rich markup, Markdown table syntax.
HOSTILE_GROUP = XSS + " $\\nosuch{$ [/] a|b *x*"

SCOPE = {
    "intended_use": "Flag calls where the caller sounds angry, for a supervisor to review.",
    "deployment_context": "Recorded customer calls to a utility's help line, telephone audio.",
    "affected_people": "Callers (customers); agents are not analysed.",
    "decisions": "Which calls a supervisor listens to first; no automated action.",
    "owner": "Customer service analytics team",
    "eu_ai_act": {
        "research_only": False,
        "biometric": {"answer": True, "note": "infers emotions from the caller's voice"},
        "workplace": {"answer": False, "note": "callers are customers, not workers"},
        "education": False,
        "people_informed": {"answer": True, "note": "announced at the start of every call"},
    },
    "reviewers": [{"name": "A. Reviewer", "role": "Data protection officer"}],
}


def simulated_predictions(
    clips: pd.DataFrame,
    conditions=CONDITIONS,
    *,
    seed: int = 0,
    female_penalty: float = 0.8,
    labels=LABELS,
) -> pd.DataFrame:
    """One row per (clip, condition): female speakers and noisier conditions are recognised worse.

    Each speaker has a random skill so clips of a speaker are correlated, as in real speech.
    """
    rng = np.random.default_rng(seed)
    speakers = sorted(clips["speaker_id"].unique())
    skill = dict(zip(speakers, rng.normal(0.0, 0.4, len(speakers)), strict=False))
    k = len(labels)
    frames = []
    for c, condition in enumerate(conditions):
        logit = (
            1.2
            + clips["speaker_id"].map(skill).to_numpy()
            - female_penalty * (clips["gender"].to_numpy() == "female")
            - 0.9 * c
        )
        correct = rng.random(len(clips)) < 1 / (1 + np.exp(-logit))
        truth = clips["y_true"].map(labels.index).to_numpy()
        wrong = (truth + 1 + rng.integers(0, k - 1, len(clips))) % k
        pred = np.where(correct, truth, wrong)
        top = 0.35 + 0.6 * rng.random(len(clips))
        probs = np.repeat(((1 - top) / (k - 1))[:, None], k, axis=1)
        probs[np.arange(len(clips)), pred] = top
        frame = clips.drop(columns=[c for c in ("audio_path",) if c in clips]).copy()
        frame["condition"] = condition
        frame["y_pred"] = [labels[i] for i in pred]
        for i, label in enumerate(labels):
            frame[f"p_{label}"] = probs[:, i]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def make_result(
    *,
    name: str = "synthetic",
    scope: dict | None = None,
    hostile: bool = False,
    female_penalty: float = 0.8,
    seed: int = 0,
    conditions=CONDITIONS,
    slices=("gender", "dataset"),
    bootstrap: int = 200,
    permutations: int = 500,
) -> dict:
    """A full result document from the real analysis. `hostile` puts a script tag into a group
    name, a speaker id, the audit name, the scope and the description (escaping tests)."""
    clips = load_dataset(demo_data_dir())
    if hostile:
        clips = clips.copy()
        clips.loc[clips["gender"] == "male", "gender"] = HOSTILE_GROUP
        clips.loc[clips.index[:5], "speaker_id"] = XSS
    plan = plan_labels(clips, LABELS, {})
    spec = AuditSpec.model_validate(
        {
            "name": XSS if hostile else name,
            "slices": list(slices),
            "conditions": list(conditions),
            "seed": seed,
            "description": f"description {XSS}" if hostile else "simulated predictions",
            "scope": {**(scope or SCOPE), "notes": XSS} if hostile else (scope or SCOPE),
            "stats": {"bootstrap": bootstrap, "permutations": permutations},
        }
    )
    predictions = simulated_predictions(
        plan.kept, conditions, seed=seed, female_penalty=female_penalty
    )
    model = {
        "format": "simulated",
        "name": "simulated-model",
        "path": None,
        "sha256": "0" * 64,
        "labels": list(LABELS),
        "sample_rate": 16000,
    }
    result = analyse(
        predictions,
        spec=spec,
        conditions=parse_conditions(list(conditions)),
        labels=LABELS,
        clips_total=clips,
        excluded=plan.excluded,
        provenance=provenance(spec, model, manifest_hash(clips), time.time()),
    )
    result["model_card"] = {
        "path": "simulated.card.md",
        "sha256": None,
        "markdown": (
            "# Model card: simulated-model\n\nA stand-in model for report tests.\n\n"
            "| metric | value |\n|---|---|\n| UAR | 0.50 |\n\n"
            + (f"Raw HTML in a card shows as text: {XSS}\n" if hostile else "")
            + "## Limitations\n\n- Simulated predictions.\n"
        ),
    }
    return result


@lru_cache(maxsize=4)
def _cached(hostile: bool, female_penalty: float) -> str:
    from serfair.report.json_out import _clean

    return json.dumps(_clean(make_result(hostile=hostile, female_penalty=female_penalty)))


def cached_result(*, hostile: bool = False, female_penalty: float = 0.8) -> dict:
    """make_result, computed once per test session; every call returns a fresh copy."""
    return json.loads(_cached(hostile, female_penalty))


if __name__ == "__main__":  # pragma: no cover
    from serfair.report import write_outputs

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/serfair-synthetic")
    for path in write_outputs(make_result(hostile="--hostile" in sys.argv), out).values():
        print(path)
