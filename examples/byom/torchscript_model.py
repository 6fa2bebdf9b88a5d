"""A TorchScript model with its facts saved inside (needs torch: pip install 'serfair[train]').

    python examples/byom/torchscript_model.py --out models/
    serfair audit --model models/ser-tiny.pt --label-map calm=neutral

The module takes a zero-padded waveform batch and its lengths (the `lengths: true` fact), and
returns logits (`logits: true`), so serfair applies softmax. Weights are random: the point is
the plumbing, not the accuracy.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from torch import nn

LABELS = ["angry", "happy", "neutral", "sad"]


class TinySER(nn.Module):
    """Frame energies -> a small 1-D conv -> masked mean -> logits."""

    def __init__(self, n_labels: int = len(LABELS), frame: int = 400):
        super().__init__()
        self.frame = frame
        self.conv = nn.Conv1d(1, 8, kernel_size=5, padding=2)
        self.head = nn.Linear(8, n_labels)

    def forward(self, waveform: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        frames = waveform.shape[1] // self.frame
        x = waveform[:, : frames * self.frame].reshape(waveform.shape[0], frames, self.frame)
        valid = torch.clamp(lengths // self.frame, min=1)
        mask = (torch.arange(frames).unsqueeze(0) < valid.unsqueeze(1)).to(x.dtype).unsqueeze(1)
        energy = torch.log(x.pow(2).mean(-1) + 1e-6).unsqueeze(1) * mask  # [B, 1, T], 0 past the end
        h = torch.relu(self.conv(energy))  # [B, 8, T]
        pooled = (h * mask).sum(-1) / mask.sum(-1)  # padding changes nothing: batch-independent
        return self.head(pooled)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("models"))
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    module = torch.jit.script(TinySER().eval())
    facts = {"labels": LABELS, "sample_rate": 16000, "logits": True, "lengths": True}
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "ser-tiny.pt"
    torch.jit.save(module, str(path), _extra_files={"serfair.json": json.dumps(facts)})
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()
