"""The in-graph log-mel front end of the reference models (exports to ONNX with the network).

Padding invariance: the STFT is not centred, so a valid frame only sees valid samples; the number
of valid frames is computed from the sample lengths; normalisation statistics use valid frames
only; frames past the end are set to zero.
"""

from __future__ import annotations

import warnings

import librosa
import numpy as np
import torch
from torch import nn

SAMPLE_RATE = 16000


def valid_frames(lengths: torch.Tensor, n_fft: int, hop: int) -> torch.Tensor:
    """Number of complete STFT frames in each row (at least 1; clips shorter than n_fft count
    as zero-padded to n_fft)."""
    lengths = torch.clamp(lengths, min=n_fft)
    return 1 + torch.div(lengths - n_fft, hop, rounding_mode="floor")


def frame_mask(n: torch.Tensor, t: int) -> torch.Tensor:
    """Float mask [batch, t]: 1 where the frame index is below n."""
    steps = torch.arange(t, device=n.device).unsqueeze(0)
    return (steps < n.unsqueeze(1)).to(torch.float32)


class LogMel(nn.Module):
    """waveform [B, S] float32 + lengths [B] int64 -> (features [B, n_mels, T], frames [B]).

    Features are log(mel power + 1e-6), mean/variance-normalised per utterance and per mel band
    over the valid frames, and zero past each row's valid frames.
    """

    def __init__(self, n_fft: int = 400, hop: int = 160, n_mels: int = 64,
                 fmin: float = 20.0, fmax: float = 8000.0) -> None:
        super().__init__()
        self.n_fft = n_fft
        self.hop = hop
        self.n_mels = n_mels
        mel = librosa.filters.mel(sr=SAMPLE_RATE, n_fft=n_fft, n_mels=n_mels, fmin=fmin,
                                  fmax=fmax, htk=False, norm="slaney")
        self.register_buffer("mel_fb", torch.from_numpy(np.asarray(mel, dtype=np.float32)))
        self.register_buffer("window", torch.hann_window(n_fft, periodic=True))

    def forward(self, waveform: torch.Tensor, lengths: torch.Tensor):
        # n_fft zeros at the end: every row has >= 1 frame, even a clip shorter than n_fft.
        x = nn.functional.pad(waveform, (0, self.n_fft))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            spec = torch.stft(x, n_fft=self.n_fft, hop_length=self.hop, win_length=self.n_fft,
                              window=self.window, center=False, return_complex=False)
        power = spec[..., 0] ** 2 + spec[..., 1] ** 2  # [B, F, T]
        mel = torch.matmul(self.mel_fb, power)  # [B, M, T]
        logmel = torch.log(mel + 1e-6)
        n = valid_frames(lengths, self.n_fft, self.hop)
        mask = frame_mask(n, logmel.shape[-1]).unsqueeze(1)  # [B, 1, T]
        count = n.to(torch.float32).view(-1, 1, 1)
        mean = (logmel * mask).sum(-1, keepdim=True) / count
        centred = (logmel - mean) * mask
        var = (centred ** 2).sum(-1, keepdim=True) / count
        feats = centred / torch.sqrt(var + 1e-5)
        return feats * mask, n
