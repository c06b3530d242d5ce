"""Fitting every k of a sweep in turn, each warm-started from the previous k.

For each k, the best (lowest inertia) of a warm start -- the centres of the
previous k extended by greedy k-means++ steps
(:func:`kmeans_core.kmeans_plusplus` with ``centers``) -- and ``n_init``
fresh starts, all through :func:`kmeans_core.kmeans`. When the pooled points
are many, the fresh starts run on a grid twice as coarse, where they are
cheap, and the best of them is refined on the pooled points. Then a
backward pass (``settings.backward``) goes down the ks once more: each k
also starts from the next k's centres, dropping one at a time the centre
whose points cost least to hand to their second-nearest centres, and keeps
that fit when it is better. Warm starts both ways make the inertia curve smooth and the
data's log W nearly free of local-optimum noise, which is much of what keeps
the suggestions stable from seed to seed: on dark, low-contrast frames, where
k-means has many local optima within a few percent of each other, a single
poor fit at one k moved the gap's and the elbow's picks.

The random streams of a sweep are spawned here once (:func:`spawn_streams`),
so that :func:`kmeans_core.gap_statistic` and the sweep fit the data and the
reference sets from the same streams and agree exactly. The seed chooses the
silhouette's sample and the data's starts; the gap's reference sets, and
their fits, come from a stream of their own (:data:`REFERENCE_SEED`), the
same whatever the seed. The reference stands for the frame's box, not for a
clustering run: drawn afresh with each seed, its noise alone moved the gap's
pick where the gap rises by about s(k) per k (a dusk-graded chelsea over
2..12: 4, 2, 4, 4, 4 over seeds 0 to 4; 4 for all five with the fixed
reference, and the other seven dark frames of the stability tests unchanged).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from kmeans_core.lloyd import Prepared, extend_prepared, fit_prepared, nearest_two

__all__ = [
    "DEFAULT_FITS",
    "FitPath",
    "REFERENCE_SEED",
    "FitSettings",
    "SweepStreams",
    "fit_path",
    "spawn_streams",
]


@dataclass(frozen=True)
class FitSettings:
    """How each k is fitted: the initializer, fresh starts, the stopping rule of k-means, and
    whether a backward pass also starts each k from the next k's centres less one."""

    init: str
    n_init: int
    max_iter: int
    tol: float
    backward: bool = True


#: The fit settings of a sweep and of the gap statistic unless they are given.
DEFAULT_FITS = FitSettings(init="k-means++", n_init=4, max_iter=300, tol=1e-4)


class SweepStreams(NamedTuple):
    """Independent random streams: the silhouette sample, the data's fits, one per reference set."""

    sample: np.random.Generator
    fit: np.random.Generator
    refs: tuple[np.random.Generator, ...]


class FitPath(NamedTuple):
    """The fits of every k of a sweep, aligned with its ks."""

    #: The fitted centres of each k, shape (k, d).
    centers: list[np.ndarray]
    #: The inertia of each k's fit.
    inertia: np.ndarray
    #: Lloyd iterations of each k's winning fit.
    n_iter: np.ndarray
    #: Seconds spent fitting each k (every start tried), a measurement.
    seconds: np.ndarray


#: The seed of the gap's reference sets: the same for every sweep, so that
#: the gap of a frame does not move with the seed of its k-means starts.
REFERENCE_SEED = 20011


def spawn_streams(seed, n_refs: int) -> SweepStreams:
    """The streams of a sweep with ``n_refs`` reference sets, from a clean seed.

    The silhouette's sample and the data's fits come from ``seed``; the
    reference sets from :data:`REFERENCE_SEED`, whatever ``seed`` is.
    """
    sample, fit = np.random.default_rng(seed).spawn(2)
    refs = np.random.default_rng(REFERENCE_SEED).spawn(n_refs)
    return SweepStreams(sample, fit, tuple(refs))


def fit_path(
    X: np.ndarray,
    w: np.ndarray,
    ks: np.ndarray,
    settings: FitSettings,
    *,
    rng: np.random.Generator,
    on_fit: Callable[[int, int], object] | None = None,
    coarse: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[list[np.ndarray], np.ndarray]:
    """Fit every k in turn: the best of a warm start and ``settings.n_init`` fresh starts.

    The warm start is the previous k's centres extended by greedy k-means++
    steps. With ``coarse`` (points and weights pooled on a coarser grid), the
    fresh starts run there and the best of them is refined on ``X``.
    ``on_fit(i, k)`` is called after the i-th k. With ``settings.backward``,
    the ks are then gone through from the top down, each also started from
    the next k's centres less the cheapest ones to drop, one at a time (no
    random draws).

    Returns
    -------
    FitPath
    """
    centers, inertia = [], np.empty(len(ks))
    n_iter, seconds = np.empty(len(ks), dtype=np.int64), np.empty(len(ks))
    previous = None
    # The points are checked by the sweep and prepared once, for every fit at every k.
    data = Prepared(X, w)
    pooled = None if coarse is None else Prepared(*coarse)
    stop = {"max_iter": settings.max_iter, "tol": settings.tol}
    fresh = {"init": settings.init, "n_init": settings.n_init, "rng": rng, **stop}
    given = {"n_init": 1, "rng": None, **stop}  # a start given draws nothing
    for i, k in enumerate(ks):
        k = int(k)
        started = time.perf_counter()
        if pooled is None:
            best = fit_prepared(data, k, **fresh)
        else:
            rough = fit_prepared(pooled, k, **fresh)
            best = fit_prepared(data, k, init=rough.centers, **given)
        if previous is not None:
            start = extend_prepared(data, k, rng, previous)
            warm = fit_prepared(data, k, init=start, **given)
            if warm.inertia <= best.inertia:
                best = warm
        centers.append(best.centers)
        inertia[i] = best.inertia
        n_iter[i] = best.n_iter
        seconds[i] = time.perf_counter() - started
        previous = best.centers
        if on_fit is not None:
            on_fit(i, k)
    if settings.backward:
        for i in range(len(ks) - 2, -1, -1):
            started = time.perf_counter()
            start = centers[i + 1]
            while len(start) > ks[i]:
                start = _drop_cheapest(X, w, start)
            down = fit_prepared(data, int(ks[i]), init=start, **given)
            if down.inertia < inertia[i]:
                centers[i], inertia[i], n_iter[i] = down.centers, down.inertia, down.n_iter
            seconds[i] += time.perf_counter() - started
    return FitPath(centers, inertia, n_iter, seconds)


def _drop_cheapest(X: np.ndarray, w: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """The centres less the one whose points add least to the inertia when they go to their second-nearest centre."""
    labels, nearest, second = nearest_two(X, centers)
    cost = np.bincount(labels, weights=w * (second - nearest), minlength=len(centers))
    return np.delete(centers, int(np.argmin(cost)), axis=0)
