"""Weighted k-means: Lloyd iterations with k-means++, random or manual seeds.

The data and k come first; every option after them is keyword-only. Input is
validated once, in :func:`kmeans`, :func:`kmeans_plusplus` and
:func:`nearest_centers` (by the shared checks of ``kmeans_core._validation``);
the private workers below them assume clean input.

How the work is kept small
--------------------------
* The passes over the points are compiled loops (:mod:`kmeans_core._point_kernels`,
  Numba, cached on disk) that compute each distance directly. The first
  assignment sums the clusters in a pass of its own, after the distances;
  a later iteration adds the change of the few points that moved in its
  assignment loop.
* Lloyd's iterations skip points that provably keep their centre
  (Hamerly's bounds: an upper bound on the distance to the nearest centre,
  a lower bound on the distance to every other one, and half the gap from
  each centre to its nearest neighbour). The labels are those of plain
  Lloyd: the skip test carries a margin far above rounding error.
* The data is centred on the middle of its bounding box first.
* The points go in fixed blocks of ``threads.BLOCK_ROWS`` (2**14) rows, in a small pool of threads,
  one per core (:mod:`kmeans_core.threads`); the kernels release the GIL.
  Each block writes its own partial sums, added in block order, so the
  result is the same whatever the number of threads. The initializations
  of ``n_init`` run in parallel too.

Stopping follows scikit-learn's Lloyd: stop when no label changes, or when
the sum over centres of their squared shift is at most ``tol`` times the
mean variance of the features (weighted here, so that a histogram and its
pixels stop alike); after a stop on ``tol`` the labels are refreshed once
against the final centres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kmeans_core import _lloyd_loop as loop
from kmeans_core import _plusplus_loop as plusplus
from kmeans_core import _point_kernels as kernels
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
from kmeans_core.threads import BLOCK_ROWS, block_count, in_parallel, map_parallel, over_blocks, thread_ranges

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

#: Up to this many points k-means++ runs whole on one thread: its steps are short, and
#: handing two passes a step to the pool costs more than it saves (measured quiet on
#: the photos' 30,000 to 70,000 colours: 0.62 to 1.15x scikit-learn's, against up to 1.8x
#: on one thread at 4K).
_PLUSPLUS_ONE_THREAD_ROWS = 1 << 18

#: Up to this much work an iteration (points times centres), Lloyd's iterations run whole
#: on one thread, in compiled code: an iteration driven from Python, its blocks in the
#: pool, costs more in hand-offs than the second core saves (measured on the photos'
#: colours: at k = 8 on 38,000 colours one thread is faster, at k = 16 two are).
_LLOYD_ONE_THREAD_WORK = 1 << 19

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
    return fit_prepared(
        Prepared(X, w),
        k,
        init=init if manual is None else manual,
        n_init=n_init,
        rng=rng,
        max_iter=max_iter,
        tol=tol,
        fixed=fixed,
        callback=callback,
    )


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
    data = Prepared(X, w)
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
    data = Prepared(X, w)
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
    return _nearest_all(X, centers)


# --- for the package's own callers: checked input, points prepared once ------


def fit_prepared(
    data: Prepared,
    k: int,
    *,
    init,
    n_init: int,
    rng: np.random.Generator | None,
    max_iter: int,
    tol: float,
    fixed: np.ndarray | None = None,
    callback=None,
) -> KMeansResult:
    """:func:`kmeans` on points already checked and prepared, such as a sweep's, fitted at many k.

    ``init`` is an initializer's name or ``k - len(fixed)`` checked centres;
    ``fixed`` holds the locked centres (uncentred). The result is the one
    :func:`kmeans` gives for the same arguments and a ``seed`` of ``rng``.
    Given centres draw nothing: with them ``rng`` may be None, and then no
    stream is spawned from it.
    """
    fixed = np.zeros((0, data.X.shape[1])) if fixed is None else fixed
    tol_abs = data.mean_variance * tol
    record = None if callback is None else (lambda i, centers, labels: callback(_step(data, i, centers, labels)))
    held = fixed - data.mean
    manual = None if isinstance(init, str) else init

    def run(stream: np.random.Generator):
        if manual is not None:
            start = np.vstack([held, manual - data.mean])
        else:
            start = np.vstack([held, _start(data, k, init, stream, held=held)])
        return _lloyd(data, start, max_iter, tol_abs, record, locked=len(held))

    # One independent stream per initialization, so that the runs can go in
    # parallel and the result still depends on the seed alone.
    runs = map_parallel(run, [None] * n_init if rng is None else rng.spawn(n_init))
    best = min(runs, key=lambda result: result[2])
    centers, labels, inertia, n_iter, converged = best
    return KMeansResult(centers=centers + data.mean, labels=labels, inertia=inertia, n_iter=n_iter, converged=converged)


def extend_prepared(data: Prepared, k: int, rng: np.random.Generator, centers: np.ndarray) -> np.ndarray:
    """:func:`kmeans_plusplus` with checked ``centers`` (uncentred) on prepared points: the k centres."""
    indices = _plusplus(data, k, rng, start=centers - data.mean)
    return np.vstack([centers, data.points[indices]])


def nearest_two(X: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For checked X and at least two centres: each point's nearest centre, and its squared
    distances to the nearest and to the second-nearest, in parallel blocks."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    CT = np.ascontiguousarray(np.asarray(centers, dtype=np.float64).T)
    labels = np.empty(len(X), dtype=np.intp)
    nearest, second = np.empty(len(X)), np.empty(len(X))
    over_blocks(len(X), lambda block, a, b: kernels.nearest_two_block(X, CT, a, b, labels, nearest, second))
    return labels, nearest, second


class Prepared:
    """Checked points, centred (C-contiguous float64), and their weights: made once per data set.

    The offset is the middle of the bounding box, rounded to an integer: it
    is the same for a histogram and for its pixels, and integer data stays
    exactly integer.
    """

    def __init__(self, X: np.ndarray, w: np.ndarray):
        self.w = np.ascontiguousarray(w, dtype=np.float64)
        self.X, self.mean, largest_sq, weighted, weighted_sq = kernels.centred_points(X, self.w)
        self.margin = _HAMERLY_MARGIN * float(np.sqrt(largest_sq))
        # The mean over features of the weighted variance, for tol.
        total = self.w.sum()
        centre = weighted / total
        self.mean_variance = max(weighted_sq / total - float(centre @ centre), 0.0) / X.shape[1]
        self.points = X  # as given, for results that are rows of it


# --- private workers (clean input assumed) ----------------------------------


class _Run:
    """The arrays of one Lloyd run (see :mod:`kmeans_core._lloyd_loop`) and its parallel passes.

    Every pass goes over fixed blocks of BLOCK_ROWS points. Each block
    writes its own partial totals (the first pass) or their change (the
    points that moved, later passes), added in block order, so the result
    does not depend on the threads. The bounds are kept net of the centres'
    cumulative shifts, so a point that keeps its centre costs a read and a
    comparison.
    """

    def __init__(self, data: Prepared, centers: np.ndarray, max_iter: int, tol_abs: float, locked: int):
        n, d = data.X.shape
        k = len(centers)
        self.X, self.w = data.X, data.w
        self.C = np.array(centers, dtype=np.float64, order="C")
        self.labels = np.empty(n, dtype=np.intp)
        self.upper = np.empty(n)
        self.lower = np.empty(n)
        self.moved = np.zeros((2, k))  # each centre's own shifts; the largest of the others' (see advance)
        self.weight, self.sums, self.members = np.zeros(k), np.zeros((k, d)), np.zeros(k, dtype=np.int64)
        blocks = block_count(n)
        self.partials = (np.zeros((blocks, k)), np.zeros((blocks, k, d)), np.zeros((blocks, k), dtype=np.int64))
        self.changed = np.zeros(blocks, dtype=np.int64)
        self.reals = np.zeros(2)
        self.reals[loop.TOL_ABS], self.reals[loop.MARGIN] = tol_abs, data.margin
        self.ints = np.zeros(6, dtype=np.int64)
        self.ints[loop.CHANGED], self.ints[loop.LOCKED], self.ints[loop.MAX_ITER] = 1, locked, max_iter
        self.shift = np.zeros(k)

    def run_on_one_thread(self) -> None:
        kernels_args = (self.X, self.w, self.C, self.labels, self.upper, self.lower, self.moved)
        loop.lloyd_run(
            *kernels_args, self.weight, self.sums, self.members, self.reals, self.ints, self.shift,
            self.partials, BLOCK_ROWS,
        )  # fmt: skip

    def first_assignment(self) -> None:
        CT = np.ascontiguousarray(self.C.T)

        def part(a, b):
            loop.first_range(
                self.X, self.w, CT, self.labels, self.upper, self.lower, self.partials, BLOCK_ROWS,
                a // BLOCK_ROWS, block_count(b),
            )  # fmt: skip

        in_parallel(part, len(self.X), BLOCK_ROWS)
        loop.add_totals(*self.partials, self.weight, self.sums, self.members, True)

    def advance(self) -> int:
        return loop.advance(
            self.X, self.w, self.C, self.labels, self.upper, self.lower, self.moved,
            self.weight, self.sums, self.members, self.reals, self.ints, self.shift,
        )  # fmt: skip

    def assign(self) -> None:
        CT = np.ascontiguousarray(self.C.T)
        gaps = loop.half_gaps(self.C)
        margin = self.reals[loop.MARGIN]

        def part(a, b):
            loop.assign_range(
                self.X, self.w, CT, self.moved, gaps, margin, self.labels, self.upper, self.lower,
                self.partials, BLOCK_ROWS, a // BLOCK_ROWS, block_count(b), self.changed,
            )  # fmt: skip

        in_parallel(part, len(self.X), BLOCK_ROWS)
        loop.after_assign(self.partials, self.weight, self.sums, self.members, self.ints, self.changed)


def _start(data: Prepared, k: int, init: str, stream: np.random.Generator, *, held=None) -> np.ndarray:
    """Initial centres (centred) by k-means++ or at random; with ``held`` (centred locked
    centres), only the k - len(held) others, k-means++ measuring distances to them too."""
    if held is None or not len(held):
        held = None
    if init == "k-means++":
        return data.X[_plusplus(data, k, stream, start=held)]
    return _random_points(data, k - (0 if held is None else len(held)), stream)


def _inertia(data: Prepared, centers: np.ndarray, labels: np.ndarray) -> float:
    return float(loop.total_inertia(data.X, data.w, np.ascontiguousarray(centers), labels, BLOCK_ROWS))


def _step(data: Prepared, iteration: int, centers: np.ndarray, labels: np.ndarray) -> LloydStep:
    weights = np.bincount(labels, weights=data.w, minlength=len(centers))
    return LloydStep(iteration, centers + data.mean, _inertia(data, centers, labels), weights)


def _lloyd(data: Prepared, centers: np.ndarray, max_iter: int, tol_abs: float, record=None, *, locked: int = 0):
    """Lloyd's iterations from (centred) ``centers``; ``record(iteration, centers, labels)``,
    if given, sees the first assignment and every iteration's result. The first
    ``locked`` centres never move."""
    run = _Run(data, centers, max_iter, tol_abs, locked)
    n = len(data.X)
    one_thread = n * len(centers) <= _LLOYD_ONE_THREAD_WORK or len(thread_ranges(n, BLOCK_ROWS)) == 1
    if record is None and one_thread:
        run.run_on_one_thread()
    else:
        run.first_assignment()
        if record is not None:
            record(0, run.C.copy(), run.labels)
        while (action := run.advance()) != loop.STOP:
            run.assign()
            if action == loop.ASSIGN_AND_STOP:
                break
            if record is not None:
                record(int(run.ints[loop.N_ITER]), run.C.copy(), run.labels)
    n_iter = int(run.ints[loop.N_ITER])
    if record is not None:
        record(n_iter, run.C.copy(), run.labels)
    inertia = _inertia(data, run.C, run.labels)
    return run.C, run.labels, inertia, n_iter, bool(run.ints[loop.CONVERGED])


def _plusplus(data: Prepared, k: int, rng: np.random.Generator, *, start: np.ndarray | None = None) -> np.ndarray:
    """Greedy weighted k-means++ on centred data: the row indices of the chosen centres.

    Without ``start`` all k centres are chosen (the first with probability
    proportional to weight); with it, ``k - len(start)`` centres extend the
    (centred) centres ``start``. Each step draws ``2 + ln k`` candidates.
    """
    X, w = data.X, data.w
    n = len(X)
    closest = np.full(n, np.inf)
    first = []
    if start is None:
        cumulative = np.empty(n)
        kernels.weighted_cumsum(w, np.ones(n), cumulative)
        first = [min(int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right")), n - 1)]
        start = X[first]
    for center in start:
        _lower_closest(data, center, closest)
    draws = rng.random((k - len(start), 2 + int(np.log(k))))
    chosen = np.empty(len(draws), dtype=np.intp)
    if n <= _PLUSPLUS_ONE_THREAD_ROWS or len(thread_ranges(n, BLOCK_ROWS)) == 1:
        plusplus.plusplus_run(X, w, closest, draws, chosen, BLOCK_ROWS)
    else:
        cumulative = np.empty(n)
        candidates = np.empty(draws.shape[1], dtype=np.intp)
        for step, row in enumerate(draws):
            kernels.weighted_cumsum(w, closest, cumulative)
            count = plusplus.draw_candidates(w, cumulative, row, candidates)
            best = (
                candidates[0] if count == 1 else candidates[int(np.argmin(_potentials(data, X[candidates], closest)))]
            )
            chosen[step] = best
            _lower_closest(data, X[best], closest)
    return np.concatenate([np.array(first, dtype=np.intp), chosen])


def _lower_closest(data: Prepared, center: np.ndarray, closest: np.ndarray) -> None:
    """``closest = min(closest, squared distance to center)``, in place."""
    center = np.ascontiguousarray(center, dtype=np.float64).reshape(1, -1)
    over_blocks(len(closest), lambda block, a, b: kernels.lower_closest_block(data.X, center, a, b, closest))


def _potentials(data: Prepared, candidates: np.ndarray, closest: np.ndarray) -> np.ndarray:
    """The potential ``sum w * min(closest, |x - c|^2)`` of adding each candidate c.

    Per-block sums are added in block order, so the result does not depend
    on the number of threads.
    """
    candidates_T = np.ascontiguousarray(candidates.T)
    partial = np.zeros((block_count(len(closest)), len(candidates)))

    def work(block, a, b):
        kernels.potentials_block(data.X, data.w, closest, candidates_T, a, b, partial[block])

    over_blocks(len(closest), work)
    return plusplus.sum_rows(partial)


def _nearest_all(X: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre of every point and the squared distance, in parallel blocks."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    CT = np.ascontiguousarray(np.asarray(centers, dtype=np.float64).T)
    labels = np.empty(len(X), dtype=np.intp)
    sq_distances = np.empty(len(X))
    over_blocks(len(X), lambda block, a, b: kernels.nearest_block(X, CT, a, b, labels, sq_distances))
    return labels, sq_distances


def _random_points(data: Prepared, k: int, rng: np.random.Generator) -> np.ndarray:
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
