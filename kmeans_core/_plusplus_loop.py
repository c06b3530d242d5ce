"""Greedy k-means++ between its passes, compiled, and the whole loop for one thread.

Each step adds the best of a few candidates, drawn with probability
proportional to weight times squared distance to the nearest chosen centre.
The uniform numbers of every step are drawn beforehand (``draws``, one row a
step), in the order the steps use them. :func:`draw_candidates` turns a row
into candidates; the potentials come from
:func:`kmeans_core._point_kernels.potentials_block`, block by block, added in
block order by :func:`sum_rows`; so :func:`plusplus_run` (one thread) and
the loop of :mod:`kmeans_core.lloyd` (blocks in the pool of threads) choose
the same centres.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from kmeans_core._jit import KERNEL
from kmeans_core._point_kernels import lower_closest_and_cumsum, potentials_block, weighted_cumsum

__all__ = ["compile_kernels", "draw_candidates", "plusplus_run", "sum_rows"]


@njit(**KERNEL)
def draw_candidates(w, cumulative, draws, out):
    """The candidates of one step into ``out``: the points at ``draws * total`` along the
    cumulative weighted distances; their number (1, the first point with weight, when
    every point already sits on a centre)."""
    n = cumulative.shape[0]
    total = cumulative[n - 1]
    if total <= 0:
        for i in range(n):
            if w[i] > 0:
                out[0] = i
                return 1
    for c in range(draws.shape[0]):
        out[c] = min(np.searchsorted(cumulative, draws[c] * total, side="right"), n - 1)
    return draws.shape[0]


@njit(**KERNEL)
def sum_rows(partial):
    """The rows of ``partial`` added in order."""
    out = np.zeros(partial.shape[1])
    for row in range(partial.shape[0]):
        out += partial[row]
    return out


@njit(**KERNEL)
def plusplus_run(X, w, closest, draws, chosen, block_rows):
    """Every step of greedy k-means++ on one thread: ``chosen[s]`` is the row of X added
    at step s (one step a row of ``draws``); ``closest`` is updated in place."""
    n, d = X.shape
    m = draws.shape[1]
    cumulative = np.empty(n)
    candidates = np.empty(m, dtype=np.intp)
    partial = np.zeros((-(-n // block_rows), m))
    candidates_T = np.empty((d, m))
    weighted_cumsum(w, closest, cumulative)
    for step in range(draws.shape[0]):
        if draw_candidates(w, cumulative, draws[step], candidates) == 1:  # m >= 2: every point sits on a centre
            best = candidates[0]
        else:
            for c in range(m):
                candidates_T[:, c] = X[candidates[c]]
            for block in range(partial.shape[0]):
                start = block * block_rows
                potentials_block(X, w, closest, candidates_T, start, min(start + block_rows, n), partial[block])
            best = candidates[np.argmin(sum_rows(partial))]
        chosen[step] = best
        lower_closest_and_cumsum(X, X[best : best + 1], w, closest, cumulative)


def compile_kernels() -> None:
    """Compile (or load from the on-disk cache) every kernel, on a tiny problem."""
    X = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [5.0, 0.0, 0.0]])
    w = np.ones(3)
    closest = np.array([0.0, 1.0, 25.0])
    draws = np.full((1, 2), 0.5)
    chosen = np.empty(1, dtype=np.intp)
    plusplus_run(X, w, closest, draws, chosen, 2)
    cumulative = np.cumsum(closest)
    draw_candidates(w, cumulative, draws[0], np.empty(2, dtype=np.intp))
    sum_rows(np.zeros((2, 2)))
