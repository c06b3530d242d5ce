"""Palettes: k colours of a still, each with its share of the frame.

:func:`extract_palette` clusters the still's colour histogram (in CIELAB by
default) and returns a :class:`Palette`; :func:`palette_from_histogram` does
the same for any histogram, such as the merged histogram of a shot's frames.
:func:`quantize` redraws the frame with only the palette's colours, each
pixel taking its nearest palette colour in the palette's space.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from skimage.color import rgb2hsv

from kmeans_core._docs import PALETTE, fill_doc
from kmeans_core._keywords import takes_keywords_of
from kmeans_core._validation import check_int, check_number
from kmeans_core.accents import ACCENT_DELTA_E, ACCENT_SHARE, find_accents
from kmeans_core.coarse import COARSE_ABOVE, pool_on_cells
from kmeans_core.colorspace import SPACE_UNITS, check_space, rgb_to_space, space_to_rgb
from kmeans_core.hexcodes import check_seed_colors, to_hex
from kmeans_core.histogram import check_histogram
from kmeans_core.lloyd import INITIALIZERS, kmeans, nearest_centers
from kmeans_core.medians import DEFAULT_FLOOR, refine_to_medians
from kmeans_core.methods import check_method, method_colors
from kmeans_core.still import Still

__all__ = [
    "DEFAULT_K",
    "ORDERS",
    "REFINEMENTS",
    "MEDIAN_STEPS",
    "DEFAULT_N_INIT",
    "FIXED_INIT",
    "Palette",
    "apply_palette",
    "apply_palette_to_histogram",
    "check_frame",
    "check_k_colors",
    "check_palette",
    "check_start",
    "check_still",
    "extract_palette",
    "palette_from_histogram",
    "palette_labels",
    "quantize",
]

#: The number of colours a palette has unless k is given.
DEFAULT_K = 8

ORDERS = ("share", "hue", "lightness")
REFINEMENTS = ("median", "none")

#: Weiszfeld steps after k-means with ``refine="median"``: on the scikit-image
#: photos at k=8 they take the mean CIEDE2000 from 5.00 to about 4.84.
MEDIAN_STEPS = 5

#: Initializations tried by default; the lowest inertia wins. One: on the
#: scikit-image photos at k=8, more starts lower the CIELAB inertia but not
#: the mean CIEDE2000 a viewer sees (5.00, 5.02, 5.07 and 5.07 for 1, 2, 4
#: and 8; bench/palette_quality_vs_peers.py), and each costs a full run.
DEFAULT_N_INIT = 1

#: The ``init`` recorded by :func:`apply_palette`: colours taken as they are.
FIXED_INIT = "fixed"


@dataclass(frozen=True, eq=False)
class Palette:
    """k colours and the share of the frame each covers.

    Attributes
    ----------
    rgb : ndarray of shape (k, 3), uint8
        The colours in sRGB.
    shares : ndarray of shape (k,), float64
        The fraction of counted pixels nearest to each colour; sums to 1.
    inertia : float
        The k-means objective in the palette's space: the weighted sum of
        squared distances from each colour of the still to its nearest
        centre (the k-means centres for ``method="kmeans"``, the palette's
        colours for the other methods).
    space : {"lab", "oklab", "rgb"}
        The space clustered in, and in which "nearest" is measured.
    init : {"k-means++", "random", "manual", "fixed"}
        The initializer; ``"fixed"`` for colours applied as they are, with
        no clustering (:func:`apply_palette`).
    seed : int or None
        The random seed.
    seed_colors : tuple of str
        The manual seed colours as hex codes (empty otherwise).
    order : {"share", "hue", "lightness"}
        How the colours are ordered.
    refine : {"median", "none"}
        Whether the k-means colours were moved to their clusters' medians.
    method : {"kmeans", "kmedians", "kmedoids", "spherical", "mediancut", "octree"}
        The clustering method (:data:`kmeans_core.METHODS`).
    locked : tuple of str
        The colours that were locked (kept as they are while k-means found
        the others), as hex codes; empty when none was.
    accents : tuple of bool
        For each colour, whether it was added as an accent colour (see
        :mod:`kmeans_core.accents`); all False by default.
    """

    rgb: np.ndarray
    shares: np.ndarray
    inertia: float
    space: str = "lab"
    init: str = "k-means++"
    seed: int | None = 0
    seed_colors: tuple[str, ...] = ()
    order: str = "share"
    refine: str = "none"
    method: str = "kmeans"
    locked: tuple[str, ...] = ()
    accents: tuple[bool, ...] = ()

    def __post_init__(self):
        if not self.accents:
            object.__setattr__(self, "accents", (False,) * len(self.rgb))

    @property
    def k(self) -> int:
        """The number of colours."""
        return len(self.rgb)

    @property
    def hex(self) -> tuple[str, ...]:
        """The colours as upper-case ``#RRGGBB`` codes."""
        return to_hex(self.rgb)

    def sorted(self, by: str = "share") -> Palette:
        """The same palette ordered by share (largest first), hue or lightness.

        Hue runs red, yellow, green, blue, magenta; near-greys come last,
        dark to light. Lightness runs dark to light (CIELAB L*).
        """
        if by not in ORDERS:
            raise ValueError(f"order={by!r} must be one of {ORDERS}")
        order = _ordering(self.rgb, self.shares, by)
        accents = tuple(self.accents[i] for i in order.tolist())
        return dataclasses.replace(self, rgb=self.rgb[order], shares=self.shares[order], order=by, accents=accents)


