"""The gap statistic of weighted points, with its standard error.

Tibshirani, Walther and Hastie (2001). ``W_k`` is the within-cluster sum of
squares per unit of weight (per pixel), so that the data and the reference
sets are on the same scale whatever their sizes: ``gap(k) = mean_b log W*_kb
- log W_k``. Each of the B reference sets is ``ref_size`` points of weight 1
drawn uniformly over the box aligned with the data's weighted principal
components (``"pca"``, the default) or over its bounding box (``"box"``),
and is fitted for every k the same way as the data (warm start plus fresh
starts, :mod:`kmeans_core.choose_k.fits`). ``s(k) = sd_k * sqrt(1 + 1/B)``
with ``sd_k`` the standard deviation (divisor B) of ``log W*_kb`` over the B
sets.

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
import math
from collections.abc import Callable

import numpy as np

from kmeans_core._validation import check_choice, check_int, check_number, check_points_and_ks, check_seed
from kmeans_core.choose_k.fits import DEFAULT_FITS, FitSettings, fit_path, spawn_streams
from kmeans_core.lloyd import INITIALIZERS

__all__ = [
    "DEFAULT_GAP_N_INIT",
    "DEFAULT_GAP_REFS",
    "DEFAULT_REF_SIZE",
    "GAP_REFERENCES",
    "gap_from_log_w",
    "gap_statistic",
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
        settings=dataclasses.replace(settings, n_init=ref_n_init),
    )
    gap, gap_se, _ = gap_from_log_w(np.log(inertia / w.sum()), sets)
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
) -> np.ndarray:
    """``log W*_kb`` of one uniform reference set per generator of ``rngs``, shape (B, len(ks)).

    ``on_set(b)`` is called after the b-th set is fitted.
    """
    draw = _reference_sampler(X, w, reference)
    sets = np.empty((len(rngs), len(ks)))
    for b, rng in enumerate(rngs):
        Z = draw(ref_size, rng)
        inertia = fit_path(Z, np.ones(len(Z)), ks, settings, rng=rng).inertia
        sets[b] = np.log(inertia / len(Z))
        if on_set is not None:
            on_set(b)
    return sets


def gap_from_log_w(log_w: np.ndarray, sets: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The gap, its standard error s(k) and the mean of ``log W*_k`` over the sets."""
    ref_mean = sets.mean(axis=0)
    gap = ref_mean - log_w
    gap_se = sets.std(axis=0) * math.sqrt(1.0 + 1.0 / len(sets))
    return gap, gap_se, ref_mean


def _reference_sampler(X, w, reference):
    """A function ``draw(n, rng)`` of uniform points over the data's box."""
    keep = w > 0
    X, w = X[keep], w[keep]
    if reference == "box":
        low, high = X.min(axis=0), X.max(axis=0)
        return lambda n, rng: rng.uniform(low, high, size=(n, X.shape[1]))
    mean = np.average(X, axis=0, weights=w)
    Xc = X - mean
    cov = (Xc * w[:, None]).T @ Xc / w.sum()
    _, vectors = np.linalg.eigh(cov)
    rotated = Xc @ vectors
    low, high = rotated.min(axis=0), rotated.max(axis=0)
    return lambda n, rng: rng.uniform(low, high, size=(n, X.shape[1])) @ vectors.T + mean
