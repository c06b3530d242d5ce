"""Scenes: several stills (or a shot's frames) seen as one.

* :mod:`~kmeans_core.scene.palette`: :func:`scene_histogram` and
  :func:`scene_palette`, weighted k-means over the stills' merged histograms;
* :mod:`~kmeans_core.scene.drift`: :func:`histogram_drift` (one histogram,
  as the film pipeline's shots use it) and :func:`scene_drift` (every still
  of a scene, with its redrawn CIEDE2000 and flags), on one drift worker.
"""

from __future__ import annotations

from kmeans_core.scene.drift import (
    DRIFT_THRESHOLD,
    FLAG_SHARE,
    HistogramDrift,
    SceneDrift,
    StillDrift,
    histogram_drift,
    scene_drift,
)
from kmeans_core.scene.palette import WEIGHTINGS, scene_histogram, scene_palette, still_histograms

__all__ = [
    "DRIFT_THRESHOLD",
    "FLAG_SHARE",
    "HistogramDrift",
    "SceneDrift",
    "StillDrift",
    "WEIGHTINGS",
    "histogram_drift",
    "scene_drift",
    "scene_histogram",
    "scene_palette",
    "still_histograms",
]
