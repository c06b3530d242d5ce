"""Weighted k-means: Lloyd iterations with k-means++, random or manual seeds.

The data and k come first; every option after them is keyword-only. Input is
validated once, in :func:`kmeans`, :func:`kmeans_plusplus` and
:func:`nearest_centers` (by the shared checks of ``kmeans_core._validation``);
the private workers below them assume clean input.

How the work is kept small
--------------------------
* Squared distances use the expansion ``|x|^2 - 2 x.c + |c|^2``, folded into
  one BLAS matmul per chunk by augmenting every point to ``[x, 1, |x|^2]``
  and every centre to ``[-2c, |c|^2, 1]``. The chunks are ``(k, rows)``
  blocks of about 200 KB: they stay in cache, memory stays bounded, and
  OpenBLAS runs each on one thread.
* The nearest centre of a chunk comes from one element-wise minimum down the
  block's columns: each float64 distance is reinterpreted as an int64 (for
  non-negative floats the order is the same, and a distance rounded below
  zero still comes first) with the centre's index in its lowest
  ``ceil(log2 k)`` bits. Distances closer than ``2**-(52 - ceil(log2 k))``
  relative count as a tie and go to the lower index, as with ``argmin``.
  Exact ties (a colour halfway between two integer seeds) are decided by
  rounding, as in every implementation of the expansion.
* Lloyd's iterations skip points that provably keep their centre
  (Hamerly's bound: an upper bound on the distance to the nearest centre and
  a lower bound on the distance to every other one, stored lazily as one
  number per point). Only the points whose bound fails are re-examined, and
  the cluster sums are updated with the points that moved. The labels are
  those of plain Lloyd: the bound carries a margin far above rounding error.
* The data is centred on the middle of its bounding box first, which keeps
  the expansion accurate.
* The passes over the points, and the initializations of ``n_init``, run in
  a small pool of threads, one per core (:mod:`kmeans_core.threads`): NumPy
  and BLAS release the GIL.

Stopping follows scikit-learn's Lloyd: stop when no label changes, or when
the sum over centres of their squared shift is at most ``tol`` times the
mean variance of the features (weighted here, so that a histogram and its
pixels stop alike); after a stop on ``tol`` the labels are refreshed once
against the final centres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kmeans_core._docs import CLUSTERING, fill_doc
from kmeans_core._validation import (
    check_callable,
    check_centers,
    check_init,
    check_number,
    check_points,
    check_points_and_k,
    check_runs,
    check_seed,
    check_starts,
)
from kmeans_core.cluster_result import Clustering
from kmeans_core.threads import chunks, in_parallel, map_parallel

__all__ = [
    "INITIALIZERS",
    "KMeansResult",
    "LloydStep",
    "initial_centers",
    "kmeans",
    "kmeans_plusplus",
    "nearest_centers",
]

INITIALIZERS = ("k-means++", "random")

#: Multiply-adds of one distance block (k x rows x (d + 2)): small enough to
#: stay in cache and for OpenBLAS to run it on one thread (ours run the blocks
#: in parallel instead).
_CHUNK_WORK = 1 << 17

#: Points per block of a Lloyd iteration (a unit of work for one thread).
_BLOCK_ROWS = 1 << 14

#: Margin of Hamerly's skip test, relative to the radius of the centred data;
#: far above the rounding error of a distance computed by the expansion.
_HAMERLY_MARGIN = 1e-6


@dataclass(frozen=True, eq=False)
class KMeansResult(Clustering):
    """The outcome of :func:`kmeans`: centres, labels (see :class:`kmeans_core.Clustering`) and more.

    Attributes
    ----------
    inertia : float
        Sum over points of weight times squared distance to its centre.
    n_iter : int
        Lloyd iterations run (of the best initialization).
    converged : bool
        Whether the labels stopped changing or the centres moved less than
        ``tol`` before ``max_iter`` was reached.
    """

    inertia: float
    n_iter: int
    converged: bool


@dataclass(frozen=True, eq=False)
class LloydStep:
    """One step of a Lloyd run, as handed to the ``callback`` of :func:`kmeans`.

    Attributes
    ----------
    iteration : int
        0 for the first assignment (the points assigned to the initial
        centres), then 1, 2, ... after each update; the last step is the
        result of :func:`kmeans`.
    centers : ndarray of shape (k, d), float64
        The centres of this step.
    inertia : float
        Sum over points of weight times squared distance to its centre, with
        every point assigned to its nearest centre of this step.
    weights : ndarray of shape (k,), float64
        The total weight assigned to each centre.
    """

    iteration: int
    centers: np.ndarray
    inertia: float
    weights: np.ndarray


@fill_doc(CLUSTERING)
def kmeans(
    X,
    k,
    *,
    sample_weight=None,
    init="k-means++",
    n_init: int = 1,
    seed=None,
    max_iter: int = 300,
    tol: float = 1e-4,
    locked=None,
    callback=None,
) -> KMeansResult:
    """Cluster weighted points with Lloyd's algorithm.

    Parameters
    ----------
    {{X, k, sample_weight}}
    init : {"k-means++", "random"} or array-like of shape (k, d)
        ``"k-means++"`` is the greedy, weighted variant (2 + ln k candidates
        per step, the one that lowers the potential most is kept);
        ``"random"`` picks k distinct points with probability proportional to
        weight; an array gives the initial centres themselves.
    {{n_init, seed, max_iter}}
    tol : float, default 1e-4
        Convergence when the summed squared centre shift of one iteration is
        at most ``tol`` times the mean weighted variance of the features, as
        in scikit-learn; also when no label changes. ``tol=0`` runs until
        no label changes (or ``max_iter``).
    locked : array-like of shape (m, d), optional
        Centres that take part in every assignment and never move: the
        first m rows of the result. k counts them (m <= k). The free centres
        start from k-means++ with distances measured to the locked ones
        too, from k - m random points, or from a manual ``init`` of shape
        (k - m, d).
    callback : callable, optional
        Called with a :class:`LloydStep` after the first assignment and after
        every iteration, ``n_iter + 1`` times in all; the last step holds the
        returned centres and inertia. Needs ``n_init=1``. Without it the run
        does no extra work.

    Returns
    -------
    KMeansResult

    Raises
    ------
    ValueError
        For a bad parameter; the message echoes the value.

    Notes
    -----
    Weighted k-means on a colour histogram ``(colors, counts)`` minimises the
    same objective as k-means on every pixel, and from the same initial
    centres it takes the same steps.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    >>> result = kmeans(X, 2, init=np.array([[1.0, 0.0], [9.0, 0.0]]))
    >>> result.centers
    array([[ 0. ,  0.5],
           [10. ,  0.5]])
    >>> float(result.inertia)
    1.0
    """
    X, w, k = check_points_and_k(X, k, sample_weight)
    n_init, max_iter = check_runs(n_init, max_iter)
    tol = check_number("tol", tol)
    fixed = np.zeros((0, X.shape[1])) if locked is None else check_centers(locked, X)
    if len(fixed) > k:
        raise ValueError(f"{len(fixed)} locked centres but k={k}; k counts the locked centres too")
    manual = check_starts(init, k - len(fixed), X, INITIALIZERS, n_init=n_init)
    callback = check_callable("callback", callback, call="a callable taking a LloydStep")
    if callback is not None and n_init != 1:
        raise ValueError(f"n_init={n_init} but a callback follows one run; use n_init=1")
    rng = np.random.default_rng(check_seed(seed))

    data = _Prepared(X, w)
    tol_abs = data.mean_variance * tol
    record = None if callback is None else (lambda i, centers, labels: callback(_step(data, i, centers, labels)))

    held = fixed - data.mean

    def run(stream: np.random.Generator):
        if manual is not None:
            start = np.vstack([held, manual - data.mean])
        else:
            start = np.vstack([held, _start(data, k, init, stream, held=held)])
        return _lloyd(data, start, max_iter, tol_abs, record, locked=len(held))

    # One independent stream per initialization, so that the runs can go in
    # parallel and the result still depends on the seed alone.
    runs = map_parallel(run, rng.spawn(n_init))
    best = min(runs, key=lambda result: result[2])
    centers, labels, inertia, n_iter, converged = best
    return KMeansResult(centers=centers + data.mean, labels=labels, inertia=inertia, n_iter=n_iter, converged=converged)


@fill_doc(CLUSTERING)
def initial_centers(X, k, *, sample_weight=None, init="k-means++", seed=None) -> np.ndarray:
    """The initial centres :func:`kmeans` starts from, for other clusterers to start alike.

    Parameters
    ----------
    {{X, k, sample_weight}}
    init : {"k-means++", "random"} or array-like of shape (k, d)
        As for :func:`kmeans`; an array is returned as it is (validated).
    {{seed}}

    Returns
    -------
    ndarray of shape (k, d), float64
        Rows of X for ``"k-means++"`` and ``"random"``.

    Raises
    ------
    ValueError
        For a bad X, k, sample_weight, init or seed; the message echoes the value.
    """
    X, w, k = check_points_and_k(X, k, sample_weight)
    manual = check_init(init, k, X, INITIALIZERS)
    if manual is not None:
        return manual
    data = _Prepared(X, w)
    return _start(data, k, init, np.random.default_rng(check_seed(seed))) + data.mean


@fill_doc(CLUSTERING)
def kmeans_plusplus(X, k, *, sample_weight=None, seed=None, centers=None) -> tuple[np.ndarray, np.ndarray]:
    """Choose k initial centres by greedy, weighted k-means++.

    Each centre after the first is the best, by the potential it leaves
    (the weighted sum of squared distances to the nearest chosen centre), of
    ``2 + ln k`` candidates drawn with probability proportional to weight
    times squared distance. Given ``centers``, the same steps extend them to
    k centres (a warm start from a fit with fewer clusters).

    Parameters
    ----------
    {{X, k, sample_weight, seed}}
    centers : array-like of shape (m, d), optional
        Centres to extend, 1 <= m <= k; they need not be rows of ``X``.
        Default: choose all k, the first with probability proportional to
        weight.

    Returns
    -------
    centers : ndarray of shape (k, d), float64
        The given centres (if any) followed by the chosen rows of ``X``.
    indices : ndarray of shape (k - m,), intp
        The row indices in ``X`` of the chosen centres.

    Raises
    ------
    ValueError
        For a bad parameter; the message echoes the value.
    """
    X, w, k = check_points_and_k(X, k, sample_weight)
    rng = np.random.default_rng(check_seed(seed))
    if centers is not None:
        centers = check_centers(centers, X)
        if len(centers) > k:
            raise ValueError(f"centers has {len(centers)} rows but k={k}; give at most k centres to extend")
    data = _Prepared(X, w)
    start = None if centers is None else centers - data.mean
    indices = _plusplus(data, k, rng, start=start)
    chosen = X[indices]
    return (chosen if centers is None else np.vstack([centers, chosen])), indices


@fill_doc(CLUSTERING)
def nearest_centers(X, centers) -> tuple[np.ndarray, np.ndarray]:
    """The nearest centre of each point, and the squared distance to it.

    Parameters
    ----------
    {{X, centers}}

    Returns
    -------
    labels : ndarray of shape (n,), intp
    sq_distances : ndarray of shape (n,), float64

    Raises
    ------
    ValueError
        If X or the centres are not finite numeric 2-D arrays with the same
        number of features (an X of no rows is fine).
    """
    X, _ = check_points(X, allow_empty=True)
    centers = check_centers(centers, X)
    return _nearest_all(_augment_points(X), _augment_centers(centers))


# --- private workers (clean input assumed) ----------------------------------


class _Prepared:
    """Centred points, their weights and the augmented rows ``[x, 1, |x|^2]``.

    The offset is the middle of the bounding box, rounded to an integer: it
    keeps the expansion accurate, it is the same for a histogram and for its
    pixels, and integer data stays exactly integer.
    """

    def __init__(self, X: np.ndarray, w: np.ndarray):
        # (Column by column: a reduction down a narrow array's axis 0 is slow.)
        self.mean = np.array([np.round((column.min() + column.max()) / 2) for column in X.T])
        self.w = w
        self.aug = _augment_points(X - self.mean)
        d = X.shape[1]
        self.X = self.aug[:, :d]
        self.xsq = self.aug[:, d + 1]
        self.margin = _HAMERLY_MARGIN * float(np.sqrt(self.xsq.max()))
        # The mean over features of the weighted variance, for tol.
        total = w.sum()
        centre = (w @ self.X) / total
        self.mean_variance = max(float(w @ self.xsq) / total - float(centre @ centre), 0.0) / d


def _augment_points(X: np.ndarray) -> np.ndarray:
    n, d = X.shape
    aug = np.empty((n, d + 2))
    aug[:, :d] = X
    aug[:, d] = 1.0
    aug[:, d + 1] = np.einsum("ij,ij->i", X, X)
    return aug


def _augment_centers(centers: np.ndarray) -> np.ndarray:
    k, d = centers.shape
    aug = np.empty((k, d + 2))
    np.multiply(centers, -2.0, out=aug[:, :d])
    np.einsum("ij,ij->i", centers, centers, out=aug[:, d])
    aug[:, d + 1] = 1.0
    return aug


def _nearest(points_aug: np.ndarray, centers_aug: np.ndarray, *, second: bool = False):
    """Nearest centre of each augmented point, its squared distance and,
    with ``second``, the squared distance to the second-nearest (inf for k=1).
    """
    n = len(points_aug)
    k = len(centers_aug)
    bits = max(1, (k - 1).bit_length())
    low = np.int64((1 << bits) - 1)
    high = ~low
    index_column = np.arange(k, dtype=np.int64)[:, None]
    labels = np.empty(n, dtype=np.intp)
    nearest = np.empty(n)
    runner_up = np.full(n, np.inf) if second else None
    step = _chunk_rows(centers_aug.shape)
    columns = np.arange(min(step, n), dtype=np.int64)
    for start, stop in chunks(0, n, step):
        block = centers_aug @ points_aug[start:stop].T
        # A distance rounded below zero keeps its place in the order: a
        # negative float's int64 is negative, below every positive one.
        packed = block.view(np.int64)
        packed &= high
        packed |= index_column
        best = np.minimum.reduce(packed, axis=0)
        chunk_labels = best & low
        labels[start:stop] = chunk_labels
        best &= high
        np.maximum(best.view(np.float64), 0.0, out=nearest[start:stop])
        if second and k > 1:
            rows = stop - start
            flat = chunk_labels * rows
            flat += columns[:rows]
            np.put(packed, flat, np.iinfo(np.int64).max)
            following = np.minimum.reduce(packed, axis=0)
            following &= high
            np.maximum(following.view(np.float64), 0.0, out=runner_up[start:stop])
    return labels, nearest, runner_up


class _Clusters:
    """Labels and cluster totals, with Hamerly's bounds kept lazily.

    Hamerly's test says a point with label a keeps it while an upper bound
    on its distance to centre a is at most a lower bound on its distance to
    every other centre. Both bounds are only stored as of the iteration they
    were computed, as one number per point, ``slack = upper - lower``, net of
    the centres' shifts so far: with ``moved[j]`` the cumulative shift of
    centre j and ``moved_max`` the cumulative largest shift, the point is
    re-examined only when ``slack + moved[a] + moved_max > 0``. An iteration
    costs a gather and a comparison per point, and writes only for the
    points re-examined.
    """

    def __init__(self, data: _Prepared, centers: np.ndarray, locked: int = 0):
        self.data = data
        self.k = len(centers)
        self.locked = locked  # the first ``locked`` centres never move
        self.wX = data.X * data.w[:, None]
        self.positive = data.w > 0
        self.moved = np.zeros(self.k)
        self.moved_max = 0.0
        self.slack = np.empty(len(data.X))
        self.labels = np.empty(len(data.X), dtype=np.intp)
        self.reassign(centers, None)
        self.weight, self.sums, self.members = self._totals(slice(None), self.labels)

    def _examine(self, rows, centers_aug: np.ndarray) -> np.ndarray:
        """Nearest centres of the points ``rows`` (a slice or indices), fresh
        bounds for them, and their new labels."""
        labels, nearest, runner_up = _nearest(self.data.aug[rows], centers_aug, second=True)
        slack = np.sqrt(nearest)
        slack -= np.sqrt(runner_up)
        slack += 2.0 * self.data.margin - self.moved_max
        slack -= self.moved[labels]
        self.slack[rows] = slack
        return labels

    def _totals(self, index, labels: np.ndarray):
        k = self.k
        weight = np.bincount(labels, weights=self.data.w[index], minlength=k)
        wX = self.wX[index]
        sums = np.stack([np.bincount(labels, weights=wX[:, j], minlength=k) for j in range(wX.shape[1])], axis=1)
        members = np.bincount(labels[self.positive[index]], minlength=k)
        return weight, sums, members

    def _move(self, index: np.ndarray, new_labels: np.ndarray) -> None:
        """Give the points ``index`` new labels, updating the cluster totals."""
        for sign, labels in ((-1, self.labels[index]), (1, new_labels)):
            weight, sums, members = self._totals(index, labels)
            self.weight += sign * weight
            self.sums += sign * sums
            self.members += sign * members
        self.labels[index] = new_labels

    def means(self, centers: np.ndarray) -> np.ndarray:
        """Weighted means; an empty cluster takes the point farthest from its centre.

        Locked centres stay where they are, even when empty.
        """
        empty = np.flatnonzero(self.members[self.locked :] == 0) + self.locked
        if len(empty):
            diff = self.data.X - centers[self.labels]
            far = np.where(self.positive, np.einsum("ij,ij->i", diff, diff), -1.0)
            top = np.argpartition(-far, len(empty) - 1)[: len(empty)]
            top = top[np.lexsort((top, -far[top]))]
            self._move(top, empty)
            self.slack[top] = np.inf  # its bounds no longer hold: examine it again
        filled = self.members > 0
        out = centers.copy()
        filled[: self.locked] = False
        np.divide(self.sums, self.weight[:, None], out=out, where=filled[:, None])
        return out

    def reassign(self, centers: np.ndarray, shift: np.ndarray | None) -> bool:
        """Labels against moved centres (``shift``: how far each moved, None
        for a first look at every point); True if any label changed.

        The points go in fixed blocks of _BLOCK_ROWS, in parallel threads:
        each block finds its suspects, re-examines them (all of them, in one
        contiguous pass, when they are more than half the block) and lists
        the points that changed label. The cluster totals are then updated
        once, in block order, so the result does not depend on the threads.
        """
        first = shift is None
        if not first:
            if self.k == 1:
                return False
            self.moved += shift
            self.moved_max += float(shift.max())
        centers_aug = _augment_centers(centers)
        n = len(self.labels)
        changes = [None] * -(-n // _BLOCK_ROWS)

        def part(start, stop):
            for a, b in chunks(start, stop, _BLOCK_ROWS):
                if first:
                    self.labels[a:b] = self._examine(slice(a, b), centers_aug)
                    continue
                suspect = np.take(self.moved, self.labels[a:b])
                suspect += self.slack[a:b]
                candidates = np.flatnonzero(suspect > -self.moved_max)
                if len(candidates) == 0:
                    continue
                if 2 * len(candidates) > b - a:
                    labels = self._examine(slice(a, b), centers_aug)
                    moved = np.flatnonzero(labels != self.labels[a:b])
                    changes[a // _BLOCK_ROWS] = (moved + a, labels[moved])
                else:
                    candidates += a
                    labels = self._examine(candidates, centers_aug)
                    moved = labels != self.labels[candidates]
                    changes[a // _BLOCK_ROWS] = (candidates[moved], labels[moved])

        in_parallel(part, n, _BLOCK_ROWS)
        changes = [change for change in changes if change is not None and len(change[0])]
        if not changes:
            return False
        self._move(np.concatenate([c[0] for c in changes]), np.concatenate([c[1] for c in changes]))
        return True


def _start(data: _Prepared, k: int, init: str, stream: np.random.Generator, *, held=None) -> np.ndarray:
    """Initial centres (centred) by k-means++ or at random; with ``held`` (centred locked
    centres), only the k - len(held) others, k-means++ measuring distances to them too."""
    if held is None or not len(held):
        held = None
    if init == "k-means++":
        return data.X[_plusplus(data, k, stream, start=held)]
    return _random_points(data, k - (0 if held is None else len(held)), stream)


def _inertia(data: _Prepared, centers: np.ndarray, labels: np.ndarray) -> float:
    diff = data.X - centers[labels]
    return float(data.w @ np.einsum("ij,ij->i", diff, diff))


def _step(data: _Prepared, iteration: int, centers: np.ndarray, labels: np.ndarray) -> LloydStep:
    weights = np.bincount(labels, weights=data.w, minlength=len(centers))
    return LloydStep(iteration, centers + data.mean, _inertia(data, centers, labels), weights)


def _lloyd(data: _Prepared, centers: np.ndarray, max_iter: int, tol_abs: float, record=None, *, locked: int = 0):
    """Lloyd's iterations from (centred) ``centers``; ``record(iteration, centers, labels)``,
    if given, sees the first assignment and every iteration's result. The first
    ``locked`` centres never move."""
    centers = np.array(centers, dtype=np.float64)
    clusters = _Clusters(data, centers, locked)
    if record is not None:
        record(0, centers, clusters.labels)
    changed = True
    strict = converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        new_centers = clusters.means(centers)
        shift = np.sqrt(np.einsum("ij,ij->i", new_centers - centers, new_centers - centers))
        centers = new_centers
        if n_iter > 1 and not changed:
            strict = converged = True
            break
        if float(shift @ shift) <= tol_abs:
            converged = True
            break
        if n_iter < max_iter:
            changed = clusters.reassign(centers, shift)
            if record is not None:
                record(n_iter, centers, clusters.labels)
    if not strict:
        clusters.reassign(centers, shift)
    labels = clusters.labels
    if record is not None:
        record(n_iter, centers, labels)
    return centers, labels, _inertia(data, centers, labels), n_iter, converged


def _plusplus(data: _Prepared, k: int, rng: np.random.Generator, *, start: np.ndarray | None = None) -> np.ndarray:
    """Greedy weighted k-means++ on centred data: the row indices of the chosen centres.

    Without ``start`` all k centres are chosen (the first with probability
    proportional to weight); with it, ``k - len(start)`` centres extend the
    (centred) centres ``start``.
    """
    X, w = data.X, data.w
    n = len(X)
    n_local = 2 + int(np.log(k))
    if start is None:
        first = rng.choice(n, p=w / w.sum())
        indices, n_new = [first], k - 1
        closest = _sq_distances_to(data, X[first])
    else:
        indices, n_new = [], k - len(start)
        closest = _nearest_all(data.aug, _augment_centers(start))[1]
    for _ in range(n_new):
        cumulative = np.cumsum(w * closest)
        if cumulative[-1] <= 0:  # every point sits on a centre: take any other point
            candidates = rng.choice(np.flatnonzero(w > 0), size=1)
        else:
            draws = rng.random(n_local) * cumulative[-1]
            candidates = np.minimum(np.searchsorted(cumulative, draws, side="right"), n - 1)
        best = int(candidates[int(np.argmin(_potentials(data, X[candidates], closest)))])
        indices.append(best)
        np.minimum(closest, _sq_distances_to(data, X[best]), out=closest)
    return np.array(indices, dtype=np.intp)


def _nearest_all(points_aug: np.ndarray, centers_aug: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre of every augmented point and the squared distance, in parallel blocks."""
    n = len(points_aug)
    labels = np.empty(n, dtype=np.intp)
    sq_distances = np.empty(n)

    def part(start, stop):
        labels[start:stop], sq_distances[start:stop], _ = _nearest(points_aug[start:stop], centers_aug)

    in_parallel(part, n, _chunk_rows(centers_aug.shape))
    return labels, sq_distances


