"""Choose the reference ensemble's members on the VALIDATION speakers only.

    serfair select-ensemble --data ../shared/data --out reference_models \
        --lstm cnnlstm-v1,cnnlstm-aug-v1 --gru cnngru-v1,cnngru-s1-v1,cnngru-s2-v1

Every candidate is a trained reference model with its train-only weights
(`<name>.train-only.pt`: the model that never saw the validation speakers). Each pair of one
CNN-LSTM and one CNN-GRU is scored by the UAR of its mean probabilities on the validation
speakers. The rule, fixed before any pair is scored: the highest validation UAR wins; a tie
(equal to 1e-9) goes to the pair that comes first in the order given. Test speakers are never
loaded here.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np

RULE = ("highest validation UAR of the pair's mean probabilities (train-only member weights, "
        "validation speakers only); ties go to the pair listed first")


def validation_probabilities(data_dir: str | Path, out_dir: str | Path,
                             names: list[str]) -> tuple[dict[str, np.ndarray], np.ndarray, dict]:
    """({candidate: probabilities [N, L] of its train-only model on the validation clips},
    validation labels [N], {candidate: eval record})."""
    from .clips import load_clips
    from .ensemble import load_member
    from .train import predict_torch, read_waves

    df = load_clips(data_dir)
    val = df[df["split"] == "val"]
    if val.empty:
        raise ValueError(f"{data_dir}: no clips of the validation speakers")
    waves = read_waves(val["abspath"].tolist())
    probs, records = {}, {}
    for name in names:
        model, record = load_member(Path(out_dir), name, weights="train-only")
        if model is None:
            raise FileNotFoundError(
                f"{Path(out_dir) / (name + '.train-only.pt')} not found: a candidate needs the "
                f"weights scored on the validation speakers; re-create them with its documented "
                f"(deterministic) command: {record['command']}")
        probs[name] = predict_torch(model, waves)
        records[name] = record
        recorded = record.get("validation_uar")
        if recorded is not None and abs(uar(val["label"].to_numpy(), probs[name]) - recorded) > 1e-6:
            raise ValueError(f"{name}.train-only.pt does not score the validation UAR recorded in "
                             f"{name}.eval.json ({recorded:.4f}): it is not that model's "
                             f"train-only weights; re-create them with: {record['command']}")
    return probs, val["label"].to_numpy(), records


def uar(labels: np.ndarray, probs: np.ndarray) -> float:
    """UAR of the most probable class (the recipe's `scores`: classes present in `labels`)."""
    from .train import scores

    return scores(labels, probs.argmax(1))["uar"]


def score_pairs(probs: dict[str, np.ndarray], labels: np.ndarray, lstm: list[str],
                gru: list[str]) -> list[dict]:
    """Validation UAR of every candidate alone and of every (CNN-LSTM, CNN-GRU) pair, in the
    order given."""
    singles = {n: uar(labels, probs[n]) for n in [*lstm, *gru]}
    return [{"members": [a, b],
             "validation_uar": uar(labels, (probs[a] + probs[b]) / 2),
             "members_validation_uar": [singles[a], singles[b]]}
            for a, b in itertools.product(lstm, gru)]


def choose(pairs: list[dict]) -> dict:
    """The pair the rule picks (first of the best within 1e-9)."""
    best = max(p["validation_uar"] for p in pairs)
    return next(p for p in pairs if p["validation_uar"] >= best - 1e-9)


def select_ensemble(data_dir: str | Path, out_dir: str | Path, lstm: list[str],
                    gru: list[str], record: str | Path | None = None) -> dict:
    """Score every pair on the validation speakers, pick one by `RULE`, write the record."""
    if not lstm or not gru:
        raise ValueError("select-ensemble needs at least one CNN-LSTM and one CNN-GRU candidate")
    probs, labels, records = validation_probabilities(data_dir, out_dir, [*lstm, *gru])
    for name, kind in [*((n, "lstm") for n in lstm), *((n, "gru") for n in gru)]:
        rnn = records[name]["config"]["model"].get("rnn", "lstm")
        if rnn != kind:
            raise ValueError(f"{name} is a CNN-{rnn.upper()}, listed as a CNN-{kind.upper()}")
    pairs = score_pairs(probs, labels, lstm, gru)
    chosen = choose(pairs)
    result = {
        "rule": RULE,
        "validation_speakers": sorted(set(records[lstm[0]]["validation_speakers"])),
        "n_validation_clips": len(labels),
        "candidates": [{"name": n, "rnn": records[n]["config"]["model"].get("rnn", "lstm"),
                        "seed": records[n]["seed"], "sha256": records[n]["sha256"],
                        "command": records[n]["command"]} for n in [*lstm, *gru]],
        "pairs": pairs,
        "chosen": chosen["members"],
        "chosen_validation_uar": chosen["validation_uar"],
        "build_command": (f"serfair build-ensemble --selection {record}" if record is not None
                          else "serfair build-ensemble --members " + ",".join(chosen["members"])),
    }
    if record is not None:
        Path(record).write_text(json.dumps(result, indent=1) + "\n")
    return result
