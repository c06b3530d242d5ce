"""A frame's colours and their counts, with its cut signature's cells, in one compiled pass.

The per-frame count of the pipeline (every sampled frame, so 170,000 times
for a two-hour film with every frame). :func:`~kmeans_core.count_packed`
sorts the frame's 57,600 packed codes (320 x 180) to find the distinct ones;
here the colours are marked in a table of 2^24 bits instead, with a table of
one bit per word of it, so that the marked words are read in order without
a sort or a scan of the whole table, and each pixel is counted at its
colour's rank (the kernel: :func:`kmeans_core._histogram_kernels.count_region`).
The same pass adds each pixel to its cell of the 512-cell grid of the cut
signature (:mod:`~kmeans_core.film.cuts`). The codes and counts are those
``count_packed`` gives, exactly (integers).

The same tables add frames' histograms up (:meth:`FrameCounter.add_up`, for
:class:`~kmeans_core.film.shots.HistogramSum`): the codes are marked, and
each count added at its code's rank, in time linear in the entries, where
:func:`~kmeans_core.merge_histograms` sorts them.
"""

from __future__ import annotations

import numpy as np

from kmeans_core import _histogram_kernels as kernels

__all__ = ["SIGNATURE_CELLS", "FrameCounter"]

#: The cells of the cut signature's grid (8 x 8 x 8 over sRGB).
SIGNATURE_CELLS = 512


class FrameCounter:
    """Counts frames' colours and adds histograms up, reusing its tables (3 MB); one per thread."""

    def __init__(self):
        self._bits = np.zeros(kernels.WORDS, dtype=np.uint64)
        self._summary = np.zeros(kernels.SUMMARY_WORDS, dtype=np.uint64)
        self._prefix = np.empty(kernels.WORDS, dtype=np.int32)

    def count(self, pixels: np.ndarray, box: tuple[int, int, int, int] | None = None):
        """The distinct colours of a frame's region, their counts, and its pixels per signature cell.

        Parameters
        ----------
        pixels : ndarray of shape (h, w, 3), uint8
        box : (top, bottom, left, right), optional
            The rows ``top:bottom`` and columns ``left:right`` counted
            (default: the whole frame).

        Returns
        -------
        codes : ndarray of shape (m,), int32
            The packed codes ``R << 16 | G << 8 | B`` present, increasing.
        counts : ndarray of shape (m,), int64
        cells : ndarray of shape (512,), int64
            Pixels in cell ``(r >> 5) * 64 + (g >> 5) * 8 + (b >> 5)``.
        """
        pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
        top, bottom, left, right = (0, pixels.shape[0], 0, pixels.shape[1]) if box is None else box
        cells = np.zeros(SIGNATURE_CELLS, dtype=np.int64)
        codes, counts = kernels.count_region(
            pixels, top, bottom, left, right, self._bits, self._summary, self._prefix, cells
        )
        return codes, counts, cells

    def add_up(self, codes: list, counts: list) -> tuple[np.ndarray, np.ndarray]:
        """The sum of histograms given as packed codes (each increasing, int32) and counts (int64).

        Returns
        -------
        codes : ndarray of shape (m,), int32
            Every code present in any of them, increasing.
        counts : ndarray of shape (m,), int64
            Their summed counts.
        """
        return kernels.sum_codes(np.concatenate(codes), np.concatenate(counts), self._bits, self._summary, self._prefix)
