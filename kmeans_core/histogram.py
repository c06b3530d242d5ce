"""The colour histogram of a frame: its distinct colours and their pixel counts.

A film frame of 8.3 million pixels often holds only about 10^5 distinct
colours. Weighted k-means on ``(colors, counts)`` minimises exactly the same
objective as k-means on every pixel, and it is far cheaper. The inverse index
maps each pixel back to its colour, so that a quantized frame is one gather.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ColorHistogram", "color_histogram", "pack_rgb", "unpack_rgb"]

_N_CODES = 1 << 24


@dataclass(frozen=True, eq=False)
class ColorHistogram:
    """Distinct colours of a frame and how many counted pixels each covers.

    Attributes
    ----------
    colors : ndarray of shape (m, 3), uint8
        The distinct sRGB colours, in increasing order of their packed code
        ``R << 16 | G << 8 | B``.
    counts : ndarray of shape (m,), int64
        How many counted (not fully transparent) pixels have each colour.
    inverse : ndarray of shape (n_pixels,), int32
        For each pixel in row-major order, the index of its colour in
        ``colors``, or -1 for a pixel that was not counted.
    """

    colors: np.ndarray
    counts: np.ndarray
    inverse: np.ndarray

    @property
    def n_pixels(self) -> int:
        """The number of counted pixels."""
        return int(self.counts.sum())


def pack_rgb(rgb: np.ndarray) -> np.ndarray:
    """Pack ``(..., 3)`` uint8 colours into int32 codes ``R << 16 | G << 8 | B``."""
    rgb = np.asarray(rgb, dtype=np.uint8)
    r = rgb[..., 0].astype(np.int32)
    g = rgb[..., 1].astype(np.int32)
    b = rgb[..., 2].astype(np.int32)
    return (r << 16) | (g << 8) | b


def unpack_rgb(codes: np.ndarray) -> np.ndarray:
    """Unpack int codes made by :func:`pack_rgb` into ``(..., 3)`` uint8 colours."""
    codes = np.asarray(codes)
    return np.stack([(codes >> 16) & 255, (codes >> 8) & 255, codes & 255], axis=-1).astype(np.uint8)


def color_histogram(pixels: np.ndarray, mask: np.ndarray | None = None) -> ColorHistogram:
    """Count the distinct colours of a frame.

    The work is linear in the number of pixels: one ``bincount`` over the
    2^24 possible colours and one table look-up for the inverse index.

    Parameters
    ----------
    pixels : ndarray of shape (h, w, 3) or (n, 3), uint8
        sRGB pixels.
    mask : ndarray of shape (h, w) or (n,), bool, optional
        True where a pixel counts. Pixels where it is False (fully
        transparent ones) do not vote and get -1 in the inverse index.

    Returns
    -------
    ColorHistogram
    """
    codes = pack_rgb(np.asarray(pixels).reshape(-1, 3))
    counted = codes if mask is None else codes[np.asarray(mask).reshape(-1)]
    all_counts = np.bincount(counted, minlength=_N_CODES)
    present = np.flatnonzero(all_counts)
    lookup = np.zeros(_N_CODES, dtype=np.int32)
    lookup[present] = np.arange(len(present), dtype=np.int32)
    inverse = lookup[codes]
    if mask is not None:
        inverse[~np.asarray(mask).reshape(-1)] = -1
    return ColorHistogram(
        colors=unpack_rgb(present),
        counts=all_counts[present].astype(np.int64),
        inverse=inverse,
    )
