"""Weighted k-means: Lloyd iterations with k-means++, random or manual seeds.

The data and k come first; every option after them is keyword-only. Input is
validated once, in :func:`kmeans` and :func:`kmeans_plusplus`; the private
workers below them assume clean input.

Distances use the expansion ``|x|^2 - 2 x.c + |c|^2`` with one BLAS matmul per
chunk of rows, so memory stays bounded however many points there are. The
data is centred on its weighted mean first, which keeps that expansion
accurate.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

__all__ = ["INITIALIZERS", "KMeansResult", "kmeans", "kmeans_plusplus", "nearest_centers"]

INITIALIZERS = ("k-means++", "random")

#: Upper bound on the elements of one chunk of the distance matrix.
_CHUNK_ELEMENTS = 1 << 17


@dataclass(frozen=True, eq=False)
class KMeansResult:
    """The outcome of :func:`kmeans`.

    Attributes
    ----------
    centers : ndarray of shape (k, d), float64
        The cluster centres.
    labels : ndarray of shape (n,), intp
        The index of the nearest centre of each point.
    inertia : float
        Sum over points of weight times squared distance to its centre.
    n_iter : int
        Lloyd iterations run (of the best initialization).
    converged : bool
        Whether the labels stopped changing or the centres moved less than
        ``tol`` before ``max_iter`` was reached.
    """

    centers: np.ndarray
    labels: np.ndarray
    inertia: float
    n_iter: int
    converged: bool


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
) -> KMeansResult:
    """Cluster weighted points with Lloyd's algorithm.

    Parameters
    ----------
    X : array-like of shape (n, d)
        The points. Converted to float64.
    k : int
        The number of clusters, at least 1 and at most the number of
        distinct points with positive weight.
    sample_weight : array-like of shape (n,), optional
        Non-negative weight of each point (a pixel count, for a colour
        histogram). Default: every point weighs 1.
    init : {"k-means++", "random"} or array-like of shape (k, d)
        ``"k-means++"`` is the greedy, weighted variant (2 + ln k candidates
        per step, the one that lowers the potential most is kept);
        ``"random"`` picks k distinct points with probability proportional to
        weight; an array gives the initial centres themselves.
    n_init : int, default 1
        How many initializations to run; the one with the lowest inertia is
        kept. Must be 1 with manual initial centres.
    seed : None, int or numpy.random.Generator
        The same seed gives the same result.
    max_iter : int, default 300
        The most Lloyd iterations per initialization.
    tol : float, default 1e-4
        Convergence when the squared centre shift of one iteration is at most
        ``tol`` times the mean weighted variance of the features, as in
        scikit-learn; also when no label changes.

    Returns
    -------
    KMeansResult

    Raises
    ------
    ValueError
        For a bad parameter; the message echoes the value.
    """
    X, w = _check_data(X, sample_weight)
    k = _check_k(k, X, w)
    for name, value, low in (("n_init", n_init, 1), ("max_iter", max_iter, 1)):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < low:
            raise ValueError(f"{name}={value!r} must be an integer >= {low}")
    if not isinstance(tol, numbers.Real) or not np.isfinite(tol) or tol < 0:
        raise ValueError(f"tol={tol!r} must be a finite number >= 0")
    manual = _check_init(init, k, X)
    if manual is not None and n_init != 1:
        raise ValueError(f"n_init={n_init} but manual initial centres give one start; use n_init=1")
    rng = np.random.default_rng(seed)

    mean = np.average(X, axis=0, weights=w)
    Xc = X - mean
    variance = np.average(Xc**2, axis=0, weights=w)
    tol_abs = float(np.mean(variance) * tol)
    xsq = np.einsum("ij,ij->i", Xc, Xc)

    best = None
    for _ in range(n_init):
        if manual is not None:
            start = manual - mean
        elif init == "k-means++":
            start = _plusplus(Xc, w, xsq, k, rng)
        else:
            start = _random_points(Xc, w, k, rng)
        run = _lloyd(Xc, w, xsq, start, max_iter, tol_abs)
        if best is None or run[2] < best[2]:
            best = run
    centers, labels, inertia, n_iter, converged = best
    return KMeansResult(centers=centers + mean, labels=labels, inertia=inertia, n_iter=n_iter, converged=converged)


def kmeans_plusplus(X, k, *, sample_weight=None, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """Choose k initial centres by greedy, weighted k-means++.

    Parameters
    ----------
    X : array-like of shape (n, d)
    k : int
    sample_weight : array-like of shape (n,), optional
    seed : None, int or numpy.random.Generator

    Returns
    -------
    centers : ndarray of shape (k, d), float64
        Rows of ``X``.
    indices : ndarray of shape (k,), intp
        Their row indices in ``X``.
    """
    X, w = _check_data(X, sample_weight)
    k = _check_k(k, X, w)
    mean = np.average(X, axis=0, weights=w)
    Xc = X - mean
    xsq = np.einsum("ij,ij->i", Xc, Xc)
    centers, indices = _plusplus(Xc, w, xsq, k, np.random.default_rng(seed), return_indices=True)
    return centers + mean, indices


# --- validation (the public boundary) ---------------------------------------


def _check_data(X, sample_weight) -> tuple[np.ndarray, np.ndarray]:
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"X must be a numeric array: {exc}") from None
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X is empty: shape {X.shape}")
    bad = ~np.isfinite(X)
    if bad.any():
        raise ValueError(f"X contains {int(bad.sum())} NaN or infinite values")
    if sample_weight is None:
        w = np.ones(len(X))
    else:
        w = np.asarray(sample_weight, dtype=np.float64)
        if w.shape != (len(X),):
            raise ValueError(f"sample_weight has shape {w.shape} but X has {len(X)} samples")
        if not np.isfinite(w).all():
            raise ValueError("sample_weight contains NaN or infinite values")
        if (w < 0).any():
            raise ValueError(f"sample_weight has {int((w < 0).sum())} negative values (the smallest is {w.min():g})")
        if w.sum() <= 0:
            raise ValueError("sample_weight sums to 0; at least one point must weigh something")
    return np.ascontiguousarray(X), w


def _check_k(k, X: np.ndarray, w: np.ndarray) -> int:
    if not isinstance(k, numbers.Integral) or isinstance(k, bool):
        raise ValueError(f"k={k!r} must be an integer")
    k = int(k)
    if k < 1:
        raise ValueError(f"k={k} must be >= 1")
    n_positive = int(np.count_nonzero(w))
    if k > n_positive:
        raise ValueError(f"k={k} but X has only {n_positive} points with positive weight")
    return k


def _check_init(init, k: int, X: np.ndarray) -> np.ndarray | None:
    if isinstance(init, str):
        if init not in INITIALIZERS:
            raise ValueError(f"init={init!r} must be one of {INITIALIZERS} or an array of shape ({k}, {X.shape[1]})")
        return None
    try:
        centers = np.array(init, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"init={init!r} must be one of {INITIALIZERS} or an array of shape ({k}, {X.shape[1]})") from None
    if centers.shape != (k, X.shape[1]):
        raise ValueError(f"init has shape {centers.shape} but k={k} and X has {X.shape[1]} features: expected ({k}, {X.shape[1]})")
    if not np.isfinite(centers).all():
        raise ValueError("init contains NaN or infinite values")
    return centers


def _too_few_distinct(X: np.ndarray, w: np.ndarray, k: int) -> ValueError:
    n_distinct = len(np.unique(X[w > 0], axis=0))
    return ValueError(f"k={k} but X has only {n_distinct} distinct points with positive weight")


# --- private workers (clean input assumed) ----------------------------------


def _chunk_rows(k: int) -> int:
    return max(256, _CHUNK_ELEMENTS // max(k, 1))


def _assign(X: np.ndarray, xsq: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre of every point and the squared distance to it."""
    n = len(X)
    k = len(centers)
    minus_two_ct = -2.0 * centers.T
    csq = np.einsum("ij,ij->i", centers, centers)
    labels = np.empty(n, dtype=np.intp)
    nearest = np.empty(n, dtype=np.float64)
    step = _chunk_rows(k)
    for start in range(0, n, step):
        stop = min(start + step, n)
        block = X[start:stop] @ minus_two_ct
        block += csq
        chunk_labels = block.argmin(axis=1)
        labels[start:stop] = chunk_labels
        nearest[start:stop] = np.take_along_axis(block, chunk_labels[:, None], axis=1)[:, 0]
    nearest += xsq
    np.maximum(nearest, 0.0, out=nearest)
    return labels, nearest


