"""The reference CNN-LSTM / CNN-GRU: log-mel front end, 1-D conv blocks, a bidirectional
recurrent layer (LSTM or GRU, see `RECURRENT`), masked pooling, a linear layer and softmax.
Waveform in, probabilities out; padding invariant.

The backward direction reverses each row within its own length (a gather) and runs a second
unidirectional layer, so zero padding at the end of a batch never reaches a valid output.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from .features import LogMel, frame_mask
from .split import LABELS


# recurrent layer kind -> torch class (batch_first, one direction; the model runs two)
RECURRENT: dict[str, type[nn.Module]] = {"lstm": nn.LSTM, "gru": nn.GRU}


@dataclass(frozen=True)
class ModelConfig:
    """Architecture settings of the reference CNN-LSTM."""

    n_fft: int = 400
    hop: int = 160
    n_mels: int = 64
    conv_channels: tuple[int, ...] = (128, 128, 160)
    kernel_size: int = 5
    lstm_hidden: int = 128
    dropout: float = 0.3
    n_classes: int = len(LABELS)
    rnn: str = "lstm"  # a key of RECURRENT

    def __post_init__(self) -> None:
        if self.rnn not in RECURRENT:
            raise ValueError(f"rnn={self.rnn!r}: expected one of {sorted(RECURRENT)}")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["conv_channels"] = list(self.conv_channels)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ModelConfig":
        d = dict(d)
        if "conv_channels" in d:
            d["conv_channels"] = tuple(d["conv_channels"])
        return cls(**d)


def reverse_within_length(x: torch.Tensor, n: torch.Tensor) -> torch.Tensor:
    """Reverse each row of x [B, T, H] over its first n frames; frames >= n stay in place."""
    t = torch.arange(x.shape[1], device=x.device).unsqueeze(0)  # [1, T]
    nn_ = n.unsqueeze(1)
    idx = torch.where(t < nn_, nn_ - 1 - t, t)  # [B, T]
    idx = idx.unsqueeze(-1).expand(-1, -1, x.shape[2])
    return torch.gather(x, 1, idx)


class ConvBlock(nn.Module):
    """Conv1d ('same' zero padding) + BatchNorm + ReLU + MaxPool(2, ceil) over time.

    ReLU output is >= 0 and frames past the end are zero, so a ceil-mode pool window that hangs
    over the end gives the same value in a padded batch as alone.
    """

    def __init__(self, c_in: int, c_out: int, k: int) -> None:
        super().__init__()
        self.conv = nn.Conv1d(c_in, c_out, k, padding=k // 2, bias=False)
        self.bn = nn.BatchNorm1d(c_out)
        self.pool = nn.MaxPool1d(2, ceil_mode=True)

    def forward(self, x: torch.Tensor, n: torch.Tensor):
        x = torch.relu(self.bn(self.conv(x)))
        x = x * frame_mask(n, x.shape[-1]).unsqueeze(1)
        x = self.pool(x)
        n = torch.div(n + 1, 2, rounding_mode="floor")
        x = x * frame_mask(n, x.shape[-1]).unsqueeze(1)
        return x, n


class CnnLstm(nn.Module):
    """waveform [B, S] float32, lengths [B] int64 -> probabilities [B, n_classes].

    `config.rnn` picks the recurrent layer; its two directions are the attributes
    `<rnn>_fwd` and `<rnn>_bwd` (so a CNN-LSTM's weights keep their names).
    """

    def __init__(self, config: ModelConfig | None = None) -> None:
        super().__init__()
        self.config = cfg = config or ModelConfig()
        self.frontend = LogMel(n_fft=cfg.n_fft, hop=cfg.hop, n_mels=cfg.n_mels)
        chans = (cfg.n_mels, *cfg.conv_channels)
        self.blocks = nn.ModuleList(
            ConvBlock(chans[i], chans[i + 1], cfg.kernel_size)
            for i in range(len(cfg.conv_channels))
        )
        layer = RECURRENT[cfg.rnn]
        setattr(self, f"{cfg.rnn}_fwd", layer(chans[-1], cfg.lstm_hidden, batch_first=True))
        setattr(self, f"{cfg.rnn}_bwd", layer(chans[-1], cfg.lstm_hidden, batch_first=True))
        self.dropout = nn.Dropout(cfg.dropout)
        self.head = nn.Linear(4 * cfg.lstm_hidden, cfg.n_classes)

    def logits(self, waveform: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return self.classify(*self.frontend(waveform, lengths))

    def classify(self, x: torch.Tensor, n: torch.Tensor) -> torch.Tensor:
        """Logits from front-end features x [B, n_mels, T] with n valid frames per row."""
        for block in self.blocks:
            x, n = block(x, n)
        x = x.transpose(1, 2)  # [B, T, C]
        fwd, _ = getattr(self, f"{self.config.rnn}_fwd")(x)
        bwd, _ = getattr(self, f"{self.config.rnn}_bwd")(reverse_within_length(x, n))
        bwd = reverse_within_length(bwd, n)
        h = torch.cat([fwd, bwd], dim=-1)  # [B, T, 2H]
        mask = frame_mask(n, h.shape[1]).unsqueeze(-1)  # [B, T, 1]
        mean = (h * mask).sum(1) / n.to(torch.float32).unsqueeze(1)
        mx = torch.where(mask > 0, h, torch.full_like(h, -2.0)).amax(dim=1)
        pooled = torch.cat([mean, mx], dim=-1)
        return self.head(self.dropout(pooled))

    def forward(self, waveform: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.logits(waveform, lengths), dim=-1)
