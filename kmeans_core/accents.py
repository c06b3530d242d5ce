"""Accent colours: small regions far from every palette colour, which k-means merges away.

k-means spends its colours where the pixels are: a red coat that covers 1%
of a grey street costs the objective little when it is merged into a grey,
so it is merged. :func:`find_accents` gives such regions back:

1. The outliers are the pixels whose own palette colour (the nearest one,
   as in the redrawn frame) lies farther than ``min_delta_e`` CIEDE2000.
2. They are grouped by k-means in CIELAB into as many groups (at most
   ``max_accents``) as stay farther than ``min_delta_e`` from one another:
   one red coat stays one group, a red coat and a blue sign make two.
3. A group's mean colour becomes an accent when the group covers at least
   ``min_share`` of the frame and the colour lies farther than
   ``min_delta_e`` from every palette colour.
"""

from __future__ import annotations

import numpy as np
from skimage.color import deltaE_ciede2000

from kmeans_core._validation import check_int, check_number
from kmeans_core.colorspace import rgb_to_space, space_to_rgb
from kmeans_core.lloyd import kmeans, nearest_centers

__all__ = ["ACCENT_DELTA_E", "ACCENT_SHARE", "MAX_ACCENTS", "find_accents"]

#: The least share of the frame an accent covers.
ACCENT_SHARE = 0.005

#: How far (CIEDE2000) an accent lies from every palette colour, at least.
ACCENT_DELTA_E = 15.0

#: The most accents added to one palette.
MAX_ACCENTS = 4


def find_accents(
    colors: np.ndarray,
    counts: np.ndarray,
    palette_rgb: np.ndarray,
    *,
    space: str = "lab",
    min_share: float = ACCENT_SHARE,
    min_delta_e: float = ACCENT_DELTA_E,
    max_accents: int = MAX_ACCENTS,
    seed: int | None = 0,
) -> np.ndarray:
    """The accent colours of a histogram beside a palette (see the module docstring).

    Parameters
    ----------
    colors : ndarray of shape (m, 3), uint8
        The histogram's distinct sRGB colours.
    counts : ndarray of shape (m,), float
        Their weights, with a positive sum (clean input, as
        :func:`kmeans_core.extract_palette` passes it).
    palette_rgb : ndarray of shape (k, 3), uint8
    space : {"lab", "rgb"}, default "lab"
        The palette's space, in which "nearest" is measured.
    min_share, min_delta_e, max_accents, seed
        As in the module docstring; ``seed`` seeds the grouping.

    Returns
    -------
    ndarray of shape (a, 3), uint8
        The accents, largest first; ``a`` may be 0.
    """
    min_share = check_number("min_share", min_share)
    min_delta_e = check_number("min_delta_e", min_delta_e)
    max_accents = check_int("max_accents", max_accents, low=1)
    palette_lab = rgb_to_space(palette_rgb, "lab")
    labels, _ = nearest_centers(rgb_to_space(colors, space), rgb_to_space(palette_rgb, space))
    lab = rgb_to_space(colors, "lab")
    outlier = deltaE_ciede2000(lab, palette_lab[labels]) > min_delta_e
    total = float(counts.sum())
    if not counts[outlier].sum() >= max(min_share * total, np.finfo(float).tiny):
        return np.zeros((0, 3), dtype=np.uint8)
    X, w = lab[outlier], counts[outlier]
    groups = _groups(X, w, min(max_accents, len(X)), min_delta_e, seed)
    accents = []
    for center, weight in groups:
        if weight < min_share * total:
            break
        if (deltaE_ciede2000(np.broadcast_to(center, palette_lab.shape), palette_lab) > min_delta_e).all():
            accents.append(center)
    if not accents:
        return np.zeros((0, 3), dtype=np.uint8)
    return space_to_rgb(np.array(accents), "lab")


def _groups(X: np.ndarray, w: np.ndarray, most: int, apart: float, seed) -> list[tuple[np.ndarray, float]]:
    """The outliers' groups as (CIELAB mean, weight), heaviest first: the most
    groups, up to ``most``, whose means all lie farther than ``apart`` from one another."""
    best = None
    for j in range(1, most + 1):
        try:
            result = kmeans(X, j, sample_weight=w, seed=seed)
        except ValueError:  # fewer distinct outliers than j
            break
        if j > 1:
            first, second = np.triu_indices(j, 1)
            if deltaE_ciede2000(result.centers[first], result.centers[second]).min() <= apart:
                break
        best = result
    weight = np.bincount(best.labels, weights=w, minlength=len(best.centers))
    order = np.argsort(-weight, kind="stable")
    return [(best.centers[i], float(weight[i])) for i in order]
