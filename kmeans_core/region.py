"""The region of a still that counts: letterbox bars and frame borders left out, and a crop.

:func:`frame_region` returns the still with a mask (its alpha) that leaves
out the bars :func:`kmeans_core.borders.detect_bars` finds, and everything
outside a crop rectangle. Every function that reads a still's histogram
(palettes, quantizing, quality, drift, tonal ranges) then respects both.
"""

from __future__ import annotations

import numpy as np

from kmeans_core._validation import is_int
from kmeans_core.borders import bars_mask, detect_bars
from kmeans_core.still import Still, still_from_pixels

__all__ = ["check_crop", "frame_region"]


def check_crop(crop, shape: tuple[int, int]) -> tuple[int, int, int, int]:
    """Validate a crop rectangle ``(x0, y0, x1, y1)`` in pixels of a frame of ``shape`` (h, w).

    ``x1`` and ``y1`` are exclusive: the crop holds columns ``x0`` to
    ``x1 - 1`` and rows ``y0`` to ``y1 - 1``.

    Raises
    ------
    ValueError
        Echoing the rectangle and the frame's size.
    """
    height, width = shape
    try:
        values = tuple(crop)
    except TypeError:
        values = ()
    if len(values) != 4 or not all(is_int(v) for v in values):
        raise ValueError(f"crop={crop!r} must be four whole numbers x0, y0, x1, y1")
    x0, y0, x1, y1 = (int(v) for v in values)
    if not (0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height):
        raise ValueError(
            f"crop={(x0, y0, x1, y1)} must satisfy 0 <= x0 < x1 <= {width} and 0 <= y0 < y1 <= {height} "
            f"(the still is {width} x {height})"
        )
    return x0, y0, x1, y1


def frame_region(still: Still, *, keep_borders: bool = False, crop=None) -> Still:
    """The still with its bars and everything outside ``crop`` left out of the histogram.

    Parameters
    ----------
    still : Still
    keep_borders : bool, default False
        Keep letterbox and pillarbox bars and uniform borders (no detection).
    crop : (x0, y0, x1, y1), optional
        Pixel coordinates of the region that counts (see :func:`check_crop`).

    Returns
    -------
    Still
        ``still`` itself when nothing is left out; otherwise the same pixels
        with an alpha of 0 where a pixel is left out, and a note saying how
        many rows and columns were (for example ``"Letterbox and borders
        left out: 138 rows at the top, 140 at the bottom."``).

    Raises
    ------
    ValueError
        For a bad still or crop, or when the crop holds no counted pixel.
    """
    if not isinstance(still, Still):
        raise ValueError(f"still must be a Still from load_still, got {type(still).__name__}")
    shape = still.shape
    keep = None
    notes = []
    if not keep_borders:
        bars = detect_bars(still.pixels)
        if any(bars):
            keep = bars_mask(shape, bars)
            notes.append(_bars_note(bars))
    if crop is not None:
        x0, y0, x1, y1 = check_crop(crop, shape)
        if (x0, y0, x1, y1) != (0, 0, shape[1], shape[0]):
            inside = np.zeros(shape, dtype=bool)
            inside[y0:y1, x0:x1] = True
            keep = inside if keep is None else keep & inside
            notes.append(f"Cropped to x {x0}–{x1}, y {y0}–{y1} ({x1 - x0} x {y1 - y0} pixels).")
    if keep is None:
        return still
    if still.mask is not None:
        keep &= still.mask
    if not keep.any():
        raise ValueError(f"crop={crop!r} leaves no counted pixel of this still")
    alpha = np.where(keep, 255 if still.alpha is None else still.alpha, 0).astype(np.uint8)
    return still_from_pixels(still.pixels, alpha=alpha, format=still.format, notes=(*still.notes, *notes))


def _bars_note(bars: tuple[int, int, int, int]) -> str:
    top, bottom, left, right = bars
    parts = [
        f"{count} {unit} at the {side}"
        for count, unit, side in (
            (top, "rows", "top"),
            (bottom, "rows", "bottom"),
            (left, "columns", "left"),
            (right, "columns", "right"),
        )
        if count
    ]
    return f"Letterbox and borders left out: {', '.join(parts)}."