def _update(
    X: np.ndarray, wX: np.ndarray, w: np.ndarray, labels: np.ndarray, nearest: np.ndarray, k: int
) -> np.ndarray:
    """Weighted means of the clusters; an empty cluster takes the farthest point."""
    weight = np.bincount(labels, weights=w, minlength=k)
    sums = np.column_stack([np.bincount(labels, weights=wX[:, j], minlength=k) for j in range(X.shape[1])])
    empty = weight <= 0
    weight[empty] = 1.0
    centers = sums / weight[:, None]
    if empty.any():
        far = np.where(w > 0, nearest, -1.0)
        order = np.argsort(-far, kind="stable")
        for j, index in zip(np.flatnonzero(empty), order):
            centers[j] = X[index]
    return centers


def _lloyd(X, w, xsq, centers, max_iter, tol_abs):
    k = len(centers)
    wX = X * w[:, None]
    centers = np.array(centers, dtype=np.float64)
    labels_old = None
    converged = False
    n_iter = 0
    strict = False
    for n_iter in range(1, max_iter + 1):
        labels, nearest = _assign(X, xsq, centers)
        new_centers = _update(X, wX, w, labels, nearest, k)
        shift = float(((new_centers - centers) ** 2).sum())
        centers = new_centers
        if labels_old is not None and np.array_equal(labels, labels_old):
            converged = strict = True
            break
        if shift <= tol_abs:
            converged = True
            break
        labels_old = labels
    if not strict:
        labels, _ = _assign(X, xsq, centers)
    diff = X - centers[labels]
    inertia = float(w @ np.einsum("ij,ij->i", diff, diff))
    return centers, labels, inertia, n_iter, converged


