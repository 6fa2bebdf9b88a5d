"""Training recipe of the reference CNN-LSTM models, deterministic for a given seed.

    python -m serfair.reference.train --data ../shared/data --out reference_models \
        --name cnnlstm-v1 --seed 0 [--augment]

trains on the training speakers of `split.py` (optionally refits on train + validation), exports
`<out>/<name>.onnx`, evaluates the exported model with onnxruntime on the held-out test speakers
and writes `<out>/<name>.eval.json` and `<out>/<name>.card.md`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile as sf
import torch
from torch import nn

from . import augment as aug
from .card import write_card
from .clips import load_clips
from .export import export_onnx
from .features import SAMPLE_RATE
from .latency import measure_latency
from .model import CnnLstm, ModelConfig
from .split import (
    LABELS,
    TEST_SPEAKERS,
    TRAIN_SPEAKERS,
    VALIDATION_SPEAKERS,
    random_clip_split,
)

DEFAULT_VERSION = "1.0.0"

# group_balance -> what it does to the training clips' gender x corpus groups
GROUP_BALANCE: dict[str, str] = {
    "none": "no group balancing (every clip counts once)",
    "reweight": "loss re-weighted so every gender x corpus group carries the same total weight",
    "sample": "each epoch draws clips with replacement, every gender x corpus group equally likely",
}


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation settings (the chosen defaults come from validation-speaker selection)."""

    epochs: int = 30
    batch_size: int = 32
    lr: float = 2e-3
    weight_decay: float = 1e-2
    crop_s: float = 3.0
    label_smoothing: float = 0.1
    class_weighted: bool = True
    ema_decay: float = 0.0  # > 0: export an exponential moving average of the weights
    aug_copies: int = 2  # pitch/tempo copies per clip when augmenting
    threads: int = 2
    refit: bool = True  # final model: retrain on train + validation speakers with these settings
    group_balance: str = "none"  # a key of GROUP_BALANCE: how gender x corpus groups are weighted
    model: ModelConfig = field(default_factory=ModelConfig)

    def __post_init__(self) -> None:
        if self.group_balance not in GROUP_BALANCE:
            raise ValueError(f"group_balance={self.group_balance!r}: expected one of "
                             f"{sorted(GROUP_BALANCE)}")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["model"] = self.model.to_dict()
        return d


# ---------------------------------------------------------------- data


def read_waves(paths: list[str]) -> list[np.ndarray]:
    """Mono float32 16 kHz waveforms."""
    waves = []
    for p in paths:
        data, sr = sf.read(p, dtype="float32", always_2d=True)
        if sr != SAMPLE_RATE:
            import soxr

            data = soxr.resample(data, sr, SAMPLE_RATE, quality="HQ")
        waves.append(np.ascontiguousarray(data.mean(axis=1), dtype=np.float32))
    return waves


