"""The worked example of speaker leakage: the reference recipe on a random clip-level split next
to the speaker-independent model, written to `reference_models/leakage-example.json` (the model
cards and docs/leakage.md quote it).

    serfair train-reference --data ../shared/data --out build/leaky --name cnnlstm-clipsplit \
        --seed 0 --split clip --no-refit --threads 1
    python -m serfair.reference.leakage_example build/leaky/cnnlstm-clipsplit.eval.json \
        reference_models/cnnlstm-v1.eval.json --out reference_models/leakage-example.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

KEYS = ("uar", "accuracy", "macro_f1", "n_clips", "n_speakers")


def _scores(evaluation: dict) -> dict:
    return {k: evaluation.get(k) for k in KEYS}


def leakage_example(clip_eval: dict, speaker_eval: dict) -> dict:
    """Clip-split scores (all held-out clips, and those of the fixed test speakers) beside the
    speaker-independent model's test-speaker scores."""
    if clip_eval.get("split") != "clip" or speaker_eval.get("split", "speaker") != "speaker":
        raise ValueError("expected the eval JSON of a --split clip run, then of a speaker-split "
                         "reference model")
    fixed = clip_eval.get("test_clips_of_fixed_test_speakers") or {}
    return {
        "command": clip_eval["command"],
        "clip_split": {**_scores(clip_eval["test"]), "name": clip_eval["name"],
                       "per_gender_uar": clip_eval["per_gender_uar"],
                       "training_seconds": clip_eval["training_seconds"]},
        "clip_split_fixed_speakers": _scores(fixed),
        "speaker_split": {**_scores(speaker_eval["test"]), "name": speaker_eval["name"],
                          "per_gender_uar": speaker_eval["per_gender_uar"]},
        "train_manifest": clip_eval.get("train_manifest"),
        "note": ("clip_split: random held-out clips whose speakers are also in training; "
                 "clip_split_fixed_speakers: the held-out clips of the ten fixed test speakers "
                 "(their other clips were in training); speaker_split: the ten test speakers, "
                 "never heard in training"),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m serfair.reference.leakage_example",
                                description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("clip_eval", type=Path, help="eval JSON of the --split clip run")
    p.add_argument("speaker_eval", type=Path, help="eval JSON of a speaker-split reference")
    p.add_argument("--out", type=Path, required=True)
    a = p.parse_args(argv)
    doc = leakage_example(json.loads(a.clip_eval.read_text()),
                          json.loads(a.speaker_eval.read_text()))
    a.out.write_text(json.dumps(doc, indent=2) + "\n")
    print(a.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
