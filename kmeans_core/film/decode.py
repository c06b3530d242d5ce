"""Opening a film and decoding its sampled frames at analysis size, with PyAV.

PyAV's wheels bundle FFmpeg (H.264, HEVC, ProRes, DNxHD, VP9, AV1) and read
MP4, MOV, MKV and WebM. Frame threading is on (``thread_type="AUTO"``).

Sampling (:class:`Sampling`)
    ``"all"`` decodes every frame. ``"keyframes"`` sends only the packets
    the container marks as keyframes to the decoder (with
    ``skip_frame="NONKEY"`` as well): the others are demuxed and dropped
    unread. ``"every"`` takes the first frame at or after each multiple of
    N seconds, and decodes as little as that frame needs:

    * the packets are read a group of pictures (keyframe to keyframe) at a
      time, and the group's samples are found from the packets' timestamps
      before anything is decoded; a group that holds no sample is not
      decoded at all, and a group is decoded only up to its last sample;
    * inside a group, every packet but the samples' own is decoded with
      ``skip_frame="NONREF"``: the decoder drops the frames no other frame
      refers to (with x264's B-pyramid, about half the frames), which
      cannot change a frame it keeps. The samples' packets are decoded
      normally, so each sample is the very frame a full decode gives, bit
      for bit;
    * open groups of pictures (x265's default, x264's ``open-gop``) begin
      with frames shown before their keyframe that refer to the group
      before: when one of them is a sample, the group before is decoded to
      its end and the decoder goes on without a flush; and a seek to such a
      frame (a range's start) goes back one group more (:func:`_seek`).
      Checked on x265, x264 open-gop and VP9 clips, every start frame.

    Measured on the first 2 minutes of the bench clip (1080p H.264, x264
    ``veryfast``, groups of about 5 s; ``bench/film_bench.py --seconds
    120``), sampled every 2 s: 5.9 s of CPU, against 12.8 s to decode every
    frame in order; back to back, 9.9 s against 18.3 s of wall time for
    the same samples with every frame of their groups decoded, the same
    pixels. With a keyframe at least every 2 s (``--keyint 48``): 4.8 s
    against 12.7 s of CPU. A seek per sample was not added: a group that is
    skipped costs only its demuxing (0.04 s for the 2 minutes).

Frames are numbered from their timestamps (``round(t * fps)``), so that a
range decoded after a seek numbers them as the whole film does.

Analysis size (:data:`ANALYSIS_WIDTH`)
    Frames are scaled by FFmpeg (nearest neighbour, :data:`INTERPOLATION`)
    to 320 pixels wide, the height following the aspect ratio: 320 x 180
    for a 16:9 film, 1/36 of the pixels of 1080p. Each analysed pixel is
    one pixel of the frame, so the histogram is a sample of the frame's own
    colours, not of blends made by a filter. Measured with
    ``bench/film_analysis_size.py`` (k = 8, 1080p frames of the four
    scikit-image photos with grain, through yuv420p): the palette found at
    320 px redraws the full-size frame with a mean CIEDE2000 that differs
    from that of the palette found at full size by -0.01 to +0.06 (mean
    +0.02); with fast bilinear scaling -0.15 to +0.06 (mean -0.01), with
    area averaging -0.03 to +0.16 (mean +0.04). All are within the spread
    of k-means itself, far below a difference a viewer sees, for 2 to 5x
    less palette time per frame. Caveat: those photos are 451 to 640 px
    wide, so the 1080p frames hold no finer detail than they do; on native
    4K grain the cost may be larger.

10-bit sources (ProRes 422 HQ, 10-bit HEVC) are scaled and converted to RGB
at 16 bits per channel (``rgb48le``); the 8-bit sRGB values are rounded from
those, as the very last step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import VideoReformatter

__all__ = [
    "ANALYSIS_WIDTH",
    "FilmError",
    "INTERPOLATION",
    "Sampling",
    "VideoInfo",
    "analysis_pixels",
    "open_film",
    "probe",
    "read_frame",
    "sampled_frames",
]

#: The width, in pixels, frames are analysed at.
ANALYSIS_WIDTH = 320

#: FFmpeg's scaler for the analysis size. On 100 decoded 1080p frames, each
#: to 320 x 180 RGB (median, nothing else running): nearest neighbour 0.33 ms,
#: fast bilinear 0.73 ms, area averaging 0.91 ms, bilinear 1.57 ms; in the
#: pipeline, beside the decoder's threads, nearest neighbour took 1.2 ms of
#: wall time against 1.6 to 1.9 ms for fast bilinear. No measurable cost in
#: CIEDE2000 (see the module docstring).
INTERPOLATION = "POINT"

SAMPLING_MODES = ("all", "every", "keyframes")

#: How many groups of pictures a seek may go back to find one that shows before its target.
_SEEK_TRIES = 8


class FilmError(ValueError):
    """A file that cannot be read as a film; the message says why in one line."""


@dataclass(frozen=True)
class Sampling:
    """Which frames are analysed.

    Attributes
    ----------
    mode : {"all", "every", "keyframes"}
    every : float
        The interval in seconds, for ``mode="every"``.
    """

    mode: str = "every"
    every: float = 2.0

    def __post_init__(self):
        if self.mode not in SAMPLING_MODES:
            raise ValueError(f"mode={self.mode!r} must be one of {SAMPLING_MODES}")
        if self.mode == "every" and not (isinstance(self.every, (int, float)) and self.every > 0):
            raise ValueError(f"every={self.every!r} must be a number of seconds > 0")

    def describe(self) -> str:
        """``"every 2 s"``, ``"all frames"`` or ``"keyframes"``."""
        return {"all": "all frames", "keyframes": "keyframes"}.get(self.mode, f"every {self.every:g} s")


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about the film's video stream.

    Attributes
    ----------
    path : str
    width, height : int
        The coded frame size.
    fps : Fraction
        The frame rate (average, or guessed).
    n_frames : int
        The number of frames, from the header or estimated from the duration.
    duration : float
        In seconds.
    codec : str
    bit_depth : int
        Bits per colour component (8, 10, 12).
    """

    path: str
    width: int
    height: int
    fps: Fraction
    n_frames: int
    duration: float
    codec: str
    bit_depth: int

    @property
    def analysis_size(self) -> tuple[int, int]:
        """``(width, height)`` frames are analysed at."""
        if self.width <= ANALYSIS_WIDTH:
            return self.width, self.height
        return ANALYSIS_WIDTH, max(1, round(self.height * ANALYSIS_WIDTH / self.width))


