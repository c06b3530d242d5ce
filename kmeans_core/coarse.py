"""Coarse-to-fine starts: the colours pooled on 5-bit sRGB cells, clustered first.

A 4K frame holds a few 10^5 distinct colours; pooled on cells of 8 x 8 x 8
sRGB code values (5 bits a channel, at most 32,768 cells) they are a few
thousand points, each the weighted mean (in the clustering space) of its
cell's colours, weighing their total. k-means++ and Lloyd's iterations run
there in a few milliseconds, and their centres start the fit on the full
histogram, which then needs only a few iterations to converge. The palette
is still a fixed point of Lloyd's iterations on every colour.
"""

from __future__ import annotations

import numpy as np

from kmeans_core import _histogram_kernels as kernels

__all__ = ["COARSE_ABOVE", "pool_on_cells"]

#: Histograms with more distinct colours than this start from their pooled cells.
COARSE_ABOVE = 20_000

_BITS = 5


def pool_on_cells(colors: np.ndarray, X: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The colours pooled on 5-bit sRGB cells.

    Parameters
    ----------
    colors : ndarray of shape (n, 3), uint8
        The histogram's sRGB colours.
    X : ndarray of shape (n, d)
        The same colours in the clustering space.
    weights : ndarray of shape (n,)
        Their weights (pixel counts), non-negative.

    Returns
    -------
    points : ndarray of shape (m, d)
        The weighted mean of each cell that holds weight, in cell order.
    cell_weights : ndarray of shape (m,)
        The total weight of each of those cells.
    """
    total, sums = kernels.pool_cells(
        np.ascontiguousarray(colors), np.ascontiguousarray(X, dtype=np.float64), np.asarray(weights, np.float64), _BITS
    )
    held = total > 0
    return sums[held] / total[held, None], total[held]
