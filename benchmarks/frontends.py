"""Declarative front end vs the straightforward librosa calls of the SER tutorials.

The 180-d MFCC(40) + chroma(12) + mel(128) mean recipe, on real 16 kHz speech (the shared corpus
when present, else the bundled demo set). Filter-bank caches start cold, so the ratio includes
building them once per run. Prints per-clip times, the ratio, and the largest differences.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/frontends.py [n_clips]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import librosa
import numpy as np

from serfair.data.audio import load_audio
from serfair.data.loader import demo_data_dir, load_dataset
from serfair.features import FrontEnd
from serfair.features.banks import chroma_bank, mel_bank

SR = 16000
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def tutorial_features(wave: np.ndarray, sr: int = SR) -> np.ndarray:
    """The recipe as tutorials write it: three STFTs, filter banks rebuilt on every call."""
    stft = np.abs(librosa.stft(wave))
    mfccs = np.mean(librosa.feature.mfcc(y=wave, sr=sr, n_mfcc=40).T, axis=0)
    chroma = np.mean(librosa.feature.chroma_stft(S=stft, sr=sr).T, axis=0)
    mel = np.mean(librosa.feature.melspectrogram(y=wave, sr=sr).T, axis=0)
    return np.hstack([mfccs, chroma, mel])


def clips(n: int) -> list[np.ndarray]:
    """`n` clips spread over the corpus (every k-th row, so all speakers and emotions appear)."""
    frame = load_dataset(SHARED if (SHARED / "manifest.csv").exists() else demo_data_dir())
    step = max(1, len(frame) // n)
    paths = frame["audio_path"].tolist()[::step][:n]
    return [load_audio(p, SR) for p in paths]


def interleaved(waves: list[np.ndarray], frontend: FrontEnd) -> tuple[float, float, list, list]:
    """Time both paths clip by clip, alternating, so load from other processes hits both alike."""
    t_base = t_fe = 0.0
    base, ours = [], []
    for wave in waves:
        start = time.perf_counter()
        base.append(tutorial_features(wave))
        middle = time.perf_counter()
        ours.append(frontend(wave))
        t_base += middle - start
        t_fe += time.perf_counter() - middle
    return t_base, t_fe, base, ours


def main(n: int = 150, repeats: int = 3) -> None:
    waves = clips(n)
    tutorial_features(waves[0])  # import and JIT warm-up for both paths
    FrontEnd("mfcc_chroma_mel_mean", SR)(waves[0])
    ratios, costs = [], []
    for _ in range(repeats):
        mel_bank.cache_clear()  # cold caches: building the banks once is part of the cost
        chroma_bank.cache_clear()
        t_base, t_fe, base, ours = interleaved(waves, FrontEnd("mfcc_chroma_mel_mean", SR))
        ratios.append(t_fe / t_base)
        costs.append((t_base, t_fe))
    base, ours = np.stack(base), np.stack(ours)
    chroma = slice(40, 52)
    chroma_rel = np.max(np.abs(base[:, chroma] - ours[:, chroma])
                        / np.maximum(np.abs(base[:, chroma]), 1e-12))
    t_base, t_fe = costs[int(np.argsort(ratios)[len(ratios) // 2])]
    print(f"clips: {len(waves)} ({sum(w.size for w in waves) / SR / len(waves):.2f} s on average), "
          f"{repeats} runs, filter-bank caches cold at the start of each")
    print(f"librosa calls: {1000 * t_base / len(waves):.2f} ms/clip; "
          f"front end: {1000 * t_fe / len(waves):.2f} ms/clip (median run)")
    print(f"ratio front end / librosa: {', '.join(f'{r:.2f}' for r in ratios)} "
          f"(median {float(np.median(ratios)):.2f}x)")
    print(f"mfcc bit-identical: {np.array_equal(base[:, :40], ours[:, :40])}; "
          f"mel bit-identical: {np.array_equal(base[:, 52:], ours[:, 52:])}; "
          f"chroma max relative difference: {chroma_rel:.2e}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 150)