def open_film(path: str | Path):
    """Open a film with PyAV; return ``(container, video_stream)``.

    Raises
    ------
    FilmError
        If the file is missing, is not a media file, is damaged beyond
        opening, or has no video stream (an audio file).
    """
    path = str(path)
    if not Path(path).is_file():
        raise FilmError(f"{path}: no such file")
    try:
        container = av.open(path)
    except av.FFmpegError as exc:
        raise FilmError(f"{path}: not a video file, or damaged or truncated beyond reading ({_reason(exc)})") from None
    if not container.streams.video:
        kinds = sorted({stream.type for stream in container.streams}) or ["no streams"]
        container.close()
        raise FilmError(f"{path}: has no video stream ({', '.join(kinds)} only)")
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    return container, stream


def probe(path: str | Path) -> VideoInfo:
    """The film's :class:`VideoInfo`; raises :class:`FilmError` as :func:`open_film`."""
    container, stream = open_film(path)
    try:
        ctx = stream.codec_context
        fps = stream.average_rate or stream.guessed_rate or Fraction(24)
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        else:
            duration = 0.0
        n_frames = stream.frames or max(1, round(duration * fps))
        fmt = ctx.format
        bit_depth = max((c.bits for c in fmt.components), default=8) if fmt is not None else 8
        if not ctx.width or not ctx.height:
            raise FilmError(f"{path}: the video stream has no frame size; the file is damaged")
        return VideoInfo(
            path=str(path),
            width=ctx.width,
            height=ctx.height,
            fps=Fraction(fps),
            n_frames=int(n_frames),
            duration=duration,
            codec=ctx.name,
            bit_depth=int(bit_depth),
        )
    finally:
        container.close()


