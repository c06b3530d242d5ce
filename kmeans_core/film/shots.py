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

from kmeans_core.film.framecount import FrameCounter
from kmeans_core.film.settings import FilmSettings
from kmeans_core.histogram import MergedHistogram, unpack_rgb
from kmeans_core.palette import Palette, palette_from_histogram

__all__ = ["Shot", "shot_palette"]

#: An open shot's frame histograms are merged into one once they hold this
#: many entries (about 80 frames of the bench clip at 320 x 180), to bound
#: memory; see :class:`HistogramSum` for the measurements.
_COLLAPSE_ENTRIES = 1 << 20

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
    """Frame histograms, kept packed (as :func:`~kmeans_core.count_packed` gives them), added in bounded batches.

    A batch is added up by :meth:`FrameCounter.add_up
    <kmeans_core.film.framecount.FrameCounter.add_up>` (codes marked in a
    table of 2^24 bits, counts added at their rank: linear time, exact).

    Sparse sums against a dense accumulator, measured earlier on 1,400
    frames of the bench clip at 320 x 180 (about 13,000 colours a frame,
    shots of 65 to 170 frames): adding each frame into a table of 2^24
    counts costs 1.1 ms a frame, plus 60 ms to read the table back for every
    shot (and 64 MB held per open shot); merges by sorting cost 0.67 ms a
    frame all told, and hold only the colours present.

    The batch (:data:`_COLLAPSE_ENTRIES`) and the way, measured on 400
    frames of the bench clip added into one sum (6.3 million entries; CPU
    time, best of 3; load average 3 to 6, the figures of one run): by
    sorting (:func:`~kmeans_core.merge_packed`), batches of 2^22 entries
    cost 0.79 ms a frame with a peak of 130 MB allocated (the frames' lists,
    and the concatenated copies, sort order and sorted copies a merge
    makes), 2^20 0.78 ms and 38 MB, 2^19 0.99 ms and 22 MB; with the bit
    table, 2^22 0.30 ms and 50 MB, 2^20 0.30 ms and 17 MB, 2^19 0.39 ms and
    11 MB, 2^18 0.67 ms and 9 MB (the colours already summed are added
    again more often). The sums are the same whatever the batch and the way.
    """

    def __init__(self, counter: FrameCounter):
        self._counter = counter  # whose tables add the batches up
        self._codes: list = []
        self._counts: list = []
        self._entries = 0

    def add(self, codes: np.ndarray, counts: np.ndarray) -> None:
        self._codes.append(codes)
        self._counts.append(counts)
        self._entries += len(codes)
        if self._entries > _COLLAPSE_ENTRIES and len(self._codes) > 1:
            codes, counts = self._counter.add_up(self._codes, self._counts)
            self._codes, self._counts, self._entries = [codes], [counts], len(codes)

    def total(self) -> MergedHistogram:
        codes, counts = self._counter.add_up(self._codes, self._counts)
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
