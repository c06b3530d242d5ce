"""Where a clusterer's runs start, and the best of them: written once for the clusterers beside k-means.

:func:`kmeans_core.kmedians`, :func:`kmeans_core.kmedoids` and
:func:`kmeans_core.spherical_kmeans` start as :func:`kmeans_core.kmeans`
does: from given centres (one run), or ``n_init`` times from ``"k-means++"``
or ``"random"`` centres (:func:`kmeans_core.initial_centers`). Each run has
a random stream of its own, spawned from the seed, so that the runs can go in
parallel threads and the result depends on the seed alone; the run of the
lowest objective is kept.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from kmeans_core._validation import check_seed, check_starts
from kmeans_core.lloyd import INITIALIZERS, initial_centers
from kmeans_core.threads import map_parallel

__all__ = ["Starts"]

_R = TypeVar("_R")


@dataclass(frozen=True, eq=False)
class Starts:
    """The checked starts of a clusterer's runs.

    Attributes
    ----------
    init : str
        ``"k-means++"`` or ``"random"``; unused when ``centers`` are given.
    centers : ndarray of shape (k, d) or None
        The given initial centres (then there is one run).
    streams : tuple of numpy.random.Generator
        One independent stream per run.
    """

    init: str
    centers: np.ndarray | None
    streams: tuple[np.random.Generator, ...]

    @classmethod
    def check(
        cls, init, k: int, X: np.ndarray, *, n_init: int, seed, given: Callable[[np.ndarray], np.ndarray] | None = None
    ) -> Starts:
        """Check ``init`` (against k and X's features, ``n_init`` already checked), then ``seed``.

        ``given``, if any, checks and transforms given centres (before the
        seed is checked), such as normalising them to unit length.
        """
        centers = check_starts(init, k, X, INITIALIZERS, n_init=n_init)
        if centers is not None and given is not None:
            centers = given(centers)
        streams = tuple(np.random.default_rng(check_seed(seed)).spawn(n_init))
        return cls(init if centers is None else "given", centers, streams)

    def best(
        self,
        fit: Callable[[np.ndarray], _R],
        X: np.ndarray,
        w: np.ndarray,
        k: int,
        *,
        objective: Callable[[_R], float] = operator.attrgetter("objective"),
    ) -> _R:
        """The result of ``fit(start)`` of lowest ``objective`` over the runs, run in parallel.

        Drawn starts are k rows of the weighted points ``(X, w)``; by
        default a result's objective is its ``objective`` attribute.
        """

        def run(stream: np.random.Generator) -> _R:
            if self.centers is not None:
                return fit(self.centers)
            return fit(initial_centers(X, k, sample_weight=w, init=self.init, seed=stream))

        return min(map_parallel(run, list(self.streams)), key=objective)
