"""Putting the ranges back together: shots, the film-wide palette and drift.

Range results arrive in any order and are consumed in film order. Each
segment's histogram is set aside in a temporary directory as it arrives, and
each finished shot's still (appended to one file of stills) as soon as the
shot is finished, so that the memory held stays that of the shots still
open, however long the film: a finished shot keeps only its palette and per
sample 35 bytes (frame number, mean and dominant colours). The result's
stills are views of one map of that file (``np.memmap``, mode ``"c"``,
copy-on-write: a write stays in memory; one file descriptor for them all):
a shot's pixels are read when they are used, into the kernel's page cache
rather than the process's own memory. The directory is removed at the end;
the mapped file lives on, unlinked, until the map is let go (POSIX
semantics).

Segments join into shots across range boundaries: a segment continues the
previous one unless a cut was found between them. Shots that a single range
saw whole already have their palette and still; the others get them here,
their still from the frames the ranges kept (a middle frame that was not
kept, in a shot longer than about two ranges, is decoded again after a
seek).

The film-wide palette comes from the sum of every sampled frame's
histogram, and each shot's drift from it is
:func:`kmeans_core.scene.histogram_drift` of the shot's merged histogram.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kmeans_core.film.decode import FilmError, VideoInfo, read_frame
from kmeans_core.film.ranges import RangeResult, Segment, dominant_colors
from kmeans_core.film.settings import FilmSettings
from kmeans_core.film.shots import Shot, shot_palette
from kmeans_core.histogram import MergedHistogram, merge_histograms
from kmeans_core.palette import Palette
from kmeans_core.scene import histogram_drift

__all__ = ["FilmResult", "ShotAssembler"]

#: With keyframes only, a complete film may end this long after its last
#: keyframe; a film whose keyframes stop earlier than that is called truncated.
KEYFRAME_SLACK_SECONDS = 10.0


@dataclass(frozen=True, eq=False)
class FilmResult:
    """The analysis of a film.

    Attributes
    ----------
    info : VideoInfo
    settings : FilmSettings
    palette : Palette or None
        The film-wide palette (None when no frame could be decoded).
    shots : list of Shot
    sample_frames : ndarray of shape (n,), int64
        Every sampled frame, in order.
    sample_mean_lab : ndarray of shape (n, 3), float64
        Each sampled frame's mean colour in CIELAB.
    sample_dominant : ndarray of shape (n, 3), uint8
        Each sampled frame's dominant colour among its shot's palette.
    errors : tuple of str
        Why parts of the film could not be read (empty when all was read).
    """

    info: VideoInfo
    settings: FilmSettings
    palette: Palette | None
    shots: list = field(repr=False)
    sample_frames: np.ndarray = field(repr=False)
    sample_mean_lab: np.ndarray = field(repr=False)
    sample_dominant: np.ndarray = field(repr=False)
    errors: tuple = ()

    @property
    def complete(self) -> bool:
        """True when the whole film was read."""
        return not self.errors


@dataclass(eq=False)
class _ShotRecord:
    """A finished shot before the film-wide palette is known."""

    frames: np.ndarray
    palette: Palette
    dominant: np.ndarray
    histograms: list  # paths of its segments' histograms, set aside


class ShotAssembler:
    """Takes range results (in any order) and builds the :class:`FilmResult`.

    Results are consumed in film order as soon as they can be: a shot is
    finished (palette, still) once its last segment has arrived, and its
    frames are let go; out-of-order results wait, their histograms already
    on disk. The histograms wait on disk for the film-wide palette, which
    needs every range, and the stills on disk for the result.
    """

    def __init__(self, info: VideoInfo, settings: FilmSettings):
        self.info, self.settings = info, settings
        self._dir = tempfile.TemporaryDirectory(prefix="film-")
        self._stills = open(Path(self._dir.name) / "stills.raw", "wb")  # closed by finish
        self._pending: dict[int, RangeResult] = {}
        self._next = 0
        self._group: list[Segment] = []
        self._records: list[_ShotRecord] = []
        self._frames, self._mean_lab = [], []
        self._errors: list[str] = []
        self._reached_end = False
        self._n_spilled = 0

    def add(self, result: RangeResult) -> None:
        """Take one range's result."""
        for segment in result.segments:
            segment.histogram = self._set_aside(segment.histogram)
        self._pending[result.range.number] = result
        while self._next in self._pending:
            self._consume(self._pending.pop(self._next))
            self._next += 1

    def _consume(self, result: RangeResult) -> None:
        if result.error:
            self._errors.append(result.error)
        self._reached_end = self._reached_end or result.reached_end
        for segment in result.segments:
            starts = segment.opens or (segment.opens is None and (not self._group or self._group[-1].closes))
            if starts and self._group:
                self._close_group()
            self._group.append(segment)
            self._frames.append(segment.frames)
            self._mean_lab.append(segment.mean_lab)
        if self._group and self._group[-1].closes:
            self._close_group()

    def _close_group(self) -> None:
        group, self._group = self._group, []
        frames = np.concatenate([s.frames for s in group])
        if len(group) == 1 and group[0].palette is not None:
            palette, dominant = group[0].palette, group[0].dominant
        else:
            histogram = merge_histograms([_load(s.histogram) for s in group])
            palette = shot_palette(histogram, self.settings)
            dominant = dominant_colors(np.concatenate([s.signatures for s in group]), palette)
        middle = (len(frames) - 1) // 2
        still = None
        for segment in group:  # find the segment holding the middle frame
            if middle < len(segment.frames):
                still = segment.kept.get(middle)
                break
            middle -= len(segment.frames)
        if still is None:
            still = self._decode_again(int(frames[(len(frames) - 1) // 2]))
        for segment in group:  # what the shot needed of its segments (which a result may still hold)
            segment.kept, segment.signatures = {}, None
        self._stills.write(np.ascontiguousarray(still, dtype=np.uint8).data)  # the record's still, by its number
        self._records.append(_ShotRecord(frames, palette, dominant, [s.histogram for s in group]))

    def _set_aside(self, histogram: MergedHistogram) -> Path:
        """Write a histogram to the temporary directory; return its path."""
        name = Path(self._dir.name) / f"h{self._n_spilled}.npz"
        self._n_spilled += 1
        np.savez(name, colors=histogram.colors, counts=histogram.counts)
        return name

    def _decode_again(self, index: int) -> np.ndarray:
        try:
            return read_frame(self.info, index)
        except FilmError:
            width, height = self.info.analysis_size
            return np.zeros((height, width, 3), np.uint8)

    def finish(self, film_histogram: MergedHistogram | None) -> FilmResult:
        """Shots, their drift from the film-wide palette, and the per-sample arrays."""
        try:
            return self._finish(film_histogram)
        finally:
            self._stills.close()
            self._dir.cleanup()

    def _finish(self, film_histogram):
        settings, info = self.settings, self.info
        for number in sorted(self._pending):  # ranges after a missing one (none in practice)
            self._consume(self._pending.pop(number))
        if self._group:
            self._close_group()
        errors = list(self._errors)
        if not self._records:
            errors = errors or [f"{info.path}: no frame of the video could be decoded"]
            empty = np.zeros(0, dtype=np.int64)
            return FilmResult(
                info, settings, None, [], empty, np.zeros((0, 3)), np.zeros((0, 3), np.uint8), tuple(errors)
            )
        last_sample = int(self._records[-1].frames[-1])
        if not errors and (not self._reached_end or last_sample < info.n_frames - 1 - self._slack()):
            errors.append(
                f"{info.path}: the video data ends at frame {last_sample} of the {info.n_frames} its header "
                "announces; the file is truncated"
            )
        last_frame = last_sample if errors else max(last_sample, info.n_frames - 1)
        film_palette = shot_palette(film_histogram, settings)
        self._stills.close()
        width, height = info.analysis_size
        stills = np.memmap(self._stills.name, dtype=np.uint8, mode="c", shape=(len(self._records), height, width, 3))
        fps = float(info.fps)
        shots = []
        for number, record in enumerate(self._records, start=1):
            following = self._records[number].frames[0] if number < len(self._records) else last_frame + 1
            start, end = int(record.frames[0]), int(following) - 1
            histogram = merge_histograms([_load(name) for name in record.histograms])
            drift = histogram_drift(histogram.colors, histogram.counts, film_palette).max_drift
            shots.append(
                Shot(
                    number=number,
                    start_frame=start,
                    end_frame=end,
                    start=start / fps,
                    end=(end + 1) / fps,
                    sample_frames=record.frames,
                    palette=record.palette,
                    drift=drift,
                    still=stills[number - 1],
                )
            )
        return FilmResult(
            info=info,
            settings=settings,
            palette=film_palette,
            shots=shots,
            sample_frames=np.concatenate(self._frames),
            sample_mean_lab=np.concatenate(self._mean_lab),
            sample_dominant=np.concatenate([r.dominant for r in self._records]),
            errors=tuple(errors),
        )

    def _slack(self) -> int:
        """How many frames past the last sample a complete film may still have."""
        sampling, fps = self.settings.sampling, float(self.info.fps)
        if sampling.mode == "all":
            return 1
        if sampling.mode == "every":
            return math.ceil(sampling.every * fps) + 1
        return math.ceil(KEYFRAME_SLACK_SECONDS * fps)


def _load(name: Path) -> MergedHistogram:
    with np.load(name) as data:
        return MergedHistogram(colors=data["colors"], counts=data["counts"])