def check_palette(palette) -> Palette:
    """Return ``palette`` if it is a :class:`Palette`.

    Raises
    ------
    ValueError
        Naming the type that was given instead.
    """
    if not isinstance(palette, Palette):
        raise ValueError(f"palette must be a Palette from extract_palette, got {type(palette).__name__}")
    return palette


def check_frame(frame) -> np.ndarray:
    """Return ``frame`` as an array if it is an 8-bit RGB or RGBA frame, like :func:`quantize`'s.

    Raises
    ------
    ValueError
        If it is not a non-empty ``(h, w, 3)`` or ``(h, w, 4)`` uint8 array,
        echoing its shape and dtype.
    """
    frame = np.asarray(frame)
    if frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[2] not in (3, 4) or 0 in frame.shape:
        raise ValueError(
            f"frame must be a non-empty (h, w, 3) or (h, w, 4) uint8 array, "
            f"got shape {frame.shape} and dtype {frame.dtype}"
        )
    return frame


def _ordering(rgb: np.ndarray, shares: np.ndarray, by: str) -> np.ndarray:
    lightness = rgb_to_space(rgb, "lab")[:, 0]
    if by == "share":
        return np.lexsort((lightness, -shares))
    if by == "lightness":
        return np.lexsort((-shares, lightness))
    hsv = rgb2hsv(rgb.reshape(-1, 1, 3)).reshape(-1, 3)
    grey = hsv[:, 1] < 0.08
    return np.lexsort((lightness, np.where(grey, 2.0, hsv[:, 0]), grey))


def _palette(
    colors,
    counts,
    k,
    source,
    *,
    space: str = "lab",
    init="k-means++",
    seed: int | None = 0,
    n_init: int | None = None,
    max_iter: int = 300,
    tol: float = 1e-4,
    order: str = "share",
    refine: str | None = None,
    method: str = "kmeans",
    locked=None,
    accents: bool = False,
    accent_share: float = ACCENT_SHARE,
    accent_delta_e: float = ACCENT_DELTA_E,
) -> Palette:
    """The two palette finders' body, and their options' one signature (:func:`takes_keywords_of`).

    ``source`` names the histogram's origin in the k message.
    """
    check_space(space)
    if order not in ORDERS:
        raise ValueError(f"order={order!r} must be one of {ORDERS}")
    k = check_int("k", k, low=1)
    accent_share = check_number("accent_share", accent_share)
    accent_delta_e = check_number("accent_delta_e", accent_delta_e)
    held = np.zeros((0, 3), dtype=np.uint8) if locked is None or len(locked) == 0 else check_seed_colors(locked)
    if len(held) > k:
        raise ValueError(f"{len(held)} locked colours were given but k={k}; k counts the locked colours too")
    manual = not (isinstance(init, str) and init in INITIALIZERS)
    method = check_method(method, k=k, manual=manual)
    refine = _check_refine(refine, method)
    if len(held) and method != "kmeans":
        raise ValueError(f"locked colours are kept by k-means only, but method={method!r}")
    if len(held) == k:  # nothing left to find: the fixed palette
        palette = _fixed(colors, counts, held, space=space, order="share")
    else:
        palette = _clustered(
            colors,
            counts,
            k,
            source,
            space=space,
            init=init,
            seed=seed,
            n_init=n_init,
            max_iter=max_iter,
            tol=tol,
            refine=refine,
            method=method,
            held=held,
        )
    if accents:
        palette = _with_accents(colors, counts, palette, share=accent_share, delta_e=accent_delta_e, seed=seed)
    return palette.sorted(order)


