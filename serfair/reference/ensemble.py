"""The reference ensemble: several reference networks over ONE shared log-mel front end, their
softmax probabilities averaged; exported as one ONNX graph.

    serfair build-ensemble --out reference_models --name ensemble-v2 \
        --selection reference_models/ensemble-selection.json [--data ../shared/data]
    serfair build-ensemble --name NAME --members cnnlstm-v1,cnngru-v1   # any published members

Members are loaded from `<out>/<member>.pt` (written by `serfair train-reference`) or, for a
CNN-LSTM without one, recovered from its published ONNX file (`from_onnx.py`), and checked: each
is re-exported and must have the sha256 recorded in `<member>.eval.json`, so the ensemble is
built from exactly the published weights.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import torch
from torch import nn

from .export import export_onnx
from .model import CnnLstm, ModelConfig
from .split import LABELS


class Ensemble(nn.Module):
    """waveform [B, S], lengths [B] -> mean of the members' probabilities [B, n_classes]."""

    def __init__(self, members: list[CnnLstm]) -> None:
        super().__init__()
        if not members:
            raise ValueError("an ensemble needs at least one member")
        first = members[0].frontend
        for m in members[1:]:
            f = m.frontend
            if ((f.n_fft, f.hop, f.n_mels) != (first.n_fft, first.hop, first.n_mels)
                    or not torch.equal(f.mel_fb, first.mel_fb)):
                raise ValueError("ensemble members must share the front end (n_fft, hop, mels)")
        self.members = nn.ModuleList(members)
        self.frontend = first

    def forward(self, waveform: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        x, n = self.frontend(waveform, lengths)
        probs = [torch.softmax(m.classify(x, n), dim=-1) for m in self.members]
        return torch.stack(probs, dim=0).mean(dim=0)


def load_member(out_dir: Path, name: str, *,
                weights: str = "final") -> tuple[CnnLstm | None, dict]:
    """A published member's torch model and eval record. `weights`: "final" (the exported
    model: `<name>.pt`, else recovered from `<name>.onnx` for a CNN-LSTM) or "train-only"
    (`<name>.train-only.pt`, the model scored on validation speakers; None when missing)."""
    eval_path = out_dir / f"{name}.eval.json"
    pt = out_dir / (f"{name}.pt" if weights == "final" else f"{name}.train-only.pt")
    if not eval_path.exists():
        raise FileNotFoundError(f"{eval_path} not found: train the member first")
    record = json.loads(eval_path.read_text())
    config = ModelConfig.from_dict(record["config"]["model"])
    if not pt.exists():
        if weights != "final":
            return None, record
        if config.rnn == "lstm" and (out_dir / record["model_file"]).exists():
            from .from_onnx import load_from_onnx

            return load_from_onnx(out_dir / record["model_file"], config), record
        raise FileNotFoundError(f"{pt} not found: re-create the member's weights with its "
                                f"documented (deterministic) command: {record['command']}")
    model = CnnLstm(config)
    model.load_state_dict(torch.load(pt, weights_only=True))
    model.eval()
    return model, record


def verify_member(model: CnnLstm, record: dict) -> None:
    """Re-export a member and check its sha256 against the published ONNX file's."""
    import hashlib

    meta = _member_metadata(record)
    with tempfile.TemporaryDirectory() as tmp:
        path = export_onnx(model, Path(tmp) / record["model_file"], LABELS, meta)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != record["sha256"]:
        raise ValueError(f"the weights of {record['name']} do not re-export to the published "
                         f"file (sha256 {digest[:12]} != {record['sha256'][:12]}); re-create them "
                         f"with: {record['command']}")


def _member_metadata(record: dict) -> dict[str, str]:
    """The metadata `train_reference` wrote into a member's ONNX file."""
    import onnx

    return {p.key: p.value for p in onnx.load(record["model_path"]).metadata_props}


def build_ensemble(out_dir: str | Path,
                   members: list[str]) -> tuple[Ensemble, Ensemble | None, list]:
    """(final ensemble, train-only ensemble for the validation score or None when a member's
    train-only weights are missing, member records)."""
    out_dir = Path(out_dir)
    finals, train_only, records = [], [], []
    for name in members:
        model, record = load_member(out_dir, name)
        record = {**record, "model_path": str(out_dir / record["model_file"])}
        verify_member(model, record)
        finals.append(model)
        train_only.append(load_member(out_dir, name, weights="train-only")[0])
        records.append(record)
    complete = all(m is not None for m in train_only)
    return Ensemble(finals).eval(), Ensemble(train_only).eval() if complete else None, records


def train_ensemble(data_dir: str | Path, out_dir: str | Path, name: str,
                   members: list[str] | None, *,
                   version: str = "1.0.0", selection: str | Path | None = None,
                   log=print) -> dict:
    """Build the ensemble of published members, export `<out_dir>/<name>.onnx`, evaluate it with
    onnxruntime on the test speakers and write `<name>.eval.json` and `<name>.card.md`.

    Its validation UAR is that of the ensemble of the members' train-only models (trained
    without the validation speakers), as for a single reference model. Nothing is trained here.
    `selection`: the record `select-ensemble` wrote; its chosen pair is the members (`members`,
    if given, must be that pair), and a summary of it goes into the eval record and the card.
    """
    import time

    import numpy as np

    from .card import write_card
    from .clips import load_clips
    from .latency import measure_latency
    from .split import TEST_SPEAKERS, TRAIN_SPEAKERS, VALIDATION_SPEAKERS
    from .train import evaluate, model_record, predict_onnx, predict_torch, read_waves

    t_start = time.time()
    out_dir = Path(out_dir)
    chosen = selection_summary(selection, members) if selection is not None else None
    members = chosen["members"] if chosen else members
    if not members:
        raise ValueError("an ensemble needs members: --members or --selection")
    final, train_only, records = build_ensemble(out_dir, members)
    df = load_clips(data_dir)
    val_df, test_df = df[df["split"] == "val"], df[df["split"] == "test"]
    val_w, test_w = read_waves(val_df["abspath"].tolist()), read_waves(test_df["abspath"].tolist())
    val_eval = (evaluate(val_df, predict_torch(train_only, val_w).argmax(1))
                if train_only is not None else None)
    kinds = "+".join(r["config"]["model"].get("rnn", "lstm").upper() for r in records)
    onnx_path = export_onnx(final, out_dir / f"{name}.onnx", LABELS, {
        "serfair.name": name,
        "serfair.version": version,
        "serfair.description": (f"Reference ensemble (CNN-{kinds}: {', '.join(members)}; mean "
                                f"of probabilities over one log-mel front end) trained on acted "
                                f"RAVDESS + EmoDB speech; for demonstrating audits, not for "
                                f"deployment"),
        "serfair.members": json.dumps(members),
        "serfair.test_speakers": json.dumps(list(TEST_SPEAKERS)),
    })
    test_probs = predict_onnx(onnx_path, test_w)
    test_eval = evaluate(test_df, test_probs.argmax(1))
    first = records[0]
    result = {
        **model_record(name, version, onnx_path, test_eval),
        "members": [{k: r.get(k) for k in ("name", "sha256", "uar", "validation_uar",
                                           "training_seconds", "command")}
                    | {"rnn": r["config"]["model"].get("rnn", "lstm")} for r in records],
        "combination": "mean of the members' softmax probabilities",
        "test_speakers": list(TEST_SPEAKERS),
        "validation_speakers": list(VALIDATION_SPEAKERS),
        "train_speakers": list(TRAIN_SPEAKERS),
        "split": "speaker",
        "final_model_trained_on": first["final_model_trained_on"],
        "train_manifest": first.get("train_manifest"),
        "validation_uar": val_eval["uar"] if val_eval else None,
        "validation": val_eval,
        "validation_note": ("validation UAR of the ensemble of the members' models trained on the "
                            "training speakers only; the exported members were retrained on "
                            "training + validation speakers" if val_eval else
                            "not measured: a member's train-only weights are not saved (its "
                            "exported weights were recovered from its ONNX file); see each "
                            "member's validation UAR"),
        "max_abs_diff_torch_vs_onnx": float(np.abs(
            predict_torch(final, test_w[:16]) - test_probs[:16]).max()),
        "seed": first["seed"],
        "augment": False,
        "epochs": first["epochs"],
        "refit": first["refit"],
        "config": first["config"],
        "limit_per_speaker": None,
        "training_seconds": round(sum(r["training_seconds"] for r in records), 1),
        "total_seconds": round(time.time() - t_start, 1),
        "torch_version": torch.__version__,
        "threads": ", ".join(f"{r['threads']} ({r['name']})" for r in records),
        "n_params": int(sum(p.numel() for m in final.members for p in m.parameters())),
        "data_dir": str(Path(data_dir)),
        "selection": chosen,
        "command": (f"serfair build-ensemble --data {data_dir} --out {out_dir} --name {name} "
                    + (f"--selection {selection}" if chosen else
                       f"--members {','.join(members)}")),
        "latency": measure_latency(onnx_path),
    }
    (out_dir / f"{name}.eval.json").write_text(json.dumps(result, indent=2) + "\n")
    write_card(out_dir / f"{name}.card.md", result, df)
    log(f"[{name}] test uar={result['uar']} val uar={result['validation_uar']} -> {onnx_path}")
    return result


def selection_summary(path: str | Path, members: list[str] | None = None) -> dict:
    """What the eval record keeps of a `select-ensemble` record (which must have chosen
    `members`, when given): the file, the rule, the chosen pair (`members`), every pair's
    validation UAR and the chosen pair's."""
    path = Path(path)
    record = json.loads(path.read_text())
    if members and record.get("chosen") != list(members):
        raise ValueError(f"{path} chose {record.get('chosen')}, not {members}")
    return {"file": path.name, "rule": record["rule"], "members": record["chosen"],
            "candidates": [c["name"] for c in record["candidates"]],
            "pairs": [{"members": p["members"], "validation_uar": p["validation_uar"]}
                      for p in record["pairs"]],
            "chosen_validation_uar": record["chosen_validation_uar"]}
