"""Films: shots, a film-wide palette and a barcode, from a video file.

The package, one concept per module:

* :mod:`~kmeans_core.film.decode`: opening a film with PyAV, sampling its
  frames, decoding them at analysis size;
* :mod:`~kmeans_core.film.cuts`: the cut detector;
* :mod:`~kmeans_core.film.shots`: :class:`Shot` and per-shot palettes;
* :mod:`~kmeans_core.film.ranges`: time ranges and the per-range task;
* :mod:`~kmeans_core.film.assemble`: ranges back into shots, drift;
* :mod:`~kmeans_core.film.engine`: running the tasks, with or without Dask;
* :mod:`~kmeans_core.film.barcode`: the film as a strip image;
* :mod:`~kmeans_core.film.timecode`: timecodes and durations;
* :mod:`~kmeans_core.film.settings`: :class:`FilmSettings`;
* :mod:`~kmeans_core.film.cli`: ``python -m kmeans_core.film``.

No Streamlit here.
"""

from __future__ import annotations

from kmeans_core.film.assemble import FilmResult
from kmeans_core.film.barcode import BARCODE_COLOURS, BARCODE_COLUMNS, barcode
from kmeans_core.film.cuts import CUT_THRESHOLD, colour_signature, cut_score
from kmeans_core.film.decode import ANALYSIS_WIDTH, FilmError, Sampling, VideoInfo, probe
from kmeans_core.film.engine import analyse_film
from kmeans_core.film.settings import FilmSettings
from kmeans_core.film.shots import Shot
from kmeans_core.film.timecode import parse_duration, timecode

__all__ = [
    "ANALYSIS_WIDTH",
    "BARCODE_COLOURS",
    "BARCODE_COLUMNS",
    "CUT_THRESHOLD",
    "FilmError",
    "FilmResult",
    "FilmSettings",
    "Sampling",
    "Shot",
    "VideoInfo",
    "analyse_film",
    "barcode",
    "colour_signature",
    "cut_score",
    "parse_duration",
    "probe",
    "timecode",
]