def _plusplus(X, w, xsq, k, rng, *, return_indices=False):
    n = len(X)
    n_local = 2 + int(np.log(k))
    indices = np.empty(k, dtype=np.intp)
    indices[0] = rng.choice(n, p=w / w.sum())
    closest = _sq_dist_to(X, xsq, X[indices[:1]])[:, 0]
    potential = float(w @ closest)
    for c in range(1, k):
        if potential <= 0:
            raise _too_few_distinct(X, w, k)
        cumulative = np.cumsum(w * closest)
        draws = rng.random(n_local) * cumulative[-1]
        candidates = np.minimum(np.searchsorted(cumulative, draws, side="right"), n - 1)
        cand_dist = np.minimum(closest[:, None], _sq_dist_to(X, xsq, X[candidates]))
        cand_pot = w @ cand_dist
        best = int(np.argmin(cand_pot))
        indices[c] = candidates[best]
        closest = cand_dist[:, best]
        potential = float(cand_pot[best])
    centers = X[indices].copy()
    return (centers, indices) if return_indices else centers


def _sq_dist_to(X, xsq, points):
    """Squared distances from every row of X to each of a few points, (n, p)."""
    dist = X @ (-2.0 * points.T)
    dist += xsq[:, None]
    dist += np.einsum("ij,ij->i", points, points)
    np.maximum(dist, 0.0, out=dist)
    return dist


def _random_points(X, w, k, rng):
    positive = np.flatnonzero(w > 0)
    chosen = rng.choice(positive, size=k, replace=False, p=w[positive] / w[positive].sum())
    centers = X[chosen]
    if len(np.unique(centers, axis=0)) == k:
        return centers.copy()
    distinct, inverse = np.unique(X[positive], axis=0, return_inverse=True)
    if len(distinct) < k:
        raise _too_few_distinct(X, w, k)
    weight = np.bincount(inverse.reshape(-1), weights=w[positive])
    picked = rng.choice(len(distinct), size=k, replace=False, p=weight / weight.sum())
    return distinct[picked].copy()


def nearest_centers(X, centers) -> tuple[np.ndarray, np.ndarray]:
    """The nearest centre of each point, and the squared distance to it.

    Parameters
    ----------
    X : array-like of shape (n, d)
    centers : array-like of shape (k, d)

    Returns
    -------
    labels : ndarray of shape (n,), intp
    sq_distances : ndarray of shape (n,), float64
    """
    X = np.asarray(X, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    if X.ndim != 2 or centers.ndim != 2 or X.shape[1] != centers.shape[1] or len(centers) == 0:
        raise ValueError(f"X of shape {X.shape} and centers of shape {centers.shape} do not match")
    return _assign(X, np.einsum("ij,ij->i", X, X), centers)
