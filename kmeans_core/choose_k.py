"""Choosing k: the elbow of the inertia, the silhouette and the gap statistic.

:func:`sweep_k` clusters a still's colour histogram for every k of a range
and scores each k three ways; :func:`sweep_points` does the same on any
weighted points (synthetic data in the tests). The pieces are public too:
:func:`weighted_silhouette`, :func:`gap_statistic`, and the three rules that
turn a curve into a suggested k, :func:`elbow_k`, :func:`silhouette_k` and
:func:`gap_k`.

How the sweep is computed
-------------------------
Weights are frequency weights: a colour that covers 1,200 pixels counts as
1,200 identical points, so every figure equals the figure for the expanded
pixels.

Pooling
    A 1920x1080 still has a few 10^5 distinct colours. With ``bin_width``
    the points are first pooled on a grid of that cell width (2 units of
    CIELAB in :func:`sweep_k`, about one just-noticeable difference): each
    occupied cell becomes one point at the weighted mean of its colours,
    weighing their total. The reported inertia adds back the scatter inside
    the cells, so it is the exact pixel-level within-cluster sum of squares
    of the partition that was found (each cell's pixels going to one
    cluster). The silhouette sample and the gap's box come from the
    unpooled colours.
Fits
    For each k, the best (lowest inertia) of a warm start -- the centres of
    the previous k extended by greedy k-means++ steps -- and ``n_init``
    fresh starts, all through :func:`kmeans_core.kmeans`. When the pooled
    points are many, the fresh starts run on a grid twice as coarse, where
    they are cheap, and the best of them is refined on the pooled points.
    Warm starts make the inertia curve smooth and the data's log W nearly
    free of local-optimum noise, which is much of what keeps the
    suggestions stable from seed to seed.
Silhouette
    On ``silhouette_sample`` pixels drawn once and reused for every k: a
    systematic sample along a Z-order curve through the colours (each pixel
    has the same chance of being drawn, and the sample spreads over the
    colours like a stratified one, so the estimate varies about seven times
    less from seed to seed than with a simple random sample of the same
    size). The sample's labels are the nearest fitted centres. The pairwise
    distances of the sample's distinct colours are computed once, in row
    chunks, and serve every k at once.
Gap statistic
    Tibshirani, Walther and Hastie (2001). ``W_k`` is the within-cluster
    sum of squares per unit of weight (per pixel), so that the data and the
    reference sets are on the same scale whatever their sizes: ``gap(k) =
    mean_b log W*_kb - log W_k``. Each of the B reference sets is
    ``ref_size`` points of weight 1 drawn uniformly over the box aligned
    with the data's weighted principal components (``"pca"``, the default)
    or over its bounding box (``"box"``), and is fitted for every k the same
    way as the data (warm start plus fresh starts). ``s(k) = sd_k *
    sqrt(1 + 1/B)`` with ``sd_k`` the standard deviation (divisor B) of
    ``log W*_kb`` over the B sets.

    The data's log W is that of every pixel, so the sets' size is a choice:
    it sets s(k), the rule's tolerance. 1000 points per set by default. On
    photographs the gap keeps rising slowly with k, and the 1-SE rule stops
    where the rise falls below s(k); larger sets shrink s(k) and push the
    pick towards the largest k offered. The PCA box follows the elongated
    shape of a photo's colours, and gives much steadier picks than the
    bounding box, which leaves most of its volume empty.

The suggestion rules
--------------------
elbow
    :func:`elbow_k`: scale k and the inertia to [0, 1] and take the k whose
    point lies farthest below the chord from the first to the last point.
    This is the knee of Satopaa et al.'s "kneedle" (2011) without its
    sensitivity threshold.
silhouette
    :func:`silhouette_k`: the k of the largest mean silhouette.
gap
    :func:`gap_k`: the smallest k with ``gap(k) >= gap(k+1) - s(k+1)``, where
    k+1 is the next k of the sweep; the largest k when no k qualifies.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Callable

import numpy as np

from kmeans_core.colorspace import check_space, rgb_to_space
from kmeans_core.lloyd import INITIALIZERS, kmeans, nearest_centers
from kmeans_core.still import Still

__all__ = [
    "DEFAULT_BIN_WIDTH",
    "GAP_REFERENCES",
    "KSweep",
    "elbow_k",
    "gap_k",
    "gap_statistic",
    "silhouette_k",
    "sweep_k",
    "sweep_points",
    "weighted_silhouette",
]

#: The reference distributions of the gap statistic.
GAP_REFERENCES = ("box", "pca")

#: Grid cell width used by :func:`sweep_k` with ``bin_width="auto"``, per
#: colour space (CIELAB units; sRGB code values).
DEFAULT_BIN_WIDTH = {"lab": 2.0, "rgb": 4.0}

#: ``bin_width="auto"`` pools colours only above this many distinct colours.
_AUTO_BIN_ABOVE = 20_000

_DEFAULT_N_INIT = 4
_DEFAULT_SILHOUETTE_SAMPLE = 4000
_DEFAULT_GAP_REFS = 10
_DEFAULT_REF_SIZE = 1000
_DEFAULT_GAP_N_INIT = 2
_DEFAULT_MAX_ITER = 300
_DEFAULT_TOL = 1e-4

#: Pooled points above which the fresh starts run on a grid twice as coarse.
_COARSE_ABOVE = 4000

#: Upper bound on the elements of one row chunk of the sample's distance matrix.
_CHUNK_ELEMENTS = 1 << 20

Progress = Callable[[float, str], object]


@dataclass(frozen=True, eq=False)
class KSweep:
    """Scores of every k of a sweep, and the k each rule suggests.

    All arrays are aligned with ``ks`` and read-only.

    Attributes
    ----------
    ks : ndarray of int
        The numbers of clusters, strictly increasing.
    inertia : ndarray of float64
        Within-cluster sum of squares over all pixels (weighted points), in
        the space that was clustered.
    silhouette : ndarray of float64
        Mean silhouette of the sample; NaN for k = 1 (undefined) and where
        the sample falls in fewer than two clusters.
    gap : ndarray of float64
        The gap statistic.
    gap_se : ndarray of float64
        Its standard error ``s(k)``.
    log_w : ndarray of float64
        ``log W_k`` of the data, W per unit weight.
    ref_log_w : ndarray of float64
        The mean of ``log W*_k`` over the reference sets.
    ref_log_w_sets : ndarray of shape (gap_refs, len(ks)), float64
        ``log W*_kb`` of every reference set b: ``gap = ref_log_w - log_w``
        and ``gap_se = ref_log_w_sets.std(axis=0) * sqrt(1 + 1/B)``.
    sample_size : int
        Pixels (units of weight) in the silhouette sample; the total weight
        when the silhouette was computed on every point.
    gap_refs : int
        The number B of reference sets.
    gap_ref_size : int
        Points in each reference set.
    suggested : dict
        ``{"elbow": k, "silhouette": k, "gap": k}``; the silhouette entry is
        None when no k has a silhouette, the gap entry None when
        ``gap_refs=0``.
    centers : tuple of ndarray
        The fitted centres of each k, shape (k, d), in the clustered space.
    gap_reference : {"box", "pca"}
        The reference distribution.
    bin_width : float or None
        The grid cell width the points were pooled on, None for exact.
    space : {"lab", "rgb"} or None
        The colour space, for :func:`sweep_k`; None for :func:`sweep_points`.
    """

    ks: np.ndarray
    inertia: np.ndarray
    silhouette: np.ndarray
    gap: np.ndarray
    gap_se: np.ndarray
    log_w: np.ndarray
    ref_log_w: np.ndarray
    ref_log_w_sets: np.ndarray
    sample_size: int
    gap_refs: int
    gap_ref_size: int
    suggested: dict
    centers: tuple = ()
    gap_reference: str = "pca"
    bin_width: float | None = None
    space: str | None = None


# --- public API -------------------------------------------------------------


def sweep_k(
    still: Still,
    ks,
    *,
    space: str = "lab",
    init: str = "k-means++",
    seed=0,
    n_init: int = _DEFAULT_N_INIT,
    silhouette_sample: int | None = _DEFAULT_SILHOUETTE_SAMPLE,
    gap_refs: int = _DEFAULT_GAP_REFS,
    gap_reference: str = "pca",
    gap_ref_size: int = _DEFAULT_REF_SIZE,
    gap_n_init: int = _DEFAULT_GAP_N_INIT,
    bin_width="auto",
    max_iter: int = _DEFAULT_MAX_ITER,
    tol: float = _DEFAULT_TOL,
    progress: Progress | None = None,
) -> KSweep:
    """Score every k of a range on a still: inertia, silhouette and gap.

    The still's colour histogram, converted once to ``space``, is the
    weighted data; see :func:`sweep_points` for the method.

    Parameters
    ----------
    still : Still
        From :func:`kmeans_core.load_still`.
    ks : sequence of int
        Strictly increasing numbers of clusters, each from 1 to the number
        of distinct colours, such as ``range(2, 17)``.
    space : {"lab", "rgb"}, default "lab"
        The colour space to cluster in.
    bin_width : "auto", float or None, default "auto"
        Grid cell width for pooling colours before fitting (see the module
        notes). ``"auto"`` uses :data:`DEFAULT_BIN_WIDTH` for the space when
        the still has more than 20,000 distinct colours and the grid keeps
        at least ``max(ks)`` cells, and no pooling otherwise. None: exact.
    init, seed, n_init, silhouette_sample, gap_refs, gap_reference, \
