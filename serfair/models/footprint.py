"""A model's deployment footprint: file size, single-clip latency on this CPU, peak memory.

Latency is measured in a fresh process with one numeric thread, on a fixed set of clip lengths
(synthetic speech-like signals from a fixed seed), one clip per call, after one warm-up call per
length; p50 and p95 are over every timed call. Peak memory is the process's peak resident set
while loading the model and running those calls, less what the process held before the model
was loaded (Linux and macOS; None elsewhere).
"""

from __future__ import annotations

import multiprocessing as mp
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from serfair.models.base import ModelSpec
from serfair.threads import one_thread

CLIP_SECONDS = (1.0, 2.0, 4.0, 8.0)
REPEATS = 5
METRICS = ("model_size_mb", "latency_p50_ms", "latency_p95_ms", "peak_memory_mb")


def probe_wave(seconds: float, sample_rate: int, seed: int = 0) -> np.ndarray:
    """A speech-like test signal: a gliding voiced tone under a syllable-rate envelope, plus noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    pitch = 140 + 30 * np.sin(2 * np.pi * 0.7 * t)
    voiced = sum(np.sin(2 * np.pi * k * np.cumsum(pitch) / sample_rate) / k for k in range(1, 6))
    envelope = 0.5 * (1 + np.sin(2 * np.pi * 4 * t))
    return (0.1 * envelope * voiced + 0.005 * rng.standard_normal(t.size)).astype(np.float32)


def size_bytes(source: str) -> int | None:
    """The model file's size (a folder: all its files), None for anything else (an endpoint)."""
    path = Path(source)
    if path.is_file():
        return path.stat().st_size
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return None


def _rss_mb() -> float | None:
    """This process's resident set now (Linux /proc), None elsewhere."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    import resource

    return pages * resource.getpagesize() / 2**20


def _peak_mb() -> float | None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, else KiB


def measure_here(spec: ModelSpec, clip_seconds: tuple[float, ...] = CLIP_SECONDS,
                 repeats: int = REPEATS) -> dict:
    """Load the model in this process and time single-clip calls (see the module docstring)."""
    from serfair.models import load_adapter

    before = _rss_mb()
    adapter = load_adapter(spec)
    waves = [probe_wave(s, adapter.sample_rate) for s in clip_seconds]
    for wave in waves:
        adapter.predict_proba([wave])
    times = []
    for _ in range(repeats):
        for wave in waves:
            start = time.perf_counter()
            adapter.predict_proba([wave])
            times.append(1000 * (time.perf_counter() - start))
    peak = _peak_mb()
    return {
        "latency_p50_ms": float(np.percentile(times, 50)),
        "latency_p95_ms": float(np.percentile(times, 95)),
        "latency_max_ms": float(max(times)),
        "peak_memory_mb": (peak - before) if peak is not None and before is not None else None,
        "process_peak_mb": peak,
        "calls": len(times),
    }


def footprint(spec: ModelSpec, clip_seconds: tuple[float, ...] = CLIP_SECONDS,
              repeats: int = REPEATS) -> dict:
    """result.json's `deployment`: size, latency and memory, measured in a fresh process."""
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"),
                             initializer=one_thread) as pool:
        measured = pool.submit(measure_here, spec, clip_seconds, repeats).result()
    size = size_bytes(spec.source)
    return {
        "model_bytes": size,
        "model_size_mb": size / 2**20 if size is not None else None,
        **measured,
        "clip_seconds": list(clip_seconds),
        "repeats": repeats,
        "threads": 1,
        "cpu": _cpu_name(),
    }


def _cpu_name() -> str:
    """The CPU's model name (Linux /proc/cpuinfo), else platform.processor()."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()
