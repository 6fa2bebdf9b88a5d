"""Process lifecycle: workers that die with their parent, and a lock on the run folder.

- `watch_parent` runs in every worker process, from the pool's initializer `init_worker`. This
  module imports only the standard library (and so does the `serfair` package itself): a spawned
  worker unpickles its initializer before the task code, so it watches its parent before the slow
  imports start. On Linux the kernel sends SIGKILL when the parent dies (prctl
  PR_SET_PDEATHSIG); everywhere a daemon thread also polls the parent pid and exits the worker once
  it changes. So SIGTERM or SIGKILL of the main process (what `timeout` and CI runners send)
  leaves no worker behind.
- `run_lock` holds `<run folder>/.serfair.lock` while an audit writes the folder: a second audit
  into the same folder is refused (exit 2) with the other process's pid; a lock left by a dead
  process is taken over (flock locks die with their process; the O_EXCL fallback checks the pid).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from serfair.errors import SerfairError
from serfair.threads import one_thread

LOCK_NAME = ".serfair.lock"
POLL_SECONDS = 0.25
PR_SET_PDEATHSIG = 1


class RunLocked(SerfairError):
    """Another process is writing the run folder."""


def init_worker(parent_pid: int | None = None) -> None:
    """A pool worker's initializer: die with the parent, one numeric thread."""
    watch_parent(parent_pid)
    one_thread()


def watch_parent(parent_pid: int | None = None) -> None:
    """Make this (worker) process exit when `parent_pid` (default: its current parent) is gone."""
    parent = parent_pid or os.getppid()
    _death_signal()
    if os.getppid() != parent:  # the parent died before we got here
        os._exit(1)
    thread = threading.Thread(target=_poll, args=(parent,), name="serfair-parent-watch", daemon=True)
    thread.start()


def _death_signal() -> None:
    """Linux: ask the kernel to SIGKILL us when the parent thread dies (best effort)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _poll(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(POLL_SECONDS)


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (and is not a zombie we could see)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


@contextlib.contextmanager
def run_lock(folder: str | os.PathLike) -> Iterator[Path]:
    """Create `folder` if needed and hold its lock; RunLocked if another live process holds it,
    SerfairError if the folder cannot be created or written (checked before any inference)."""
    folder = Path(folder)
    _make_folder(folder)
    path = folder / LOCK_NAME
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield from _exclusive_file(path)
        return
    yield from _flock(path, fcntl)


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise SerfairError(f"--out {folder} is a file, not a folder; choose a folder for the run")
    blocking = next((p for p in folder.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise SerfairError(f"--out {folder}: {blocking} is a file, not a folder; choose another "
                           f"folder for the run")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SerfairError(f"--out {folder} cannot be created ({exc.strerror or exc}); choose a "
                           f"folder you can write") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SerfairError(f"--out {folder} is not writable; choose a folder you can write or fix "
                           f"its permissions")


def _refuse(folder: Path, pid: str) -> RunLocked:
    who = f"pid {pid}" if pid else "another process"
    return RunLocked(f"run folder {folder} is being written by another serfair run ({who}); "
                     f"wait for it to finish or choose another --out")


def _open_lock(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise SerfairError(f"--out {path.parent} is not writable ({exc.strerror or exc}); choose "
                           f"a folder you can write") from exc


def _flock(path: Path, fcntl) -> Iterator[Path]:
    while True:
        fd = _open_lock(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            raise _refuse(path.parent, holder) from None
        try:  # the file we locked must still be the one at `path` (not unlinked meanwhile)
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)  # closing releases the lock


def _exclusive_file(path: Path) -> Iterator[Path]:  # pragma: no cover - used where flock is not
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            holder = path.read_text(errors="replace").strip()
            if holder.isdigit() and not pid_alive(int(holder)):
                path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            raise _refuse(path.parent, holder) from None
    else:
        raise _refuse(path.parent, "")
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield path
    finally:
        path.unlink(missing_ok=True)
