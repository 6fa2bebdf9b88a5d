"""The run lock and the parent watch, in process (the real kills are in test_kills.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from serfair.errors import SerfairError
from serfair.lifecycle import LOCK_NAME, RunLocked, pid_alive, run_lock


def test_the_lock_refuses_a_second_holder_and_names_the_first(tmp_path):
    with run_lock(tmp_path / "run") as path:
        assert path.read_text() == str(os.getpid())
        with pytest.raises(RunLocked, match=f"pid {os.getpid()}"):
            with run_lock(tmp_path / "run"):
                pass
    assert not (tmp_path / "run" / LOCK_NAME).exists()
    with run_lock(tmp_path / "run"):  # free again
        pass


def test_a_stale_lock_file_of_a_dead_process_is_taken_over(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    assert not pid_alive(pid)
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / LOCK_NAME).write_text(str(pid))
    with run_lock(folder) as path:
        assert path.read_text() == str(os.getpid())


def test_an_unusable_folder_is_a_user_error(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    for target in (afile, afile / "below"):
        with pytest.raises(SerfairError, match="is a file"), run_lock(target):
            pass
    assert afile.read_text() == "x"


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] == "Z"
    except OSError:
        return False


def test_a_process_exits_when_its_parent_dies():
    """A grandchild watching its parent (the middle process) exits once the middle one is killed."""
    code = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; from serfair.lifecycle "
        "import watch_parent; watch_parent(); print(1, flush=True); time.sleep(60)'], "
        "stdout=sys.stdout)\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    middle = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                              env=env)
    grandchild = int(middle.stdout.readline())
    assert middle.stdout.readline().strip() == "1"  # it watches
    middle.kill()
    middle.wait()
    deadline = time.monotonic() + 5
    while pid_alive(grandchild) and not _zombie(grandchild) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pid_alive(grandchild) or _zombie(grandchild)
