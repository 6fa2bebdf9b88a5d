"""Prediction-phase efficiency, re-run speed-up and Dask overhead on the demo spec, from one run.

    OMP_NUM_THREADS=1 python benchmarks/throughput.py [--workers 2] [--spec audits/demo.yaml]

1. Stage table: every stage of the prediction phase (decode, perturb, infer) timed alone, in one
   thread of this process, over every (clip, condition) of the spec; their sum is the serial work.
2. The prediction phase with N local worker processes (fresh store), timed; the bound is the
   serial sum / N, `bound_ratio` = bound / measured (1.0 = at the bound).
3. A cold `serfair audit` (fresh run folder, N workers) and an unchanged re-run of it, each as a
   command in its own process (imports included): `rerun_speedup` = cold / re-run.
4. The prediction phase on a Dask LocalCluster of N single-threaded worker processes (needs the
   `dask` extra): `dask_vs_local` = Dask time / local pool time (1.0 = no overhead).

Everything is measured in the same run on the same machine, so the ratios compare across
machines; on a busy machine the parallel phases suffer more than the serial one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("decode", "perturb", "infer")


def prepared(spec_path: Path):
    """The spec's clips, conditions, model spec, labels and model identity (as `audit` has them)."""
    from serfair.audit import prepare
    from serfair.spec import load_spec

    return prepare(load_spec(spec_path))


def stage_table(plan) -> tuple[dict[str, float], float]:
    """Seconds of decode, perturb and infer summed over every task of the spec, each task run
    in this process, one thread, nothing else of ours running; and the wall time of that run."""
    from serfair.engine.tasks import adapter_for

    adapter_for(plan.model_spec)  # built once, outside the timed stages
    wall, timings = parallel_phase(plan, 1)
    return {stage: sum(t[stage] for t in timings) for stage in STAGES}, wall


def parallel_phase(plan, workers: int, executor: str = "local") -> tuple[float, list[dict]]:
    """Wall seconds of predict_all into a fresh store with `workers`, and each task's timings."""
    from serfair.engine import PredictionStore, predict_all

    timings: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = PredictionStore(Path(tmp) / "p.sqlite")
        start = time.perf_counter()
        predict_all(plan.clips, plan.conditions, plan.model_spec, plan.labels, plan.model_id, store,
                    seed=plan.spec.seed, workers=workers, batch_size=plan.spec.batch_size,
                    babble_clips=plan.babble_clips, executor=executor,
                    observe=lambda r: timings.append(r.timings))
        elapsed = time.perf_counter() - start
        store.close()
    return elapsed, timings


def where_time_went(elapsed: float, timings: list[dict], workers: int, began: float,
                    serial: float) -> str:
    """Where the parallel phase lost time against the bound: idle workers (start-up, tail, the
    main process) versus slower tasks (cores contended, by us or by anything else running)."""
    if not timings or "start" not in timings[0]:
        return ""
    busy = sum(t["end"] - t["start"] for t in timings)
    first = min(t["start"] for t in timings) - began
    last = max(t["end"] for t in timings)
    ends = sorted(max(t["end"] for t in timings if t["pid"] == pid) for pid in {t["pid"] for t in timings})
    return (f"  tasks {len(timings)}, worker busy {busy:.1f} s of {workers} x {elapsed:.1f} s "
            f"({busy / (workers * elapsed):.2f}); first task started {first:.1f} s in; "
            f"workers finished {ends[0] - began:.1f}..{last - began:.1f} s;\n"
            f"  tasks took {busy / serial:.2f} x their time alone (bound_ratio = busy share / this)")


def cli_seconds(args: list[str]) -> float:
    """Wall seconds of one `serfair` command in its own process (imports included)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "serfair.cli", *args], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spec", default=str(ROOT / "audits" / "demo.yaml"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip", nargs="*", default=[], choices=["rerun", "dask"])
    parser.add_argument("--limit", type=int, help="Only the first N clips (a quick check).")
    args = parser.parse_args()
    n = args.workers
    plan = prepared(Path(args.spec))
    if args.limit:
        plan.clips = plan.clips.head(args.limit)
    print(f"spec {args.spec}: {len(plan.clips)} clips x {len(plan.conditions)} conditions = "
          f"{len(plan.clips) * len(plan.conditions)} predictions; {n} workers; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}", flush=True)
    stages, serial_wall = stage_table(plan)
    serial = sum(stages.values())
    print("\nstage (alone, one thread)   seconds")
    for name, seconds in stages.items():
        print(f"  {name:<26}{seconds:8.1f}")
    print(f"  {'serial sum':<26}{serial:8.1f}   (1 worker, wall {serial_wall:.1f} s)")
    print(f"  {f'bound (sum / {n})':<26}{serial / n:8.1f}", flush=True)
    began = time.time()
    local, timings = parallel_phase(plan, n)
    print(f"  {f'prediction phase, {n} workers':<26}{local:8.1f}")
    print(where_time_went(local, timings, n, began, serial), flush=True)
    print(f"\nbound_ratio = {serial / n / local:.2f}", flush=True)
    if "rerun" not in args.skip:
        out = Path(tempfile.mkdtemp(prefix="serfair-bench-"))
        command = ["audit", "--spec", args.spec, "--out", str(out), "--workers", str(n)]
        try:
            cold = cli_seconds(command)
            rerun = cli_seconds(command)
        finally:
            shutil.rmtree(out, ignore_errors=True)
        print(f"cold audit {cold:.1f} s, unchanged re-run {rerun:.2f} s (each a new process)")
        print(f"rerun_speedup = {cold / rerun:.1f}x", flush=True)
    if "dask" not in args.skip:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("dask_vs_local = n/a (install the dask extra: pip install -e '.[dask]')")
            return
        began = time.time()
        dask_time, timings = parallel_phase(plan, n, executor="dask")
        print(f"prediction phase on a Dask LocalCluster, {n} workers: {dask_time:.1f} s "
              f"(local pool {local:.1f} s)")
        print(where_time_went(dask_time, timings, n, began, serial))
        print(f"dask_vs_local = {dask_time / local:.2f}")


if __name__ == "__main__":
    main()
