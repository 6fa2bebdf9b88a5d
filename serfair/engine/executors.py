"""Executors: run tasks serially, in a pool of single-threaded worker processes, or on Dask.

Every executor runs the same `run_task` on the same tasks and yields each Result as it finishes,
so the predictions store receives the same rows whichever executor ran them.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed

from serfair.engine.tasks import Result, Task, adapter_for, run_task
from serfair.errors import SerfairError
from serfair.lifecycle import init_worker
from serfair.models import ModelSpec
from serfair.threads import one_thread

Executor = Callable[[Iterable[Task], ModelSpec], Iterator[Result]]


def warm_up(spec: ModelSpec) -> int:
    """Build the worker's adapter (imports included) before its first task; returns its pid."""
    adapter_for(spec)
    return os.getpid()


def run_serial(tasks: Iterable[Task], spec: ModelSpec) -> Iterator[Result]:
    """Run tasks one after another in this process."""
    for task in tasks:
        yield run_task(task, spec)


def run_pool(tasks: Iterable[Task], spec: ModelSpec, workers: int) -> Iterator[Result]:
    """Run tasks in `workers` spawned processes; results arrive as they finish.

    Starting a worker (imports, model) takes seconds. Meanwhile this process, which has both
    already, takes tasks from the back of the queue (the shortest, since tasks come longest
    first) and runs them itself, until every worker is ready; the workers never wait for it.
    The pool is not waited for on the way out: every result is in by then.
    """
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                               initializer=init_worker, initargs=(os.getpid(),))
    futures: list = []
    try:
        ready = [pool.submit(warm_up, spec) for _ in range(workers)]
        queued = list(tasks)
        futures = [pool.submit(run_task, task, spec) for task in queued]
        stolen = len(futures)
        while stolen and not all(f.done() for f in ready) and futures[stolen - 1].cancel():
            stolen -= 1
            yield run_task(queued[stolen], spec)
        for future in as_completed(futures[:stolen]):
            yield future.result()
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def run_dask(tasks: Iterable[Task], spec: ModelSpec, workers: int,
             scheduler: str | None = None) -> Iterator[Result]:
    """Run tasks on Dask distributed: the scheduler at `scheduler` (tcp://host:port), or a
    LocalCluster of `workers` single-threaded processes. Audio paths must be readable where the
    workers run; tasks carry paths, not audio, and results carry probabilities."""
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError as exc:
        raise SerfairError("--executor dask needs Dask distributed: pip install "
                           "'serfair[dask]' (or pip install 'dask[distributed]')") from exc
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    except OSError as exc:
        raise SerfairError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}; "
                           f"start one with `dask scheduler` or drop --scheduler") from exc
    futures = []
    try:
        client.run(one_thread)
        futures = [client.submit(run_task, task, spec, pure=False) for task in tasks]
        for future in dask_completed(futures):
            yield future.result()
    finally:
        client.cancel(futures)
        client.close()
        if cluster is not None:
            cluster.close()


def _local(workers: int, scheduler: str | None) -> Executor:
    if workers <= 1:
        return run_serial
    return lambda tasks, spec: run_pool(tasks, spec, workers)


def _dask(workers: int, scheduler: str | None) -> Executor:
    return lambda tasks, spec: run_dask(tasks, spec, workers, scheduler)


EXECUTORS: dict[str, Callable[[int, str | None], Executor]] = {"local": _local, "dask": _dask}


def executor_for(workers: int, kind: str = "local", scheduler: str | None = None) -> Executor:
    """The executor `kind` with `workers` (local: serial for one worker, else a process pool)."""
    if kind not in EXECUTORS:
        raise SerfairError(f"unknown executor '{kind}'; choose one of {', '.join(EXECUTORS)}")
    return EXECUTORS[kind](workers, scheduler)


def default_workers() -> int:
    """The machine's cores."""
    return max(1, os.cpu_count() or 1)
