"""The gap statistic of weighted points, with its standard error.

Tibshirani, Walther and Hastie (2001). ``W_k`` is the within-cluster sum of
squares per unit of weight (per pixel), so that the data and the reference
sets are on the same scale whatever their sizes: ``gap(k) = mean_b log W*_kb
- log W_k``. Each of the B reference sets is ``ref_size`` points of weight 1,
each uniform over the box aligned with the data's weighted principal
components (``"pca"``, the default) or over its bounding box (``"box"``),
and is fitted for every k as the data is (warm start plus fresh starts,
:mod:`kmeans_core.choose_k.fits`), without the data's backward pass: the
reference fits' local optima average out over the B sets, and the pass would
add a third to the gap's time. ``s(k) = sd_k * sqrt(1 + 1/B)``
with ``sd_k`` the standard deviation of ``log W*_k`` of a reference set.

The reference sets are Latin hypercube samples of the box (each of its
axes cut into ``ref_size`` equal strata, one point in each): every point is
uniform over the box, as Tibshirani's sets are, but the set covers the box
evenly, so that ``log W*_k`` varies about half as much from set to set and
the mean over only B = 10 sets, and with it the gap's rise from k to k + 1,
moves half as much from one draw of the sets to the next (on dusk frames,
that rise is about s(k), and its noise decided the pick). The sets are drawn
from a stream of their own, the same whatever the seed of the data's starts
(:data:`~kmeans_core.choose_k.fits.REFERENCE_SEED`): the gap of a frame is a
function of the frame.

``sd_k``, the rule's tolerance, is the spread that the data's own log W
would have under the null: that of ``ref_size`` independent uniform points.
It is estimated inside each set rather than across the B sets. By
Pollard's central limit theorem for k-means (1982), ``W*_k`` of n points
varies like the mean of their squared distances to the fitted centres, so
``var(log W*_k) ~ var(d^2) / (n mean(d^2)^2)`` in each set; ``sd_k`` is the
square root of the mean of these over the sets. Tibshirani's estimate, the
spread of ``log W*_kb`` over the B sets, has B - 1 degrees of freedom: with
B = 10 it was off by a quarter from one seed to the next (0.008 to 0.020 on
one dusk frame whose sd is 0.016), and that alone moved the 1-SE rule's pick
on dark, low-contrast frames, where the gap rises by about s(k) per k. The
estimate from within the sets uses every reference point: over 120
independent uniform sets on each of 16 sample frames it agreed with their
spread within 10% at most k (0.83 to 1.25 times it, 1.05 on average; the
spread of 120 sets is itself known to 6.5%), and it varies by about 2%
between seeds.

The data's log W is that of every pixel, so the sets' size is a choice: it
sets s(k), the rule's tolerance. 1000 points per set by default. On
photographs the gap keeps rising slowly with k, and the 1-SE rule stops
where the rise falls below s(k); larger sets shrink s(k) and push the pick
towards the largest k offered. The PCA box follows the elongated shape of a
photo's colours, and gives much steadier picks than the bounding box, which
leaves most of its volume empty.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from kmeans_core._validation import check_choice, check_int, check_number, check_points_and_ks, check_seed
from kmeans_core.choose_k.fits import DEFAULT_FITS, FitSettings, fit_path, spawn_streams
from kmeans_core.lloyd import INITIALIZERS, nearest_centers
from kmeans_core.threads import chunks, map_parallel, thread_count

__all__ = [
    "DEFAULT_GAP_N_INIT",
    "DEFAULT_GAP_REFS",
    "DEFAULT_REF_SIZE",
    "GAP_REFERENCES",
    "gap_from_log_w",
    "gap_statistic",
    "log_w_per_weight",
    "reference_log_w",
]

#: The reference distributions of the gap statistic.
GAP_REFERENCES = ("box", "pca")

DEFAULT_GAP_REFS = 10
DEFAULT_REF_SIZE = 1000
DEFAULT_GAP_N_INIT = 2


def gap_statistic(
    X,
    ks,
    *,
    sample_weight=None,
    n_refs: int = DEFAULT_GAP_REFS,
    reference: str = "pca",
    ref_size: int = DEFAULT_REF_SIZE,
    n_init: int = DEFAULT_FITS.n_init,
    ref_n_init: int = DEFAULT_GAP_N_INIT,
    init: str = "k-means++",
    seed=0,
    max_iter: int = DEFAULT_FITS.max_iter,
    tol: float = DEFAULT_FITS.tol,
) -> tuple[np.ndarray, np.ndarray]:
    """The gap statistic of weighted points, with its standard error.

    ``gap(k) = mean_b log W*_kb - log W_k`` (Tibshirani, Walther and Hastie
    2001), with W the within-cluster sum of squares per unit of weight; see
    the module notes for how reference sets are drawn and fitted. With the
    same seed and settings it equals the ``gap`` and ``gap_se`` of
    :func:`kmeans_core.sweep_points` (which also scores the silhouette).

    Parameters
    ----------
    X : array-like of shape (n, d)
    ks : sequence of int
        Strictly increasing, each from 1 to the number of distinct points.
    sample_weight : array-like of shape (n,), optional
        Frequency weights; default 1 each.
    n_refs : int, default 10
        The number B of reference sets, at least 1.
    reference : {"pca", "box"}, default "pca"
    ref_size : int, default 1000
        Points per reference set, at least 2.
    n_init, ref_n_init : int
        Fresh initializations per k on the data and on each reference set,
        besides the warm start from the previous k.
    init : {"k-means++", "random"}
    seed : None, int or numpy.random.Generator
        The data's k-means starts. The reference sets do not depend on it
        (:data:`kmeans_core.choose_k.fits.REFERENCE_SEED`).
    max_iter, tol
        Passed to :func:`kmeans_core.kmeans`.

    Returns
    -------
    gap : ndarray of shape (len(ks),)
    gap_se : ndarray of shape (len(ks),)
        ``s(k) = sd_k * sqrt(1 + 1/B)``.

    Raises
    ------
    ValueError
        For a bad parameter, with the value in the message.
    """
    X, w, ks = check_points_and_ks(X, ks, sample_weight)
    n_refs = check_int("n_refs", n_refs, low=1)
    reference = check_choice("reference", reference, GAP_REFERENCES)
    ref_size = check_int("ref_size", ref_size, low=2)
    settings = FitSettings(
        init=check_choice("init", init, INITIALIZERS),
        n_init=check_int("n_init", n_init, low=1),
        max_iter=check_int("max_iter", max_iter, low=1),
        tol=check_number("tol", tol),
    )
    ref_n_init = check_int("ref_n_init", ref_n_init, low=1)
    streams = spawn_streams(check_seed(seed), n_refs)
    inertia = fit_path(X, w, ks, settings, rng=streams.fit).inertia
    sets = reference_log_w(
        X,
        w,
        ks,
        streams.refs,
        reference=reference,
        ref_size=ref_size,
        settings=dataclasses.replace(settings, n_init=ref_n_init, backward=False),
    )
    gap, gap_se, _ = gap_from_log_w(log_w_per_weight(inertia, w.sum()), *sets)
    return gap, gap_se


def reference_log_w(
    X: np.ndarray,
    w: np.ndarray,
    ks: np.ndarray,
    rngs,
    *,
    reference: str,
    ref_size: int,
    settings: FitSettings,
    on_set: Callable[[int], object] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``log W*_kb`` of one uniform reference set per generator of ``rngs``, and its variance.

    Both of shape (B, len(ks)); the variance is the one of the module notes,
    ``var(d^2) / (n mean(d^2)^2)`` of the set's points at its fitted centres.
    ``on_set(b)`` is called after the b-th set is fitted.
    """
    draw = _reference_sampler(X, w, reference)

    def fit_set(rng) -> tuple[np.ndarray, list[float]]:
        Z = draw(ref_size, rng)
        path = fit_path(Z, np.ones(len(Z)), ks, settings, rng=rng)
        return log_w_per_weight(path.inertia, len(Z)), [_log_w_variance(Z, centers) for centers in path.centers]

    sets, variances = np.empty((len(rngs), len(ks))), np.empty((len(rngs), len(ks)))
    # The sets are fitted in parallel, one per thread at a time (each from its own stream: the same result
    # whatever the thread count), and reported as each batch ends, from the calling thread.
    for start, stop in chunks(0, len(rngs), thread_count()):
        for b, (log_w, variance) in enumerate(map_parallel(fit_set, list(rngs[start:stop])), start):
            sets[b], variances[b] = log_w, variance
            if on_set is not None:
                on_set(b)
    return sets, variances


