"""Drift: how far a histogram's colours lie from a palette, per palette colour.

For every palette colour, take the pixels of the histogram nearest to it
(nearest in the palette's space, as :func:`kmeans_core.palette_labels` and
:func:`kmeans_core.quantize` decide) and their mean colour in CIELAB. The
colour's drift is the CIEDE2000 difference between the palette colour and
that mean: how far this frame, shot or still has moved away from it. A
palette colour that no pixel is nearest to has no drift (NaN) and share 0.

:func:`histogram_drift` measures one histogram (the film pipeline's shots);
:func:`scene_drift` measures every still of a scene with the same worker,
together with the CIEDE2000 of each still redrawn with the scene's palette,
and flags the stills that drift. The scene's distinct colours are converted
to CIELAB and compared with the palette once, whatever the number of stills.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from skimage.color import deltaE_ciede2000

from kmeans_core._validation import check_number
from kmeans_core.colorspace import rgb_to_space
from kmeans_core.histogram import check_histogram, merge_histograms, pack_rgb
from kmeans_core.lloyd import nearest_centers
from kmeans_core.palette import Palette, check_palette
from kmeans_core.quality import weighted_percentile
from kmeans_core.scene.palette import still_histograms

__all__ = [
    "DRIFT_THRESHOLD",
    "FLAG_SHARE",
    "HistogramDrift",
    "SceneDrift",
    "StillDrift",
    "histogram_drift",
    "scene_drift",
]

#: The drift (CIEDE2000) above which a still is flagged, by default.
DRIFT_THRESHOLD = 5.0

#: A palette colour flags a still only where it covers at least this share.
FLAG_SHARE = 0.02


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
    lab, palette_lab, labels = _lab_and_labels(colors, palette)
    return _drift(labels, lab, counts, palette_lab)


def _lab_and_labels(colors: np.ndarray, palette: Palette) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The colours and the palette in CIELAB, and each colour's nearest palette colour in the palette's space.

    The colours are converted to CIELAB once, and that serves the search too
    when the palette lives in CIELAB (the same labels as
    :func:`~kmeans_core.palette_labels`).
    """
    lab = rgb_to_space(colors, "lab")
    palette_lab = rgb_to_space(palette.rgb, "lab")
    points = lab if palette.space == "lab" else rgb_to_space(colors, palette.space)
    labels, _ = nearest_centers(points, rgb_to_space(palette.rgb, palette.space))
    return lab, palette_lab, labels


def _drift(labels: np.ndarray, lab: np.ndarray, counts: np.ndarray, palette_lab: np.ndarray) -> HistogramDrift:
    """The worker: each colour's palette index, CIELAB and weight -> the drift."""
    k = len(palette_lab)
    weight = np.bincount(labels, weights=counts, minlength=k)
    sums = np.stack([np.bincount(labels, weights=counts * lab[:, c], minlength=k) for c in range(3)], axis=1)
    present = weight > 0
    mean_lab = np.full((k, 3), np.nan)
    mean_lab[present] = sums[present] / weight[present, None]
    drift = np.full(k, np.nan)
    drift[present] = deltaE_ciede2000(palette_lab[present], mean_lab[present])
    return HistogramDrift(drift=drift, shares=weight / weight.sum(), mean_lab=mean_lab)


@dataclass(frozen=True, eq=False)
class StillDrift:
    """One still of a scene against the scene's palette.

    Attributes
    ----------
    delta_e_mean, delta_e_p95 : float
        Mean and 95th-percentile CIEDE2000 of the still redrawn with the
        palette (as :func:`kmeans_core.frame_quality` of
        :func:`kmeans_core.quantize` gives them).
    drift : ndarray of shape (k,), float64
        Each palette colour's drift in this still (NaN where no pixel is
        nearest to it), in the palette's order.
    shares : ndarray of shape (k,), float64
        The share of the still nearest to each palette colour.
    flagged : tuple of int
        The palette colours that flag the still: those covering at least
        the flag share of it and drifting more than the threshold.
    """

    delta_e_mean: float
    delta_e_p95: float
    drift: np.ndarray
    shares: np.ndarray
    flagged: tuple[int, ...]

    @property
    def is_flagged(self) -> bool:
        """Whether any palette colour flags the still."""
        return bool(self.flagged)


@dataclass(frozen=True, eq=False)
class SceneDrift:
    """Every still of a scene against its palette.

    Attributes
    ----------
    palette : Palette
    stills : tuple of StillDrift
        One per still, in the order given.
    threshold : float
        The drift above which a colour flags a still.
    min_share : float
        The share a colour must cover in a still to flag it.
    """

    palette: Palette
    stills: tuple[StillDrift, ...]
    threshold: float
    min_share: float

    @property
    def drift(self) -> np.ndarray:
        """The drift of every still (rows) and palette colour (columns)."""
        return np.array([still.drift for still in self.stills])

    @property
    def flagged(self) -> np.ndarray:
        """Whether each still is flagged."""
        return np.array([still.is_flagged for still in self.stills], dtype=bool)

    def flagged_hex(self, index: int) -> tuple[str, ...]:
        """The hex codes of the colours that flag still ``index``."""
        return tuple(self.palette.hex[i] for i in self.stills[index].flagged)


def scene_drift(
    stills, palette: Palette, *, threshold: float = DRIFT_THRESHOLD, min_share: float = FLAG_SHARE
) -> SceneDrift:
    """How every still of a scene renders the scene's palette.

    Parameters
    ----------
    stills : sequence of Still or of histograms
        As for :func:`kmeans_core.scene_palette` (apply
        :func:`kmeans_core.frame_region` first to leave out bars or crop).
    palette : Palette
        Usually the scene's palette, or a fixed one.
    threshold : float, default :data:`DRIFT_THRESHOLD`
        A still is flagged where a palette colour drifts more than this
        (CIEDE2000)...
    min_share : float, default :data:`FLAG_SHARE`
        ...and covers at least this share of the still.

    Returns
    -------
    SceneDrift

    Raises
    ------
    ValueError
        For no still, a bad still, palette or threshold, echoing it.
    """
    check_palette(palette)
    threshold = check_number("threshold", threshold)
    min_share = check_number("min_share", min_share)
    histograms = still_histograms(stills)
    # The scene's distinct colours once: CIELAB, nearest palette colour, CIEDE2000 to it.
    union = merge_histograms(histograms).colors
    codes = pack_rgb(union)
    lab, palette_lab, labels = _lab_and_labels(union, palette)
    delta_e = deltaE_ciede2000(lab, palette_lab[labels])
    order = np.argsort(delta_e, kind="stable")  # one sort for every still's 95th percentile
    results = []
    for hist in histograms:
        colors, counts = check_histogram(hist.colors, hist.counts)
        index = np.searchsorted(codes, pack_rgb(colors))
        own = labels[index]
        drift = _drift(own, lab[index], counts, palette_lab)
        # As frame_quality computes them, over the scene's colours (weight 0 where the still has none).
        weight = np.zeros(len(union))
        weight[index] = counts
        mean = float(counts @ delta_e[index] / counts.sum())
        p95 = weighted_percentile(delta_e, weight, 0.95, order=order)
        flagged = np.flatnonzero((drift.shares >= min_share) & (np.nan_to_num(drift.drift) > threshold))
        results.append(
            StillDrift(
                delta_e_mean=mean,
                delta_e_p95=p95,
                drift=drift.drift,
                shares=drift.shares,
                flagged=tuple(int(i) for i in flagged),
            )
        )
    return SceneDrift(palette=palette, stills=tuple(results), threshold=threshold, min_share=min_share)
