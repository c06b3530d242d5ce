"""Letterbox and pillarbox bars: the uniform rows and columns at a frame's edges.

A bar row (or column) is one whose pixels are nearly all dark (at most
``dark`` in every channel; bars of films are black, 0 to 30 of 255 with
grain and compression noise) or nearly uniform (every channel's standard
deviation at most ``spread``, as for grey or coloured bars). Bars are
counted from each edge inward, and stop at the first row or column that is
neither. A frame that is bars from edge to edge (a fade to black, a blank
card) has no bars: it is all picture.

:func:`detect_bars` finds them; :func:`bars_mask` turns them into the mask
that leaves them out of a histogram.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DARK_LEVEL", "bars_mask", "detect_bars"]

#: The brightest channel value a dark bar's pixels usually keep.
DARK_LEVEL = 30

#: The fraction of a row's pixels allowed above the dark level (noise, specks).
_BRIGHT_FRACTION = 0.01


def detect_bars(pixels: np.ndarray, *, dark: int = DARK_LEVEL, spread: float = 2.0) -> tuple[int, int, int, int]:
    """Count the bar rows and columns at each edge of a frame.

    Parameters
    ----------
    pixels : ndarray of shape (h, w, 3), uint8
        The frame in sRGB.
    dark : int, default :data:`DARK_LEVEL`
        A row is dark when at most 1% of its pixels have a channel above this.
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
    bright = pixels.max(axis=2) > dark
    height, width = bright.shape
    rows = _bar_lines(pixels, bright, axis=1, spread=spread)
    top, bottom = _edge_runs(rows)
    if top + bottom >= height:
        return 0, 0, 0, 0
    inner = slice(top, height - bottom)
    columns = _bar_lines(pixels[inner], bright[inner], axis=0, spread=spread)
    left, right = _edge_runs(columns)
    if left + right >= width:
        return 0, 0, 0, 0
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


def _bar_lines(pixels: np.ndarray, bright: np.ndarray, *, axis: int, spread: float) -> np.ndarray:
    """Whether each row (``axis=1``) or column (``axis=0``) is dark or uniform."""
    dark = bright.mean(axis=axis) <= _BRIGHT_FRACTION
    uniform = (pixels.std(axis=axis, dtype=np.float32) <= spread).all(axis=-1)
    return dark | uniform


def _edge_runs(flags: np.ndarray) -> tuple[int, int]:
    """The lengths of the runs of True at the start and at the end."""
    if flags.all():
        return len(flags), len(flags)
    return int(np.argmin(flags)), int(np.argmin(flags[::-1]))
