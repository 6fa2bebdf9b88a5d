"""Hooks for `--preprocess` and `--postprocess` (run from this folder, or put it on PYTHONPATH).

    serfair audit --model my-features.onnx --preprocess hooks:mfcc_20 ...
    serfair audit --model gender-emotion.onnx --postprocess hooks:emotions_only ...
"""

from __future__ import annotations

import librosa
import numpy as np


def mfcc_20(wave: np.ndarray, sample_rate: int) -> np.ndarray:
    """(waveform, sample rate) -> the model input: 20 MFCC means, float32."""
    mfcc = librosa.feature.mfcc(y=wave, sr=sample_rate, n_mfcc=20)
    return mfcc.mean(axis=1).astype(np.float32)


def emotions_only(probs: np.ndarray) -> np.ndarray:
    """(batch, female_angry, female_happy, ..., male_angry, ...) -> (batch, angry, happy, ...).

    Declare the output labels as an attribute; the declarative equivalent is
    --postprocess 'female_*=*,male_*=*'.
    """
    half = probs.shape[1] // 2
    return probs[:, :half] + probs[:, half:]


emotions_only.labels = ("angry", "happy", "neutral", "sad")