gap_ref_size, gap_n_init, max_iter, tol, progress
        As in :func:`sweep_points`.

    Returns
    -------
    KSweep

    Raises
    ------
    ValueError
        For a bad parameter, with the value in the message.
    """
    if not isinstance(still, Still):
        raise ValueError(f"still must be a Still from load_still, got {type(still).__name__}")
    check_space(space)
    hist = still.histogram
    ks = _check_ks(ks, len(hist.colors), "this still has only {n} distinct colours")
    opts = _check_options(
        seed=seed, init=init, n_init=n_init, silhouette_sample=silhouette_sample, gap_refs=gap_refs,
        gap_reference=gap_reference, gap_ref_size=gap_ref_size, gap_n_init=gap_n_init,
        max_iter=max_iter, tol=tol, progress=progress,
    )
    auto = isinstance(bin_width, str) and bin_width == "auto"
    width = None if auto else _check_bin_width(bin_width)
    X = rgb_to_space(hist.colors, space)
    w = hist.counts.astype(np.float64)
    if auto and len(X) > _AUTO_BIN_ABOVE:
        width = DEFAULT_BIN_WIDTH[space]
    pooled = _pool_for(X, w, width, ks[-1], bin_width=bin_width, noun="colours", strict=not auto)
    if pooled is None:
        width = None
    return _sweep(X, w, ks, rng=np.random.default_rng(seed), width=width, pooled=pooled, space=space, **opts)


def sweep_points(
    X,
    ks,
    *,
    sample_weight=None,
    init: str = "k-means++",
    seed=0,
    n_init: int = _DEFAULT_N_INIT,
    silhouette_sample: int | None = _DEFAULT_SILHOUETTE_SAMPLE,
    gap_refs: int = _DEFAULT_GAP_REFS,
    gap_reference: str = "pca",
    gap_ref_size: int = _DEFAULT_REF_SIZE,
    gap_n_init: int = _DEFAULT_GAP_N_INIT,
    bin_width: float | None = None,
    max_iter: int = _DEFAULT_MAX_ITER,
    tol: float = _DEFAULT_TOL,
    progress: Progress | None = None,
) -> KSweep:
    """Score every k of a range on weighted points: inertia, silhouette and gap.

    Parameters
    ----------
    X : array-like of shape (n, d)
        The points.
    ks : sequence of int
        Strictly increasing numbers of clusters, each from 1 to the number
        of distinct points with positive weight.
    sample_weight : array-like of shape (n,), optional
        Frequency weights (pixel counts); default 1 each.
    init : {"k-means++", "random"}, default "k-means++"
        The initializer of the fresh starts.
    seed : None, int or numpy.random.Generator, default 0
        The same seed gives the same sweep.
    n_init : int, default 4
        Fresh initializations per k, besides the warm start from the
        previous k; the lowest inertia wins.
    silhouette_sample : int or None, default 4000
        Units of weight (pixels) drawn once, by systematic sampling along a
        Z-order curve (see the module notes), for the silhouette of every k;
        None, or a size at least the total weight, uses every point with its
        weight. Time and memory grow with the square of the sample's
        distinct points.
    gap_refs : int, default 10
        The number B of uniform reference sets; 0 skips the gap statistic
        (its arrays are then NaN and its suggestion None).
    gap_reference : {"pca", "box"}, default "pca"
        Draw the reference sets over the box aligned with the data's
        weighted principal components, or over its bounding box.
    gap_ref_size : int, default 1000
        Points in each reference set; this sets the size of s(k).
    gap_n_init : int, default 2
        Fresh initializations per k on each reference set, besides the warm
        start.
    bin_width : float or None, default None
        Pool the points on a grid of this cell width before fitting (see the
        module notes); None fits the points themselves.
    max_iter : int, default 300
    tol : float, default 1e-4
        Passed to :func:`kmeans_core.kmeans`.
    progress : callable, optional
        Called as ``progress(fraction, message)`` as the work advances, with
        fractions rising from 0.0 to exactly 1.0, which only the last call
        reports. An exception raised by it stops the sweep and propagates
        (a way to cancel).

    Returns
    -------
    KSweep

    Raises
    ------
    ValueError
        For a bad parameter, with the value in the message.
    """
    X, w = _check_points(X, sample_weight)
    ks = _check_ks(ks, _n_distinct(X, w), "X has only {n} distinct points with positive weight")
    opts = _check_options(
        seed=seed, init=init, n_init=n_init, silhouette_sample=silhouette_sample, gap_refs=gap_refs,
        gap_reference=gap_reference, gap_ref_size=gap_ref_size, gap_n_init=gap_n_init,
        max_iter=max_iter, tol=tol, progress=progress,
    )
    width = _check_bin_width(bin_width)
    pooled = _pool_for(X, w, width, ks[-1], bin_width=bin_width, noun="points", strict=True)
    return _sweep(X, w, ks, rng=np.random.default_rng(seed), width=width, pooled=pooled, space=None, **opts)


def weighted_silhouette(X, labels, *, sample_weight=None) -> float:
    """Mean silhouette coefficient of weighted points.

    With integer weights the result equals the ordinary silhouette (as in
    ``sklearn.metrics.silhouette_score``) of the points repeated as many
    times as their weights: for a point of cluster C, the mean distance to
    the rest of its cluster is ``sum_j w_j d_ij / (W_C - 1)``, where the
    point's own copies add distance 0 and one copy (the point itself) is
    taken out of the count. A point whose cluster weighs 1 or less scores 0,
    as a singleton does; a cluster of one colour covering several pixels
    scores 1.

    Parameters
    ----------
    X : array-like of shape (n, d)
    labels : array-like of shape (n,), int
        The cluster of each point.
    sample_weight : array-like of shape (n,), optional
        Frequency weights; default 1 each. Points of weight 0 are ignored.

    Returns
    -------
    float
        The weighted mean of the points' silhouettes, in [-1, 1].

    Raises
    ------
    ValueError
        If the shapes disagree, or fewer than 2 clusters have weight.
    """
    X, w = _check_points(X, sample_weight)
    labels = np.asarray(labels)
    if labels.shape != (len(X),):
        raise ValueError(f"labels has shape {labels.shape} but X has {len(X)} samples")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers, got dtype {labels.dtype}")
    keep = w > 0
    X, w, labels = X[keep], w[keep], labels[keep]
    present, labels = np.unique(labels, return_inverse=True)
    if len(present) < 2:
        raise ValueError(f"the silhouette needs at least 2 clusters with weight; got {len(present)}")
    return float(_silhouettes(X, w, [labels.reshape(-1)], [len(present)])[0])


def gap_statistic(
    X,
    ks,
    *,
    sample_weight=None,
    n_refs: int = _DEFAULT_GAP_REFS,
    reference: str = "pca",
    ref_size: int = _DEFAULT_REF_SIZE,
    n_init: int = _DEFAULT_N_INIT,
    ref_n_init: int = _DEFAULT_GAP_N_INIT,
    init: str = "k-means++",
    seed=0,
    max_iter: int = _DEFAULT_MAX_ITER,
    tol: float = _DEFAULT_TOL,
) -> tuple[np.ndarray, np.ndarray]:
    """The gap statistic of weighted points, with its standard error.

    ``gap(k) = mean_b log W*_kb - log W_k`` (Tibshirani, Walther and Hastie
    2001), with W the within-cluster sum of squares per unit of weight; see
    the module notes for how reference sets are drawn and fitted.

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
        Points per reference set.
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
    """
    X, w = _check_points(X, sample_weight)
    ks = _check_ks(ks, _n_distinct(X, w), "X has only {n} distinct points with positive weight")
    if not _is_int(n_refs) or n_refs < 1:
        raise ValueError(f"n_refs={n_refs!r} must be an integer >= 1")
    opts = _check_options(
        seed=seed, init=init, n_init=n_init, silhouette_sample=None, gap_refs=n_refs, gap_reference=reference,
        gap_ref_size=ref_size, gap_n_init=ref_n_init, max_iter=max_iter, tol=tol, progress=None,
    )
    opts["silhouette_sample"] = 0  # skip the silhouette
    result = _sweep(X, w, ks, rng=np.random.default_rng(seed), width=None, pooled=None, space=None, **opts)
    return result.gap.copy(), result.gap_se.copy()


def elbow_k(ks, inertia) -> int:
    """The elbow of an inertia curve: the point farthest below its chord.

    Both axes are scaled to [0, 1] (k from its first to its last value,
    inertia from its smallest to its largest), and the k whose point lies
    farthest below the straight line from the first point to the last is
    returned; this is the knee of "kneedle" (Satopaa et al. 2011) without
    its sensitivity threshold. Ties, and a curve with no point below its
    chord, give the smallest k.

    Parameters
    ----------
    ks : sequence of int
        Strictly increasing.
    inertia : sequence of float
        Aligned with ``ks``.

    Returns
    -------
    int
    """
    ks, (inertia,) = _check_curves(ks, inertia=inertia)
    x = ks.astype(np.float64)
    if len(x) < 3:
        return int(ks[0])
    x = (x - x[0]) / (x[-1] - x[0])
    span = inertia.max() - inertia.min()
    if not np.isfinite(span) or span <= 0:
        return int(ks[0])
    y = (inertia - inertia.min()) / span
    # Signed distance below the chord (up to a constant factor).
    chord = y[0] + (y[-1] - y[0]) * x
    below = chord - y
    best = int(np.argmax(below))
    return int(ks[best]) if below[best] > 1e-9 else int(ks[0])


def silhouette_k(ks, silhouette) -> int | None:
    """The k of the largest mean silhouette (NaNs skipped; ties: smallest k).

    Returns None when every silhouette is NaN.
    """
    ks, (silhouette,) = _check_curves(ks, silhouette=silhouette, allow_nan=True)
    if np.isnan(silhouette).all():
        return None
    return int(ks[int(np.nanargmax(silhouette))])


def gap_k(ks, gap, gap_se) -> int | None:
    """The 1-SE rule of Tibshirani, Walther and Hastie (2001).

    The smallest k with ``gap(k) >= gap(k') - s(k')``, where k' is the next
    k of ``ks`` (k + 1 when the ks are consecutive). When no k qualifies the
    largest k is returned; None when the gap is NaN (not computed).

    Parameters
    ----------
    ks : sequence of int
        Strictly increasing.
    gap, gap_se : sequence of float
        Aligned with ``ks``.

    Returns
    -------
    int or None
    """
    ks, (gap, gap_se) = _check_curves(ks, gap=gap, gap_se=gap_se, allow_nan=True)
    if np.isnan(gap).any() or np.isnan(gap_se).any():
        return None
    for i in range(len(ks) - 1):
        if gap[i] >= gap[i + 1] - gap_se[i + 1]:
            return int(ks[i])
    return int(ks[-1])


# --- validation (the public boundary) ---------------------------------------


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_points(X, sample_weight) -> tuple[np.ndarray, np.ndarray]:
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"X must be a numeric array: {exc}") from None
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must be a non-empty 2-D array (n_samples, n_features), got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError(f"X contains {int((~np.isfinite(X)).sum())} NaN or infinite values")
    if sample_weight is None:
        return np.ascontiguousarray(X), np.ones(len(X))
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.shape != (len(X),):
        raise ValueError(f"sample_weight has shape {w.shape} but X has {len(X)} samples")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError(f"sample_weight must be finite and >= 0; the smallest is {float(np.nanmin(w))!r}")
    if w.sum() <= 0:
        raise ValueError("sample_weight sums to 0; at least one point must weigh something")
    return np.ascontiguousarray(X), w


def _n_distinct(X: np.ndarray, w: np.ndarray) -> int:
    return len(np.unique(X[w > 0], axis=0))


def _check_ks(ks, n_distinct: int, too_many: str) -> np.ndarray:
    if isinstance(ks, (str, bytes)) or not hasattr(ks, "__iter__"):
        raise ValueError(f"ks={ks!r} must be a sequence of integers such as range(2, 17)")
    values = list(ks)
    if not values:
        raise ValueError(f"ks={ks!r} is empty; give at least one k")
    for k in values:
        if not _is_int(k):
            raise ValueError(f"ks contains {k!r}, which is not an integer")
        if k < 1:
            raise ValueError(f"ks contains k={k}; every k must be >= 1")
    for a, b in zip(values, values[1:]):
        if b == a:
            raise ValueError(f"ks contains k={a} twice; give each k once")
        if b < a:
            raise ValueError(f"ks must be increasing, but k={b} follows k={a}")
    if values[-1] > n_distinct:
        raise ValueError(f"ks contains k={values[-1]} but " + too_many.format(n=n_distinct))
    return np.array(values, dtype=np.int64)


def _check_options(
    *, seed, init, n_init, silhouette_sample, gap_refs, gap_reference, gap_ref_size, gap_n_init, max_iter, tol, progress
) -> dict:
    if not isinstance(init, str) or init not in INITIALIZERS:
        raise ValueError(f"init={init!r} must be one of {INITIALIZERS}")
    for name, value, low in (
        ("n_init", n_init, 1),
        ("gap_refs", gap_refs, 0),
        ("gap_ref_size", gap_ref_size, 2),
        ("gap_n_init", gap_n_init, 1),
        ("max_iter", max_iter, 1),
    ):
        if not _is_int(value) or value < low:
            raise ValueError(f"{name}={value!r} must be an integer >= {low}")
    if silhouette_sample is not None and (not _is_int(silhouette_sample) or silhouette_sample < 2):
        raise ValueError(f"silhouette_sample={silhouette_sample!r} must be an integer >= 2, or None for every point")
    if gap_reference not in GAP_REFERENCES:
        raise ValueError(f"gap_reference={gap_reference!r} must be one of {GAP_REFERENCES}")
    if not isinstance(tol, numbers.Real) or not np.isfinite(tol) or tol < 0:
        raise ValueError(f"tol={tol!r} must be a finite number >= 0")
    if not (seed is None or isinstance(seed, np.random.Generator) or (_is_int(seed) and seed >= 0)):
        raise ValueError(f"seed={seed!r} must be None, an integer >= 0 or a numpy.random.Generator")
    if progress is not None and not callable(progress):
        raise ValueError(f"progress={progress!r} must be a callable progress(fraction, message) or None")
    return dict(
        init=init, n_init=int(n_init), silhouette_sample=silhouette_sample, gap_refs=int(gap_refs),
        gap_reference=gap_reference, gap_ref_size=int(gap_ref_size), gap_n_init=int(gap_n_init),
        max_iter=int(max_iter), tol=float(tol), progress=progress,
    )


def _check_bin_width(bin_width) -> float | None:
    if bin_width is None:
        return None
    if not isinstance(bin_width, numbers.Real) or isinstance(bin_width, bool) or not np.isfinite(bin_width) or bin_width <= 0:
        raise ValueError(f"bin_width={bin_width!r} must be a positive number, 'auto' or None")
    return float(bin_width)


def _check_curves(ks, *, allow_nan: bool = False, **curves) -> tuple[np.ndarray, list[np.ndarray]]:
    ks = np.asarray(ks)
    if ks.ndim != 1 or len(ks) == 0 or not np.issubdtype(ks.dtype, np.integer):
        raise ValueError(f"ks={ks!r} must be a non-empty 1-D sequence of integers")
    if (np.diff(ks) <= 0).any():
        raise ValueError(f"ks={ks.tolist()} must be strictly increasing")
    out = []
    for name, values in curves.items():
        values = np.asarray(values, dtype=np.float64)
        if values.shape != ks.shape:
            raise ValueError(f"{name} has shape {values.shape} but ks has shape {ks.shape}")
        if not allow_nan and np.isnan(values).any():
            raise ValueError(f"{name} contains NaN")
        out.append(values)
    return ks, out


# --- private workers (clean input assumed) ----------------------------------


def _frozen(array) -> np.ndarray:
    array = np.array(array)
    array.setflags(write=False)
    return array


def _pool_for(X, w, width, k_max, *, bin_width, noun, strict):
    """``_pool(X, w, width)``, or None without a width or when the grid keeps
    fewer than ``k_max`` cells (a ValueError when ``strict``)."""
    if width is None:
        return None
    pooled = _pool(X, w, width)
    n_cells = len(pooled[0])
    if n_cells >= k_max:
        return pooled
    if strict:
        cells = f"{n_cells} grid cell" if n_cells == 1 else f"{n_cells} grid cells"
        raise ValueError(
            f"bin_width={bin_width!r} pools the {noun} into {cells}, fewer than k={k_max}; "
            "use a smaller width or None"
        )
    return None


def _pool(X: np.ndarray, w: np.ndarray, width: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Pool weighted points on a grid: cell means, cell weights, scatter inside cells."""
    keep = w > 0
    X, w = X[keep], w[keep]
    cells = np.floor((X - X.min(axis=0)) / width).astype(np.int64)
    dims = cells.max(axis=0) + 1
    if float(np.prod(dims.astype(np.float64))) < 2.0**62:
        codes = np.ravel_multi_index(tuple(cells.T), tuple(int(d) for d in dims))
        _, inverse = np.unique(codes, return_inverse=True)
    else:  # pragma: no cover - a grid too fine to pack in int64
        _, inverse = np.unique(cells, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    weight = np.bincount(inverse, weights=w)
    sums = np.column_stack([np.bincount(inverse, weights=w * X[:, j]) for j in range(X.shape[1])])
    means = sums / weight[:, None]
    diff = X - means[inverse]
    scatter = float(w @ np.einsum("ij,ij->i", diff, diff))
    return means, weight, scatter


class _Meter:
    """Turns units of work done into calls of ``progress(fraction, message)``."""

    def __init__(self, progress: Progress | None, total: float):
        self.progress = progress
        # 1% is kept for the end, so that only finish() reports 1.0.
        self.total = max(float(total), 1.0) * 1.01
        self.done = 0.0

    def advance(self, units: float, message: str) -> None:
        self.done += units
        if self.progress is not None:
            self.progress(min(self.done / self.total, 1.0), message)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(1.0, "done")


def _sweep(
    X, w, ks, *, rng, width, pooled, space, init, n_init, silhouette_sample, gap_refs, gap_reference, gap_ref_size,
    gap_n_init, max_iter, tol, progress,
) -> KSweep:
    """The whole sweep on clean input.

    ``pooled`` is None or ``_pool(X, w, width)``: (cell means, cell weights,
    scatter inside the cells).
    """
    rng_sample, rng_fit, rng_refs = rng.spawn(3)
    ref_rngs = rng_refs.spawn(gap_refs)
    fit_X, fit_w, scatter = pooled if pooled is not None else (X, w, 0.0)
    coarse = None
    if pooled is not None and len(fit_X) > _COARSE_ABOVE:
        coarse = _pool(fit_X, fit_w, 2.0 * width)[:2]
        if len(coarse[0]) < 4 * ks[-1]:
            coarse = None
    total_weight = float(w.sum())
    if silhouette_sample == 0:
        sample = None
    else:
        sample = _draw_sample(X, w, silhouette_sample, rng_sample)
    # Units of work, roughly proportional to time: a point-cluster pair per
    # start of a fit (ten on the small reference sets, where fixed costs
    # weigh more), and a fiftieth of a sample pair per k for the silhouette.
    fit_units = [len(fit_X) * k * (n_init + 1) for k in ks]
    ref_units = [10 * gap_ref_size * k * (gap_n_init + 1) for k in ks]
    sil_units = 0.0 if sample is None else 0.02 * len(sample[0]) ** 2 * len(ks)
    meter = _Meter(progress, sum(fit_units) + gap_refs * sum(ref_units) + sil_units)

    meter.advance(0.0, f"prepared {len(fit_X):,} points to cluster")

    def on_data(i, k):
        meter.advance(fit_units[i], f"k-means for k={k} ({i + 1} of {len(ks)})")

    centers, inertia = _fit_path(fit_X, fit_w, ks, init=init, n_init=n_init, rng=rng_fit,
                                 max_iter=max_iter, tol=tol, on_fit=on_data, coarse=coarse)
    inertia = inertia + scatter

    silhouette = np.full(len(ks), np.nan)
    sample_size = 0
    if sample is not None:
        index, count = sample
        sample_size = int(round(count.sum()))
        Xs = X[index]
        label_sets, n_clusters, where = [], [], []
        for i, k in enumerate(ks):
            if k < 2:
                continue
            labels, _ = nearest_centers(Xs, centers[i])
            present, labels = np.unique(labels, return_inverse=True)
            if len(present) >= 2:
                label_sets.append(labels.reshape(-1))
                n_clusters.append(len(present))
                where.append(i)
        if label_sets:
            silhouette[where] = _silhouettes(Xs, count, label_sets, n_clusters)
        meter.advance(sil_units, f"silhouette on a sample of {sample_size:,} pixels")

    log_w = np.log(inertia / total_weight)
    gap = np.full(len(ks), np.nan)
    gap_se = np.full(len(ks), np.nan)
    ref_mean = np.full(len(ks), np.nan)
    ref_log_w = np.empty((gap_refs, len(ks)))
    if gap_refs > 0:
        draw = _reference_sampler(X, w, gap_reference)
        for b, ref_rng in enumerate(ref_rngs):
            Z = draw(gap_ref_size, ref_rng)
            ones = np.ones(len(Z))
            _, ref_inertia = _fit_path(Z, ones, ks, init=init, n_init=gap_n_init, rng=ref_rng,
                                       max_iter=max_iter, tol=tol, on_fit=None)
            ref_log_w[b] = np.log(ref_inertia / len(Z))
            meter.advance(sum(ref_units), f"gap statistic: reference set {b + 1} of {gap_refs}")
        ref_mean = ref_log_w.mean(axis=0)
        gap = ref_mean - log_w
        gap_se = ref_log_w.std(axis=0) * math.sqrt(1.0 + 1.0 / gap_refs)

    meter.finish()
    suggested = {
        "elbow": elbow_k(ks, inertia),
        "silhouette": silhouette_k(ks, silhouette),
        "gap": gap_k(ks, gap, gap_se) if gap_refs > 0 else None,
    }
    return KSweep(
        ks=_frozen(ks), inertia=_frozen(inertia), silhouette=_frozen(silhouette), gap=_frozen(gap),
        gap_se=_frozen(gap_se), log_w=_frozen(log_w), ref_log_w=_frozen(ref_mean),
        ref_log_w_sets=_frozen(ref_log_w),
        sample_size=sample_size, gap_refs=gap_refs, gap_ref_size=gap_ref_size, suggested=suggested,
        centers=tuple(_frozen(c) for c in centers), gap_reference=gap_reference,
        bin_width=None if pooled is None else width, space=space,
    )


def _fit_path(X, w, ks, *, init, n_init, rng, max_iter, tol, on_fit, coarse=None):
    """Fit every k in turn: the best of a warm start and ``n_init`` fresh starts.

    The warm start is the previous k's centres extended by greedy k-means++
    steps. With ``coarse`` (points and weights pooled on a coarser grid), the
    fresh starts run there, where they are cheap, and the best of them is
    refined on ``X``.
    """
    centers, inertia = [], np.empty(len(ks))
    previous = None
    for i, k in enumerate(ks):
        k = int(k)
        options = dict(sample_weight=w, max_iter=max_iter, tol=tol)
        if coarse is None:
            best = kmeans(X, k, init=init, n_init=n_init, seed=rng, **options)
        else:
            rough = kmeans(coarse[0], k, sample_weight=coarse[1], init=init, n_init=n_init, seed=rng,
                           max_iter=max_iter, tol=tol)
            best = kmeans(X, k, init=rough.centers, n_init=1, **options)
        if previous is not None:
            start = _add_centers(X, w, previous, k - len(previous), rng)
            warm = kmeans(X, k, init=start, n_init=1, **options)
            if warm.inertia <= best.inertia:
                best = warm
        centers.append(best.centers)
        inertia[i] = best.inertia
        previous = best.centers
        if on_fit is not None:
            on_fit(i, k)
    return centers, inertia


def _add_centers(X, w, centers, n_new, rng):
    """Extend ``centers`` by ``n_new`` points chosen by greedy k-means++ steps."""
    _, closest = nearest_centers(X, centers)
    n_local = 2 + int(math.log(len(centers) + n_new))
    chosen = [centers]
    for _ in range(n_new):
        cumulative = np.cumsum(w * closest)
        if cumulative[-1] <= 0:  # every point sits on a centre: take any other point
            candidates = rng.choice(np.flatnonzero(w > 0), size=1)
        else:
            draws = rng.random(n_local) * cumulative[-1]
            candidates = np.minimum(np.searchsorted(cumulative, draws, side="right"), len(X) - 1)
        diff = X[:, None, :] - X[candidates][None, :, :]
        trial = np.minimum(closest[:, None], np.einsum("ijk,ijk->ij", diff, diff))
        best = int(np.argmin(w @ trial))
        chosen.append(X[candidates[best]][None, :])
        closest = trial[:, best]
    return np.vstack(chosen)


def _draw_sample(X: np.ndarray, w: np.ndarray, size: int | None, rng) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the sampled points and how many units of weight each drew.

    A systematic sample along a Z-order curve through the points: the
    points are laid end to end in that order, each as long as its weight,
    and ``size`` marks at a common spacing, from a random start, pick the
    points they land on. Every unit of weight (every pixel) has the same
    chance of being drawn, and the sample spreads over the colours like a
    stratified one, which makes the silhouette far less noisy than a simple
    random sample of the same size. Every point, with its weight, when
    ``size`` is None or covers the total weight.
    """
    positive = np.flatnonzero(w > 0)
    total = float(w.sum())
    if size is None or size >= total:
        return positive, w[positive]
    order = positive[_z_order(X[positive])]
    cumulative = np.cumsum(w[order])
    spacing = cumulative[-1] / size
    marks = rng.uniform(0.0, spacing) + spacing * np.arange(size)
    hits = np.minimum(np.searchsorted(cumulative, marks, side="right"), len(order) - 1)
    drawn, counts = np.unique(hits, return_counts=True)
    return order[drawn], counts.astype(np.float64)


def _z_order(X: np.ndarray) -> np.ndarray:
    """The order of the points along a Z-order (Morton) curve through their box."""
    n, d = X.shape
    bits = min(10, 62 // d)
    if bits < 2:  # too many features to interleave: order along the main axis
        Xc = X - X.mean(axis=0)
        return np.argsort(Xc @ np.linalg.svd(Xc, full_matrices=False)[2][0], kind="stable")
    low, span = X.min(axis=0), np.ptp(X, axis=0)
    levels = (1 << bits) - 1
    grid = np.rint((X - low) / np.where(span > 0, span, 1.0) * levels).astype(np.int64)
    code = np.zeros(n, dtype=np.int64)
    for bit in range(bits):
        for j in range(d):
            code |= ((grid[:, j] >> bit) & 1) << (bit * d + j)
    return np.argsort(code, kind="stable")


def _silhouettes(X, w, label_sets, n_clusters) -> np.ndarray:
    """Weighted mean silhouette of several labellings of the same points.

    The distances are computed once, in row chunks, and multiplied by the
    weighted one-hot matrix of every labelling at once.
    """
    n = len(X)
    Xc = X - np.average(X, axis=0, weights=w)
    sq = np.einsum("ij,ij->i", Xc, Xc)
    offsets = np.concatenate([[0], np.cumsum(n_clusters)])
    onehot = np.zeros((n, offsets[-1]))
    cluster_weight = []
    for labels, start, k in zip(label_sets, offsets, n_clusters):
        onehot[np.arange(n), start + labels] = w
        cluster_weight.append(np.bincount(labels, weights=w, minlength=k))
    totals = np.zeros(len(label_sets))
    step = max(1, _CHUNK_ELEMENTS // n)
    for lo in range(0, n, step):
        hi = min(lo + step, n)
        rows = np.arange(hi - lo)
        d = Xc[lo:hi] @ (-2.0 * Xc.T)
        d += sq[lo:hi, None]
        d += sq[None, :]
        np.maximum(d, 0.0, out=d)
        np.sqrt(d, out=d)
        d[rows, lo + rows] = 0.0
        sums = d @ onehot
        for j, (labels, start, k) in enumerate(zip(label_sets, offsets, n_clusters)):
            block = sums[:, start:start + k]
            weight = cluster_weight[j]
            own = labels[lo:hi]
            own_weight = weight[own]
            a = block[rows, own] / np.where(own_weight > 1, own_weight - 1, 1.0)
            with np.errstate(divide="ignore"):
                mean_other = block / weight
            mean_other[rows, own] = np.inf
            b = mean_other.min(axis=1)
            denom = np.maximum(a, b)
            s = np.where((own_weight > 1) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1.0), 0.0)
            totals[j] += w[lo:hi] @ s
    return totals / w.sum()


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