@takes_keywords_of(_palette)
@fill_doc(PALETTE)
def extract_palette(still: Still, k: int, **options) -> Palette:
    """Find the k colours that best summarise a still.

    Runs weighted k-means (or another ``method``) on the still's colour
    histogram, which minimises the same objective as on every pixel.

    Parameters
    ----------
    still : Still
        From :func:`kmeans_core.load_still`.
    k : int
        The number of colours, from 1 to the number of distinct colours.
    {{space, init, seed, n_init, max_iter, tol, order, refine, method, locked, accents, accent_share, accent_delta_e}}

    Returns
    -------
    Palette

    Raises
    ------
    ValueError
        For a bad parameter, with the value in the message, such as
        ``k=12 but this still has only 5 distinct colours``.
    """
    check_still(still)
    hist = still.histogram
    return _palette(hist.colors, hist.counts, k, "this still", **options)


@takes_keywords_of(_palette)
@fill_doc(PALETTE)
def palette_from_histogram(colors: np.ndarray, counts: np.ndarray, k: int, **options) -> Palette:
    """Find the k colours that best summarise a colour histogram.

    :func:`extract_palette` is this function on a still's histogram; this
    one takes any histogram, such as :func:`kmeans_core.merge_histograms` of
    the frames of a shot or a whole film.

    Parameters
    ----------
    colors : ndarray of shape (m, 3), uint8
        Distinct sRGB colours.
    counts : ndarray of shape (m,)
        Their non-negative weights (pixel counts, or weighted counts).
    k : int
        The number of colours, from 1 to the number of distinct colours
        with positive weight.
    {{space, init, seed, n_init, max_iter, tol, order, refine, method, locked, accents, accent_share, accent_delta_e}}

    Returns
    -------
    Palette
        The same palette :func:`extract_palette` gives for a still with
        this histogram.

    Raises
    ------
    ValueError
        For a bad parameter, with the value in the message, such as
        ``k=12 but this histogram has only 5 distinct colours``.
    """
    colors, counts = check_histogram(colors, counts)
    positive = counts > 0
    if not positive.all():
        colors, counts = colors[positive], counts[positive]
    return _palette(colors, counts, k, "this histogram", **options)


