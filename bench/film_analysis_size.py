"""What analysing film frames at 320 px wide costs in CIEDE2000, against full size.

For each scikit-image photo, a 1920 x 1080 frame is made (the photo covering
it, with the grain of the test clips), converted to yuv420p as a decoder
would hand it over, and then read back two ways: at full size, and scaled to
the analysis size by FFmpeg with the pipeline's scaler (or the one named). A
palette (k = 8) is found on each; both palettes then redraw the full-size
frame, and the mean CIEDE2000 of each redrawn frame is reported. The cost of
the analysis size is the difference.

Run: ``python bench/film_analysis_size.py [AREA|FAST_BILINEAR|...]`` (default: the pipeline's scaler).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import av
import numpy as np
from skimage import data as skdata

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kmeans_core import extract_palette, frame_quality, quantize, still_from_pixels  # noqa: E402
from kmeans_core.film.decode import ANALYSIS_WIDTH  # noqa: E402
from kmeans_core.film.decode import INTERPOLATION as FILM_INTERPOLATION
from tests.film.clipmaker import ShotSpec, make_frames  # noqa: E402

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")
K = 8
INTERPOLATION = sys.argv[1] if len(sys.argv) > 1 else FILM_INTERPOLATION


def main() -> None:
    rows = []
    for name in PHOTOS:
        rgb = next(make_frames(ShotSpec(getattr(skdata, name)(), 1), 1920, 1080))
        decoded = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
        full = decoded.to_ndarray(format="rgb24")
        small = decoded.reformat(
            width=ANALYSIS_WIDTH, height=180, format="rgb24", interpolation=INTERPOLATION
        ).to_ndarray()
        still = still_from_pixels(full)
        start = time.perf_counter()
        at_full = extract_palette(still, K)
        full_seconds = time.perf_counter() - start
        start = time.perf_counter()
        at_small = extract_palette(still_from_pixels(small), K)
        small_seconds = time.perf_counter() - start
        de_full = frame_quality(still, quantize(still, at_full)).mean
        de_small = frame_quality(still, quantize(still, at_small)).mean
        rows.append((name, de_full, de_small, full_seconds, small_seconds))
    print(f"{'photo':<10} {'dE full':>8} {'dE 320':>8} {'cost':>6} {'s full':>7} {'s 320':>6}")
    for name, a, b, ta, tb in rows:
        print(f"{name:<10} {a:8.3f} {b:8.3f} {b - a:+6.3f} {ta:7.2f} {tb:6.2f}")
    mean_cost = np.mean([b - a for _, a, b, _, _ in rows])
    print(f"mean cost of the analysis size: {mean_cost:+.3f} CIEDE2000 (k={K})")


if __name__ == "__main__":
    main()
