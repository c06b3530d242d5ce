"""Pillow's median cut and fast octree, as comparators for our clusterers.

Median cut (Heckbert 1982) splits the box of colours at the median of its
longest side until there are k boxes, and takes each box's mean. Fast octree
counts colours in a tree of RGB cells and merges the smallest cells into
their parents until k are left. Both work on 8-bit sRGB and are
deterministic: no seed, no initialization.

They run on the histogram made back into pixels: each colour repeated as
many times as its count (counts that are not whole numbers are scaled to
about 2^20 pixels in all and rounded). Pillow builds the same histogram from
them whatever their order, so the result is the one Pillow gives for the
still itself.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from kmeans_core._validation import check_choice

__all__ = ["PILLOW_MAX_COLORS", "PILLOW_QUANTIZERS", "pillow_colors"]

#: Pillow's palettes hold at most 256 colours.
PILLOW_MAX_COLORS = 256

PILLOW_QUANTIZERS = {"mediancut": Image.Quantize.MEDIANCUT, "octree": Image.Quantize.FASTOCTREE}

#: Pixels in all when counts that are not whole numbers are rounded.
_ROUNDED_TOTAL = 1 << 20


def pillow_colors(colors: np.ndarray, counts: np.ndarray, k: int, *, method: str) -> np.ndarray:
    """The colours Pillow's quantizer picks for a colour histogram.

    Parameters
    ----------
    colors : ndarray of shape (m, 3), uint8
        Distinct sRGB colours.
    counts : ndarray of shape (m,)
        Their non-negative weights.
    k : int
        At most :data:`PILLOW_MAX_COLORS`.
    method : {"mediancut", "octree"}

    Returns
    -------
    ndarray of shape (j, 3), uint8
        The distinct colours used when each pixel takes its palette entry,
        j <= k (Pillow may give fewer than k), in increasing packed order.

    Raises
    ------
    ValueError
        For an unknown method or a k above 256.
    """
    check_choice("method", method, tuple(PILLOW_QUANTIZERS))
    if not 1 <= k <= PILLOW_MAX_COLORS:
        raise ValueError(f"k={k} but Pillow's {method} makes 1 to {PILLOW_MAX_COLORS} colours")
    counts = np.asarray(counts, dtype=np.float64)
    if not np.array_equal(counts, np.round(counts)):
        counts = np.round(counts * (_ROUNDED_TOTAL / counts.sum()))
    repeats = counts.astype(np.int64)
    pixels = np.repeat(np.asarray(colors, dtype=np.uint8), repeats, axis=0).reshape(-1, 1, 3)
    image = Image.fromarray(pixels).quantize(colors=k, method=PILLOW_QUANTIZERS[method], dither=Image.Dither.NONE)
    palette = np.array(image.getpalette(), dtype=np.uint8).reshape(-1, 3)
    return np.unique(palette[np.unique(np.asarray(image))], axis=0)
