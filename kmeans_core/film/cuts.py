"""Cut detection on the sampled frames: a colour-content detector of our own.

Each sampled frame gets a signature: the fraction of its picture pixels in
each cell of an 8 x 8 x 8 grid over sRGB (512 cells). The score of two
consecutive samples is half the L1 distance of their signatures, the
fraction of pixels whose colour moved to another cell: 0 for the same
frame, 1 for frames without a colour in common. Slight motion, grain and
compression noise stay near 0.02 to 0.1; a cut to another shot scores far
higher. A cut lies between two samples whose score is at least
:data:`CUT_THRESHOLD`.

The rule looks at one pair of samples at a time, on purpose: a threshold
adapted to a window of neighbouring scores would make a range's cuts depend
on frames beyond its ends, and so on how the film was split. With this rule
every range finds exactly the cuts the whole film has, whatever the split.

PySceneDetect's ContentDetector (HSV differences) was not added: it needs
OpenCV at run time. ``bench/film_bench.py`` compares the two on a clip.
"""

from __future__ import annotations

import numpy as np

from kmeans_core.film.framecount import SIGNATURE_CELLS, count_cells

__all__ = [
    "CUT_THRESHOLD",
    "SIGNATURE_CELLS",
    "cell_colors",
    "cell_signature",
    "colour_signature",
    "cut_score",
    "cut_scores",
]

#: The lowest score between two samples that counts as a cut.
CUT_THRESHOLD = 0.3


def colour_signature(pixels: np.ndarray) -> np.ndarray:
    """The fraction of the pixels in each of the 512 grid cells.

    Parameters
    ----------
    pixels : ndarray of shape (h, w, 3), uint8

    Returns
    -------
    ndarray of shape (512,), float32
        Sums to 1. Cell ``(r >> 5) * 64 + (g >> 5) * 8 + (b >> 5)``.
    """
    return cell_signature(count_cells(pixels))


def cell_signature(cells: np.ndarray) -> np.ndarray:
    """:func:`colour_signature` of a frame from its pixel counts per cell.

    The pipeline's way: the cells are counted first
    (:func:`~kmeans_core.film.framecount.count_cells`), then the frame's
    colours go to the shot the signature puts it in.
    """
    return (cells / max(1, int(cells.sum()))).astype(np.float32)


def cut_score(a: np.ndarray, b: np.ndarray) -> float:
    """Half the L1 distance between two signatures, from 0 to 1."""
    return float(0.5 * np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)).sum())


def cut_scores(signatures: np.ndarray) -> np.ndarray:
    """The scores of each consecutive pair of an ``(n, 512)`` stack: shape ``(n - 1,)``."""
    signatures = np.asarray(signatures, dtype=np.float64)
    return 0.5 * np.abs(np.diff(signatures, axis=0)).sum(axis=1)


def cell_colors() -> np.ndarray:
    """The centre of each grid cell as uint8 sRGB, shape ``(512, 3)``."""
    levels = np.arange(8) * 32 + 16
    r, g, b = np.meshgrid(levels, levels, levels, indexing="ij")
    return np.stack([r.ravel(), g.ravel(), b.ravel()], axis=1).astype(np.uint8)