def log_w_per_weight(inertia: np.ndarray, total_weight: float) -> np.ndarray:
    """``log W_k``, W the within-cluster sum of squares per unit of weight; ``-inf`` where a k fits every point."""
    with np.errstate(divide="ignore"):
        return np.log(np.asarray(inertia, dtype=np.float64) / float(total_weight))


def gap_from_log_w(
    log_w: np.ndarray, sets: np.ndarray, variances: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The gap, its standard error s(k) and the mean of ``log W*_k`` over the sets.

    ``sets`` and ``variances`` are those of :func:`reference_log_w`.
    """
    ref_mean = sets.mean(axis=0)
    gap = ref_mean - log_w
    gap_se = np.sqrt(variances.mean(axis=0) * (1.0 + 1.0 / len(sets)))
    return gap, gap_se, ref_mean


def _log_w_variance(Z: np.ndarray, centers: np.ndarray) -> float:
    """The variance of ``log W`` of the points Z at these centres, from their squared distances (delta method)."""
    _, sq = nearest_centers(Z, centers)
    mean = float(sq.mean())
    return float(sq.var()) / (len(Z) * mean * mean) if mean > 0 else 0.0


def _reference_sampler(X, w, reference):
    """A function ``draw(n, rng)`` of n points, each uniform over the data's box, in a Latin hypercube."""
    keep = w > 0
    X, w = X[keep], w[keep]
    if reference == "box":
        low, high = X.min(axis=0), X.max(axis=0)
        return lambda n, rng: low + _latin_hypercube(n, X.shape[1], rng) * (high - low)
    mean = np.average(X, axis=0, weights=w)
    Xc = X - mean
    cov = (Xc * w[:, None]).T @ Xc / w.sum()
    _, vectors = np.linalg.eigh(cov)
    rotated = Xc @ vectors
    low, high = rotated.min(axis=0), rotated.max(axis=0)
    return lambda n, rng: (low + _latin_hypercube(n, X.shape[1], rng) * (high - low)) @ vectors.T + mean


def _latin_hypercube(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    """n points in the unit cube: each axis cut into n equal strata, one point in each, the strata in random order.

    Each point alone is uniform over the cube (its stratum on every axis is
    uniform and independent of the other axes); together the points cover
    every axis evenly (McKay, Beckman and Conover 1979).
    """
    strata = rng.permuted(np.tile(np.arange(n), (d, 1)), axis=1).T
    return (strata + rng.uniform(size=(n, d))) / n
