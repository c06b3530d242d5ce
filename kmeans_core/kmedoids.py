"""Weighted k-medoids: every centre is one of the points.

k-medoids minimises the weighted sum of Euclidean (not squared) distances
from each point to its medoid, a point of the data. On a colour histogram
every palette colour is then a colour that occurs in the frame: nothing is
averaged away.

The scheme, which scales to 10^5 distinct colours:

1. **Representatives.** Up to ``pool_above`` (1,000) distinct points are
   used as they are. Above that, the points are pooled on the finest grid
   with at most ``pool_above`` occupied cells; each cell is represented by
   its heaviest point, weighing the cell's total.
2. **PAM's swap** on the representatives, from starts chosen as for
   :func:`kmeans_core.kmeans` (k-means++ or random, snapped to distinct
   representatives; given centres are snapped to their nearest ones). Each
   step takes the best swap of a medoid for a non-medoid over all pairs,
   evaluated at once as in FastPAM1 (Schubert and Rousseeuw 2019) from each
   point's nearest and second-nearest medoid, until no swap lowers the cost.
   Without pooling this is exactly PAM's swap phase.
3. **Alternate refinement** on all the points: assign each point to its
   nearest medoid, then give each cluster the best medoid among its current
   one and its 32 points nearest to the cluster's geometric median, judged by
   the exact cost over the cluster; repeat until no medoid changes. The cost
   never rises, and the medoids stay points of the data.
"""

from __future__ import annotations

import numpy as np

from kmeans_core._docs import CLUSTERING, fill_doc
from kmeans_core._starts import Starts
from kmeans_core._validation import check_int, check_points_and_k, check_runs
from kmeans_core.choose_k.pooling import grid_cells
from kmeans_core.cluster_result import KMedoidsResult
from kmeans_core.lloyd import nearest_centers
from kmeans_core.medians import refine_to_medians

__all__ = ["POOL_ABOVE", "kmedoids"]

#: Distinct points above which PAM runs on (at most as many) pooled representatives.
POOL_ABOVE = 1000

#: Points of each cluster tried as its medoid in the refinement.
_CANDIDATES = 32

#: Weiszfeld steps locating each cluster's geometric median in the refinement.
_MEDIAN_STEPS = 3

#: A swap must lower the cost by more than this fraction of it.
_RELATIVE_GAIN = 1e-12


@fill_doc(CLUSTERING)
def kmedoids(
    X,
    k,
    *,
    sample_weight=None,
    init="k-means++",
    n_init: int = 1,
    seed=None,
    max_iter: int = 100,
    pool_above: int = POOL_ABOVE,
) -> KMedoidsResult:
    """Cluster weighted points around k of them (weighted k-medoids, Euclidean distance).

    Parameters
    ----------
    {{X, k, sample_weight}}
        Medoids have positive weight.
    init : {"k-means++", "random"} or array-like of shape (k, d)
        Where the swap starts, chosen as by :func:`kmeans_core.kmeans` and
        moved to the nearest distinct (representative) points.
    {{n_init, seed}}
    max_iter : int, default 100
        The most swaps, and separately the most refinement rounds.
    pool_above : int, default :data:`POOL_ABOVE`
        Above this many distinct points, the swap runs on at most this many
        pooled representatives (at least 4 k) and the refinement on every point.

    Returns
    -------
    KMedoidsResult
        ``objective`` is the weighted sum of Euclidean distances from each
        point to its medoid; ``centers == X[indices]``; ``n_iter`` counts
        swaps and refinement rounds.

    Raises
    ------
    ValueError
        For a bad parameter, such as ``pool_above=0``; the message echoes the value.
    """
    X, w, k = check_points_and_k(X, k, sample_weight)
    n_init, max_iter = check_runs(n_init, max_iter)
    pool_above = check_int("pool_above", pool_above, low=1)
    starts = Starts.check(init, k, X, n_init=n_init, seed=seed)

    # The distinct points of positive weight, each with its first row in X.
    positive = np.flatnonzero(w > 0)
    points, first, inverse = np.unique(X[positive], axis=0, return_index=True, return_inverse=True)
    weights = np.bincount(inverse.reshape(-1), weights=w[positive])
    rows = positive[first]
    if len(points) > pool_above:
        reps, rep_weights = _representatives(points, weights, max(pool_above, 4 * k))
    else:
        reps, rep_weights = np.arange(len(points)), weights
    distances = _distance_matrix(points[reps])
    floor = 1e-6 * float(np.ptp(points, axis=0).max() or 1.0)

    def fit(start):
        swapped, n_swaps, swap_done = _swap(distances, rep_weights, _snap(start, points[reps]), max_iter)
        medoids, n_rounds, refine_done = _refine(points, weights, reps[swapped], max_iter, floor)
        return _total_cost(points, weights, medoids)[0], medoids, n_swaps + n_rounds, swap_done and refine_done

    cost, medoids, n_iter, converged = starts.best(fit, points[reps], rep_weights, k, objective=lambda run: run[0])
    indices = rows[medoids]
    objective, labels = _total_cost(X, w, indices)
    return KMedoidsResult(X[indices], labels, objective, n_iter, converged, indices)


def _total_cost(X: np.ndarray, w: np.ndarray, medoids: np.ndarray) -> tuple[float, np.ndarray]:
    """The weighted sum of distances to the nearest medoid, and the labels. The distances are
    taken directly (the expansion's rounding, square-rooted, would count ~1e-5 for a point on its medoid)."""
    labels, _ = nearest_centers(X, X[medoids])
    diff = X - X[medoids][labels]
    return float(w @ np.sqrt(np.einsum("ij,ij->i", diff, diff))), labels


