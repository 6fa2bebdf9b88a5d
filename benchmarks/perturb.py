"""Milliseconds per 3 s clip for every perturbation family at its default severity.

    OMP_NUM_THREADS=1 python benchmarks/perturb.py [--repeats 20]

Runs on one core in this process, on real speech (the demo set, else a synthetic voice-like
signal) resampled to 16 kHz and cut or looped to 3.0 s. Prints, per family, the median time of one
`apply_condition` call and its ratio to copying the clip (`clean` + a copy), measured in the same
run, so the ratios compare across machines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np
import pandas as pd

from serfair.data.audio import load_audio
from serfair.data.loader import demo_data_dir
from serfair.errors import DataError
from serfair.perturb import FAMILIES, ClipContext, apply_condition, parse_condition, rng_for
from serfair.perturb.babble import pool_for, pool_from_clips

RATE = 16000
SECONDS = 3.0


def speech() -> tuple[np.ndarray, ClipContext]:
    """A 3 s clip of real speech and a babble pool from other demo speakers (decoded up front)."""
    n = int(RATE * SECONDS)
    try:
        root = demo_data_dir()
    except DataError:
        t = np.arange(n) / RATE
        wave = (0.1 * np.sin(2 * np.pi * 140 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32)
        return wave, ClipContext("synthetic", "synthetic", None)
    manifest = pd.read_csv(root / "manifest.csv", dtype=str, keep_default_na=False)
    manifest["audio_path"] = [str(root / p) for p in manifest["path"]]
    first = manifest[manifest["dataset"] == "ravdess"].iloc[0]
    wave = np.resize(load_audio(first["audio_path"], RATE), n).astype(np.float32)
    pool = pool_for(pool_from_clips(manifest["path"], manifest["speaker_id"], manifest["audio_path"],
                                    seed=0), RATE)
    for clip_id, _, path in pool.entries:  # decode now: an audit decodes each pool clip once
        pool.wave(clip_id, path)
    return wave, ClipContext(first["path"], first["speaker_id"], pool)


def median_ms(func, repeats: int) -> float:
    func()  # warm up (imports, FFT plans, encoder tables)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    wave, context = speech()
    rows = []
    for name in FAMILIES:
        condition = parse_condition(name)
        if name == "clean":
            run = lambda c=condition: apply_condition(c, wave, RATE, rng_for(0, "x", c.name), context).copy()
        else:
            run = lambda c=condition: apply_condition(c, wave, RATE, rng_for(0, "x", c.name), context)
        rows.append((condition.name, median_ms(run, args.repeats)))
    base = dict(rows)["clean"]
    print(f"ms per {SECONDS:g} s clip at {RATE} Hz, one core, median of {args.repeats} "
          f"(ratio = time / clean copy, {1000 * base:.1f} us)")
    print(f"{'condition':34s} {'ms/clip':>9s} {'x clean':>10s}")
    for name, ms in sorted(rows, key=lambda r: r[1]):
        print(f"{name:34s} {ms:9.2f} {ms / base:10.0f}")
    total = sum(ms for name, ms in rows if name != "clean")
    print(f"{'all families, one clip each':34s} {total:9.2f}")


if __name__ == "__main__":
    main()
