"""The sweep: every k of a range clustered and scored three ways.

:func:`sweep_k` clusters a still's colour histogram for every k of a range
and scores each k by its inertia, its silhouette and its gap statistic;
:func:`sweep_points` does the same on any weighted points (synthetic data in
the tests). Both take the same options, held by one frozen
:class:`SweepOptions` that checks them once, and return a :class:`KSweep`.

How the sweep is computed
-------------------------
Weights are frequency weights: a colour that covers 1,200 pixels counts as
1,200 identical points, so every figure equals the figure for the expanded
pixels. The steps, each in its own module of :mod:`kmeans_core.choose_k`:

1. pooling the points on a grid (``bin_width``; :mod:`.pooling`);
2. fitting every k, warm-started from the previous k and then from the next (:mod:`.fits`);
3. the silhouette on a Z-order sample of the pixels (:mod:`.silhouette`);
4. the gap statistic against uniform reference sets, its error measured inside each set (:mod:`.gap`);
5. the three rules that suggest a k, near ties going to the smaller k (:mod:`.rules`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from kmeans_core._validation import (
    check_callable,
    check_choice,
    check_int,
    check_ks,
    check_number,
    check_points_and_ks,
    check_seed,
)
from kmeans_core.choose_k.fits import DEFAULT_FITS, FitSettings, fit_path, spawn_streams
from kmeans_core.choose_k.gap import (
    DEFAULT_GAP_N_INIT,
    DEFAULT_GAP_REFS,
    DEFAULT_REF_SIZE,
    GAP_REFERENCES,
    gap_from_log_w,
    log_w_per_weight,
    reference_log_w,
)
from kmeans_core.choose_k.pooling import PooledPoints, auto_width, check_bin_width, coarse_points, pool_for_fit
from kmeans_core.choose_k.rules import SuggestedK, suggest_k
from kmeans_core.choose_k.silhouette import draw_sample, sample_silhouettes
from kmeans_core.colorspace import check_space, rgb_to_space
from kmeans_core.lloyd import INITIALIZERS
from kmeans_core.still import Still

__all__ = ["KSweep", "SweepOptions", "sweep_k", "sweep_points"]

Progress = Callable[[float, str], object]

_DEFAULT_SILHOUETTE_SAMPLE = 4000


@dataclass(frozen=True)
class SweepOptions:
    """The options of :func:`sweep_k` and :func:`sweep_points`, checked once.

    Both functions take these fields as keyword arguments
    (``sweep_k(still, ks, seed=3, gap_refs=20)``) and build this object from
    them. Built directly, it checks a set of options ahead of a sweep; pass
    its fields on with ``sweep_k(still, ks, **vars(options))``. Construction
    raises a ValueError, naming the field and echoing its value, for a bad
    value.

    Attributes
    ----------
    init : {"k-means++", "random"}, default "k-means++"
        The initializer of the fresh starts.
    seed : None, int >= 0 or numpy.random.Generator, default 0
        The silhouette's sample and the k-means starts; the same seed gives
        the same sweep. The gap's reference sets are the same whatever the
        seed (:data:`~kmeans_core.choose_k.fits.REFERENCE_SEED`).
    n_init : int >= 1, default 4
        Fresh initializations per k, besides the warm start from the
        previous k and the backward start from the next; the lowest inertia
        wins.
    silhouette_sample : int >= 2 or None, default 4000
        Units of weight (pixels) drawn once, by systematic sampling along a
        Z-order curve, for the silhouette of every k; None, or a size at
        least the total weight, uses every point with its weight. Time and
        memory grow with the square of the sample's distinct points.
    gap_refs : int >= 0, default 10
        The number B of uniform reference sets; 0 skips the gap statistic
        (its arrays are then NaN and its suggestion None).
    gap_reference : {"pca", "box"}, default "pca"
        Draw the reference sets over the box aligned with the data's
        weighted principal components, or over its bounding box.
    gap_ref_size : int >= 2, default 1000
        Points in each reference set; this sets the size of s(k).
    gap_n_init : int >= 1, default 2
        Fresh initializations per k on each reference set, besides the warm
        start (the reference sets have no backward pass).
    max_iter : int >= 1, default 300
    tol : float >= 0, default 1e-4
        Passed to :func:`kmeans_core.kmeans`.
    """

    init: str = "k-means++"
    seed: int | np.random.Generator | None = 0
    n_init: int = DEFAULT_FITS.n_init
    silhouette_sample: int | None = _DEFAULT_SILHOUETTE_SAMPLE
    gap_refs: int = DEFAULT_GAP_REFS
    gap_reference: str = "pca"
    gap_ref_size: int = DEFAULT_REF_SIZE
    gap_n_init: int = DEFAULT_GAP_N_INIT
    max_iter: int = DEFAULT_FITS.max_iter
    tol: float = DEFAULT_FITS.tol

    def __post_init__(self):
        clean = {
            "init": check_choice("init", self.init, INITIALIZERS),
            "seed": check_seed(self.seed),
            "n_init": check_int("n_init", self.n_init, low=1),
            "gap_refs": check_int("gap_refs", self.gap_refs, low=0),
            "gap_reference": check_choice("gap_reference", self.gap_reference, GAP_REFERENCES),
            "gap_ref_size": check_int("gap_ref_size", self.gap_ref_size, low=2),
            "gap_n_init": check_int("gap_n_init", self.gap_n_init, low=1),
            "max_iter": check_int("max_iter", self.max_iter, low=1),
            "tol": check_number("tol", self.tol),
        }
        if self.silhouette_sample is not None:
            clean["silhouette_sample"] = check_int(
                "silhouette_sample", self.silhouette_sample, low=2, alternatives=", or None for every point"
            )
        for name, value in clean.items():
            object.__setattr__(self, name, value)

    @property
    def fits(self) -> FitSettings:
        """How the data is fitted for each k."""
        return FitSettings(init=self.init, n_init=self.n_init, max_iter=self.max_iter, tol=self.tol)

    @property
    def reference_fits(self) -> FitSettings:
        """How each reference set is fitted for each k: ``gap_n_init`` fresh starts, no backward pass.

        The local optima of the reference fits average out over the B sets,
        and a backward pass on every set would add a third to the gap's time.
        """
        return dataclasses.replace(self.fits, n_init=self.gap_n_init, backward=False)


_OPTION_NAMES = tuple(field.name for field in dataclasses.fields(SweepOptions))


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
        ``log W*_kb`` of every reference set b: ``gap = ref_log_w - log_w``.
    ref_log_w_var : ndarray of shape (gap_refs, len(ks)), float64
        The variance of ``log W*_kb`` estimated inside each set from its
        points' squared distances (see :mod:`kmeans_core.choose_k.gap`):
        ``gap_se = sqrt(ref_log_w_var.mean(axis=0) * (1 + 1/B))``.
    sample_size : int
        Pixels (units of weight) in the silhouette sample; the total weight
        when the silhouette was computed on every point.
    gap_refs : int
        The number B of reference sets.
    gap_ref_size : int
        Points in each reference set.
    suggested : SuggestedK
        The k of each rule: ``suggested.elbow``, ``suggested.silhouette``
        (None when no k has a silhouette) and ``suggested.gap`` (None when
        ``gap_refs=0``).
    centers : tuple of ndarray
        The fitted centres of each k, shape (k, d), in the clustered space.
    gap_reference : {"box", "pca"}
        The reference distribution.
    bin_width : float or None
        The grid cell width the points were pooled on, None for exact.
    space : {"lab", "oklab", "rgb"} or None
        The colour space, for :func:`sweep_k`; None for :func:`sweep_points`.
    n_iter : ndarray of int
        Lloyd iterations of each k's winning fit on the data.
    seconds : ndarray of float64
        Seconds spent fitting each k on the data (every start tried; not the
        silhouette or the gap): a measurement, the one figure of a sweep that
        differs from run to run.
    """

    ks: np.ndarray
    inertia: np.ndarray
    silhouette: np.ndarray
    gap: np.ndarray
    gap_se: np.ndarray
    log_w: np.ndarray
    ref_log_w: np.ndarray
    ref_log_w_sets: np.ndarray
    ref_log_w_var: np.ndarray
    sample_size: int
    gap_refs: int
    gap_ref_size: int
    suggested: SuggestedK
    centers: tuple = ()
    gap_reference: str = "pca"
    bin_width: float | None = None
    space: str | None = None
    n_iter: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    seconds: np.ndarray = field(default_factory=lambda: np.zeros(0))