def _distance_matrix(P: np.ndarray) -> np.ndarray:
    """Euclidean distances between all pairs of rows, computed directly (no expansion)."""
    out = np.empty((len(P), len(P)))
    step = max(1, (1 << 20) // max(1, len(P) * P.shape[1]))
    for a in range(0, len(P), step):
        diff = P[a : a + step, None, :] - P[None, :, :]
        out[a : a + step] = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    return out


def _representatives(points: np.ndarray, weights: np.ndarray, target: int) -> tuple[np.ndarray, np.ndarray]:
    """The heaviest point of each cell of the finest grid (cell widths shrinking by 0.7) with at
    most ``target`` occupied cells, and each cell's weight; ``target`` is at least 4 k, and a
    finer grid is taken when this one has fewer than ``target / 4`` cells."""
    width = float(np.ptp(points, axis=0).max())
    cells = grid_cells(points, width)
    for _ in range(60):
        finer = grid_cells(points, width * 0.7)
        if finer.max() + 1 > target:
            if cells.max() + 1 < target // 4:
                cells = finer
            break
        cells, width = finer, width * 0.7
    heaviest = np.lexsort((np.arange(len(points)), -weights, cells))
    starts = np.flatnonzero(np.r_[True, np.diff(cells[heaviest]) != 0])
    return heaviest[starts], np.bincount(cells, weights=weights)


def _snap(centers: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """For each centre in turn, the nearest candidate not yet taken (indices, distinct)."""
    taken = np.zeros(len(candidates), dtype=bool)
    chosen = np.empty(len(centers), dtype=np.intp)
    for i, center in enumerate(centers):
        diff = candidates - center
        distance = np.where(taken, np.inf, np.einsum("ij,ij->i", diff, diff))
        chosen[i] = int(np.argmin(distance))
        taken[chosen[i]] = True
    return chosen


def _swap(D: np.ndarray, w: np.ndarray, medoids: np.ndarray, max_iter: int) -> tuple[np.ndarray, int, bool]:
    """PAM's swap phase (best swap per step, FastPAM1's evaluation) on a distance matrix."""
    medoids = medoids.copy()
    k = len(medoids)
    for n_swaps in range(max_iter + 1):
        to_medoids = D[:, medoids]
        order = np.argsort(to_medoids, axis=1, kind="stable")
        nearest = order[:, 0]
        d1 = to_medoids[np.arange(len(D)), nearest]
        d2 = to_medoids[np.arange(len(D)), order[:, 1]] if k > 1 else np.full(len(D), np.inf)
        if n_swaps == max_iter:
            return medoids, n_swaps, False
        # Removing medoid i and adding h changes a point's distance by
        # min(0, D[x,h] - d1) unless i is its nearest medoid, when it becomes
        # min(D[x,h], d2) - d1: a shared term, and a correction summed over
        # each medoid's own points (one matrix product).
        closer = D - d1[:, None]
        np.minimum(closer, 0.0, out=closer)
        by_medoid = np.argsort(nearest, kind="stable")  # every medoid is nearest to itself
        own = np.minimum(D[by_medoid], d2[by_medoid, None])
        own -= d1[by_medoid, None]
        own -= closer[by_medoid]
        own *= w[by_medoid, None]
        delta = np.add.reduceat(own, np.searchsorted(nearest[by_medoid], np.arange(k)), axis=0)
        delta += w @ closer
        delta[:, medoids] = np.inf
        i, h = np.unravel_index(int(np.argmin(delta)), delta.shape)
        if not delta[i, h] < -_RELATIVE_GAIN * float(w @ d1):
            return medoids, n_swaps, True
        medoids[i] = h
    return medoids, max_iter, False  # pragma: no cover - the loop returns


def _costs(P: np.ndarray, w: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """The weighted sum of distances from the points to each candidate medoid."""
    costs = np.zeros(len(candidates))
    step = max(1, (1 << 18) // (len(candidates) * P.shape[1]))
    for a in range(0, len(P), step):
        diff = P[a : a + step, None, :] - candidates[None, :, :]
        costs += w[a : a + step] @ np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    return costs


def _refine(P: np.ndarray, w: np.ndarray, medoids: np.ndarray, max_iter: int, floor: float):
    """Alternate refinement on all points: each cluster's best medoid among its current one and
    the points nearest its geometric median (see the module's notes)."""
    medoids = medoids.copy()
    for n_rounds in range(1, max_iter + 1):
        labels, _ = nearest_centers(P, P[medoids])
        middles = refine_to_medians(P, P[medoids], sample_weight=w, n_iter=_MEDIAN_STEPS, floor=floor)
        changed = False
        for j in range(len(medoids)):
            members = np.flatnonzero(labels == j)
            to_middle = np.einsum("ij,ij->i", P[members] - middles[j], P[members] - middles[j])
            nearest = members[np.argpartition(to_middle, min(_CANDIDATES, len(members)) - 1)[:_CANDIDATES]]
            candidates = np.concatenate([[medoids[j]], np.sort(nearest)])
            costs = _costs(P[members], w[members], P[candidates])
            best = candidates[int(np.argmin(costs))]
            if costs.min() < costs[0] and best != medoids[j]:
                medoids[j] = best
                changed = True
        if not changed:
            return medoids, n_rounds, True
    return medoids, max_iter, False
