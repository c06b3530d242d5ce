"""The pool of threads that runs the passes over the points.

NumPy and BLAS release the GIL in their heavy calls, so contiguous ranges of
points processed in threads use every core. One pool, one thread per core,
serves the whole package. The work is always split into blocks whose bounds
depend only on the block size, never on the number of threads, so every
rounding, and with it every result, is the same whatever the thread count.
Work submitted from inside a worker runs inline, so nesting can never wait
on itself.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from typing import TypeVar

import numpy as np

__all__ = ["chunks", "in_parallel", "map_parallel"]

T = TypeVar("T")
R = TypeVar("R")

_THREADS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

#: Below this many points a pass runs on one thread.
_PARALLEL_MIN_ROWS = 1 << 15

_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_in_worker = threading.local()


def chunks(start: int, stop: int, step: int) -> Iterator[tuple[int, int]]:
    """``(a, b)`` blocks of ``step`` rows covering ``range(start, stop)``."""
    for a in range(start, stop, step):
        yield a, min(a + step, stop)


def in_parallel(part: Callable[[int, int], object], n: int, step: int = 1) -> None:
    """Run ``part(start, stop)`` over contiguous ranges covering ``range(n)``.

    The ranges start at multiples of ``step`` (the caller's block size), so
    the blocks are the same whatever the number of threads. Small work
    (fewer than 2**15 rows), and work already inside a worker, runs inline.
    """
    if _THREADS == 1 or n < _PARALLEL_MIN_ROWS or _inside_worker():
        part(0, n)
        return
    blocks = -(-n // step)
    bounds = np.minimum(np.linspace(0, blocks, _THREADS + 1).astype(int) * step, n)
    futures = [_executor().submit(_marked, part, a, b) for a, b in pairwise(bounds)]
    for future in futures:
        future.result()


def map_parallel(fn: Callable[[T], R], items: list[T]) -> list[R]:
    """``[fn(item) for item in items]``, the items in parallel threads, results in order."""
    if _THREADS == 1 or len(items) == 1 or _inside_worker():
        return [fn(item) for item in items]
    return [future.result() for future in [_executor().submit(_marked, fn, item) for item in items]]


def _inside_worker() -> bool:
    return getattr(_in_worker, "active", False)


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="kmeans_core")
        return _pool


def _marked(fn, *args):
    _in_worker.active = True
    try:
        return fn(*args)
    finally:
        _in_worker.active = False