def pad_batch(waves: list[np.ndarray], min_samples: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Zero-pad at the end to the longest clip: (batch [B, S] float32, lengths [B] int64)."""
    lengths = np.array([max(len(w), min_samples) for w in waves], dtype=np.int64)
    out = np.zeros((len(waves), int(lengths.max())), dtype=np.float32)
    for i, w in enumerate(waves):
        out[i, : len(w)] = w
    return out, lengths


# ---------------------------------------------------------------- metrics


def scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    """uar (balanced accuracy over the classes present), accuracy, macro F1 over LABELS,
    per-emotion recall and the confusion matrix (rows true, columns predicted)."""
    from sklearn.metrics import confusion_matrix, f1_score

    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    present = [k for k in range(len(LABELS)) if np.any(y_true == k)]
    recall = {LABELS[k]: float(np.mean(y_pred[y_true == k] == k)) for k in present}
    return {
        "uar": float(np.mean(list(recall.values()))) if recall else float("nan"),
        "accuracy": float(np.mean(y_true == y_pred)) if len(y_true) else float("nan"),
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro",
                                   zero_division=0)),
        "n_clips": int(len(y_true)),
        "recall": recall,
        "confusion": confusion_matrix(y_true, y_pred, labels=list(range(len(LABELS)))).tolist(),
    }


def evaluate(df: pd.DataFrame, y_pred: np.ndarray) -> dict:
    """Overall scores plus uar per gender and per dataset."""
    y_true = df["label"].to_numpy()
    out = scores(y_true, y_pred)
    out["n_speakers"] = int(df["speaker_id"].nunique())
    out["speakers"] = sorted(df["speaker_id"].unique().tolist())
    for col, key in (("gender", "per_gender"), ("dataset", "per_dataset")):
        out[key] = {}
        for g, idx in df.groupby(col).indices.items():
            s = scores(y_true[idx], y_pred[idx])
            out[key][str(g)] = {"uar": s["uar"], "accuracy": s["accuracy"],
                                "n_clips": s["n_clips"],
                                "n_speakers": int(df.iloc[idx]["speaker_id"].nunique())}
    return out


def headline(test_eval: dict | None) -> dict:
    """The top-level keys of an eval record: uar, accuracy, macro_f1, per group UAR, counts."""
    t = test_eval or {}
    return {
        "uar": t.get("uar"),
        "accuracy": t.get("accuracy"),
        "macro_f1": t.get("macro_f1"),
        "per_gender_uar": {g: v["uar"] for g, v in (t.get("per_gender") or {}).items()},
        "per_dataset_uar": {g: v["uar"] for g, v in (t.get("per_dataset") or {}).items()},
        "n_clips": t.get("n_clips", 0),
        "n_speakers": t.get("n_speakers", 0),
    }


def model_record(name: str, version: str, onnx_path: Path, test_eval: dict | None) -> dict:
    """The first keys of an eval record: the file (name, sha256, size), labels and test scores."""
    return {
        "name": name,
        "version": version,
        "model_file": onnx_path.name,
        "sha256": _sha256(onnx_path),
        "size_bytes": onnx_path.stat().st_size,
        "labels": list(LABELS),
        "evaluated_with": "onnxruntime on the exported model, test speakers, six emotions",
        "test": test_eval,
        **headline(test_eval),
    }


# ---------------------------------------------------------------- inference


def predict_torch(model: nn.Module, waves: list[np.ndarray], batch_size: int = 32) -> np.ndarray:
    """Probabilities [N, L] with the torch model in eval mode (batches sorted by length)."""
    model.eval()
    order = np.argsort([len(w) for w in waves], kind="stable")
    out = np.zeros((len(waves), len(LABELS)), dtype=np.float32)
    n_fft = model.frontend.n_fft
    with torch.no_grad():
        for i in range(0, len(order), batch_size):
            idx = order[i: i + batch_size]
            x, lens = pad_batch([waves[j] for j in idx], n_fft)
            out[idx] = model(torch.from_numpy(x), torch.from_numpy(lens)).numpy()
    return out


def predict_onnx(path: str | Path, waves: list[np.ndarray], batch_size: int = 32) -> np.ndarray:
    """Probabilities [N, L] from an exported model with onnxruntime (batches sorted by length)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    meta = sess.get_modelmeta().custom_metadata_map
    min_samples = int(meta.get("serfair.min_samples", "0"))
    order = np.argsort([len(w) for w in waves], kind="stable")
    out = np.zeros((len(waves), len(json.loads(meta["serfair.labels"]))), dtype=np.float32)
    for i in range(0, len(order), batch_size):
        idx = order[i: i + batch_size]
        x, lens = pad_batch([waves[j] for j in idx], min_samples)
        out[idx] = sess.run(["probabilities"], {"waveform": x, "lengths": lens})[0]
    return out


# ---------------------------------------------------------------- training


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng([int(k) for k in key])


def _crop(y: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    if len(y) <= n:
        return y
    start = int(rng.integers(0, len(y) - n + 1))
    return y[start: start + n]


def augmented_copies(waves: list[np.ndarray], seed: int, copies: int,
                      ids: list[int]) -> list[list[np.ndarray]]:
    """For each clip, `copies` pitch/tempo-augmented versions (copy k of the clip with id i
    draws from Generator([seed, 1_000_000 + k, i]))."""
    out = []
    for i, y in zip(ids, waves):
        out.append([aug.pitch_tempo_copy(y, _rng(seed, 1_000_000 + k, i))[0]
                    for k in range(copies)])
    return out


def fit(train_waves: list[np.ndarray], train_labels: np.ndarray, cfg: TrainConfig, seed: int,
        augment: bool = False, val: tuple[list[np.ndarray], np.ndarray] | None = None,
        clip_ids: list[int] | None = None, copies: list[list[np.ndarray]] | None = None,
        groups: np.ndarray | None = None, log=print) -> tuple[CnnLstm, list[dict]]:
    """Train a CnnLstm; returns the model (eval mode) and a per-epoch history (loss, and the
    validation UAR when `val` is given). Deterministic for a given seed and thread count.

    `clip_ids` (stable ids of the training clips) key the augmentation generators; `copies`
    may pass precomputed pitch/tempo copies (as `augmented_copies` makes them). `groups` (one
    label per clip, e.g. "female*ravdess") is needed when `cfg.group_balance` is not "none"."""
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(seed)
    model = CnnLstm(cfg.model)
    n = len(train_waves)
    ids = clip_ids if clip_ids is not None else list(range(n))
    crop = int(cfg.crop_s * SAMPLE_RATE)
    n_fft = cfg.model.n_fft
    if augment and copies is None:
        copies = augmented_copies(train_waves, seed, cfg.aug_copies, ids)
    if not augment:
        copies = None

    counts = np.bincount(train_labels, minlength=len(LABELS)).astype(np.float64)
    if cfg.class_weighted:
        w = np.where(counts > 0, counts.sum() / np.maximum(counts, 1) / len(LABELS), 0.0)
    else:
        w = np.ones(len(LABELS))
    class_w = torch.tensor(w, dtype=torch.float32)
    loss_fn = nn.CrossEntropyLoss(weight=class_w, label_smoothing=cfg.label_smoothing)
    group_w = group_weights(groups, n) if cfg.group_balance != "none" else None
    if cfg.group_balance == "reweight":
        per_clip_fn = nn.CrossEntropyLoss(weight=class_w, label_smoothing=cfg.label_smoothing,
                                          reduction="none")
        clip_w = torch.tensor(group_w, dtype=torch.float32)

        def loss_fn(logits: torch.Tensor, target: torch.Tensor, idx: np.ndarray) -> torch.Tensor:
            cw = clip_w[torch.from_numpy(idx)]
            return (per_clip_fn(logits, target) * cw).sum() / (class_w[target] * cw).sum()
    else:
        plain_loss = loss_fn

        def loss_fn(logits: torch.Tensor, target: torch.Tensor, idx: np.ndarray) -> torch.Tensor:
            return plain_loss(logits, target)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    steps_per_epoch = math.ceil(n / cfg.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=cfg.lr, total_steps=max(1, cfg.epochs * steps_per_epoch), pct_start=0.15)
    ema = _Ema(model, cfg.ema_decay) if cfg.ema_decay > 0 else None
    history = []
    for epoch in range(cfg.epochs):
        t0 = time.time()
        model.train()
        rng = _rng(seed, epoch)
        if cfg.group_balance == "sample":
            order = rng.choice(n, size=n, replace=True, p=group_w / group_w.sum())
        else:
            order = rng.permutation(n)
        total = 0.0
        for b in range(0, n, cfg.batch_size):
            idx = order[b: b + cfg.batch_size]
            batch = []
            for pos, j in enumerate(idx):
                # a clip drawn twice (balanced sampling) gets a different crop each time
                ex_rng = (_rng(seed, epoch, ids[j], b + pos) if cfg.group_balance == "sample"
                          else _rng(seed, epoch, ids[j]))
                y = train_waves[j]
                if copies is not None:
                    version = int(ex_rng.integers(0, len(copies[j]) + 1))
                    y = y if version == 0 else copies[j][version - 1]
                y = _crop(y, crop, ex_rng)
                if copies is not None:
                    y = aug.noise_gain(y, ex_rng)
                batch.append(y)
            x, lens = pad_batch(batch, n_fft)
            target = torch.from_numpy(train_labels[idx].astype(np.int64))
            opt.zero_grad()
            loss = loss_fn(model.logits(torch.from_numpy(x), torch.from_numpy(lens)), target, idx)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            if ema is not None:
                ema.update(model)
            total += loss.item() * len(idx)
        rec = {"epoch": epoch + 1, "loss": total / n, "seconds": round(time.time() - t0, 2)}
        if val is not None and len(val[0]):
            pred = predict_torch(ema.model if ema is not None else model, val[0]).argmax(1)
            rec["val_uar"] = scores(val[1], pred)["uar"]
        history.append(rec)
        log(" ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in rec.items()))
    if ema is not None:
        model = ema.model
    model.eval()
    return model, history


def group_weights(groups: np.ndarray | None, n: int) -> np.ndarray:
    """Per-clip weights n / (G * n_g) for G non-empty groups: every group sums to n / G."""
    if groups is None or len(groups) != n:
        raise ValueError("group balancing needs one group label per training clip")
    values, inverse, counts = np.unique(np.asarray(groups), return_inverse=True,
                                        return_counts=True)
    return n / (len(values) * counts[inverse].astype(np.float64))


class _Ema:
    """Exponential moving average of all floating-point weights and BatchNorm statistics."""

    def __init__(self, model: CnnLstm, decay: float) -> None:
        self.decay = decay
        self.steps = 0
        self.model = CnnLstm(model.config)
        self.model.load_state_dict(model.state_dict())
        self.model.eval()

    @torch.no_grad()
    def update(self, model: CnnLstm) -> None:
        self.steps += 1
        d = min(self.decay, (1 + self.steps) / (10 + self.steps))
        current = model.state_dict()
        for k, v in self.model.state_dict().items():
            if v.is_floating_point():
                v.mul_(d).add_(current[k], alpha=1 - d)
            else:
                v.copy_(current[k])


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def train_reference(data_dir: str | Path, out_dir: str | Path, name: str = "cnnlstm-v1",
                    seed: int = 0, augment: bool = False, epochs: int | None = None, *,
                    config: TrainConfig | None = None, refit: bool | None = None,
                    limit_per_speaker: int | None = None, version: str = DEFAULT_VERSION,
                    description: str | None = None, split: str = "speaker",
                    log=print) -> dict:
    """Train a reference model, export `<out_dir>/<name>.onnx`, evaluate the exported model with
    onnxruntime on the test speakers, write `<name>.eval.json` and `<name>.card.md`; return the
    evaluation dict.

    With `refit` (default from the config: True) the model is first trained on the training
    speakers and scored on the validation speakers (that score is reported), then retrained
    from scratch with the same settings and seed on training + validation speakers; the
    retrained model is the one exported. Test speakers are used only for the final evaluation.

    `split="clip"` replaces the speaker-independent split with a seeded random clip-level split
    of the same sizes (the leaky protocol behind "99 %" claims; for the worked example only).
    Besides the ONNX file, the torch weights are saved as `<name>.pt` (exported model) and
    `<name>.train-only.pt` (the model scored on the validation speakers), and the training
    clips as `<name>.train.csv` (a manifest with audio hashes for `serfair audit
    --train-manifest`).
    """
    t_start, cpu_start = time.time(), time.process_time()
    cfg = config or TrainConfig()
    if epochs is not None:
        cfg = replace(cfg, epochs=int(epochs))
    if refit is not None:
        cfg = replace(cfg, refit=bool(refit))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    df = load_clips(data_dir, limit_per_speaker)
    if split == "clip":
        df["split"] = random_clip_split(df["clip_key"].tolist(), df["split"].tolist(), seed)
    elif split != "speaker":
        raise ValueError(f"split={split!r}: expected 'speaker' or 'clip'")
    waves = read_waves(df["abspath"].tolist())
    groups = (df["gender"].astype(str) + "*" + df["dataset"].astype(str)).to_numpy()
    labels = df["label"].to_numpy()
    is_train = (df["split"] == "train").to_numpy()
    is_val = (df["split"] == "val").to_numpy()
    is_test = (df["split"] == "test").to_numpy()
    if not is_train.any():
        raise ValueError(f"{data_dir}: no clips of the training speakers {TRAIN_SPEAKERS}")

    def pick(mask):
        ids = np.flatnonzero(mask)
        return [waves[i] for i in ids], labels[ids], ids.tolist()

    keys = df["clip_key"].to_numpy()
    tr_w, tr_y, tr_rows = pick(is_train)
    va_w, va_y, _ = pick(is_val)
    log(f"[{name}] train {len(tr_w)} clips, val {len(va_w)}, test {int(is_test.sum())}; "
        f"augment={augment} seed={seed} epochs={cfg.epochs} refit={cfg.refit} "
        f"rnn={cfg.model.rnn} group_balance={cfg.group_balance} split={split}")

    t0 = time.time()
    copies: dict[int, list[np.ndarray]] = {}
    if augment:  # pitch/tempo copies of every train + val clip, computed once
        rows = np.flatnonzero(is_train | is_val)
        copies = dict(zip(rows.tolist(), augmented_copies(
            [waves[i] for i in rows], seed, cfg.aug_copies, keys[rows].tolist())))
        log(f"[{name}] augmented copies: {time.time() - t0:.1f} s")
    model, history = fit(tr_w, tr_y, cfg, seed, augment, val=(va_w, va_y),
                         clip_ids=keys[tr_rows].tolist(),
                         copies=[copies[i] for i in tr_rows] if augment else None,
                         groups=groups[tr_rows], log=log)
    selection_seconds = time.time() - t0
    torch.save(model.state_dict(), out_dir / f"{name}.train-only.pt")
    val_eval = evaluate(df[is_val], predict_torch(model, va_w).argmax(1)) if len(va_w) else None

    final_seconds = 0.0
    if cfg.refit and len(va_w):
        t0 = time.time()
        tv_w, tv_y, tv_rows = pick(is_train | is_val)
        log(f"[{name}] refit on train + val: {len(tv_w)} clips")
        model, _ = fit(tv_w, tv_y, cfg, seed, augment, clip_ids=keys[tv_rows].tolist(),
                       copies=[copies[i] for i in tv_rows] if augment else None,
                       groups=groups[tv_rows], log=log)
        final_seconds = time.time() - t0
        final_mask = is_train | is_val
    else:
        final_mask = is_train
    final_speakers = sorted(df[final_mask]["speaker_id"].unique())
    torch.save(model.state_dict(), out_dir / f"{name}.pt")
    write_train_manifest(out_dir / f"{name}.train.csv", df[final_mask],
                         [waves[i] for i in np.flatnonzero(final_mask)])

    kind = {"lstm": "CNN-LSTM", "gru": "CNN-GRU"}[cfg.model.rnn]
    desc = description or (
        f"Reference {kind} speech emotion recogniser (log-mel, conv, bidirectional "
        f"{cfg.model.rnn.upper()}) trained on acted "
        "RAVDESS + EmoDB speech" + (" with noise/pitch/tempo/gain augmentation" if augment else "")
        + ("; group-balanced training (gender x corpus)" if cfg.group_balance != "none" else "")
        + ("; LEAKY random clip-level split" if split == "clip" else "")
        + "; for demonstrating audits, not for deployment")
    onnx_path = export_onnx(model, out_dir / f"{name}.onnx", LABELS, {
        "serfair.name": name,
        "serfair.version": version,
        "serfair.description": desc,
        "serfair.seed": str(seed),
        "serfair.augment": str(bool(augment)).lower(),
        "serfair.test_speakers": json.dumps(list(TEST_SPEAKERS)),
    })

    test_df = df[is_test]
    test_w = [waves[i] for i in np.flatnonzero(is_test)]
    test_probs = predict_onnx(onnx_path, test_w) if test_w else np.zeros((0, len(LABELS)))
    test_eval = evaluate(test_df, test_probs.argmax(1)) if test_w else None
    fixed = test_df["speaker_id"].isin(TEST_SPEAKERS).to_numpy()
    test_fixed_eval = (evaluate(test_df[fixed], test_probs[fixed].argmax(1))
                       if split == "clip" and fixed.any() else None)
    # the exported model against torch, as a sanity check of the export
    export_diff = (float(np.abs(predict_torch(model, test_w[:16]) - test_probs[:16]).max())
                   if test_w else None)

    result = {
        **model_record(name, version, onnx_path, test_eval),
        "test_speakers": (list(TEST_SPEAKERS) if split == "speaker"
                          else sorted(test_df["speaker_id"].unique().tolist())),
        "split": split,
        "test_clips_of_fixed_test_speakers": test_fixed_eval,
        "train_manifest": f"{name}.train.csv",
        "validation_speakers": list(VALIDATION_SPEAKERS),
        "train_speakers": list(TRAIN_SPEAKERS),
        "final_model_trained_on": final_speakers,
        "validation_uar": val_eval["uar"] if val_eval else None,
        "validation": val_eval,
        "validation_note": ("validation UAR of the model trained on the training speakers only "
                            "with the same settings and seed; the exported model was then "
                            "retrained on training + validation speakers") if cfg.refit else
                           "validation UAR of the exported model",
        "max_abs_diff_torch_vs_onnx": export_diff,
        "seed": seed,
        "augment": bool(augment),
        "epochs": cfg.epochs,
        "refit": cfg.refit,
        "config": cfg.to_dict(),
        "history": history,
        "limit_per_speaker": limit_per_speaker,
        "training_seconds": round(selection_seconds + final_seconds, 1),
        "training_seconds_selection_run": round(selection_seconds, 1),
        "training_seconds_final_fit": round(final_seconds, 1),
        "total_seconds": round(time.time() - t_start, 1),
        # CPU time of this process (all threads): what the recipe costs on a shared machine
        "cpu_seconds": round(time.process_time() - cpu_start, 1),
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "torch_version": torch.__version__,
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "threads": cfg.threads,
        "n_params": int(sum(p.numel() for p in model.parameters())),
        "data_dir": str(Path(data_dir)),
        "command": (f"serfair train-reference --data {data_dir} --out {out_dir} "
                    f"--name {name} --seed {seed}" + (" --augment" if augment else "")
                    + (f" --rnn {cfg.model.rnn}" if cfg.model.rnn != "lstm" else "")
                    + (f" --group-balance {cfg.group_balance}"
                       if cfg.group_balance != "none" else "")
                    + (f" --split {split}" if split != "speaker" else "")
                    + ("" if cfg.refit else " --no-refit")
                    + (f" --threads {cfg.threads}" if cfg.threads != 2 else "")
                    + (f" --epochs {epochs}" if epochs is not None else "")),
        "latency": measure_latency(onnx_path),
    }
    (out_dir / f"{name}.eval.json").write_text(json.dumps(result, indent=2) + "\n")
    write_card(out_dir / f"{name}.card.md", result, df)
    log(f"[{name}] test uar={result['uar']} val uar={result['validation_uar']} "
        f"time={result['total_seconds']}s -> {onnx_path}")
    return result


def write_train_manifest(path: Path, clips: pd.DataFrame, waves: list[np.ndarray]) -> Path:
    """The training clips as a serfair manifest (paths as in the corpus manifest) with the
    content hash of each clip's decoded audio, for `serfair audit --train-manifest`."""
    from serfair.vocab.audio_hash import waveform_hash

    cols = [c for c in ("path", "dataset", "speaker_id", "gender", "emotion") if c in clips]
    out = clips[cols].copy()
    out["audio_sha256"] = [waveform_hash(w) for w in waves]
    out.to_csv(path, index=False)
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m serfair.reference.train", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, type=Path, help="folder with manifest.csv")
    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--name", default="cnnlstm-v1")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--augment", action="store_true", help="noise/pitch/tempo/gain augmentation")
    p.add_argument("--epochs", type=int, default=None)
    p.add_argument("--no-refit", action="store_true",
                   help="export the train-only model instead of refitting on train + val")
    p.add_argument("--limit-per-speaker", type=int, default=None)
    a = p.parse_args(argv)
    train_reference(a.data, a.out, a.name, a.seed, a.augment, a.epochs,
                    refit=False if a.no_refit else None, limit_per_speaker=a.limit_per_speaker)
    return 0


if __name__ == "__main__":
    sys.exit(main())
