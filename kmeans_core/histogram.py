"""The colour histogram of a frame: its distinct colours and their pixel counts.

A film frame of 8.3 million pixels often holds only about 10^5 distinct
colours. Weighted k-means on ``(colors, counts)`` minimises exactly the same
objective as k-means on every pixel, and it is far cheaper. The inverse index
maps each pixel back to its colour, so that a quantized frame is one gather.

Two exact strategies build the histogram, chosen by the number of pixels:

* small frames sort the packed colour codes (``np.unique``): O(n log n), but
  with no large table to allocate, so the first call is as fast as the next;
* large frames mark the colours present in a 2^24-entry bitmap (16 MB) and
  rank them through a look-up table: linear in the number of pixels.

Both give the same result: colours in increasing order of their packed code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kmeans_core.threads import in_parallel

__all__ = ["ColorHistogram", "color_histogram", "pack_rgb", "unpack_rgb"]

_N_CODES = 1 << 24

#: Frames with at most this many counted pixels are histogrammed by sorting.
_SORT_MAX_PIXELS = 1 << 19


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
    codes = rgb[..., 0].astype(np.int32)
    codes <<= 8
    codes |= rgb[..., 1]
    codes <<= 8
    codes |= rgb[..., 2]
    return codes


def unpack_rgb(codes: np.ndarray) -> np.ndarray:
    """Unpack int codes made by :func:`pack_rgb` into ``(..., 3)`` uint8 colours."""
    codes = np.asarray(codes)
    return np.stack([(codes >> 16) & 255, (codes >> 8) & 255, codes & 255], axis=-1).astype(np.uint8)


def color_histogram(pixels: np.ndarray, mask: np.ndarray | None = None) -> ColorHistogram:
    """Count the distinct colours of a frame.

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
    flat = np.asarray(pixels).reshape(-1, 3)
    codes = np.empty(len(flat), dtype=np.int32)

    def pack(start, stop):
        codes[start:stop] = pack_rgb(flat[start:stop])

    in_parallel(pack, len(flat))
    keep = None if mask is None else np.asarray(mask, dtype=bool).reshape(-1)
    counted = codes if keep is None else codes[keep]
    if len(counted) <= _SORT_MAX_PIXELS:
        present, inverse_counted, counts = np.unique(counted, return_inverse=True, return_counts=True)
        inverse_counted = inverse_counted.reshape(-1).astype(np.int32)
    else:
        present, inverse_counted, counts = _histogram_by_bitmap(counted)
    if keep is None:
        inverse = inverse_counted
    else:
        inverse = np.full(len(codes), -1, dtype=np.int32)
        inverse[keep] = inverse_counted
    return ColorHistogram(colors=unpack_rgb(present), counts=counts.astype(np.int64), inverse=inverse)


def _histogram_by_bitmap(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct codes, the inverse index and the counts, in linear time."""
    seen = np.zeros(_N_CODES, dtype=bool)

    def mark(start, stop):  # every thread writes only True: no race matters
        seen[codes[start:stop]] = True

    in_parallel(mark, len(codes))
    present = np.flatnonzero(seen)
    del seen
    # Only the entries at present codes are written, and only they are read.
    rank = np.empty(_N_CODES, dtype=np.int32)
    rank[present] = np.arange(len(present), dtype=np.int32)
    inverse = rank[codes]
    del rank
    counts = np.bincount(inverse, minlength=len(present))
    return present, inverse, counts
