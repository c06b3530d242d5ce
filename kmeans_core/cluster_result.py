"""The outcome of the clusterers beside k-means: k-medians, spherical k-means and k-medoids."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ClusterResult", "KMedoidsResult"]


@dataclass(frozen=True, eq=False)
class ClusterResult:
    """Centres, labels and the objective a clusterer minimised.

    Attributes
    ----------
    centers : ndarray of shape (k, d), float64
        The cluster centres.
    labels : ndarray of shape (n,), intp
        The index of each point's nearest centre, by the clusterer's distance.
    objective : float
        The clusterer's own objective at the result (each function says which).
    n_iter : int
        Iterations run (of the best initialization).
    converged : bool
        Whether a fixed point was reached before ``max_iter``.
    """

    centers: np.ndarray
    labels: np.ndarray
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
