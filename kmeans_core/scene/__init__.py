"""Scenes: several stills (or a shot's frames) seen as one.

* :mod:`~kmeans_core.scene.palette`: :func:`scene_histogram` and
  :func:`scene_palette`, weighted k-means over the stills' merged histograms;
* :mod:`~kmeans_core.scene.drift`: :func:`histogram_drift` (one histogram,
  as the film pipeline's shots use it) and :func:`scene_drift` (every still
  of a scene, with its redrawn CIEDE2000 and flags), on one drift worker.
"""

from __future__ import annotations

from kmeans_core.scene import drift, palette
from kmeans_core.scene.drift import *  # noqa: F403
from kmeans_core.scene.palette import *  # noqa: F403

#: The public names of both modules, taken from their own lists so that they cannot drift apart.
__all__ = [*drift.__all__, *palette.__all__]
