"""Moving cluster centres to their weighted geometric medians (Weiszfeld).

k-means minimises the mean *squared* distance, which lets a few far-off
pixels pull a centre away from the bulk of its cluster. What a viewer sees is
closer to the mean *distance*: the mean CIEDE2000 of a redrawn frame tracks
the mean Euclidean distance in CIELAB far better than its square. A few
Weiszfeld steps from the k-means centres (each point reassigned to its
nearest centre, then each centre moved to the weighted geometric median of
its points) lower that mean distance, and with it the visible error.
"""

from __future__ import annotations

import numpy as np

from kmeans_core import _point_kernels as kernels
from kmeans_core._validation import check_centers, check_int, check_number, check_points
from kmeans_core.threads import block_count, over_blocks

__all__ = ["DEFAULT_FLOOR", "refine_to_medians"]

#: Distances below ``floor`` count as ``floor``, so a centre that sits on a
#: point does not give that point an infinite weight: half a unit of CIELAB
#: (or of sRGB code values) unless told otherwise.
DEFAULT_FLOOR = 0.5


def refine_to_medians(
    X, centers, *, sample_weight=None, n_iter: int = 5, floor: float = DEFAULT_FLOOR, locked: int = 0
) -> np.ndarray:
    """Move centres towards the weighted geometric medians of their clusters.

    Each step assigns every point to its nearest centre and replaces each
    centre by one Weiszfeld update of its cluster (a mean weighted by
    ``weight / max(distance, floor)``). A centre that loses all its points
    stays where it is. The result is deterministic.

    Parameters
    ----------
    X : array-like of shape (n, d)
        The points.
    centers : array-like of shape (k, d)
        The starting centres, usually from :func:`kmeans_core.kmeans`.
    sample_weight : array-like of shape (n,), optional
        Non-negative weight of each point (pixel counts).
    n_iter : int, default 5
        Weiszfeld steps; 0 returns the centres unchanged.
    floor : float, default 0.5
        The smallest distance a point's pull is divided by, in the units of
        X (0.5 suits CIELAB and sRGB; 0.005 suits OKLab).
    locked : int, default 0
        The first ``locked`` centres are assigned to but never moved.

    Returns
    -------
    ndarray of shape (k, d), float64

    Raises
    ------
    ValueError
        For a bad parameter; the message echoes the value.
    """
    X, w = check_points(X, sample_weight)
    centers = check_centers(centers, X, copy=True)
    n_iter = check_int("n_iter", n_iter, low=0)
    floor = check_number("floor", floor, positive=True)
    locked = check_int("locked", locked, low=0)
    k, d = centers.shape
    w = np.ascontiguousarray(w, dtype=np.float64)
    blocks = block_count(len(X))
    totals, block_sums = np.zeros((blocks, k)), np.zeros((blocks, k, d))
    for _ in range(n_iter):
        CT = np.ascontiguousarray(centers.T)

        def work(block, a, b, CT=CT):
            kernels.weiszfeld_block(X, w, CT, floor, a, b, totals[block], block_sums[block])

        over_blocks(len(X), work)
        total, sums = totals.sum(axis=0), block_sums.sum(axis=0)  # in block order: thread-count free
        held = total > 0
        held[:locked] = False
        centers[held] = sums[held] / total[held, None]
    return centers
