"""Generated clips for the film tests and the benchmark: shots made of still photos.

Each shot is one photo, cropped from a slightly larger copy of it through a
window that drifts by a pixel every few frames (slight motion), with a little
seeded noise, so that consecutive frames differ as in a real shot. Nothing is
downloaded: the photos are scikit-image's.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

__all__ = ["CODECS", "ShotSpec", "make_frames", "write_clip", "write_audio_only"]

#: Codec name -> (pixel format, container options).
CODECS = {
    "h264": ("libx264", "yuv420p"),
    "prores": ("prores_ks", "yuv422p10le"),
}


@dataclass(frozen=True)
class ShotSpec:
    """One shot: a photo (``(h, w, 3)`` uint8) shown for ``n_frames`` frames."""

    photo: np.ndarray
    n_frames: int


def _fit(photo: np.ndarray, width: int, height: int, margin: int) -> np.ndarray:
    """The photo resized (and centre-cropped) to cover ``width + margin`` x ``height + margin``."""
    image = Image.fromarray(np.asarray(photo, dtype=np.uint8))
    target_w, target_h = width + margin, height + margin
    scale = max(target_w / image.width, target_h / image.height)
    size = (max(target_w, round(image.width * scale)), max(target_h, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.BILINEAR)
    left, top = (size[0] - target_w) // 2, (size[1] - target_h) // 2
    return np.asarray(image.crop((left, top, left + target_w, top + target_h)))


def make_frames(shot: ShotSpec, width: int, height: int, *, seed: int = 0, noise: float = 2.0):
    """Yield the shot's frames as ``(height, width, 3)`` uint8 arrays."""
    margin = 8
    base = _fit(shot.photo, width, height, margin)
    rng = np.random.default_rng(seed)
    for i in range(shot.n_frames):
        dx = (i // 3) % margin
        dy = (i // 5) % margin
        frame = base[dy : dy + height, dx : dx + width].astype(np.float32)
        if noise:
            frame += rng.normal(0.0, noise, size=(height, width, 1)).astype(np.float32)
        yield np.clip(frame, 0, 255).astype(np.uint8)


def write_clip(
    path: str | Path,
    shots: list[ShotSpec],
    *,
    width: int = 320,
    height: int = 180,
    fps: int = 24,
    codec: str = "h264",
    gop: int | None = None,
    bframes: int = 0,
    open_gop: bool = False,
    bars: int = 0,
    noise: float = 2.0,
    extra_frames=None,
) -> Path:
    """Encode the shots one after another into ``path`` (MP4 or MOV by its suffix).

    ``bars`` paints that many black rows (noisy, 0 to 30) at the top and the
    bottom of every frame, as a letterbox. ``gop`` is the keyframe interval
    and ``bframes`` the B-frames between reference frames, in a B-pyramid,
    so that some frames are not references; ``open_gop`` lets the B-frames
    shown just before a keyframe refer to the group before it (x264 only).
    Returns the path.
    """
    path = Path(path)
    encoder, pix_fmt = CODECS[codec]
    with av.open(str(path), "w") as container:
        stream = container.add_stream(encoder, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        stream.time_base = Fraction(1, fps)
        if encoder == "libx264":
            options = {"preset": "ultrafast", "crf": "18"}
            if gop is not None:
                options.update({"g": str(gop), "keyint_min": str(gop), "sc_threshold": "0"})
            if bframes:
                options["x264-params"] = f"bframes={bframes}:b-pyramid=normal:b-adapt=0" + (
                    ":open-gop=1" if open_gop else ""
                )
            stream.options = options
        rng = np.random.default_rng(1)
        pts = 0
        for number, shot in enumerate(shots):
            for frame in make_frames(shot, width, height, seed=number, noise=noise):
                if bars:
                    frame = frame.copy()
                    frame[:bars] = rng.integers(0, 31, size=(bars, width, 3), dtype=np.uint8)
                    frame[-bars:] = rng.integers(0, 31, size=(bars, width, 3), dtype=np.uint8)
                video_frame = av.VideoFrame.from_ndarray(frame, format="rgb24")
                video_frame.pts = pts
                pts += 1
                for packet in stream.encode(video_frame):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def write_audio_only(path: str | Path, *, seconds: float = 1.0, rate: int = 48000) -> Path:
    """An M4A-style MP4 holding one AAC audio stream and no video."""
    path = Path(path)
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate)
        stream.layout = "mono"
        n = int(seconds * rate)
        t = np.arange(n) / rate
        samples = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32).reshape(1, -1)
        frame_size = 1024
        for start in range(0, n, frame_size):
            chunk = samples[:, start : start + frame_size]
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="fltp", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
