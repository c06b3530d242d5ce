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
from functools import lru_cache
from itertools import pairwise
from typing import TypeVar

import numpy as np

__all__ = [
    "BLOCK_ROWS",
    "block_count",
    "chunks",
    "in_parallel",
    "map_parallel",
    "over_blocks",
    "thread_count",
    "thread_ranges",
]

T = TypeVar("T")
R = TypeVar("R")

_THREADS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

#: Points per block of a pass whose blocks write partial sums (a unit of work for one thread).
BLOCK_ROWS = 1 << 14

#: Below this many points a pass runs on one thread.
_PARALLEL_MIN_ROWS = 1 << 15

_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_in_worker = threading.local()


def chunks(start: int, stop: int, step: int) -> Iterator[tuple[int, int]]:
    """``(a, b)`` blocks of ``step`` rows covering ``range(start, stop)``."""
    for a in range(start, stop, step):
        yield a, min(a + step, stop)


def thread_ranges(n: int, step: int = 1) -> list[tuple[int, int]]:
    """Contiguous ranges covering ``range(n)``, one per thread, starting at multiples of ``step``.

    One range when the work is small (fewer than 2**15 rows) or already
    inside a worker. Work split this way must not depend on the split for
    its result (integer counts, or per-block outputs in fixed blocks).
    """
    if _THREADS == 1 or n < _PARALLEL_MIN_ROWS or _inside_worker():
        return [(0, n)]
    return list(_split(n, step, _THREADS))


@lru_cache(maxsize=256)
def _split(n: int, step: int, threads: int) -> tuple[tuple[int, int], ...]:
    blocks = -(-n // step)
    bounds = np.minimum(np.linspace(0, blocks, threads + 1).astype(int) * step, n)
    return tuple((int(a), int(b)) for a, b in pairwise(bounds) if b > a)


def in_parallel(part: Callable[[int, int], object], n: int, step: int = 1) -> None:
    """Run ``part(start, stop)`` over the :func:`thread_ranges` of ``n`` rows, in parallel.

    The ranges start at multiples of ``step`` (the caller's block size), so
    the blocks are the same whatever the number of threads.
    """
    ranges = thread_ranges(n, step)
    if len(ranges) == 1:
        part(*ranges[0])
        return
    # The calling thread takes the first range itself: one hand-off to the pool fewer.
    futures = [_executor().submit(_marked, part, a, b) for a, b in ranges[1:]]
    try:
        _marked(part, *ranges[0])
    finally:
        for future in futures:
            future.result()


def block_count(n: int) -> int:
    """How many blocks of :data:`BLOCK_ROWS` cover ``n`` rows."""
    return -(-n // BLOCK_ROWS)


def over_blocks(n: int, work: Callable[[int, int, int], object]) -> None:
    """``work(block, start, stop)`` for every block of :data:`BLOCK_ROWS` rows of ``range(n)``, in parallel.

    Each block writes its own row of a per-block output; adding those rows in
    block order gives a result that does not depend on the number of threads.
    """

    def part(start, stop):
        for a, b in chunks(start, stop, BLOCK_ROWS):
            work(a // BLOCK_ROWS, a, b)

    in_parallel(part, n, BLOCK_ROWS)


def map_parallel(fn: Callable[[T], R], items: list[T]) -> list[R]:
    """``[fn(item) for item in items]``, the items in parallel threads, results in order."""
    if _THREADS == 1 or len(items) == 1 or _inside_worker():
        return [fn(item) for item in items]
    return [future.result() for future in [_executor().submit(_marked, fn, item) for item in items]]


def thread_count() -> int:
    """The number of threads of the pool (one per core this process may use)."""
    return _THREADS


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
