"""Letterbox and pillarbox bars: the uniform rows and columns at a frame's edges.

A bar row (or column) is one whose pixels are dark (at most ``dark`` in
every channel, bar 5% that compression pushes up to twice that; bars of
films are black, 0 to 30 of 255 with grain and compression noise) or
nearly uniform (every channel's standard deviation at most ``spread``, as
for grey or coloured bars). Bars are counted from each edge inward, and
stop at the first row or column that is neither; a run shorter than
:data:`MIN_BAR_FRACTION` of the frame (and than 2) is a dark edge of the
picture, not a bar. A frame that is bars from edge to edge (a fade to
black, a blank card) has no bars: it is all picture.

Limitation: the rows of a night sky at the top of a frame are dark and
uniform too, and are taken for a bar.

:func:`detect_bars` finds them; :func:`bars_mask` turns them into the mask
that leaves them out of a histogram.
"""

from __future__ import annotations

import numpy as np

from kmeans_core import _border_kernels as kernels

__all__ = ["DARK_LEVEL", "MIN_BAR_FRACTION", "bars_mask", "detect_bars"]

#: The brightest channel value a dark bar's pixels usually keep.
DARK_LEVEL = 30

#: The fraction of a dark bar's pixels that compression may push above the
#: dark level (never above twice it): ringing next to the picture, grain.
_BRIGHT_FRACTION = 0.05

#: Runs of bar rows (or columns) shorter than this fraction of the frame's
#: height (or width), and than 2, are picture: a dark edge, not a bar.
MIN_BAR_FRACTION = 0.01


def detect_bars(pixels: np.ndarray, *, dark: int = DARK_LEVEL, spread: float = 2.0) -> tuple[int, int, int, int]:
    """Count the bar rows and columns at each edge of a frame.

    Parameters
    ----------
    pixels : ndarray of shape (h, w, 3), uint8
        The frame in sRGB.
    dark : int, default :data:`DARK_LEVEL`
        A row is dark when at most 5% of its pixels have a channel above
        this, and none above twice this.
    spread : float, default 2.0
        A row is uniform when every channel's standard deviation along it is
        at most this (in 8-bit code values).

    Returns
    -------
    (top, bottom, left, right) : tuple of int
        The number of bar rows at the top and the bottom, and bar columns at
        the left and the right; all 0 for a full-bleed frame, or for a frame
        that would be bars only.

    Raises
    ------
    ValueError
        If ``pixels`` is not an ``(h, w, 3)`` uint8 array.
    """
    pixels = np.asarray(pixels)
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8 or 0 in pixels.shape:
        raise ValueError(f"pixels must be a non-empty (h, w, 3) uint8 array, got {pixels.shape} {pixels.dtype}")
    height, width = pixels.shape[:2]
    top = _run(pixels, by_rows=True, from_end=False, limit=height, dark=dark, spread=spread)
    if top == height:
        return 0, 0, 0, 0
    bottom = _run(pixels, by_rows=True, from_end=True, limit=height - top, dark=dark, spread=spread)
    inner = pixels[top : height - bottom]
    left = _run(inner, by_rows=False, from_end=False, limit=width, dark=dark, spread=spread)
    if left == width:
        return 0, 0, 0, 0
    right = _run(inner, by_rows=False, from_end=True, limit=width - left, dark=dark, spread=spread)
    return top, bottom, left, right


def bars_mask(shape: tuple[int, int], bars: tuple[int, int, int, int]) -> np.ndarray:
    """True where a pixel of an ``(h, w)`` frame is picture, not a bar.

    Parameters
    ----------
    shape : (h, w)
    bars : (top, bottom, left, right), from :func:`detect_bars`

    Returns
    -------
    ndarray of shape (h, w), bool
    """
    height, width = shape
    top, bottom, left, right = bars
    mask = np.zeros((height, width), dtype=bool)
    mask[top : height - bottom, left : width - right] = True
    return mask


def _run(pixels: np.ndarray, *, by_rows: bool, from_end: bool, limit: int, dark: int, spread: float) -> int:
    """How many rows (or columns) from one edge, at most ``limit``, are bars (0 for a run too short)."""
    count = kernels.bar_run(pixels, by_rows, from_end, limit, int(dark), float(spread), _BRIGHT_FRACTION)
    return count if count >= max(2, MIN_BAR_FRACTION * pixels.shape[0 if by_rows else 1]) else 0
