"""Weighted spherical k-means: clusters of direction, under the cosine distance.

Every point is scaled to unit length, so only its direction counts; each
point goes to the centre of highest cosine similarity, and each centre is
the normalised weighted sum of its points' directions, which maximises the
cluster's summed cosine exactly. The objective, the weighted sum of cosine
distances ``1 - cos``, therefore never rises, and the iterations stop when
no label changes. Points of length 0 have no direction: they weigh nothing.

On linear RGB (:func:`kmeans_core.srgb_to_linear`), a colour's direction is
its chromaticity: a dark red and a bright red are the same colour to it.
:func:`direction_colors` turns the clusters back into colours.
"""

from __future__ import annotations

import numpy as np

from kmeans_core._docs import CLUSTERING, fill_doc
from kmeans_core._starts import Starts
from kmeans_core._validation import check_int, check_number, check_points, check_runs, count_distinct
from kmeans_core.cluster_result import ClusterResult
from kmeans_core.threads import chunks, in_parallel

__all__ = ["direction_colors", "spherical_kmeans", "unit_directions"]

#: Decimals a unit direction is rounded to, so that proportional points
#: (such as greys) share exactly one direction.
_DECIMALS = 12

#: Rows of one block of cosine similarities.
_BLOCK_ROWS = 1 << 14


def unit_directions(X: np.ndarray) -> np.ndarray:
    """Each row scaled to unit length (rounded to 12 decimals); rows of length 0 stay 0.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64

    Returns
    -------
    ndarray of shape (n, d), float64
    """
    norms = np.sqrt(np.einsum("ij,ij->i", X, X))
    return np.round(X / np.where(norms > 0, norms, 1.0)[:, None], _DECIMALS)


@fill_doc(CLUSTERING)
def spherical_kmeans(
    X, k, *, sample_weight=None, init="k-means++", n_init: int = 1, seed=None, max_iter: int = 300, tol: float = 1e-4
) -> ClusterResult:
    """Cluster the directions of weighted points (cosine distance).

    Parameters
    ----------
    X : array-like of shape (n, d)
        The points; only their directions count.
    k : int
        From 1 to the number of distinct directions with positive weight.
    {{sample_weight}}
    init : {"k-means++", "random"} or array-like of shape (k, d)
        ``"k-means++"`` and ``"random"`` as for :func:`kmeans_core.kmeans`,
        on the unit directions (where squared distance is ``2 - 2 cos``);
        given centres are normalised (none may be 0).
    {{n_init, seed, max_iter, tol}}

    Returns
    -------
    ClusterResult
        ``centers`` are unit vectors; ``objective`` is the weighted sum of
        ``1 - cos`` between each point and its centre (points of length 0
        count 0; their label is 0).

    Raises
    ------
    ValueError
        For a bad parameter; the message echoes the value.
    """
    X, w = check_points(X, sample_weight)
    U = unit_directions(X)
    w = np.where(np.any(U != 0, axis=1), w, 0.0)
    k = check_int("k", k, low=1)
    n_directions = count_distinct(U, w, at_least=k)
    if n_directions < k:
        if w.sum() == 0:
            raise ValueError(f"k={k} but every point of X is 0 and has no direction")
        noun = "direction has" if n_directions == 1 else "directions have"
        raise ValueError(
            f"k={k} but only {n_directions} distinct {noun} positive weight "
            "(spherical k-means ignores length: greys all share one direction)"
        )
    n_init, max_iter = check_runs(n_init, max_iter)
    tol = check_number("tol", tol)
    starts = Starts.check(init, k, X, n_init=n_init, seed=seed, given=_unit_centers)

    def fit(start):
        return _spherical(U, w, start, max_iter, tol)

    return starts.best(fit, U, w, k)


def _unit_centers(centers: np.ndarray) -> np.ndarray:
    """Given initial centres scaled to unit length; none may be 0."""
    lengths = np.sqrt(np.einsum("ij,ij->i", centers, centers))
    if not (lengths > 0).all():
        raise ValueError("init contains a centre of length 0, which has no direction")
    return centers / lengths[:, None]


def direction_colors(linear: np.ndarray, weights: np.ndarray, result: ClusterResult) -> np.ndarray:
    """Each cluster's colour: its direction at the weighted mean length of its points along it.

    The colour of a cluster with unit direction c is ``t * c`` with
    ``t = sum(w * (x . c)) / sum(w)`` over its points of positive length:
    the point on the direction nearest (least squares) to the cluster's
    colours, so the palette keeps the cluster's typical brightness.

    Parameters
    ----------
    linear : ndarray of shape (n, 3)
        The clustered points (linear RGB).
    weights : ndarray of shape (n,)
    result : ClusterResult
        From :func:`spherical_kmeans` on ``linear``.

    Returns
    -------
    ndarray of shape (k, 3), float64
        Linear RGB, not clipped.
    """
    k = len(result.centers)
    has_direction = np.any(linear != 0, axis=1) & (weights > 0)
    labels = result.labels[has_direction]
    w = weights[has_direction]
    along = np.einsum("ij,ij->i", linear[has_direction], result.centers[labels])
    total = np.bincount(labels, weights=w, minlength=k)
    length = np.bincount(labels, weights=w * along, minlength=k) / np.where(total > 0, total, 1.0)
    return result.centers * length[:, None]


def _similarities(U: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The centre of highest cosine with each unit point (the lowest index on a tie), and the cosine."""
    n = len(U)
    labels = np.empty(n, dtype=np.intp)
    cosines = np.empty(n)

    def part(start, stop):
        for a, b in chunks(start, stop, _BLOCK_ROWS):
            block = U[a:b] @ centers.T
            labels[a:b] = block.argmax(axis=1)
            cosines[a:b] = block[np.arange(b - a), labels[a:b]]

    in_parallel(part, n, _BLOCK_ROWS)
    return labels, cosines


def _spherical(U: np.ndarray, w: np.ndarray, centers: np.ndarray, max_iter: int, tol: float) -> ClusterResult:
    """Spherical k-means iterations on unit points from unit ``centers`` (clean input)."""
    k = len(centers)
    positive = w > 0
    centers = np.array(centers, dtype=np.float64)
    labels, cosines = _similarities(U, centers)
    objective = float(w @ (1.0 - cosines))
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - the count is returned
        _reseed_empty(labels, cosines, positive, k)
        sums = np.column_stack([np.bincount(labels, weights=w * U[:, j], minlength=k) for j in range(U.shape[1])])
        lengths = np.sqrt(np.einsum("ij,ij->i", sums, sums))
        held = lengths > 0
        centers[held] = sums[held] / lengths[held, None]
        new_labels, cosines = _similarities(U, centers)
        previous, objective = objective, float(w @ (1.0 - cosines))
        unchanged = np.array_equal(new_labels[positive], labels[positive])
        labels = new_labels
        if unchanged or previous - objective <= tol * objective:
            converged = True
            break
    labels = np.where(positive | np.any(U != 0, axis=1), labels, 0)
    return ClusterResult(centers, labels, max(objective, 0.0), n_iter, converged)


def _reseed_empty(labels: np.ndarray, cosines: np.ndarray, positive: np.ndarray, k: int) -> None:
    """Give each empty cluster the weighted point least similar to its centre (in place)."""
    empty = np.flatnonzero(np.bincount(labels[positive], minlength=k) == 0)
    if len(empty) == 0:
        return
    far = np.where(positive, cosines, np.inf)
    farthest = np.lexsort((np.arange(len(far)), far))[: len(empty)]
    labels[farthest] = empty
    cosines[farthest] = 1.0
