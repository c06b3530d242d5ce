"""A slow, obviously correct weighted k-means, to check the fast one against.

In the style of :mod:`scipy.cluster.vq`: plain loops over points and
clusters, no tricks, no chunking, no bounds. It follows the same rules as
:func:`kmeans_core.kmeans` (Lloyd's iterations from given centres, an empty
cluster re-seeded with the point farthest from its centre, scikit-learn's
stopping rule), so that from the same initial centres both reach the same
centres, labels and inertia. Meant for tests on small data only: it is
O(n k) Python-level work per iteration.
"""

from __future__ import annotations

import numpy as np

__all__ = ["assign", "inertia", "lloyd", "potential"]


def assign(X, centers) -> np.ndarray:
    """The index of the nearest centre of each point (the lowest on a tie).

    Parameters
    ----------
    X : array-like of shape (n, d)
    centers : array-like of shape (k, d)

    Returns
    -------
    ndarray of shape (n,), intp
    """
    X = np.asarray(X, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    labels = np.empty(len(X), dtype=np.intp)
    for i, x in enumerate(X):
        best, best_distance = 0, np.inf
        for j, c in enumerate(centers):
            distance = float(np.sum((x - c) ** 2))
            if distance < best_distance:
                best, best_distance = j, distance
        labels[i] = best
    return labels


def inertia(X, centers, labels, sample_weight=None) -> float:
    """Sum over points of weight times squared distance to its labelled centre."""
    X = np.asarray(X, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    w = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    total = 0.0
    for x, label, weight in zip(X, labels, w):
        total += weight * float(np.sum((x - centers[label]) ** 2))
    return total


def potential(X, centers, sample_weight=None) -> float:
    """The k-means objective of centres on their own: the inertia with each
    point labelled by its nearest centre (the k-means++ potential)."""
    return inertia(X, centers, assign(X, centers), sample_weight)


def lloyd(X, init, *, sample_weight=None, max_iter: int = 300, tol: float = 1e-4):
    """Weighted Lloyd iterations from the centres ``init``.

    Parameters
    ----------
    X : array-like of shape (n, d)
    init : array-like of shape (k, d)
        The initial centres.
    sample_weight : array-like of shape (n,), optional
    max_iter : int
    tol : float
        Stop when the summed squared shift of the centres is at most ``tol``
        times the mean weighted variance of the features.

    Returns
    -------
    centers : ndarray of shape (k, d)
    labels : ndarray of shape (n,)
    inertia : float
    n_iter : int
    """
    X = np.asarray(X, dtype=np.float64)
    centers = np.array(init, dtype=np.float64)
    w = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    mean = np.sum(X * w[:, None], axis=0) / np.sum(w)
    variance = np.sum((X - mean) ** 2 * w[:, None], axis=0) / np.sum(w)
    tol_abs = float(np.mean(variance)) * tol

    labels_old = None
    strict = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (the count is returned)
        labels = assign(X, centers)
        new_centers = _means(X, w, labels, centers)
        shift = float(np.sum((new_centers - centers) ** 2))
        centers = new_centers
        if labels_old is not None and np.array_equal(labels, labels_old):
            strict = True
            break
        if shift <= tol_abs:
            break
        labels_old = labels
    if not strict:
        labels = assign(X, centers)
    return centers, labels, inertia(X, centers, labels, w), n_iter


def _means(X, w, labels, centers):
    """Weighted means of the clusters. An empty cluster (no point of positive
    weight) takes the farthest such point from its centre, which leaves its
    own cluster: the farthest for the first empty cluster, and so on."""
    k = len(centers)
    members = [[i for i in range(len(X)) if labels[i] == j and w[i] > 0] for j in range(k)]
    empty = [j for j in range(k) if not members[j]]
    if empty:
        distance = [float(np.sum((X[i] - centers[labels[i]]) ** 2)) if w[i] > 0 else -1.0 for i in range(len(X))]
        farthest = sorted(range(len(X)), key=lambda i: (-distance[i], i))
        for j, i in zip(empty, farthest):
            members[labels[i]].remove(i)
            members[j] = [i]
            labels[i] = j
    out = centers.copy()
    for j in range(k):
        if members[j]:
            weight = sum(w[i] for i in members[j])
            out[j] = sum(w[i] * X[i] for i in members[j]) / weight
    return out
