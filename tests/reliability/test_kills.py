"""Real kills of real processes: `serfair audit --workers 2` on the demo set, its main process
killed with SIGTERM or SIGKILL; no worker may survive 5 s. And the run folder's lock: a second
audit into the same folder is refused (exit 2) naming the first one's pid; a lock left by a
killed audit is taken over."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner
from toy_models import make_energy_onnx

from serfair.cli import main
from serfair.lifecycle import LOCK_NAME

ROOT = Path(__file__).resolve().parents[2]
CONDITIONS = "clean,noise@snr=20,noise@snr=10,noise@snr=0,pitch@semitones=2,tempo@rate=1.25"


def _start_audit(out: Path, workers: int = 2) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "serfair.cli", "audit", "--out", str(out), "--workers",
         str(workers), "--conditions", CONDITIONS],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)


def _wait_for(condition, timeout: float, what: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the audit ended (exit {proc.returncode}) before {what}")
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _rows(store: Path) -> int:
    """Predictions saved so far (read while the audit writes)."""
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0])
    except sqlite3.Error:
        return 0


def _workers(proc: subprocess.Popen) -> list[psutil.Process]:
    try:
        return psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    living = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                living.append(p)
        except psutil.NoSuchProcess:
            pass
    return living


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_the_main_process_leaves_no_worker_behind(tmp_path, sig):
    out = tmp_path / "run"
    proc = _start_audit(out)
    try:
        # Both workers started, and predicting: the store fills as they deliver.
        _wait_for(lambda: len([p for p in _workers(proc) if "spawn_main" in " ".join(p.cmdline())])
                  >= 2, 120, "two worker processes", proc)
        children = _workers(proc)
        _wait_for(lambda: _rows(out / "predictions.sqlite") > 0, 300, "the first predictions", proc)
        os.kill(proc.pid, sig)
        proc.wait(timeout=10)
        _, alive = psutil.wait_procs(children, timeout=5)
        alive = _alive(alive)
        assert not alive, f"{len(alive)} process(es) survived {sig.name}: " + ", ".join(
            f"{p.pid} {' '.join(p.cmdline())[:80]}" for p in alive)
    finally:
        for p in _alive(_workers(proc)):
            p.kill()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_second_audit_into_a_locked_folder_is_refused_and_a_stale_lock_taken_over(tmp_path):
    out = tmp_path / "run"
    proc = _start_audit(out, workers=1)
    try:
        _wait_for(lambda: (out / LOCK_NAME).exists() and (out / "predictions.sqlite").exists(),
                  120, "the run lock", proc)
        model = make_energy_onnx(tmp_path / "toy.onnx")
        second = CliRunner().invoke(main, ["audit", "--model", str(model), "--out", str(out),
                                           "--conditions", "clean", "--workers", "1"])
        assert second.exit_code == 2, second.output
        assert f"pid {proc.pid}" in second.output and "another serfair run" in second.output
        os.kill(proc.pid, signal.SIGKILL)  # leaves its lock file behind, with its pid
        proc.wait(timeout=10)
        assert (out / LOCK_NAME).read_text().strip() == str(proc.pid)
        third = CliRunner().invoke(main, ["audit", "--model", str(model), "--out", str(out),
                                          "--conditions", "clean", "--workers", "1"])
        assert third.exit_code == 0, third.output
        assert not (out / LOCK_NAME).exists()  # released when the audit finished
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