def sweep_k(
    still: Still, ks, *, space: str = "lab", bin_width="auto", progress: Progress | None = None, **options
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
    space : {"lab", "oklab", "rgb"}, default "lab"
        The colour space to cluster in.
    bin_width : "auto", float or None, default "auto"
        Grid cell width for pooling colours before fitting (see
        :mod:`kmeans_core.choose_k.pooling`). ``"auto"`` uses
        :data:`DEFAULT_BIN_WIDTH` for the space when the still has more
        than 20,000 distinct colours and the grid keeps at least
        ``max(ks)`` cells, and no pooling otherwise. None: exact.
    progress : callable, optional
        As in :func:`sweep_points`.
    **options
        The fields of :class:`SweepOptions`: ``init``, ``seed``, ``n_init``,
        ``silhouette_sample``, ``gap_refs``, ``gap_reference``,
        ``gap_ref_size``, ``gap_n_init``, ``max_iter`` and ``tol``.

    Returns
    -------
    KSweep
        With ``space`` the space clustered in.

    Raises
    ------
    ValueError
        For a bad parameter, with the value in the message, such as
        ``ks contains k=20 but this still has only 12 distinct colours``.
    TypeError
        For a keyword that is not a field of :class:`SweepOptions`.
    """
    if not isinstance(still, Still):
        raise ValueError(f"still must be a Still from load_still, got {type(still).__name__}")
    check_space(space)
    hist = still.histogram
    ks = check_ks(ks, len(hist.colors), "this still has only {n} distinct colours")
    opts = _options("sweep_k", options)
    check_callable("progress", progress, call="a callable progress(fraction, message)")
    auto = isinstance(bin_width, str) and bin_width == "auto"
    width = None if auto else check_bin_width(bin_width, alternatives=", 'auto' or None")
    X = rgb_to_space(hist.colors, space)
    w = hist.counts.astype(np.float64)
    if auto:
        width = auto_width(space, len(X))
    pooled = pool_for_fit(X, w, width, ks[-1], bin_width=bin_width, noun="colours", strict=not auto)
    return _sweep(X, w, ks, opts, pooled=pooled, space=space, progress=progress)


def sweep_points(
    X, ks, *, sample_weight=None, bin_width: float | None = None, progress: Progress | None = None, **options
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
    bin_width : float or None, default None
        Pool the points on a grid of this cell width before fitting (see
        :mod:`kmeans_core.choose_k.pooling`); None fits the points themselves.
    progress : callable, optional
        Called as ``progress(fraction, message)`` as the work advances, with
        fractions rising from 0.0 to exactly 1.0, which only the last call
        reports. An exception raised by it stops the sweep and propagates
        (a way to cancel).
    **options
        The fields of :class:`SweepOptions` (see there for their meaning and
        defaults): ``init="k-means++"``, ``seed=0``, ``n_init=4``,
        ``silhouette_sample=4000``, ``gap_refs=10``, ``gap_reference="pca"``,
        ``gap_ref_size=1000``, ``gap_n_init=2``, ``max_iter=300``,
        ``tol=1e-4``.

    Returns
    -------
    KSweep

    Raises
    ------
    ValueError
        For a bad parameter, with the value in the message.
    TypeError
        For a keyword that is not an option.
    """
    X, w, ks = check_points_and_ks(X, ks, sample_weight)
    opts = _options("sweep_points", options)
    check_callable("progress", progress, call="a callable progress(fraction, message)")
    width = check_bin_width(bin_width, alternatives=" or None")
    pooled = pool_for_fit(X, w, width, ks[-1], bin_width=bin_width, noun="points", strict=True)
    return _sweep(X, w, ks, opts, pooled=pooled, space=None, progress=progress)


# --- private workers (clean input assumed) ----------------------------------


def _options(function: str, options: dict) -> SweepOptions:
    """The SweepOptions of the keyword arguments of ``function``; a TypeError names an unknown one."""
    unknown = [name for name in options if name not in _OPTION_NAMES]
    if unknown:
        raise TypeError(
            f"{function}() got an unexpected keyword argument {unknown[0]!r}; "
            f"the sweep options are {', '.join(_OPTION_NAMES)}"
        )
    return SweepOptions(**options)


def _frozen(array) -> np.ndarray:
    array = np.array(array)
    array.setflags(write=False)
    return array


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
    X: np.ndarray,
    w: np.ndarray,
    ks: np.ndarray,
    options: SweepOptions,
    *,
    pooled: PooledPoints | None,
    space: str | None,
    progress: Progress | None,
) -> KSweep:
    """The whole sweep on clean input; ``pooled`` is None or the points pooled for fitting."""
    streams = spawn_streams(options.seed, options.gap_refs)
    if pooled is None:
        fit_X, fit_w, scatter, coarse = X, w, 0.0, None
    else:
        fit_X, fit_w, scatter = pooled.points, pooled.weights, pooled.scatter
        coarse = coarse_points(pooled, ks[-1])
    index, count = draw_sample(X, w, options.silhouette_sample, streams.sample)
    # Units of work, roughly proportional to time: a point-cluster pair per
    # start of a fit (ten on the small reference sets, where fixed costs
    # weigh more), and a fiftieth of a sample pair per k for the silhouette.
    fit_units = [len(fit_X) * k * (options.n_init + 2) for k in ks]
    ref_units = sum(10 * options.gap_ref_size * k * (options.gap_n_init + 1) for k in ks)
    sil_units = 0.02 * len(index) ** 2 * len(ks)
    meter = _Meter(progress, sum(fit_units) + options.gap_refs * ref_units + sil_units)
    meter.advance(0.0, f"prepared {len(fit_X):,} points to cluster")

    def on_data(i, k):
        meter.advance(fit_units[i], f"k-means for k={k} ({i + 1} of {len(ks)})")

    fits = fit_path(fit_X, fit_w, ks, options.fits, rng=streams.fit, on_fit=on_data, coarse=coarse)
    centers, inertia = fits.centers, fits.inertia + scatter

    silhouette = sample_silhouettes(X[index], count, ks, centers)
    sample_size = int(round(count.sum()))
    meter.advance(sil_units, f"silhouette on a sample of {sample_size:,} pixels")

    log_w = log_w_per_weight(inertia, w.sum())
    gap, gap_se, ref_mean = (np.full(len(ks), np.nan) for _ in range(3))
    sets = variances = np.empty((options.gap_refs, len(ks)))
    if options.gap_refs > 0:

        def on_set(b):
            meter.advance(ref_units, f"gap statistic: reference set {b + 1} of {options.gap_refs}")

        sets, variances = reference_log_w(
            X,
            w,
            ks,
            streams.refs,
            reference=options.gap_reference,
            ref_size=options.gap_ref_size,
            settings=options.reference_fits,
            on_set=on_set,
        )
        gap, gap_se, ref_mean = gap_from_log_w(log_w, sets, variances)

    meter.finish()
    return KSweep(
        ks=_frozen(ks),
        inertia=_frozen(inertia),
        silhouette=_frozen(silhouette),
        gap=_frozen(gap),
        gap_se=_frozen(gap_se),
        log_w=_frozen(log_w),
        ref_log_w=_frozen(ref_mean),
        ref_log_w_sets=_frozen(sets),
        ref_log_w_var=_frozen(variances),
        sample_size=sample_size,
        gap_refs=options.gap_refs,
        gap_ref_size=options.gap_ref_size,
        suggested=suggest_k(ks, inertia, silhouette, gap, gap_se),
        centers=tuple(_frozen(c) for c in centers),
        gap_reference=options.gap_reference,
        bin_width=None if pooled is None else pooled.width,
        space=space,
        n_iter=_frozen(fits.n_iter),
        seconds=_frozen(fits.seconds),
    )
