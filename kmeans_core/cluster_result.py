"""The outcome of k-medians, spherical k-means and k-medoids, and the fields every clusterer's result starts with."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ClusterResult", "Clustering", "KMedoidsResult"]


@dataclass(frozen=True, eq=False)
class Clustering:
    """The first fields of every clusterer's result (:class:`ClusterResult`, :class:`kmeans_core.KMeansResult`).

    Attributes
    ----------
    centers : ndarray of shape (k, d), float64
        The cluster centres.
    labels : ndarray of shape (n,), intp
        The index of each point's nearest centre, by the clusterer's distance.
    """

    centers: np.ndarray
    labels: np.ndarray


@dataclass(frozen=True, eq=False)
class ClusterResult(Clustering):
    """Centres, labels (see :class:`Clustering`) and the objective a clusterer minimised.

    Attributes
    ----------
    objective : float
        The clusterer's own objective at the result (each function says which).
    n_iter : int
        Iterations run (of the best initialization).
    converged : bool
        Whether a fixed point was reached before ``max_iter``.
    """

    objective: float
    n_iter: int
    converged: bool


@dataclass(frozen=True, eq=False)
class KMedoidsResult(ClusterResult):
    """A :class:`ClusterResult` whose centres are points of the data.

    Attributes
    ----------
    indices : ndarray of shape (k,), intp
        The rows of X that are the medoids: ``centers == X[indices]``.
    """

    indices: np.ndarray