def _clustered(colors, counts, k, source, *, space, init, seed, n_init, max_iter, tol, refine, method, held) -> Palette:
    """k-means (and the median steps) around the locked colours ``held``, or another method."""
    check_k_colors(k, len(colors), source)
    n_free = k - len(held)
    X = rgb_to_space(colors, space)
    manual = not (isinstance(init, str) and init in INITIALIZERS)
    if len(held) and manual:
        seed_rgb = check_seed_colors(init)
        if len(seed_rgb) != n_free:
            raise ValueError(
                f"{len(seed_rgb)} seed colours were given but k={k} with {len(held)} locked; give {n_free}"
            )
    else:
        seed_rgb = check_start(init, k)
    if seed_rgb is None:
        start, label, seeds = init, init, ()
        n_init = DEFAULT_N_INIT if n_init is None else n_init
    else:
        start, label, seeds = rgb_to_space(seed_rgb, space), "manual", to_hex(seed_rgb)
        n_init = 1 if n_init is None else n_init
    if method == "kmeans":
        held_X = rgb_to_space(held, space) if len(held) else None
        stop = {"seed": seed, "max_iter": max_iter, "tol": tol, "locked": held_X}
        if seed_rgb is None and len(colors) > COARSE_ABOVE:
            # Coarse to fine: the starts run on the pooled cells, the best of them is refined here.
            points, weights = pool_on_cells(colors, X, counts)
            if len(points) >= 4 * k:
                rough = kmeans(points, k, sample_weight=weights, init=start, n_init=n_init, **stop)
                start, n_init = rough.centers[len(held) :], 1
        result = kmeans(X, k, sample_weight=counts, init=start, n_init=n_init, **stop)
        if refine == "median":
            floor = DEFAULT_FLOOR * SPACE_UNITS[space]
            centers = refine_to_medians(
                X, result.centers, sample_weight=counts, n_iter=MEDIAN_STEPS, floor=floor, locked=len(held)
            )
            _, sq_dist = nearest_centers(X, centers)
            inertia = float(counts @ sq_dist)
        else:
            centers, inertia = result.centers, result.inertia
        rgb = space_to_rgb(centers, space)
        rgb[: len(held)] = held  # exactly as given, whatever the round trip through the space
    else:
        rgb = method_colors(
            method,
            colors,
            counts,
            X,
            k,
            space=space,
            init=seed_rgb if manual else init,
            n_init=n_init,
            seed=seed,
            max_iter=max_iter,
            tol=tol,
        )
    labels, sq_dist = nearest_centers(X, rgb_to_space(rgb, space))
    if method != "kmeans":
        inertia = float(counts @ sq_dist)
    shares = np.bincount(labels, weights=counts, minlength=len(rgb)) / counts.sum()
    return Palette(
        rgb=rgb,
        shares=shares,
        inertia=inertia,
        space=space,
        init=label,
        seed=seed,
        seed_colors=seeds,
        refine=refine,
        method=method,
        locked=to_hex(held),
    )


def _with_accents(colors, counts, palette: Palette, *, share: float, delta_e: float, seed) -> Palette:
    """The palette with the accent colours of the histogram added after its own (shares measured again)."""
    found = find_accents(
        colors, counts, palette.rgb, space=palette.space, min_share=share, min_delta_e=delta_e, seed=seed
    )
    if not len(found):
        return palette
    rgb = np.vstack([palette.rgb, found])
    X = rgb_to_space(colors, palette.space)
    labels, sq_dist = nearest_centers(X, rgb_to_space(rgb, palette.space))
    return dataclasses.replace(
        palette,
        rgb=rgb,
        shares=np.bincount(labels, weights=counts, minlength=len(rgb)) / counts.sum(),
        inertia=float(counts @ sq_dist),
        accents=(*palette.accents, *(True,) * len(found)),
    )


def check_still(still) -> Still:
    """Return ``still`` if it is a :class:`kmeans_core.Still`, else raise a ValueError naming what it is."""
    if not isinstance(still, Still):
        raise ValueError(f"still must be a Still from load_still, got {type(still).__name__}")
    return still


def check_k_colors(k: int, n_colors: int, source: str) -> None:
    """Raise if k exceeds the distinct colours; ``source`` names them, such as ``"this still"``."""
    if k > n_colors:
        noun = "colour" if n_colors == 1 else "colours"
        raise ValueError(f"k={k} but {source} has only {n_colors} distinct {noun}")


def check_start(init, k: int) -> np.ndarray | None:
    """None for an initializer of :data:`kmeans_core.INITIALIZERS`, else the k seed colours as uint8 sRGB."""
    if isinstance(init, str) and init in INITIALIZERS:
        return None
    seed_rgb = check_seed_colors(init)
    if len(seed_rgb) != k:
        raise ValueError(f"{len(seed_rgb)} seed colours were given but k={k}; give exactly k seeds")
    return seed_rgb


def _check_refine(refine, method: str) -> str:
    """The refinement: by default "median" for k-means and "none" otherwise; "median" only for k-means."""
    if refine is None:
        return "median" if method == "kmeans" else "none"
    if refine not in REFINEMENTS:
        raise ValueError(f"refine={refine!r} must be one of {REFINEMENTS}")
    if refine == "median" and method != "kmeans":
        raise ValueError(
            f"refine='median' moves k-means centres, but method={method!r} keeps its own colours; "
            "use refine='none' (its default)"
        )
    return refine


