"""A scene's palette: weighted k-means over the sum of its stills' histograms.

Histograms add, so the scene's histogram is the exact sum of its stills'
(:func:`kmeans_core.merge_histograms`) and no frame needs to be kept. With
``weighting="equal"`` every still weighs the same whatever its size (each
is rescaled to the mean total); with ``"pixels"`` every pixel does.
"""

from __future__ import annotations

import numpy as np

from kmeans_core._validation import check_choice
from kmeans_core.histogram import MergedHistogram, check_histogram, merge_histograms
from kmeans_core.palette import Palette, palette_from_histogram
from kmeans_core.still import Still

__all__ = ["WEIGHTINGS", "scene_histogram", "scene_palette", "still_histograms"]

#: How a scene's stills are weighed: each the same, or each pixel the same.
WEIGHTINGS = ("equal", "pixels")


def still_histograms(stills) -> list:
    """The histograms of a scene's stills (a Still gives its own), checked.

    Parameters
    ----------
    stills : sequence of Still or of histograms
        A histogram is anything with ``colors`` and ``counts``, such as a
        :class:`~kmeans_core.ColorHistogram` or a
        :class:`~kmeans_core.MergedHistogram`.

    Raises
    ------
    ValueError
        If there is no still, or one is malformed or weighs nothing (named
        by its index).
    """
    stills = list(stills)
    if not stills:
        raise ValueError("stills is empty; a scene needs at least one still")
    histograms = []
    for i, item in enumerate(stills):
        hist = item.histogram if isinstance(item, Still) else item
        colors, counts = check_histogram(
            getattr(hist, "colors", None), getattr(hist, "counts", None), name=f"stills[{i}]."
        )
        if not counts.sum() > 0:
            raise ValueError(f"stills[{i}] has no counted pixel")
        histograms.append(hist)
    return histograms


def scene_histogram(stills, *, weighting: str = "equal") -> MergedHistogram:
    """The scene's colour histogram: the sum of its stills', weighted.

    Parameters
    ----------
    stills : sequence of Still or of histograms
        See :func:`still_histograms`.
    weighting : {"equal", "pixels"}, default "equal"
        ``"equal"``: every still weighs the mean of their pixel counts;
        ``"pixels"``: every pixel weighs 1 (the counts are summed exactly).

    Returns
    -------
    MergedHistogram
    """
    check_choice("weighting", weighting, WEIGHTINGS)
    histograms = still_histograms(stills)
    if weighting == "pixels":
        return merge_histograms(histograms)
    totals = np.array([float(np.sum(hist.counts)) for hist in histograms])
    return merge_histograms(histograms, weights=totals.mean() / totals)


def scene_palette(stills, k: int, *, weighting: str = "equal", **options) -> Palette:
    """The k colours that best summarise a scene of stills.

    Parameters
    ----------
    stills : sequence of Still or of histograms
        At least one (see :func:`still_histograms`).
    k : int
    weighting : {"equal", "pixels"}, default "equal"
        See :func:`scene_histogram`.
    **options
        The options of :func:`kmeans_core.extract_palette` (``space``,
        ``init``, ``seed``, ``n_init``, ``max_iter``, ``tol``, ``order``,
        ``refine``, ``locked``, ``accents``, ...).

    Returns
    -------
    Palette
        Its shares are of the whole scene. With ``weighting="pixels"`` it
        is the palette of one still made by tiling the stills.

    Raises
    ------
    ValueError
        For no still, a bad still, weighting or option, echoing it.
    """
    merged = scene_histogram(stills, weighting=weighting)
    return palette_from_histogram(merged.colors, merged.counts, k, **options)
