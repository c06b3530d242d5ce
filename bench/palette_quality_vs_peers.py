"""Palette quality at the same k: our default palette against the peers a
director might use instead.

Every method gives k colours; every one is scored the same way: each pixel
is recoloured to its nearest palette colour (in CIELAB), and the mean and
95th-percentile CIEDE2000 between the photo and the recoloured frame are
measured with :func:`kmeans_core.frame_quality`. Lower is better.

Peers: Pillow's median cut and fast octree (always there), Pylette's k-means
and colorthief (each only if it is installed; neither is a dependency of the
project: ``pip install pylette colorthief`` to include them).

With ``--friends``, the table is instead one row per method and colour space
of :func:`kmeans_core.extract_palette` (``kmeans_core.METHODS`` x ``SPACES``, each with
its default refinement: median steps for k-means, none for the others), with
the mean and 95th-percentile CIEDE2000 over the photos at each k of ``--ks``
and the mean time per photo.

Usage::

    python bench/palette_quality_vs_peers.py [-k 8] [--photos astronaut,coffee,...]
    python bench/palette_quality_vs_peers.py --friends [--ks 4,8,16] [--photos ...]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time

import numpy as np
from PIL import Image
from skimage import data as skdata

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kmeans_core import METHODS as OUR_METHODS  # noqa: E402
from kmeans_core import SPACES, Palette, extract_palette, frame_quality, quantize, still_from_pixels  # noqa: E402

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")


def ours(pixels: np.ndarray, k: int) -> np.ndarray:
    return extract_palette(still_from_pixels(pixels), k).rgb


def pillow(method):
    def run(pixels: np.ndarray, k: int) -> np.ndarray:
        image = Image.fromarray(pixels).quantize(colors=k, method=method)
        used = np.unique(np.asarray(image))
        return np.array(image.getpalette()[: 3 * 256], dtype=np.uint8).reshape(-1, 3)[used]

    return run


def pylette(pixels: np.ndarray, k: int) -> np.ndarray:
    from pylette import extract_colors

    palette = extract_colors(image=pixels, palette_size=k)
    return np.array([color.rgb for color in palette.colors], dtype=np.uint8)


def colorthief(pixels: np.ndarray, k: int) -> np.ndarray:
    from colorthief import ColorThief

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    buffer.seek(0)
    return np.array(ColorThief(buffer).get_palette(color_count=k, quality=1), dtype=np.uint8)


METHODS = {
    "ours (default: CIELAB k-means + median steps)": ours,
    "Pillow median cut": pillow(Image.Quantize.MEDIANCUT),
    "Pillow fast octree": pillow(Image.Quantize.FASTOCTREE),
    "Pylette k-means": pylette,
    "colorthief": colorthief,
}


def score(pixels: np.ndarray, rgb: np.ndarray):
    """(mean, p95) CIEDE2000 after recolouring each pixel to its nearest colour."""
    rgb = np.unique(np.asarray(rgb, dtype=np.uint8).reshape(-1, 3), axis=0)
    still = still_from_pixels(pixels)
    palette = Palette(rgb=rgb, shares=np.full(len(rgb), 1 / len(rgb)), inertia=float("nan"), space="lab")
    quality = frame_quality(still, quantize(still, palette))
    return quality.mean, quality.p95, len(rgb)


def friends(photos: list[str], ks: list[int]) -> None:
    """One row per method and space: mean (p95) CIEDE2000 at each k, averaged over the photos, and time."""
    stills = {name: still_from_pixels(np.ascontiguousarray(getattr(skdata, name)()[:, :, :3])) for name in photos}
    print(f"Mean CIEDE2000 (95th percentile), averaged over {', '.join(photos)}; time per photo and k")
    print(f"{'method':<10} {'space':<6} " + "  ".join(f"{f'k={k}':>14}" for k in ks) + f"  {'time':>7}")
    rows = []
    for method in OUR_METHODS:
        for space in SPACES:
            cells, seconds = [], []
            for k in ks:
                means, p95s = [], []
                for still in stills.values():
                    start = time.perf_counter()
                    palette = extract_palette(still, k, method=method, space=space)
                    seconds.append(time.perf_counter() - start)
                    quality = frame_quality(still, quantize(still, palette))
                    means.append(quality.mean)
                    p95s.append(quality.p95)
                cells.append((float(np.mean(means)), float(np.mean(p95s))))
            rows.append((method, space, cells))
            print(
                f"{method:<10} {space:<6} "
                + "  ".join(f"{m:6.2f} ({p:5.2f})" for m, p in cells)
                + f"  {np.mean(seconds):6.2f}s",
                flush=True,
            )
    for i, k in enumerate(ks):
        method, space, cells = min(rows, key=lambda row: row[2][i][0])
        print(f"Lowest mean at k={k}: {method} in {space}, {cells[i][0]:.2f} ({cells[i][1]:.2f})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, default=8)
    parser.add_argument("--photos", default=",".join(PHOTOS), help="scikit-image photos, comma-separated")
    parser.add_argument("--friends", action="store_true", help="every method and space of extract_palette instead")
    parser.add_argument("--ks", default="4,8,16", help="with --friends: the values of k, comma-separated")
    args = parser.parse_args(argv)
    photos = [name.strip() for name in args.photos.split(",") if name.strip()]
    if args.friends:
        friends(photos, [int(k) for k in args.ks.split(",")])
        return 0

    results: dict[str, dict[str, tuple]] = {}
    for method, run in METHODS.items():
        for name in photos:
            pixels = np.ascontiguousarray(getattr(skdata, name)()[:, :, :3])
            try:
                start = time.perf_counter()
                rgb = run(pixels, args.k)
                elapsed = time.perf_counter() - start
            except ImportError:
                results[method] = None
                break
            results.setdefault(method, {})[name] = (*score(pixels, rgb), elapsed)

    width = max(len(m) for m in METHODS)
    print(f"Mean CIEDE2000 (95th percentile) at k={args.k}, every pixel recoloured to its nearest palette colour")
    print(
        f"{'method':<{width}}  "
        + "  ".join(f"{name:>15}" for name in photos)
        + f"  {'mean':>6}  {'p95':>6}  {'time/photo':>10}"
    )
    for method, rows in results.items():
        if rows is None:
            print(f"{method:<{width}}  (not installed: skipped)")
            continue
        cells = []
        for name in photos:
            mean, p95, n, _ = rows[name]
            mark = "" if n == args.k else f"[{n}]"
            cells.append(f"{mean:6.2f} ({p95:5.2f}){mark:>0}".rjust(15))
        overall = np.mean([rows[name][0] for name in photos])
        p95 = np.mean([rows[name][1] for name in photos])
        seconds = np.mean([rows[name][3] for name in photos])
        print(f"{method:<{width}}  " + "  ".join(cells) + f"  {overall:6.2f}  {p95:6.2f}  {seconds:9.3f}s")
    print("[n]: the method gave only n distinct colours.")

    scored = {m: np.mean([r[name][0] for name in photos]) for m, r in results.items() if r is not None}
    best_peer = min((v, m) for m, v in scored.items() if not m.startswith("ours"))
    mine = next(v for m, v in scored.items() if m.startswith("ours"))
    verdict = "wins" if mine < best_peer[0] else "LOSES"
    print(f"Our default {verdict}: {mine:.2f} against the best peer, {best_peer[1]}, at {best_peer[0]:.2f}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
