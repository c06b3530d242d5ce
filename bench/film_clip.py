"""The benchmark's clip: 10 minutes of 1080p H.264 made of scikit-image photos, cached.

Shots of 2 to 8 seconds (seeded), each a different crop and zoom of one of
six photos, with a window drifting a pixel every few frames and a light grain
on the luma, encoded with libx264 (``veryfast``, CRF 23, x264's default
keyframe interval of 250 frames with scene-cut keyframes), 24 fps. Frames are
built directly in yuv420p, so that making the clip costs little more than
encoding it. The true cuts are written beside it as JSON.

Run ``python bench/film_clip.py`` to make it (once; it is cached under
``bench/output/``, which git ignores).
"""

from __future__ import annotations

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
CLIP = OUTPUT / "film_10min_1080p.mp4"
CUTS = OUTPUT / "film_10min_1080p.cuts.json"
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


def make_clip(path: Path = CLIP, cuts_path: Path = CUTS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(12)
    photos = [getattr(skdata, name)() for name in PHOTOS]
    grain = [rng.normal(0, 1.5, (HEIGHT, WIDTH)).astype(np.int16) for _ in range(4)]
    total = SECONDS * FPS
    lengths = []
    while sum(lengths) < total:
        lengths.append(int(rng.integers(2 * FPS, 8 * FPS + 1)))
    lengths[-1] -= sum(lengths) - total
    start = time.perf_counter()
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        stream.time_base = Fraction(1, FPS)
        stream.options = {"preset": "veryfast", "crf": "23"}
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


def ensure_clip() -> tuple[Path, list[int]]:
    """The cached clip and its true cuts (first frames of shots 2, 3, ...)."""
    if not (CLIP.exists() and CUTS.exists()):
        make_clip()
    return CLIP, json.loads(CUTS.read_text())["cuts"]


if __name__ == "__main__":
    started = time.perf_counter()
    clip, cuts = ensure_clip()
    print(f"{clip}: {len(cuts) + 1} shots, made in {time.perf_counter() - started:.0f} s")
