"""Splitting a film into time ranges, and the task that analyses one range.

Ranges split the film at frame numbers (for ``every`` sampling, at sample
frames). A range task opens the file, seeks, decodes its own samples, and
then one more: the next range's first sample. That one-sample overlap
scores the pair across the boundary, so no cut is lost there; its colours
are counted by the next range only.

A task returns a :class:`RangeResult`: its frames' histogram (for the
film-wide palette, reduced in a tree), and its samples cut into segments at
the cuts it found. A segment whose both ends are known cuts (or the film's
ends) is a whole shot, and gets its palette and still in the task; the
first and the last segment of a range may continue in the neighbouring
range and are finished when the ranges are put together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from kmeans_core.borders import detect_bars
from kmeans_core.colorspace import rgb_to_space
from kmeans_core.film.cuts import cell_colors, cell_signature, cut_score
from kmeans_core.film.decode import VideoInfo, analysis_pixels, open_film, sampled_frames
from kmeans_core.film.framecount import FrameCounter, count_cells
from kmeans_core.film.settings import FilmSettings
from kmeans_core.film.shots import FrameKeeper, HistogramSum, shot_palette
from kmeans_core.histogram import MergedHistogram, merge_histograms
from kmeans_core.palette import Palette, palette_labels

__all__ = ["RangeResult", "Segment", "TimeRange", "analyse_range", "split_ranges"]


@dataclass(frozen=True)
class TimeRange:
    """Frames ``start`` (inclusive) to ``stop`` (exclusive; None: to the end)."""

    number: int
    start: int
    stop: int | None


@dataclass(eq=False)
class Segment:
    """A run of a range's samples with no cut inside.

    Attributes
    ----------
    frames : ndarray of shape (n,), int64
        The sampled frames.
    mean_lab : ndarray of shape (n, 3), float64
        Each sample's mean colour in CIELAB (over its picture pixels).
    signatures : ndarray of shape (n, 512), float32, or None
        Kept until the shot's palette is known (for the barcode's dominant
        colours), then dropped.
    histogram : MergedHistogram
        The samples' merged histogram.
    opens : bool or None
        True when a shot starts at the first sample; None when that is
        decided by the previous range.
    closes : bool
        True when a shot ends at the last sample.
    kept : dict of int to ndarray
        Frames at analysis size, by offset in the segment, that may be its
        shot's middle frame (see :class:`~kmeans_core.film.shots.FrameKeeper`).
    palette : Palette or None
        The shot's palette, when the segment is a whole shot.
    dominant : ndarray of shape (n, 3), uint8, or None
        Each sample's dominant colour of the shot's palette.
    """

    frames: np.ndarray
    mean_lab: np.ndarray
    signatures: np.ndarray | None
    histogram: MergedHistogram
    opens: bool | None
    closes: bool
    kept: dict
    palette: Palette | None = None
    dominant: np.ndarray | None = None

    @property
    def whole(self) -> bool:
        return bool(self.opens) and self.closes


@dataclass(eq=False)
class RangeResult:
    """What one range task found.

    Attributes
    ----------
    range : TimeRange
    segments : list of Segment
    histogram : MergedHistogram or None
        All its samples' colours (None when it has no sample).
    error : str or None
        Why decoding stopped early (damaged data), in one line.
    reached_end : bool
        Decoding ran into the end of the film.
    """

    range: TimeRange
    segments: list
    histogram: MergedHistogram | None
    error: str | None
    reached_end: bool

    @property
    def n_samples(self) -> int:
        return sum(len(s.frames) for s in self.segments)


def split_ranges(info: VideoInfo, settings: FilmSettings, n_ranges: int) -> list[TimeRange]:
    """Split the film into ``n_ranges`` ranges of about equal length (fewer for a short film)."""
    n_frames = max(1, info.n_frames)
    if settings.sampling.mode == "every":
        step = settings.sampling.every * float(info.fps)
        n_samples = max(1, math.ceil(n_frames / step))
        n_ranges = max(1, min(n_ranges, n_samples))
        starts = [round(round(i * n_samples / n_ranges) * step) for i in range(n_ranges)]
    else:
        n_ranges = max(1, min(n_ranges, n_frames))
        starts = [round(i * n_frames / n_ranges) for i in range(n_ranges)]
    starts = sorted(set(starts))
    stops = starts[1:] + [None]
    return [TimeRange(number=i, start=a, stop=b) for i, (a, b) in enumerate(zip(starts, stops, strict=True))]


class _Open:
    """The segment being filled."""

    def __init__(self, opens: bool | None, counter: FrameCounter):
        self.opens = opens
        self.frames, self.lab_samples, self.signatures = [], [], []
        self.histogram = HistogramSum(counter)
        self.keeper = FrameKeeper(first=opens is None)

    def add(self, index: int, features: _Features, pixels: np.ndarray) -> None:
        self.frames.append(index)
        self.lab_samples.append(features.lab_sample)
        self.signatures.append(features.signature)
        self.histogram.add(pixels, features.box)
        self.keeper.add(pixels)

    def close(self, closes: bool, settings: FilmSettings) -> Segment:
        segment = Segment(
            frames=np.asarray(self.frames, dtype=np.int64),
            mean_lab=_mean_lab(self.lab_samples),
            signatures=np.asarray(self.signatures, dtype=np.float32).reshape(-1, 512),
            histogram=self.histogram.total(),
            opens=self.opens,
            closes=closes,
            kept=self.keeper.kept(),
        )
        if segment.whole:  # a shot seen whole: its palette now, and only its middle frame kept
            segment.palette = shot_palette(segment.histogram, settings)
            segment.dominant = dominant_colors(segment.signatures, segment.palette)
            segment.signatures = None
            middle = (len(segment.frames) - 1) // 2
            segment.kept = {middle: segment.kept[middle]} if middle in segment.kept else {}
        return segment


def dominant_colors(signatures: np.ndarray, palette: Palette) -> np.ndarray:
    """Each frame's palette colour covering most of it, judged on its 512-cell signature."""
    cells = palette_labels(cell_colors(), palette.rgb, palette.space)
    one_hot = np.zeros((len(cells), palette.k))
    one_hot[np.arange(len(cells)), cells] = 1.0
    return palette.rgb[np.argmax(np.asarray(signatures, np.float64) @ one_hot, axis=1)]


