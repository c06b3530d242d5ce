"""A scene of 12 stills at 1080p to its scene palette and drift, against extract_palette on each still.

The stills are 1920 x 1080 JPEGs (quality 90) made from scikit-image's
chelsea photo, each reframed a little (a crop shifted by a few pixels, then
scaled to 1080p), with two frames of coffee as other shots. They are decoded
one at a time; only each still's histogram (its distinct colours and their
counts) is kept, so no frame stays in memory.

Timed (median of 3):

* ``scene``: the stills' histograms (frame_region, which runs the border
  detection and builds the histogram) -> scene_palette (k = 8, equal
  weighting) -> scene_drift;
* ``per still``: extract_palette (k = 8) on each decoded still, the way a
  scene was seen before (one palette per still, no drift).

Decoding the JPEGs is timed on its own and left out of both.

Memory: the peak traced by ``tracemalloc`` for 4, 8 and 12 stills, while the
scene is made (decoding included, as the stills stream through).

Run: ``python bench/scene_bench.py``. The machine has 2 cores; say whether
anything else ran.
"""

from __future__ import annotations

import io
import sys
import tracemalloc
from pathlib import Path

from PIL import Image
from skimage import data as skdata

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import median_seconds  # noqa: E402
from kmeans_core import (  # noqa: E402
    MergedHistogram,
    extract_palette,
    frame_region,
    load_still,
    scene_drift,
    scene_palette,
)

K = 8
N_STILLS = 12
SIZE = (1920, 1080)


def scene_files(n: int) -> list[bytes]:
    """n 1080p JPEGs: reframings of one photo, every sixth from another."""
    files = []
    for i in range(n):
        photo = skdata.coffee() if i % 6 == 5 else skdata.chelsea()
        h, w = photo.shape[:2]
        crop = photo[2 * (i % 6) : h - 12 + 2 * (i % 6), 3 * (i % 6) : w - 18 + 3 * (i % 6)]
        buffer = io.BytesIO()
        Image.fromarray(crop).resize(SIZE, Image.Resampling.LANCZOS).save(buffer, "JPEG", quality=90)
        files.append(buffer.getvalue())
    return files


def run_scene(files: list[bytes]):
    histograms = []
    for data in files:
        still = frame_region(load_still(data))
        histograms.append(MergedHistogram(colors=still.histogram.colors, counts=still.histogram.counts))
        del still
    palette = scene_palette(histograms, K)
    return palette, scene_drift(histograms, palette)


def main() -> None:
    files = scene_files(N_STILLS)
    decode = median_seconds(lambda: [load_still(data) for data in files])
    stills = [load_still(data) for data in files]
    regions = median_seconds(lambda: [frame_region(s) for s in stills])

    def scene_from_stills():
        histograms = [frame_region(s).histogram for s in stills]
        palette = scene_palette(histograms, K)
        return scene_drift(histograms, palette)

    scene = median_seconds(scene_from_stills)
    per_still = median_seconds(lambda: [extract_palette(s, K) for s in stills])
    colours = [s.n_colors for s in stills]
    result = scene_from_stills()
    stills = None  # the decoded frames go before memory is measured

    print(f"{N_STILLS} stills at {SIZE[0]}x{SIZE[1]}, k={K}; {min(colours):,}-{max(colours):,} distinct colours each")
    print(f"decoding (not in the figures below): {decode:.2f} s")
    print(
        f"scene (frame_region {regions:.2f} s: bar detection, histograms come with decoding; palette, drift): "
        f"{scene:.2f} s   target < 2 s"
    )
    print(f"extract_palette on each still: {per_still:.2f} s")
    print(f"flagged: {result.flagged.astype(int).tolist()}  (stills 6 and 12 are the other shot)")

    for n in (4, 8, 12):
        subset = scene_files(n)
        tracemalloc.start()
        run_scene(subset)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak memory, {n:2d} stills streamed: {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
