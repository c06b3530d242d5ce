"""The clustering methods a palette can be made with, and how each gives its colours.

:func:`kmeans_core.extract_palette` takes ``method=`` one of :data:`METHODS`.
k-means itself stays in :mod:`kmeans_core.palette` (with its median
refinement); :func:`method_colors` runs the others on a colour histogram and
returns their colours as sRGB. Every palette, whatever its method, then has
its shares counted the same way: each colour of the still goes to its
nearest palette colour in the palette's space.
"""

from __future__ import annotations

import numpy as np

from kmeans_core._validation import check_choice
from kmeans_core.colorspace import rgb_to_space, space_to_rgb
from kmeans_core.kmedians import kmedians
from kmeans_core.kmedoids import kmedoids
from kmeans_core.linear_rgb import linear_to_srgb, srgb_to_linear
from kmeans_core.pillow_quantizers import PILLOW_MAX_COLORS, PILLOW_QUANTIZERS, pillow_colors
from kmeans_core.spherical import direction_colors, spherical_kmeans

__all__ = ["METHODS", "METHOD_NOTES", "check_method", "method_colors"]

METHODS = ("kmeans", "kmedians", "kmedoids", "spherical", "mediancut", "octree")

#: One line per method on what it does differently, for people choosing one.
METHOD_NOTES = {
    "kmeans": "k-means: each colour is the mean of its pixels, which minimises squared (Euclidean) distance "
    "in the chosen space.",
    "kmedians": "k-medians: each colour is the channel-by-channel median of its pixels (Manhattan distance), "
    "so stray pixels pull it less than a mean.",
    "kmedoids": "k-medoids: each colour is a colour that occurs in the frame, the one nearest in total to "
    "its pixels; nothing is averaged.",
    "spherical": "spherical k-means: groups pixels by the direction of their colour in linear RGB (hue and "
    "saturation), whatever their brightness.",
    "mediancut": "median cut (Pillow): splits the box of colours at the median of its longest side until "
    "there are k boxes; no iterations, no seed.",
    "octree": "fast octree (Pillow): merges the rarest cells of an RGB colour tree until k are left; "
    "no iterations, no seed.",
}


def check_method(method, *, k: int, manual: bool) -> str:
    """A method of :data:`METHODS` that can give k colours from the given start.

    Raises
    ------
    ValueError
        For an unknown method, seed colours given to Pillow's quantizers, or
        a k above what Pillow makes.
    """
    method = check_choice("method", method, METHODS)
    if method in PILLOW_QUANTIZERS:
        if manual:
            raise ValueError(f"method={method!r} takes no seed colours; use init='k-means++' (it has no effect)")
        if k > PILLOW_MAX_COLORS:
            raise ValueError(f"k={k} but method={method!r} makes at most {PILLOW_MAX_COLORS} colours")
    return method


def method_colors(
    method: str,
    colors: np.ndarray,
    counts: np.ndarray,
    X: np.ndarray,
    k: int,
    *,
    space: str,
    init,
    n_init: int,
    seed,
    max_iter: int,
    tol: float,
) -> np.ndarray:
    """The colours a method other than k-means picks for a colour histogram (clean input).

    Parameters
    ----------
    method : {"kmedians", "kmedoids", "spherical", "mediancut", "octree"}
    colors : ndarray of shape (m, 3), uint8
        Distinct sRGB colours.
    counts : ndarray of shape (m,)
        Their weights, all positive.
    X : ndarray of shape (m, 3)
        ``colors`` in ``space``.
    k : int
    space : {"lab", "oklab", "rgb"}
        Where k-medians and k-medoids measure distance. Spherical k-means
        always works on linear RGB, and Pillow's quantizers on sRGB.
    init : {"k-means++", "random"} or ndarray of shape (k, 3), uint8
        The start, or seed colours in sRGB (not for Pillow's quantizers).
    n_init, seed, max_iter, tol
        As for the clusterers (Pillow's quantizers ignore them; k-medoids
        ignores ``tol``).

    Returns
    -------
    ndarray of shape (j, 3), uint8
        k colours (Pillow's quantizers may give fewer). k-medoids gives rows
        of ``colors`` exactly.
    """
    if method in PILLOW_QUANTIZERS:
        return pillow_colors(colors, counts, k, method=method)
    manual = not isinstance(init, str)
    options = {"sample_weight": counts, "n_init": n_init, "seed": seed, "max_iter": max_iter}
    if method == "spherical":
        linear = srgb_to_linear(colors / 255.0)
        start = srgb_to_linear(init / 255.0) if manual else init
        result = spherical_kmeans(linear, k, init=start, tol=tol, **options)
        srgb = linear_to_srgb(np.clip(direction_colors(linear, counts, result), 0.0, 1.0))
        return np.clip(np.rint(srgb * 255.0), 0, 255).astype(np.uint8)
    start = rgb_to_space(init, space) if manual else init
    if method == "kmedoids":
        return colors[kmedoids(X, k, init=start, **options).indices]
    return space_to_rgb(kmedians(X, k, init=start, tol=tol, **options).centers, space)
