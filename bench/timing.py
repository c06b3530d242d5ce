"""Timing for the benchmarks: the median wall time of a few calls."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

__all__ = ["median_seconds"]


def median_seconds(function: Callable[[], object], repeats: int = 3) -> float:
    """The median, over ``repeats`` calls of ``function()``, of the seconds each took."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
