"""Shots: the runs of sampled frames between cuts, each with its palette.

A shot is a scene of frames: its palette comes from the merged histograms of
its frames (:func:`~kmeans_core.merge_histograms`, then
:func:`~kmeans_core.palette_from_histogram`), and its drift from the film-wide
palette is :func:`kmeans_core.scene.histogram_drift` of that merged
histogram, as for a scene of stills.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kmeans_core.film.framecount import RUNNING_LIMIT, FrameCounter, box_pixels
from kmeans_core.film.settings import FilmSettings
from kmeans_core.histogram import MergedHistogram, unpack_rgb
from kmeans_core.palette import Palette, palette_from_histogram

__all__ = ["Shot", "shot_palette"]

#: The most frames kept to pick a shot's middle frame from; a longer shot's
#: middle frame is decoded again at the end.
STILL_BUFFER = 96


@dataclass(frozen=True, eq=False)
class Shot:
    """One shot of a film.

    Attributes
    ----------
    number : int
        From 1, in film order.
    start_frame, end_frame : int
        The first and the last frame (inclusive). With sampling, the shot
        starts at its first sampled frame and lasts until the next shot.
    start, end : float
        Seconds: the start of ``start_frame`` and the end of ``end_frame``.
    sample_frames : ndarray of shape (n,), int64
        The sampled frames the shot's palette and still come from.
    palette : Palette
        From the merged histograms of the sampled frames.
    drift : float
        The largest drift (CIEDE2000) of the film-wide palette's colours in
        this shot (NaN until the film-wide palette is known).
    still : ndarray of shape (h, w, 3), uint8
        The middle sampled frame, at analysis size.
    """

    number: int
    start_frame: int
    end_frame: int
    start: float
    end: float
    sample_frames: np.ndarray
    palette: Palette
    drift: float
    still: np.ndarray = field(repr=False)

    @property
    def middle_frame(self) -> int:
        """The sampled frame the still shows."""
        return int(self.sample_frames[(len(self.sample_frames) - 1) // 2])


def shot_palette(histogram: MergedHistogram, settings: FilmSettings) -> Palette:
    """The palette of a shot's merged histogram, with at most as many colours as it has."""
    k = min(settings.k, len(histogram.colors))
    return palette_from_histogram(histogram.colors, histogram.counts, k, **settings.palette_options)


class HistogramSum:
    """The colours of an open shot's frames, added as the frames come.

    The frames go straight into the running sum of a
    :class:`~kmeans_core.film.framecount.FrameCounter` (one open shot per
    counter at a time: the counter's tables are the sum). A shot longer than
    one running sum can count (``limit`` pixels, about 37,000 frames at
    320 x 180) sets that sum aside as codes and counts, and the parts are
    added up at the end.

    Earlier ways, measured on the bench clip at 320 x 180: each frame's own
    histogram, added up in batches of 2^20 entries in the bit table, 1.09 to
    1.15 ms a frame with the count (0.30 ms the adding alone); merges by
    sorting, 0.67 ms a frame all told; a table of 2^24 counts per open shot
    read back by a scan of the whole table, 1.1 ms a frame plus 60 ms a
    shot. The running sum reads back only the colours it marked.
    """

    def __init__(self, counter: FrameCounter, *, limit: int = RUNNING_LIMIT):
        self._counter = counter
        self._limit = limit
        self._codes: list = []  # the parts set aside
        self._counts: list = []

    def add(self, pixels: np.ndarray, box: tuple[int, int, int, int]) -> None:
        """Add a frame's picture, ``pixels[top:bottom, left:right]`` for ``box = (top, bottom, left, right)``."""
        if self._counter.pixels + box_pixels(box) > self._limit:
            self._set_aside()
        self._counter.add(pixels, box)

    def _set_aside(self) -> None:
        codes, counts = self._counter.take()
        self._codes.append(codes)
        self._counts.append(counts)
        if len(self._codes) > 1:
            codes, counts = self._counter.add_up(self._codes, self._counts)
            self._codes, self._counts = [codes], [counts]

    def total(self) -> MergedHistogram:
        """The shot's histogram; the counter's running sum is left empty for the next shot."""
        codes, counts = self._counter.take()
        if self._codes:
            codes, counts = self._counter.add_up([*self._codes, codes], [*self._counts, counts])
        return MergedHistogram(colors=unpack_rgb(codes), counts=counts.astype(np.float64))


class FrameKeeper:
    """Keeps the frames of a run that its shot's middle frame may turn out to be.

    A run whose shot may go on after it (the last run of a range) needs its
    frames from its own middle on: after ``n`` frames the middle one is frame
    ``(n - 1) // 2``, and a longer shot's middle lies later. A run whose shot
    may have begun before it (the first run of a range, ``first=True``) also
    needs its first half. Each half keeps at most :data:`STILL_BUFFER`
    frames; a middle frame that was not kept is decoded again at the end.
    """

    def __init__(self, *, first: bool):
        self._first = [] if first else None
        self._tail: list[np.ndarray] = []
        self._tail_start = 0  # the offset of self._tail[0]
        self._n = 0
        self._tail_full = False

    def add(self, pixels: np.ndarray) -> None:
        if self._first is not None and len(self._first) < STILL_BUFFER:
            self._first.append(pixels)
        self._n += 1
        if self._tail_full:
            return
        self._tail.append(pixels)
        drop = (self._n - 1) // 2 - self._tail_start
        if drop > 0:
            del self._tail[:drop]
            self._tail_start += drop
        if len(self._tail) > STILL_BUFFER:
            self._tail_full, self._tail = True, []

    def kept(self) -> dict[int, np.ndarray]:
        """The frames that can still be needed, by their offset in the run."""
        middle = (self._n - 1) // 2
        frames = {} if self._tail_full else {self._tail_start + i: f for i, f in enumerate(self._tail)}
        for offset, frame in enumerate(self._first or ()):
            if offset <= middle:
                frames[offset] = frame
        return frames
