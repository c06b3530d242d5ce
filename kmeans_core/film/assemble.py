"""Putting the ranges back together: shots, the film-wide palette and drift.

Range results arrive in any order. Each segment's histogram is set aside in
a temporary directory as it arrives, so that the memory held stays that of
one shot, however long the film; the other per-sample data (frame numbers,
mean colours, dominant colours) is small.

Segments join into shots across range boundaries: a segment continues the
previous one unless a cut was found between them. Shots that a single range
saw whole already have their palette and still; the others get them here
(their middle frame decoded again with a seek).

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


class ShotAssembler:
    """Takes range results one by one (any order), then builds the :class:`FilmResult`."""

    def __init__(self, info: VideoInfo, settings: FilmSettings):
        self.info, self.settings = info, settings
        self._dir = tempfile.TemporaryDirectory(prefix="film-")
        self._ranges: dict[int, list[Segment]] = {}
        self._errors: dict[int, str] = {}
        self._reached_end = False
        self._n = 0

    def add(self, result: RangeResult) -> None:
        """Keep one range's segments, their histograms set aside on disk."""
        for segment in result.segments:
            name = Path(self._dir.name) / f"h{self._n}.npz"
            self._n += 1
            np.savez(name, colors=segment.histogram.colors, counts=segment.histogram.counts)
            segment.histogram = name  # read back when its shot is finished
        self._ranges[result.range.number] = result.segments
        if result.error:
            self._errors[result.range.number] = result.error
        if result.reached_end:
            self._reached_end = True

    def finish(self, film_histogram: MergedHistogram | None) -> FilmResult:
        """Shots, their drift from the film-wide palette, and the per-sample arrays."""
        try:
            return self._finish(film_histogram)
        finally:
            self._dir.cleanup()

    def _finish(self, film_histogram):
        settings, info = self.settings, self.info
        segments = [s for number in sorted(self._ranges) for s in self._ranges[number]]
        errors = [self._errors[n] for n in sorted(self._errors)]
        if not segments:
            errors = errors or [f"{info.path}: no frame of the video could be decoded"]
            empty = np.zeros(0, dtype=np.int64)
            return FilmResult(
                info, settings, None, [], empty, np.zeros((0, 3)), np.zeros((0, 3), np.uint8), tuple(errors)
            )
        last_sample = int(segments[-1].frames[-1])
        if not errors and (not self._reached_end or last_sample < info.n_frames - 1 - self._slack()):
            errors.append(
                f"{info.path}: the video data ends at frame {last_sample} of the {info.n_frames} its header "
                "announces; the file is truncated"
            )
        film_palette = shot_palette(film_histogram, settings)
        groups: list[list[Segment]] = []
        for segment in segments:
            starts = segment.opens or (segment.opens is None and (not groups or groups[-1][-1].closes))
            if starts or not groups:
                groups.append([segment])
            else:
                groups[-1].append(segment)
        last_frame = last_sample if errors else max(last_sample, info.n_frames - 1)
        shots, dominant = [], []
        for number, group in enumerate(groups, start=1):
            next_start = int(groups[number][0].frames[0]) if number < len(groups) else last_frame + 1
            shot, colors = self._shot(number, group, next_start, film_palette)
            shots.append(shot)
            dominant.append(colors)
        return FilmResult(
            info=info,
            settings=settings,
            palette=film_palette,
            shots=shots,
            sample_frames=np.concatenate([s.frames for s in segments]),
            sample_mean_lab=np.concatenate([s.mean_lab for s in segments]),
            sample_dominant=np.concatenate(dominant),
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

    def _shot(self, number: int, group: list[Segment], next_start: int, film_palette: Palette):
        histogram = merge_histograms([_load(s.histogram) for s in group])
        frames = np.concatenate([s.frames for s in group])
        if len(group) == 1 and group[0].palette is not None:
            palette, dominant, still = group[0].palette, group[0].dominant, group[0].still
        else:
            palette = shot_palette(histogram, self.settings)
            signatures = np.concatenate([s.signatures for s in group])
            dominant, still = dominant_colors(signatures, palette), None
        middle = int(frames[(len(frames) - 1) // 2])
        if still is None:
            try:
                still = read_frame(self.info, middle)
            except FilmError:
                still = np.zeros((self.info.analysis_size[1], self.info.analysis_size[0], 3), np.uint8)
        fps = float(self.info.fps)
        start, end = int(frames[0]), next_start - 1
        shot = Shot(
            number=number,
            start_frame=start,
            end_frame=end,
            start=start / fps,
            end=(end + 1) / fps,
            sample_frames=frames,
            palette=palette,
            drift=histogram_drift(histogram.colors, histogram.counts, film_palette).max_drift,
            still=still,
        )
        return shot, dominant


def _load(name: Path) -> MergedHistogram:
    with np.load(name) as data:
        histogram = MergedHistogram(colors=data["colors"], counts=data["counts"])
    name.unlink()
    return histogram
