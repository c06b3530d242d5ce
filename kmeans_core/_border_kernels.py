"""Compiled test of letterbox bars, line by line from an edge (Numba, no GIL).

:func:`bar_run` counts the bar rows or columns from one edge of a frame, by
the rule of :mod:`kmeans_core.borders`: a line is a bar when it is dark (no
channel above twice the dark level, and at most a fraction of its pixels
above it) or uniform (each channel's standard deviation, about the mean,
at most ``spread``). The NumPy calls of that test cost about 0.3 ms a frame
in the film pipeline, more than the test itself.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from kmeans_core._jit import KERNEL, PER_ITEM

__all__ = ["bar_run", "compile_kernels"]


@njit(**PER_ITEM)
def _value(pixels, line, along, channel, by_rows):
    """Channel ``channel`` of the pixel at position ``along`` of row (or column) ``line``."""
    return pixels[line, along, channel] if by_rows else pixels[along, line, channel]


@njit(**KERNEL)
def _is_bar(pixels, line, by_rows, dark, spread, bright_fraction):
    """Whether one row (or column) is dark or uniform."""
    n = pixels.shape[1] if by_rows else pixels.shape[0]
    brightest_all = 0
    bright = 0
    for p in range(n):
        brightest = max(_value(pixels, line, p, 0, by_rows), _value(pixels, line, p, 1, by_rows))
        brightest = max(brightest, _value(pixels, line, p, 2, by_rows))
        brightest_all = max(brightest_all, brightest)
        bright += brightest > dark
    if brightest_all <= 2 * dark and bright <= bright_fraction * n:
        return True
    for c in range(3):  # the standard deviation as NumPy takes it: the mean, then the squares in order
        total = 0.0
        for p in range(n):
            total += _value(pixels, line, p, c, by_rows)
        mean = total / n
        squares = 0.0
        for p in range(n):
            diff = _value(pixels, line, p, c, by_rows) - mean
            squares += diff * diff
        if not np.sqrt(squares / n) <= spread:
            return False
    return True


@njit(**KERNEL)
def bar_run(pixels, by_rows, from_end, limit, dark, spread, bright_fraction):
    """How many rows (``by_rows``) or columns of ``pixels``, from the first one (or from the
    last, with ``from_end``) inward, are bars in a row, counting at most ``limit``."""
    lines = pixels.shape[0] if by_rows else pixels.shape[1]
    count = 0
    while count < limit:
        line = lines - 1 - count if from_end else count
        if not _is_bar(pixels, line, by_rows, dark, spread, bright_fraction):
            break
        count += 1
    return count


def compile_kernels() -> None:
    """Compile (or load from the on-disk cache) every kernel, on a tiny frame."""
    frame = np.zeros((2, 2, 3), dtype=np.uint8)
    still = frame.view()
    still.flags.writeable = False  # a still's pixels are read-only: a type of their own to Numba
    for pixels in (frame, still):
        for by_rows in (True, False):
            bar_run(pixels, by_rows, False, 2, 30, 2.0, 0.05)
