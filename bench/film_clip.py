"""The benchmark's clip: 10 minutes of 1080p H.264 made of scikit-image photos, cached.

Shots of 2 to 8 seconds (seeded), each a different crop and zoom of one of
six photos, with a window drifting a pixel every few frames and a light grain
on the luma, encoded with libx264 at 24 fps (``veryfast``, CRF 23: 3 B-frames
with B-pyramid, so about half the frames are non-reference B-frames).

Groups of pictures (``keyint``)
    By default x264's own: a keyframe at most every 250 frames (10.4 s) and
    at every scene cut, which here means one per shot, so groups of 2 to 8
    seconds (about 5 s on average), as in a film encoded for a file.
    ``keyint=48`` gives at most 2 s between keyframes (scene cuts still add
    keyframes), as streaming encodes use.

Frames are built directly in yuv420p, so that making the clip costs little
more than encoding it. The true cuts are written beside it as JSON. The
first N seconds of the clip (``seconds``) are the first N seconds of the
10-minute one: same shots, same frames.

Run ``python bench/film_clip.py [--seconds 120] [--keyint 48]`` to make one
(once; it is cached under ``bench/output/``, which git ignores).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image
from skimage import data as skdata

OUTPUT = Path(__file__).resolve().parent / "output"
PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field", "immunohistochemistry")
WIDTH, HEIGHT, FPS, SECONDS = 1920, 1080, 24, 600
MARGIN = 32


def _shot_base(photo: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random crop (60 to 100% of each side) of the photo, covering the frame plus a margin, in yuv420p planes."""
    h, w = photo.shape[:2]
    fraction = rng.uniform(0.6, 1.0)
    ch, cw = int(h * fraction), int(w * fraction)
    top, left = rng.integers(0, h - ch + 1), rng.integers(0, w - cw + 1)
    crop = Image.fromarray(photo[top : top + ch, left : left + cw])
    tw, th = WIDTH + MARGIN, HEIGHT + MARGIN
    scale = max(tw / crop.width, th / crop.height)
    crop = crop.resize(
        (max(tw, round(crop.width * scale)), max(th, round(crop.height * scale))), Image.Resampling.BILINEAR
    )
    rgb = np.asarray(crop)[:th, :tw]
    packed = (
        av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24").reformat(format="yuv420p").to_ndarray()
    )
    y = packed[:th]
    u = packed[th : th + th // 4].reshape(th // 2, tw // 2)
    v = packed[th + th // 4 :].reshape(th // 2, tw // 2)
    return y, u, v


def clip_paths(seconds: int = SECONDS, keyint: int | None = None) -> tuple[Path, Path]:
    """The cached clip of that length and keyframe interval, and its cuts' JSON."""
    length = f"{seconds // 60}min" if seconds % 60 == 0 else f"{seconds}s"
    stem = f"film_{length}_1080p" + ("" if keyint is None else f"_keyint{keyint}")
    return OUTPUT / f"{stem}.mp4", OUTPUT / f"{stem}.cuts.json"


def make_clip(path: Path, cuts_path: Path, *, seconds: int = SECONDS, keyint: int | None = None) -> Path:
    """Encode the clip (see the module docstring) and write its true cuts beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(12)
    photos = [getattr(skdata, name)() for name in PHOTOS]
    grain = [rng.normal(0, 1.5, (HEIGHT, WIDTH)).astype(np.int16) for _ in range(4)]
    total = SECONDS * FPS
    lengths = []
    while sum(lengths) < total:
        lengths.append(int(rng.integers(2 * FPS, 8 * FPS + 1)))
    lengths[-1] -= sum(lengths) - total
    total = seconds * FPS  # a shorter clip is the start of the 10-minute one
    ends = np.cumsum(lengths)
    lengths = lengths[: int(np.searchsorted(ends, total)) + 1]
    lengths[-1] -= sum(lengths) - total
    start = time.perf_counter()
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.time_base = Fraction(1, FPS)
        stream.options = {"preset": "veryfast", "crf": "23", **({} if keyint is None else {"g": str(keyint)})}
        pts, previous = 0, -1
        for number, length in enumerate(lengths):
            choice = int(rng.integers(len(photos)))
            if choice == previous:  # consecutive shots show different photos
                choice = (choice + 1) % len(photos)
            previous = choice
            y, u, v = _shot_base(photos[choice], rng)
            for i in range(length):
                dx, dy = 2 * ((i // 3) % (MARGIN // 2)), 2 * ((i // 5) % (MARGIN // 2))
                luma = np.clip(y[dy : dy + HEIGHT, dx : dx + WIDTH] + grain[i % 4], 0, 255).astype(np.uint8)
                cu = u[dy // 2 : dy // 2 + HEIGHT // 2, dx // 2 : dx // 2 + WIDTH // 2]
                cv = v[dy // 2 : dy // 2 + HEIGHT // 2, dx // 2 : dx // 2 + WIDTH // 2]
                packed = np.concatenate([luma, cu.reshape(HEIGHT // 4, WIDTH), cv.reshape(HEIGHT // 4, WIDTH)])
                frame = av.VideoFrame.from_ndarray(packed, format="yuv420p")
                frame.pts = pts
                pts += 1
                for packet in stream.encode(frame):
                    container.mux(packet)
            if number % 20 == 0:
                print(f"  clip: {pts}/{total} frames, {time.perf_counter() - start:.0f} s", file=sys.stderr)
        for packet in stream.encode():
            container.mux(packet)
    cuts = np.cumsum(lengths)[:-1].tolist()
    cuts_path.write_text(json.dumps({"fps": FPS, "frames": total, "cuts": cuts}))
    return path


def ensure_clip(seconds: int = SECONDS, keyint: int | None = None) -> tuple[Path, list[int]]:
    """The cached clip and its true cuts (first frames of shots 2, 3, ...), made on first use."""
    clip, cuts = clip_paths(seconds, keyint)
    if not (clip.exists() and cuts.exists()):
        make_clip(clip, cuts, seconds=seconds, keyint=keyint)
    return clip, json.loads(cuts.read_text())["cuts"]


def clip_arguments(parser: argparse.ArgumentParser) -> None:
    """``--seconds`` and ``--keyint``, shared with the benchmark."""
    parser.add_argument("--seconds", type=int, default=SECONDS, help=f"clip length (default {SECONDS})")
    parser.add_argument("--keyint", type=int, default=None, help="most frames between keyframes (default: x264's, 250)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    clip_arguments(parser)
    args = parser.parse_args()
    started = time.perf_counter()
    clip, cuts = ensure_clip(args.seconds, args.keyint)
    print(f"{clip}: {len(cuts) + 1} shots, made in {time.perf_counter() - started:.0f} s")