def analysis_pixels(
    frame: av.VideoFrame, size: tuple[int, int], bit_depth: int, *, reformatter: VideoReformatter | None = None
) -> np.ndarray:
    """The frame scaled to ``size`` as ``(h, w, 3)`` uint8 sRGB.

    Sources deeper than 8 bits are scaled and converted at 16 bits and only
    then rounded to 8 bits.

    Parameters
    ----------
    frame : av.VideoFrame
    size : (width, height)
    bit_depth : int
    reformatter : av.video.reformatter.VideoReformatter, optional
        One reformatter reused for the frames of a decoder keeps FFmpeg's
        scaler set up between them: measured on 1080p H.264, 0.75 ms of CPU
        a frame against 1.37 ms with a new one each time, the same pixels.
        Not to be shared between threads.
    """
    width, height = size
    reformatter = VideoReformatter() if reformatter is None else reformatter
    if bit_depth > 8:
        deep = reformatter.reformat(frame, width=width, height=height, format="rgb48le", interpolation=INTERPOLATION)
        return ((deep.to_ndarray().astype(np.uint32) * 255 + 32767) // 65535).astype(np.uint8)
    return reformatter.reformat(
        frame, width=width, height=height, format="rgb24", interpolation=INTERPOLATION
    ).to_ndarray()


def sampled_frames(container, stream, sampling: Sampling, fps: Fraction, *, start: int = 0):
    """Yield ``(index, frame)`` for the sampled frames from frame ``start`` on.

    The caller stops iterating when it has what it needs. Frames are
    numbered ``round(t * fps)`` from their timestamps.

    Raises
    ------
    av.FFmpegError
        When the data is damaged (the caller decides what to keep).
    """
    tb = stream.time_base
    origin = stream.start_time or 0
    frames_per_tick = Fraction(tb) * Fraction(fps)
    numerator, denominator = frames_per_tick.numerator, frames_per_tick.denominator

    def index_of(pts) -> int:
        # round(float((pts - origin) * tb * fps)) without Fraction objects: int / int rounds as float() does.
        return round((pts - origin) * numerator / denominator)

    if start > 0:
        _seek(container, stream, origin + math.floor(start / fps / tb), start, index_of)
    if sampling.mode == "all":
        frames = container.decode(stream)
    elif sampling.mode == "keyframes":
        frames = _keyframes(container, stream)
    else:
        yield from _every(container, stream, sampling.every * float(fps), index_of, start)
        return
    for frame in frames:
        if frame.pts is None:
            continue
        index = index_of(frame.pts)
        if index >= start:
            yield index, frame


def _seek(container, stream, timestamp: int, start: int, index_of) -> None:
    """Seek to a keyframe from which frame ``start`` decodes.

    A seek lands on the last keyframe whose decoding timestamp is at or
    before the target. In an open group of pictures (x265's default, x264's
    ``open-gop``) the frames shown just before a keyframe are decoded after
    it and refer to the group before: when ``start`` is one of them, the
    keyframe found shows after it, and the seek goes back one group more
    (and again, a few times at most), so that they decode as in a full
    decode.
    """
    for _ in range(_SEEK_TRIES):
        container.seek(timestamp, stream=stream, backward=True, any_frame=False)
        first = next((p for p in container.demux(stream) if p.size and p.pts is not None), None)
        if first is None or index_of(first.pts) <= start or timestamp <= (stream.start_time or 0):
            break
        earlier = first.dts if first.dts is not None else first.pts
        timestamp = min(timestamp, earlier) - 1
    container.seek(timestamp, stream=stream, backward=True, any_frame=False)


def _keyframes(container, stream):
    """The decoded keyframes: only the packets marked as keyframes reach the decoder."""
    ctx = stream.codec_context
    ctx.skip_frame = "NONKEY"
    for packet in container.demux(stream):
        if packet.size and packet.is_keyframe:
            yield from ctx.decode(packet)
    yield from ctx.decode(None)


def _every(container, stream, step: float, index_of, start: int):
    """``(index, frame)`` of the first frame at or after each multiple of ``step`` frames, from ``start``."""
    target = _first_target(start, step)
    planned = target  # the plan's own count, made from the packets' timestamps ahead of decoding
    ctx = stream.codec_context

    def emit(frames):
        nonlocal target
        for frame in frames:
            if frame.pts is None:
                continue
            index = index_of(frame.pts)
            if index >= round(target * step):
                target = _next_target(index, step)
                yield index, frame

    for group, following in _with_next(_groups_of_pictures(container, stream)):
        samples, planned = _samples_of(group, planned, step, index_of)
        # An open group of pictures (x265's default) starts with leading frames that show before its
        # keyframe and refer to this group's frames: when one is a sample, this group is decoded to
        # its end and the decoder is not flushed before the next.
        carry = following is not None and _leads_with_a_sample(following, planned, step, index_of)
        if not samples and not carry:  # no sample in this group: do not decode it
            continue
        for packet in group:
            needed = packet.pts is None or index_of(packet.pts) in samples
            ctx.skip_frame = "DEFAULT" if needed else "NONREF"
            yield from emit(ctx.decode(packet))
            if not carry and round(target * step) > samples[-1]:  # the samples are out: skip the rest
                break
        if not carry:
            ctx.skip_frame = "DEFAULT"
            yield from emit(ctx.decode(None))
            ctx.flush_buffers()


def _samples_of(group, target: int, step: float, index_of) -> tuple[list[int], int]:
    """The frames of a group of pictures that are samples, from its packets' timestamps, in order.

    The same rule as the decoded frames follow: the first frame at or after
    sample ``target``, then the first after that at or after the next one.
    Returns the samples and the sample number that comes after them.
    """
    samples = []
    for index in sorted(index_of(p.pts) for p in group if p.pts is not None):
        if index >= round(target * step):
            samples.append(index)
            target = _next_target(index, step)
    return samples, target


def _leads_with_a_sample(group, target: int, step: float, index_of) -> bool:
    """Whether one of the group's samples shows before its keyframe (a leading frame of an open group)."""
    if group[0].pts is None:
        return False
    keyframe = index_of(group[0].pts)
    samples, _ = _samples_of(group, target, step, index_of)
    return bool(samples) and samples[0] < keyframe


def _with_next(items):
    """``(item, the next item or None)`` for each item."""
    iterator = iter(items)
    current = next(iterator, None)
    while current is not None:
        following = next(iterator, None)
        yield current, following
        current = following


def _first_target(start: int, step: float) -> int:
    """The first sample number ``j`` whose frame ``round(j * step)`` is at or after ``start``."""
    j = max(0, math.ceil(start / step) - 1)
    while round(j * step) < start:
        j += 1
    return j


def _next_target(index: int, step: float) -> int:
    """The first sample number whose frame comes after frame ``index``."""
    return _first_target(index + 1, step)


def _groups_of_pictures(container, stream):
    """The stream's packets in lists that each start at a keyframe."""
    group = []
    for packet in container.demux(stream):
        if packet.size == 0:  # the demuxer's final empty packet
            continue
        if packet.is_keyframe and group:
            yield group
            group = []
        group.append(packet)
    if group:
        yield group


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return " ".join(str(text).split())


def read_frame(info: VideoInfo, index: int) -> np.ndarray:
    """Frame ``index`` at analysis size, decoded after a seek, as ``(h, w, 3)`` uint8.

    Raises
    ------
    FilmError
        If the frame cannot be decoded.
    """
    container, stream = open_film(info.path)
    try:
        for found, frame in sampled_frames(container, stream, Sampling("all"), info.fps, start=index):
            if found >= index:
                return analysis_pixels(frame, info.analysis_size, info.bit_depth)
    except av.FFmpegError as exc:
        raise FilmError(f"{info.path}: frame {index} cannot be decoded ({_reason(exc)})") from None
    finally:
        container.close()
    raise FilmError(f"{info.path}: frame {index} is past the end of the film")
