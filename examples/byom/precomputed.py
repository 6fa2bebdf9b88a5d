"""Predictions made elsewhere, audited without running a model.

    python examples/byom/precomputed.py --out models/
    serfair audit --model models/predictions.csv --data models/clips.csv

The CSV has one row per (clip, condition): `clip_id` (as in the manifest: its path without the
suffix), `condition` and `p_<label>` columns. Here the Python example model writes it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from common import pick_clips, waves, write_manifest
from python_model import factory


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("models"))
    parser.add_argument("--data")
    args = parser.parse_args(argv)
    clips = pick_clips(args.data, per_emotion=1)
    model = factory()
    probs = model.predict_proba(waves(clips))
    table = pd.DataFrame(probs, columns=[f"p_{label}" for label in model.labels])
    table.insert(0, "condition", "clean")
    table.insert(0, "clip_id", clips["clip_id"])
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "predictions.csv"
    table.to_csv(path, index=False)
    write_manifest(clips, args.out / "clips.csv")
    print(f"wrote {path} ({len(table)} rows) and {args.out / 'clips.csv'}")
    return path


if __name__ == "__main__":
    main()