def _sq_distances_to(data: _Prepared, center: np.ndarray) -> np.ndarray:
    """Squared distance of every point to one centre."""
    distances = data.aug @ _augment_centers(center[None, :])[0]
    return np.maximum(distances, 0.0, out=distances)


def _potentials(data: _Prepared, candidates: np.ndarray, closest: np.ndarray) -> np.ndarray:
    """The potential ``sum w * min(closest, |x - c|^2)`` of adding each candidate c.

    The work goes chunk by chunk, each chunk's distances used while in
    cache; the per-chunk sums are added in a fixed order, so the result does
    not depend on the number of threads.
    """
    centers_aug = _augment_centers(candidates)
    step = _chunk_rows(centers_aug.shape)
    n = len(closest)
    partial = np.zeros((-(-n // step), len(candidates)))

    def part(start, stop):
        for a, b in chunks(start, stop, step):
            block = centers_aug @ data.aug[a:b].T
            np.maximum(block, 0.0, out=block)
            np.minimum(block, closest[a:b], out=block)
            partial[a // step] = block @ data.w[a:b]

    in_parallel(part, n, step)
    return partial.sum(axis=0)


def _random_points(data: _Prepared, k: int, rng: np.random.Generator) -> np.ndarray:
    """k distinct points, drawn with probability proportional to weight."""
    X, w = data.X, data.w
    positive = np.flatnonzero(w > 0)
    chosen = rng.choice(positive, size=k, replace=False, p=w[positive] / w[positive].sum())
    centers = X[chosen]
    if len(np.unique(centers, axis=0)) == k:
        return centers.copy()
    distinct, inverse = np.unique(X[positive], axis=0, return_inverse=True)
    weight = np.bincount(inverse.reshape(-1), weights=w[positive])
    picked = rng.choice(len(distinct), size=k, replace=False, p=weight / weight.sum())
    return distinct[picked].copy()


# --- chunks ------------------------------------------------------------------


def _chunk_rows(centers_shape: tuple[int, int]) -> int:
    """Rows of a block whose distance work is about _CHUNK_WORK."""
    return max(1, _CHUNK_WORK // (centers_shape[0] * centers_shape[1]))
