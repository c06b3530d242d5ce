"""Scenes: several stills (or a shot's frames) seen as one.

For now this package holds only :func:`histogram_drift`, which the film
pipeline uses for each shot's drift from the film-wide palette. The scenes
work (issue 9) extends it with ``scene_palette`` and ``scene_drift``, built
on the same function, so that scenes and films share one drift.
"""

from __future__ import annotations

from kmeans_core.scene.drift import HistogramDrift, histogram_drift

__all__ = ["histogram_drift", "HistogramDrift"]
