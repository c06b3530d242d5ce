"""Choosing k: the elbow of the inertia, the silhouette and the gap statistic.

:func:`sweep_k` clusters a still's colour histogram for every k of a range
and scores each k three ways; :func:`sweep_points` does the same on any
weighted points (synthetic data in the tests). Both take the options of
:class:`SweepOptions` and return a :class:`KSweep`, whose ``suggested`` is a
:class:`SuggestedK`. The pieces are public too: :func:`weighted_silhouette`,
:func:`gap_statistic`, and the three rules that turn a curve into a
suggested k, :func:`elbow_k`, :func:`silhouette_k` and :func:`gap_k`.

Weights are frequency weights: a colour that covers 1,200 pixels counts as
1,200 identical points, so every figure equals the figure for the expanded
pixels. One module per step, each with its notes:

:mod:`~kmeans_core.choose_k.sweep`
    the sweep itself, its options and its result;
:mod:`~kmeans_core.choose_k.pooling`
    pooling the colours on a grid before fitting;
:mod:`~kmeans_core.choose_k.fits`
    fitting every k, warm-started from the previous k and then from the next;
:mod:`~kmeans_core.choose_k.silhouette`
    the weighted silhouette and the Z-order sample it is scored on;
:mod:`~kmeans_core.choose_k.gap`
    the gap statistic and its reference sets;
:mod:`~kmeans_core.choose_k.rules`
    the elbow, silhouette and gap rules that suggest a k.
"""

from __future__ import annotations

from kmeans_core.choose_k.gap import GAP_REFERENCES, gap_statistic
from kmeans_core.choose_k.pooling import DEFAULT_BIN_WIDTH
from kmeans_core.choose_k.rules import (
    ELBOW_TOLERANCE,
    SILHOUETTE_TOLERANCE,
    Recommendation,
    SuggestedK,
    elbow_k,
    gap_k,
    recommend_k,
    silhouette_k,
)
from kmeans_core.choose_k.silhouette import weighted_silhouette
from kmeans_core.choose_k.sweep import KSweep, SweepOptions, sweep_k, sweep_points

__all__ = [
    "DEFAULT_BIN_WIDTH",
    "ELBOW_TOLERANCE",
    "GAP_REFERENCES",
    "KSweep",
    "Recommendation",
    "SILHOUETTE_TOLERANCE",
    "SuggestedK",
    "SweepOptions",
    "elbow_k",
    "gap_k",
    "gap_statistic",
    "recommend_k",
    "silhouette_k",
    "sweep_k",
    "sweep_points",
    "weighted_silhouette",
]
