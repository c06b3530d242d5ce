"""Weighted k-medians: clusters under the Manhattan (L1) distance.

k-medians minimises the weighted sum of L1 distances from each point to its
centre. Both steps of its alternation are exact: each point goes to the
centre nearest in L1, and each centre moves to the coordinate-by-coordinate
weighted median of its points, which minimises the cluster's L1 cost for
that assignment. The objective therefore never rises. Against k-means, far-off
colours pull a centre less (a median, not a mean), so small, saturated
clusters keep their own colour instead of being averaged into their
neighbours.

The weighted median of a cluster's values is the lower one: the smallest
value at which the cumulative weight reaches half the cluster's weight.
"""

from __future__ import annotations

import numpy as np

from kmeans_core._docs import CLUSTERING, fill_doc
from kmeans_core._starts import Starts
from kmeans_core._validation import check_number, check_points_and_k, check_runs
from kmeans_core.cluster_result import ClusterResult
from kmeans_core.threads import chunks, in_parallel

__all__ = ["kmedians"]

#: Rows of one block of L1 distances (a unit of work for one thread).
_BLOCK_ROWS = 1 << 14


@fill_doc(CLUSTERING)
def kmedians(
    X, k, *, sample_weight=None, init="k-means++", n_init: int = 1, seed=None, max_iter: int = 300, tol: float = 1e-4
) -> ClusterResult:
    """Cluster weighted points by k-medians (L1 distance, coordinate-wise weighted medians).

    Parameters
    ----------
    {{X, k, sample_weight}}
    init : {"k-means++", "random"} or array-like of shape (k, d)
        The starting centres, chosen as by :func:`kmeans_core.kmeans` (the
        same seed gives the same starts).
    {{n_init, seed, max_iter, tol}}

    Returns
    -------
    ClusterResult
        ``objective`` is the weighted sum of L1 distances to the centres.

    Raises
    ------
    ValueError
        For a bad parameter; the message echoes the value.
    """
    X, w, k = check_points_and_k(X, k, sample_weight)
    n_init, max_iter = check_runs(n_init, max_iter)
    tol = check_number("tol", tol)
    starts = Starts.check(init, k, X, n_init=n_init, seed=seed)
    positive = w > 0
    sorted_points = _SortedPoints(X[positive], w[positive])
    columns = np.ascontiguousarray(X.T)

    def fit(start):
        centers, n_iter, converged = _kmedians(sorted_points, start, max_iter, tol)
        labels, distances = _nearest_l1(columns, centers)
        return ClusterResult(centers, labels, float(w @ distances), n_iter, converged)

    return starts.best(fit, X, w, k)


class _SortedPoints:
    """Points of positive weight with each coordinate's sort order, computed once."""

    def __init__(self, X: np.ndarray, w: np.ndarray):
        self.X, self.w = X, w
        self.columns = np.ascontiguousarray(X.T)
        self.orders = [np.argsort(X[:, j], kind="stable") for j in range(X.shape[1])]

    def medians(self, labels: np.ndarray, k: int) -> np.ndarray:
        """The lower weighted median of each cluster (each must have a point), coordinate by coordinate."""
        small = labels.astype(np.uint16) if k <= np.iinfo(np.uint16).max else labels
        clusters = np.arange(k)
        medians = np.empty((k, self.X.shape[1]))
        for j, by_value in enumerate(self.orders):
            # A stable sort of the labels in value order: by cluster, then value.
            order = by_value[np.argsort(small[by_value], kind="stable")]
            grouped, cumulative = labels[order], np.cumsum(self.w[order])
            first = np.searchsorted(grouped, clusters, side="left")
            last = np.searchsorted(grouped, clusters, side="right") - 1
            before = np.where(first > 0, cumulative[np.maximum(first - 1, 0)], 0.0)
            half = before + (cumulative[last] - before) / 2
            at = np.clip(np.searchsorted(cumulative, half, side="left"), first, last)
            medians[:, j] = self.X[order[at], j]
        return medians


def _nearest_l1(columns: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The centre nearest in L1 to each point (the lowest index on a tie), and the L1 distance.

    ``columns`` holds the points as the rows of its transpose, shape (d, n): sums
    of contiguous columns are far faster than a sum along a short axis.
    """
    n = columns.shape[1]
    labels = np.zeros(n, dtype=np.intp)
    distances = np.full(n, np.inf)

    def part(start, stop):
        for a, b in chunks(start, stop, _BLOCK_ROWS):
            block, best, own = columns[:, a:b], distances[a:b], labels[a:b]
            distance, term = np.empty(b - a), np.empty(b - a)
            for j, center in enumerate(centers):
                np.abs(np.subtract(block[0], center[0], out=distance), out=distance)
                for column, value in zip(block[1:], center[1:], strict=True):
                    distance += np.abs(np.subtract(column, value, out=term), out=term)
                closer = distance < best
                own[closer] = j
                best[closer] = distance[closer]

    in_parallel(part, n, _BLOCK_ROWS)
    return labels, distances


def _kmedians(points: _SortedPoints, centers: np.ndarray, max_iter: int, tol: float):
    """Alternate L1 assignment and weighted medians from ``centers`` (clean input)."""
    k = len(centers)
    centers = np.array(centers, dtype=np.float64)
    labels, distances = _nearest_l1(points.columns, centers)
    objective = float(points.w @ distances)
    for n_iter in range(1, max_iter + 1):
        _reseed_empty(labels, distances, k)
        centers = points.medians(labels, k)
        new_labels, distances = _nearest_l1(points.columns, centers)
        previous, objective = objective, float(points.w @ distances)
        if np.array_equal(new_labels, labels) or previous - objective <= tol * objective:
            return centers, n_iter, True
        labels = new_labels
    return centers, max_iter, False


def _reseed_empty(labels: np.ndarray, distances: np.ndarray, k: int) -> None:
    """Give each empty cluster the point farthest from its centre (in place), as k-means does."""
    empty = np.flatnonzero(np.bincount(labels, minlength=k) == 0)
    if len(empty) == 0:
        return
    farthest = np.lexsort((np.arange(len(distances)), -distances))[: len(empty)]
    labels[farthest] = empty
    distances[farthest] = 0.0
