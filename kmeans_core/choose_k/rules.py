"""The rules that turn the curves of a sweep into a suggested k.

elbow
    :func:`elbow_k`: scale k and the inertia to [0, 1] and take the k whose
    point lies farthest below the chord from the first to the last point.
    This is the knee of Satopaa et al.'s "kneedle" (2011) without its
    sensitivity threshold.
silhouette
    :func:`silhouette_k`: the k of the largest mean silhouette.
gap
    :func:`gap_k`: the smallest k with ``gap(k) >= gap(k+1) - s(k+1)``, where
    k+1 is the next k of the sweep; the largest k when no k qualifies.

:class:`SuggestedK` holds the three picks of a sweep, and
:func:`recommend_k` turns them into one plain recommendation: the middle
pick, with the range over which the rules agree.

Near ties go to the smaller k. The elbow and the silhouette take the
smallest k within a tolerance of the best (:data:`ELBOW_TOLERANCE`,
:data:`SILHOUETTE_TOLERANCE`): measured over seeds on dark, low-contrast
frames, two ks often stood within 0.005 of each other on either curve (the
local optima of k-means and the silhouette's pixel sample move them by about
that much), and the plain maximum then picked 4 or 7 from one seed to the
next. Differences that small mean nothing to the eye.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kmeans_core._validation import check_number

__all__ = [
    "ELBOW_TOLERANCE",
    "SILHOUETTE_TOLERANCE",
    "Recommendation",
    "SuggestedK",
    "elbow_k",
    "gap_k",
    "recommend_k",
    "silhouette_k",
    "suggest_k",
]

#: How far (on the [0, 1] scales) below the farthest point another k's point
#: may lie under the chord and still count as the elbow; the smallest such k wins.
ELBOW_TOLERANCE = 0.01

#: How far below the largest mean silhouette another k's may lie and still
#: count as the best; the smallest such k wins.
SILHOUETTE_TOLERANCE = 0.01


@dataclass(frozen=True)
class SuggestedK:
    """The k each rule suggests.

    Attributes
    ----------
    elbow : int or None
        From :func:`elbow_k` on the inertia.
    silhouette : int or None
        From :func:`silhouette_k`; None when no k has a silhouette.
    gap : int or None
        From :func:`gap_k`; None when the gap statistic was not computed
        (``gap_refs=0``).
    """

    elbow: int | None
    silhouette: int | None
    gap: int | None


@dataclass(frozen=True)
class Recommendation:
    """One k to start from, and the range the rules' picks span.

    Attributes
    ----------
    k : int
        The median of the rules' picks (the lower middle one of an even
        number of picks).
    low, high : int
        The smallest and the largest pick.
    rules : int
        How many rules made a pick.
    """

    k: int
    low: int
    high: int
    rules: int


def recommend_k(suggested: SuggestedK) -> Recommendation | None:
    """One recommendation from the rules' picks; None when no rule made one.

    Parameters
    ----------
    suggested : SuggestedK

    Returns
    -------
    Recommendation or None
    """
    if not isinstance(suggested, SuggestedK):
        raise ValueError(f"suggested must be a SuggestedK, got {type(suggested).__name__}")
    picks = sorted(k for k in (suggested.elbow, suggested.silhouette, suggested.gap) if k is not None)
    if not picks:
        return None
    return Recommendation(k=picks[(len(picks) - 1) // 2], low=picks[0], high=picks[-1], rules=len(picks))


def suggest_k(ks, inertia, silhouette, gap, gap_se) -> SuggestedK:
    """The suggestion of every rule on the curves of a sweep (a NaN gap gives None)."""
    return SuggestedK(elbow=elbow_k(ks, inertia), silhouette=silhouette_k(ks, silhouette), gap=gap_k(ks, gap, gap_se))


def elbow_k(ks, inertia, *, tolerance: float = ELBOW_TOLERANCE) -> int:
    """The elbow of an inertia curve: the point farthest below its chord.

    Both axes are scaled to [0, 1] (k from its first to its last value,
    inertia from its smallest to its largest), and the smallest k whose
    point lies below the straight line from the first point to the last by
    at least the farthest distance less ``tolerance`` is returned; with
    ``tolerance=0`` this is the knee of "kneedle" (Satopaa et al. 2011)
    without its sensitivity threshold. A curve with no point below its
    chord gives the smallest k.

    Parameters
    ----------
    ks : sequence of int
        Strictly increasing.
    inertia : sequence of float
        Aligned with ``ks``.
    tolerance : float >= 0, default :data:`ELBOW_TOLERANCE`
        Near ties within this distance go to the smaller k.

    Returns
    -------
    int
    """
    ks, (inertia,) = _check_curves(ks, inertia=inertia)
    tolerance = check_number("tolerance", tolerance)
    x = ks.astype(np.float64)
    if len(x) < 3:
        return int(ks[0])
    x = (x - x[0]) / (x[-1] - x[0])
    span = inertia.max() - inertia.min()
    if not np.isfinite(span) or span <= 0:
        return int(ks[0])
    y = (inertia - inertia.min()) / span
    # Signed distance below the chord (up to a constant factor).
    chord = y[0] + (y[-1] - y[0]) * x
    below = chord - y
    if below.max() <= 1e-9:
        return int(ks[0])
    return _first_near_best(ks, below, tolerance)


def silhouette_k(ks, silhouette, *, tolerance: float = SILHOUETTE_TOLERANCE) -> int | None:
    """The smallest k whose mean silhouette is within ``tolerance`` of the largest (NaNs skipped).

    Returns None when every silhouette is NaN. ``tolerance=0`` gives the k of
    the largest silhouette (ties: the smallest k).
    """
    ks, (silhouette,) = _check_curves(ks, silhouette=silhouette, allow_nan=True)
    tolerance = check_number("tolerance", tolerance)
    if np.isnan(silhouette).all():
        return None
    return _first_near_best(ks, silhouette, tolerance)


def _first_near_best(ks: np.ndarray, values: np.ndarray, tolerance: float) -> int:
    """The smallest k whose value is at least the largest (NaN skipped) less ``tolerance``."""
    near = np.flatnonzero(values >= np.nanmax(values) - tolerance)
    return int(ks[near[0]])


def gap_k(ks, gap, gap_se) -> int | None:
    """The 1-SE rule of Tibshirani, Walther and Hastie (2001).

    The smallest k with ``gap(k) >= gap(k') - s(k')``, where k' is the next
    k of ``ks`` (k + 1 when the ks are consecutive). When no k qualifies the
    largest k is returned; None when the gap is NaN (not computed).

    Parameters
    ----------
    ks : sequence of int
        Strictly increasing.
    gap, gap_se : sequence of float
        Aligned with ``ks``.

    Returns
    -------
    int or None
    """
    ks, (gap, gap_se) = _check_curves(ks, gap=gap, gap_se=gap_se, allow_nan=True)
    if np.isnan(gap).any() or np.isnan(gap_se).any():
        return None
    for i in range(len(ks) - 1):
        if gap[i] >= gap[i + 1] - gap_se[i + 1]:
            return int(ks[i])
    return int(ks[-1])


# --- validation (the public boundary) ---------------------------------------


def _check_curves(ks, *, allow_nan: bool = False, **curves) -> tuple[np.ndarray, list[np.ndarray]]:
    ks = np.asarray(ks)
    if ks.ndim != 1 or len(ks) == 0 or not np.issubdtype(ks.dtype, np.integer):
        raise ValueError(f"ks={ks!r} must be a non-empty 1-D sequence of integers")
    if (np.diff(ks) <= 0).any():
        raise ValueError(f"ks={ks.tolist()} must be strictly increasing")
    out = []
    for name, values in curves.items():
        values = np.asarray(values, dtype=np.float64)
        if values.shape != ks.shape:
            raise ValueError(f"{name} has shape {values.shape} but ks has shape {ks.shape}")
        if not allow_nan and np.isnan(values).any():
            raise ValueError(f"{name} contains NaN")
        out.append(values)
    return ks, out
