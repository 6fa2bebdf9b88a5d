"""Executors: run tasks serially or in a pool of single-threaded worker processes."""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Iterable, Iterator

from serfair.lifecycle import init_worker
from serfair.engine.tasks import Result, Task, run_task
from serfair.models import ModelSpec


def run_serial(tasks: Iterable[Task], spec: ModelSpec) -> Iterator[Result]:
    """Run tasks one after another in this process."""
    for task in tasks:
        yield run_task(task, spec)


def run_pool(tasks: Iterable[Task], spec: ModelSpec, workers: int) -> Iterator[Result]:
    """Run tasks in `workers` spawned processes; results arrive as they finish."""
    context = mp.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=init_worker, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(run_task, task, spec) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def executor_for(workers: int) -> Callable[[Iterable[Task], ModelSpec], Iterator[Result]]:
    """Serial for one worker, a process pool otherwise."""
    if workers <= 1:
        return run_serial
    return lambda tasks, spec: run_pool(tasks, spec, workers)


def default_workers() -> int:
    """The machine's cores."""
    return max(1, os.cpu_count() or 1)