@dataclass(frozen=True, eq=False)
class _Features:
    """What a sample contributes: its picture's box (its colours are counted into its shot
    once the shot is known), cut signature, and pixels for its mean colour."""

    box: tuple[int, int, int, int]
    signature: np.ndarray
    lab_sample: np.ndarray


def frame_features(pixels: np.ndarray, settings: FilmSettings) -> _Features:
    """The picture's box (bars left out), its signature, and the pixels its mean colour is taken on.

    The mean colour is taken on every 8th pixel of every 8th row (ample for
    a barcode column); those pixels are converted to CIELAB a segment at a
    time (:func:`_mean_lab`).
    """
    box = _picture_box(pixels, settings)
    top, bottom, left, right = box
    sample = np.ascontiguousarray(pixels[top:bottom:8, left:right:8]).reshape(-1, 3)
    return _Features(box, cell_signature(count_cells(pixels, box)), sample)


def _mean_lab(samples: list) -> np.ndarray:
    """Each frame's mean CIELAB over its sampled pixels, with one conversion for all the frames.

    Each pixel is converted on its own (compiled, :func:`~kmeans_core.colorspace.rgb_to_space`),
    so a frame's mean does not depend on which frames it was converted with.
    """
    if not samples:
        return np.zeros((0, 3))
    lab = rgb_to_space(np.concatenate(samples).reshape(-1, 3), "lab")
    bounds = np.cumsum([0] + [len(sample) for sample in samples])
    return np.array([lab[a:b].mean(axis=0) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]).reshape(-1, 3)


def analyse_range(path: str, time_range: TimeRange, info: VideoInfo, settings: FilmSettings) -> RangeResult:
    """Decode one range and analyse its samples (the Dask task).

    Parameters
    ----------
    path : str
        The film; every task opens it itself.
    time_range : TimeRange
    info : VideoInfo
        From :func:`~kmeans_core.film.decode.probe`.
    settings : FilmSettings

    Returns
    -------
    RangeResult
        Damaged data stops the range early, with ``error`` saying why; what
        was decoded before is kept.
    """
    container, stream = open_film(path)
    segments: list[Segment] = []
    counter = FrameCounter()  # this task's running colour sum, reused from shot to shot
    current = _Open(opens=True if time_range.start == 0 else None, counter=counter)
    previous_signature = None
    error, reached_end = None, True
    size = info.analysis_size
    reformatter = VideoReformatter()  # and its scaler
    try:
        for index, frame in sampled_frames(container, stream, settings.sampling, info.fps, start=time_range.start):
            pixels = analysis_pixels(frame, size, info.bit_depth, reformatter=reformatter)
            overlap = time_range.stop is not None and index >= time_range.stop
            features = frame_features(pixels, settings)
            signature = features.signature
            cut = previous_signature is not None and cut_score(previous_signature, signature) >= settings.cut_threshold
            if overlap:
                if current.frames:
                    segments.append(current.close(closes=cut, settings=settings))
                reached_end = False
                break
            if cut:
                segments.append(current.close(closes=True, settings=settings))
                current = _Open(opens=True, counter=counter)
            current.add(index, features, pixels)
            previous_signature = signature
        else:
            if current.frames:
                segments.append(current.close(closes=True, settings=settings))
    except av.FFmpegError as exc:
        error = f"{path}: damaged or truncated video data near frame {_last_frame(current, segments)} ({exc})"
        error = " ".join(error.split())
        if current.frames:
            segments.append(current.close(closes=True, settings=settings))
    finally:
        container.close()
    histograms = [s.histogram for s in segments]
    return RangeResult(
        range=time_range,
        segments=segments,
        histogram=merge_histograms(histograms) if histograms else None,
        error=error,
        reached_end=reached_end,
    )


def _picture_box(pixels: np.ndarray, settings: FilmSettings) -> tuple[int, int, int, int]:
    """``(top, bottom, left, right)``: the rows and columns of the frame without its bars (when settings.bars)."""
    h, w = pixels.shape[:2]
    if not settings.bars:
        return 0, h, 0, w
    top, bottom, left, right = detect_bars(pixels)
    return top, h - bottom, left, w - right


def _last_frame(current: _Open, segments: list) -> int:
    if current.frames:
        return current.frames[-1]
    if segments:
        return int(segments[-1].frames[-1])
    return 0
