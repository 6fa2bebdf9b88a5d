"""Measured inference latency of an exported reference model (for its model card)."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import numpy as np


def measure_latency(path: str | Path, clip_seconds: float = 3.0, repeats: int = 30,
                    sample_rate: int = 16000) -> dict:
    """Wall-clock time of one onnxruntime call (one thread, batch of one `clip_seconds` clip of
    seeded noise) after a warm-up: median, fastest and 90th percentile in milliseconds, and the
    real-time factor of the median. The machine's load inflates it; `fastest` is the least
    affected."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    n = int(clip_seconds * sample_rate)
    feed = {"waveform": (0.1 * np.random.default_rng(0).standard_normal((1, n))).astype(np.float32),
            "lengths": np.array([n], dtype=np.int64)}
    for _ in range(3):
        sess.run(None, feed)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sess.run(None, feed)
        times.append(1000.0 * (time.perf_counter() - t0))
    median = float(np.median(times))
    return {
        "clip_seconds": clip_seconds,
        "batch": 1,
        "threads": 1,
        "repeats": repeats,
        "median_ms": round(median, 2),
        "fastest_ms": round(float(np.min(times)), 2),
        "p90_ms": round(float(np.percentile(times, 90)), 2),
        "real_time_factor": round(median / (1000.0 * clip_seconds), 4),
        "onnxruntime": ort.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} logical CPUs, "
                   f"{platform.processor() or platform.system()}",
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
