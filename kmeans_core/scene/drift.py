"""Drift: how far a histogram's colours lie from a palette, per palette colour.

For every palette colour, take the pixels of the histogram nearest to it
(nearest in the palette's space, as :func:`kmeans_core.palette_labels` and
:func:`kmeans_core.quantize` decide) and their mean colour in CIELAB. The
colour's drift is the CIEDE2000 difference between the palette colour and
that mean: how far this frame, shot or still has moved away from it. A
palette colour that no pixel is nearest to has no drift (NaN) and share 0.

Minimal version written with the film pipeline (issue 12); the scenes work
(issue 9) owns and extends this module.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from skimage.color import deltaE_ciede2000

from kmeans_core.colorspace import rgb_to_space
from kmeans_core.histogram import check_histogram
from kmeans_core.palette import Palette, palette_labels

__all__ = ["HistogramDrift", "histogram_drift"]


@dataclass(frozen=True, eq=False)
class HistogramDrift:
    """Each palette colour's drift and share in one histogram.

    Attributes
    ----------
    drift : ndarray of shape (k,), float64
        CIEDE2000 between each palette colour and the CIELAB mean of the
        pixels nearest to it; NaN where no pixel is nearest to it.
    shares : ndarray of shape (k,), float64
        The fraction of the histogram's weight nearest to each palette
        colour; sums to 1.
    mean_lab : ndarray of shape (k, 3), float64
        The CIELAB means themselves (NaN rows where the share is 0).
    """

    drift: np.ndarray
    shares: np.ndarray
    mean_lab: np.ndarray

    @property
    def max_drift(self) -> float:
        """The largest drift over the palette colours that have pixels."""
        present = ~np.isnan(self.drift)
        return float(self.drift[present].max())


def histogram_drift(colors: np.ndarray, counts: np.ndarray, palette: Palette) -> HistogramDrift:
    """Each palette colour's drift in a histogram (see the module docstring).

    Parameters
    ----------
    colors : ndarray of shape (m, 3), uint8
        The histogram's distinct sRGB colours.
    counts : ndarray of shape (m,)
        Their non-negative weights; at least one positive.
    palette : Palette

    Returns
    -------
    HistogramDrift

    Raises
    ------
    ValueError
        If the histogram is malformed or weighs nothing, or ``palette`` is
        not a :class:`~kmeans_core.Palette`.
    """
    if not isinstance(palette, Palette):
        raise ValueError(f"palette must be a Palette, got {type(palette).__name__}")
    colors, counts = check_histogram(colors, counts)
    total = counts.sum()
    if not total > 0:
        raise ValueError(f"the histogram weighs nothing (counts sum to {total:g})")
    k = palette.k
    labels = palette_labels(colors, palette.rgb, palette.space)
    weight = np.bincount(labels, weights=counts, minlength=k)
    lab = rgb_to_space(colors, "lab")
    sums = np.stack([np.bincount(labels, weights=counts * lab[:, c], minlength=k) for c in range(3)], axis=1)
    present = weight > 0
    mean_lab = np.full((k, 3), np.nan)
    mean_lab[present] = sums[present] / weight[present, None]
    drift = np.full(k, np.nan)
    drift[present] = deltaE_ciede2000(rgb_to_space(palette.rgb, "lab")[present], mean_lab[present])
    return HistogramDrift(drift=drift, shares=weight / total, mean_lab=mean_lab)
