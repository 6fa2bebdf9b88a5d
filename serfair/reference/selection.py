"""Model selection for the reference models on the VALIDATION speakers only.

    python -m serfair.reference.selection --data ../shared/data \
        --out reference_models/selection.json [--augment] [--grid NAME ...] [--seeds N ...]

Trains each configuration of the grid on the training speakers and records its validation UAR
(per epoch and final). Test speakers are never loaded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from .clips import load_clips
from .model import ModelConfig
from .split import VALIDATION_SPEAKERS
from .train import TrainConfig, fit, predict_torch, read_waves, scores

# The starting point of the search (the first defaults). The chosen configuration ("big") became
# the defaults of TrainConfig / ModelConfig.
BASE = TrainConfig(
    epochs=30, batch_size=32, lr=2e-3, weight_decay=1e-2, crop_s=3.0, label_smoothing=0.1,
    class_weighted=True, ema_decay=0.0, aug_copies=2,
    model=ModelConfig(n_fft=400, hop=160, n_mels=64, conv_channels=(96, 96, 128), kernel_size=5,
                      lstm_hidden=96, dropout=0.3),
)

GRID: dict[str, TrainConfig] = {
    "base": BASE,
    "ep20": replace(BASE, epochs=20),
    "ep40": replace(BASE, epochs=40),
    "lr1e-3": replace(BASE, lr=1e-3),
    "mels40": replace(BASE, model=replace(BASE.model, n_mels=40)),
    "nfft512": replace(BASE, model=replace(BASE.model, n_fft=512)),
    "small": replace(BASE, model=replace(BASE.model, conv_channels=(64, 64, 96),
                                         lstm_hidden=64)),
    "crop2": replace(BASE, crop_s=2.0),
    "big": replace(BASE, model=replace(BASE.model, conv_channels=(128, 128, 160),
                                       lstm_hidden=128)),
    "drop5": replace(BASE, model=replace(BASE.model, dropout=0.5)),
    "wd5e-2": replace(BASE, weight_decay=5e-2),
    "unweighted": replace(BASE, class_weighted=False),
    "big-drop5": replace(BASE, model=replace(BASE.model, conv_channels=(128, 128, 160),
                                             lstm_hidden=128, dropout=0.5)),
    "big-ep40": replace(BASE, epochs=40, model=replace(BASE.model, conv_channels=(128, 128, 160),
                                                       lstm_hidden=128)),
    "ema": replace(BASE, ema_decay=0.995),
    "ema-ep40": replace(BASE, ema_decay=0.995, epochs=40),
    # round 3: group-balanced variants of the shipped v1 recipe (the mitigated reference)
    "v1-reweight": TrainConfig(group_balance="reweight"),
    "v1-sample": TrainConfig(group_balance="sample"),
}


def worst_group_uar(labels: np.ndarray, pred: np.ndarray, groups: np.ndarray) -> dict:
    """UAR per group value and the lowest of them (the mitigation selection criterion)."""
    per = {str(g): scores(labels[groups == g], pred[groups == g])["uar"]
           for g in sorted(set(groups.tolist()))}
    return {"per_group": per, "worst": min(per.values())}


def run(data_dir: Path, names: list[str], seeds: list[int], augment: bool,
        out: Path | None, log=print, round_no: int = 2,
        threads: int | None = None) -> list[dict]:
    df = load_clips(data_dir)
    df = df[df["split"].isin(["train", "val"])].reset_index(drop=True)  # test never loaded
    waves = read_waves(df["abspath"].tolist())
    labels = df["label"].to_numpy()
    tr = np.flatnonzero(df["split"] == "train")
    va = np.flatnonzero(df["split"] == "val")
    groups = (df["gender"].astype(str) + "*" + df["dataset"].astype(str)).to_numpy()
    records = json.loads(out.read_text()) if out and out.exists() else []
    for name in names:
        cfg = GRID[name] if threads is None else replace(GRID[name], threads=threads)
        for seed in seeds:
            log(f"== {name} seed={seed} augment={augment}")
            t0 = time.time()
            model, hist = fit([waves[i] for i in tr], labels[tr], cfg, seed, augment,
                              val=([waves[i] for i in va], labels[va]),
                              clip_ids=df["clip_key"].to_numpy()[tr].tolist(),
                              groups=groups[tr], log=log)
            pred = predict_torch(model, [waves[i] for i in va]).argmax(1)
            gender = df["gender"].astype(str).to_numpy()[va]
            rec = {"round": round_no, "config_name": name, "seed": seed, "augment": augment,
                   "val_uar": scores(labels[va], pred)["uar"],
                   "val_uar_by_gender": worst_group_uar(labels[va], pred, gender),
                   "val_uar_by_epoch": [round(h["val_uar"], 4) for h in hist],
                   "seconds": round(time.time() - t0, 1),
                   "validation_speakers": list(VALIDATION_SPEAKERS),
                   "config": cfg.to_dict()}
            log(f"== {name} seed={seed}: val_uar={rec['val_uar']:.4f} ({rec['seconds']} s)")
            records.append(rec)
            if out:
                out.write_text(json.dumps(records, indent=1) + "\n")
    return records


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m serfair.reference.selection", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, type=Path)
    p.add_argument("--out", type=Path, default=None, help="JSON file to append records to")
    p.add_argument("--grid", nargs="*", default=list(GRID), choices=list(GRID))
    p.add_argument("--seeds", nargs="*", type=int, default=[0])
    p.add_argument("--augment", action="store_true")
    p.add_argument("--round", type=int, default=2, help="round number stored in the records")
    p.add_argument("--threads", type=int, default=None, help="override the torch threads")
    a = p.parse_args(argv)
    run(a.data, a.grid, a.seeds, a.augment, a.out, round_no=a.round, threads=a.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())