def apply_palette(still: Still, colors, *, space: str = "lab", order: str = "share") -> Palette:
    """Take fixed colours as a palette of a still, with no clustering.

    Each of the still's counted pixels is assigned to its nearest colour in
    ``space``; the shares and the inertia are measured on the still.

    Parameters
    ----------
    still : Still
    colors : str, sequence of str, or array-like of shape (k, 3)
        Hex codes or sRGB values 0 to 255, all different (as for seed
        colours, see :func:`kmeans_core.hexcodes.check_seed_colors`).
    space : {"lab", "oklab", "rgb"}, default "lab"
        Where "nearest" is measured, and the inertia.
    order : {"share", "hue", "lightness"}, default "share"

    Returns
    -------
    Palette
        With ``init="fixed"``, ``seed=None`` and ``refine="none"``. A colour
        no pixel is nearest to keeps a share of 0.

    Raises
    ------
    ValueError
        For a bad still, colour, space or order, echoing it.
    """
    check_still(still)
    check_space(space)
    if order not in ORDERS:
        raise ValueError(f"order={order!r} must be one of {ORDERS}")
    hist = still.histogram
    return _fixed(hist.colors, hist.counts, check_seed_colors(colors), space=space, order=order)


def apply_palette_to_histogram(colors, counts, palette_colors, *, space: str = "lab", order: str = "share") -> Palette:
    """:func:`apply_palette` on a colour histogram, such as a scene's merged one.

    Parameters
    ----------
    colors : ndarray of shape (m, 3), uint8
    counts : ndarray of shape (m,)
        Non-negative weights, at least one positive.
    palette_colors, space, order
        As ``colors``, ``space`` and ``order`` of :func:`apply_palette`.

    Returns
    -------
    Palette
        With ``init="fixed"``; its shares are those of the histogram.
    """
    check_space(space)
    if order not in ORDERS:
        raise ValueError(f"order={order!r} must be one of {ORDERS}")
    colors, counts = check_histogram(colors, counts)
    if not counts.sum() > 0:
        raise ValueError("the histogram weighs nothing (its counts sum to 0)")
    return _fixed(colors, counts, check_seed_colors(palette_colors), space=space, order=order)


def _fixed(colors, counts, rgb, *, space, order) -> Palette:
    """The colours ``rgb`` as they are, with shares and inertia on the histogram."""
    labels, sq_dist = nearest_centers(rgb_to_space(colors, space), rgb_to_space(rgb, space))
    shares = np.bincount(labels, weights=counts, minlength=len(rgb)) / counts.sum()
    palette = Palette(
        rgb=np.array(rgb, dtype=np.uint8),
        shares=shares,
        inertia=float(counts @ sq_dist),
        space=space,
        init=FIXED_INIT,
        seed=None,
        refine="none",
    )
    return palette.sorted(order)


def palette_labels(colors: np.ndarray, palette_rgb: np.ndarray, space: str) -> np.ndarray:
    """The index of the nearest palette colour, in ``space``, of each colour.

    Parameters
    ----------
    colors : ndarray of shape (m, 3), uint8
    palette_rgb : ndarray of shape (k, 3), uint8
    space : {"lab", "oklab", "rgb"}

    Returns
    -------
    ndarray of shape (m,), intp
    """
    labels, _ = nearest_centers(rgb_to_space(colors, space), rgb_to_space(palette_rgb, space))
    return labels


def quantize(still: Still, palette: Palette) -> np.ndarray:
    """Redraw a still with only the palette's colours.

    Each pixel takes the palette colour nearest to it in the palette's
    space. The work is one nearest-colour search per distinct colour and one
    gather through the histogram's inverse index. A palette from one still
    can be applied to another, to keep colours consistent across shots.

    Parameters
    ----------
    still : Still
    palette : Palette

    Returns
    -------
    ndarray of shape (h, w, 3), uint8, or (h, w, 4) when the still has alpha
        Fully transparent pixels keep their values and stay transparent.
    """
    hist = still.histogram
    mapped = palette.rgb[palette_labels(hist.colors, palette.rgb, palette.space)]
    flat = still.pixels.reshape(-1, 3)
    counted = hist.inverse >= 0
    out = flat.copy() if still.alpha is not None else np.empty_like(flat)
    if still.alpha is None:
        out[:] = mapped[hist.inverse]
    else:
        out[counted] = mapped[hist.inverse[counted]]
    frame = out.reshape(still.pixels.shape)
    if still.alpha is not None:
        frame = np.dstack([frame, still.alpha])
    return frame
