"""Pooling weighted points on a grid before the sweep fits them.

A 1920x1080 still has a few 10^5 distinct colours. With ``bin_width`` the
points are first pooled on a grid of that cell width (2 units of CIELAB in
:func:`kmeans_core.sweep_k`, about one just-noticeable difference): each
occupied cell becomes one point at the weighted mean of its colours,
weighing their total. The reported inertia adds back the scatter inside the
cells, so it is the exact pixel-level within-cluster sum of squares of the
partition that was found (each cell's pixels going to one cluster). The
silhouette sample and the gap's box come from the unpooled colours.

When the pooled points are many, the fresh starts of every k run on a grid
twice as coarse (:func:`coarse_points`), where they are cheap, and the best
of them is refined on the pooled points.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from kmeans_core._validation import check_number

__all__ = [
    "DEFAULT_BIN_WIDTH",
    "PooledPoints",
    "auto_width",
    "check_bin_width",
    "coarse_points",
    "grid_cells",
    "pool",
    "pool_for_fit",
]

#: Grid cell width used by :func:`kmeans_core.sweep_k` with ``bin_width="auto"``,
#: per colour space (CIELAB units; OKLab units, about 1/100 of CIELAB's; sRGB code values).
DEFAULT_BIN_WIDTH = {"lab": 2.0, "oklab": 0.02, "rgb": 4.0}

#: ``bin_width="auto"`` pools colours only above this many distinct colours.
_AUTO_BIN_ABOVE = 20_000

#: Pooled points above which the fresh starts run on a grid twice as coarse.
_COARSE_ABOVE = 4000


class PooledPoints(NamedTuple):
    """Points pooled on a grid.

    Attributes
    ----------
    points : ndarray of shape (m, d)
        The weighted mean of each occupied cell.
    weights : ndarray of shape (m,)
        The total weight of each cell.
    scatter : float
        The weighted sum of squared distances of the points to their cell's mean.
    width : float
        The cell width.
    """

    points: np.ndarray
    weights: np.ndarray
    scatter: float
    width: float


def check_bin_width(bin_width, *, alternatives: str) -> float | None:
    """A positive, finite cell width, or None (no pooling)."""
    if bin_width is None:
        return None
    return check_number("bin_width", bin_width, positive=True, alternatives=alternatives)


def auto_width(space: str, n_points: int) -> float | None:
    """The cell width of ``bin_width="auto"``: the space's default above 20,000 colours, else None."""
    return DEFAULT_BIN_WIDTH[space] if n_points > _AUTO_BIN_ABOVE else None


def grid_cells(X: np.ndarray, width: float) -> np.ndarray:
    """The index of each point's cell on a grid of cell ``width`` anchored at X's minimum.

    Cells are numbered 0, 1, ... in the order of their grid coordinates;
    every number up to the largest is an occupied cell.
    """
    cells = np.floor((X - X.min(axis=0)) / width).astype(np.int64)
    dims = cells.max(axis=0) + 1
    if float(np.prod(dims.astype(np.float64))) < 2.0**62:
        codes = np.ravel_multi_index(tuple(cells.T), tuple(int(d) for d in dims))
        _, inverse = np.unique(codes, return_inverse=True)
    else:  # pragma: no cover - a grid too fine to pack in int64
        _, inverse = np.unique(cells, axis=0, return_inverse=True)
    return inverse.reshape(-1)


def pool(X: np.ndarray, w: np.ndarray, width: float) -> PooledPoints:
    """Pool weighted points on a grid of cell ``width``: cell means, cell weights, scatter inside cells."""
    keep = w > 0
    X, w = X[keep], w[keep]
    inverse = grid_cells(X, width)
    weight = np.bincount(inverse, weights=w)
    sums = np.column_stack([np.bincount(inverse, weights=w * X[:, j]) for j in range(X.shape[1])])
    means = sums / weight[:, None]
    diff = X - means[inverse]
    scatter = float(w @ np.einsum("ij,ij->i", diff, diff))
    return PooledPoints(means, weight, scatter, float(width))


def pool_for_fit(X, w, width, k_max, *, bin_width, noun, strict) -> PooledPoints | None:
    """``pool(X, w, width)``, or None without a width or when the grid keeps
    fewer than ``k_max`` cells (then a ValueError naming ``bin_width`` when
    ``strict``)."""
    if width is None:
        return None
    pooled = pool(X, w, width)
    n_cells = len(pooled.points)
    if n_cells >= k_max:
        return pooled
    if strict:
        cells = f"{n_cells} grid cell" if n_cells == 1 else f"{n_cells} grid cells"
        raise ValueError(
            f"bin_width={bin_width!r} pools the {noun} into {cells}, fewer than k={k_max}; use a smaller width or None"
        )
    return None


def coarse_points(pooled: PooledPoints, k_max: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The pooled points pooled again on a grid twice as coarse, for the fresh starts.

    None when the pooled points are few enough to start on (at most 4,000)
    or the coarse grid keeps fewer than ``4 * k_max`` cells.
    """
    if len(pooled.points) <= _COARSE_ABOVE:
        return None
    coarse = pool(pooled.points, pooled.weights, 2.0 * pooled.width)
    if len(coarse.points) < 4 * k_max:
        return None
    return coarse.points, coarse.weights
