"""Our weighted k-means on the colour histogram against scikit-learn.

For each still (the scikit-image photos, and a 3840x2160 and a 4000x3000
frame made from them: each photo resized into one quarter of the frame,
Lanczos, then saved as JPEG) and each k, all from the same initial centres
(greedy k-means++ on the histogram) in one run:

* ours: ``kmeans`` on the histogram (colours, counts), in CIELAB;
* scikit-learn's ``KMeans(algorithm="lloyd", n_init=1)`` on every pixel;
* scikit-learn on our weighted histogram (``sample_weight=counts``).

Each reports its time, the ratio to ours, its inertia and its peak memory
(tracemalloc, in a separate untimed run; tracing slows scikit-learn's loop
several times over, so no timed run is traced). scikit-learn's ``tol`` is scaled so
that its absolute tolerance equals ours (it uses the unweighted variance of
its input, we use the pixel-weighted one), so all three stop by the same
rule. "ours e2e" is end to end from the decoded still: histogram, CIELAB
conversion of the distinct colours, Lloyd, and the label of every pixel (a
gather through the inverse index); scikit-learn's per-pixel time is its fit
alone, without the CIELAB conversion of every pixel that it would need too.

Stage times of ours: decode (Pillow, bytes to array), histogram, CIELAB,
init (k-means++), Lloyd, labels. Then the targets of issue 15 that the fit
table does not show: k-means++ on each histogram against scikit-learn's
``kmeans_plusplus`` with the same weights; the palette of a 3840x2160 JPEG
at k=8, from bytes to palette (``load_still`` + ``extract_palette``, median
steps included) against Pillow's decode of the same file; ``sweep_k`` over
2..16 on a 1366x768 frame. Every time is the median of ``--repeat`` runs
(5 by default), except scikit-learn on every pixel (one run). The kernels
are compiled (``warm_up``) before anything is timed. Measure on a quiet
machine: the load average is printed at the start and at the end.

Usage::

    python bench/kmeans_vs_sklearn.py            # about 5 minutes on 2 idle cores
    python bench/kmeans_vs_sklearn.py --quick    # astronaut and 4000x3000 only, k=8 and 16
    python bench/kmeans_vs_sklearn.py --full     # scikit-learn on every pixel for every row

By default scikit-learn on every pixel of the two large frames runs only at
k=16 (each such fit takes tens of seconds); ``--full`` runs it for all k.

OpenBLAS: where OPENBLAS_CORETYPE is set on this machine it slows a current
NumPy; to benchmark, unset it (and OPENBLAS_L2_SIZE) for this command alone:
``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/...``.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
import time
import tracemalloc

import numpy as np
from PIL import Image
from skimage import data as skdata

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kmeans_core import (  # noqa: E402
    color_histogram,
    extract_palette,
    kmeans,
    kmeans_plusplus,
    load_still,
    rgb_to_space,
    sweep_k,
    warm_up,
)

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")
BIG = {"frame 3840x2160": (3840, 2160), "frame 4000x3000": (4000, 3000)}


def mosaic(width: int, height: int) -> np.ndarray:
    """The four photos, each resized into one quarter of a width x height frame."""
    tiles = [
        np.asarray(Image.fromarray(getattr(skdata, name)()).resize((width // 2, height // 2), Image.Resampling.LANCZOS))
        for name in PHOTOS
    ]
    return np.vstack([np.hstack(tiles[:2]), np.hstack(tiles[2:])])


def jpeg(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def median_time(fn, repeat: int):
    """(result of the last call, the median wall time of ``repeat`` calls)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, float(np.median(times))


def peak_mb(fn) -> float:
    """Peak memory traced while ``fn`` runs, above what was held before, in MB."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - base) / 1e6


def sk_tol(X: np.ndarray, w: np.ndarray, tol: float) -> float:
    mean = np.average(X, axis=0, weights=w)
    weighted = np.mean(np.average((X - mean) ** 2, axis=0, weights=w))
    return tol * weighted / np.mean(np.var(X, axis=0))


def blas_note() -> str:
    try:
        from threadpoolctl import threadpool_info

        blas = [
            f"{i['internal_api']} {i.get('version')} {i.get('architecture')} x{i['num_threads']}"
            for i in threadpool_info()
            if i["user_api"] == "blas"
        ]
    except ImportError:  # pragma: no cover
        blas = ["threadpoolctl not installed"]
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    return f"BLAS: {'; '.join(blas)}; OPENBLAS_CORETYPE={coretype or 'unset'}; {os.cpu_count()} cores"


def run_still(name: str, data: bytes, ks, *, sk_pixels_ks, sk_pixels_memory: bool, repeat: int, tol: float = 1e-4):
    from sklearn.cluster import KMeans

    stages = {}
    pixels, stages["decode"] = median_time(lambda: np.asarray(Image.open(io.BytesIO(data)).convert("RGB")), repeat)
    hist, stages["histogram"] = median_time(lambda: color_histogram(pixels), repeat)
    X, stages["lab"] = median_time(lambda: rgb_to_space(hist.colors, "lab"), repeat)
    w = hist.counts.astype(np.float64)
    h, wd = pixels.shape[:2]
    rows = []
    every_pixel = None
    for k in ks:
        (init, _), t_init = median_time(lambda: kmeans_plusplus(X, k, sample_weight=w, seed=0), repeat)
        ours, t_lloyd = median_time(lambda: kmeans(X, k, sample_weight=w, init=init, tol=tol), repeat)
        _, t_labels = median_time(lambda: ours.labels.astype(np.int32)[hist.inverse], repeat)
        e2e = stages["histogram"] + stages["lab"] + t_lloyd + t_labels
        make_sk = lambda X_, tol_: KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd", tol=tol_, max_iter=300)
        sk_h, t_sk_h = median_time(lambda: make_sk(X, sk_tol(X, w, tol)).fit(X, sample_weight=w), repeat)
        row = dict(
            still=name,
            size=f"{wd}x{h}",
            colors=len(X),
            k=k,
            init=t_init,
            lloyd=t_lloyd,
            labels=t_labels,
            e2e=e2e,
            n_iter=ours.n_iter,
            inertia=ours.inertia,
            sk_hist=t_sk_h,
            sk_hist_inertia=sk_h.inertia_,
            sk_hist_iter=sk_h.n_iter_,
            **stages,
        )
        if k in sk_pixels_ks:
            if every_pixel is None:
                every_pixel = rgb_to_space(pixels.reshape(-1, 3), "lab")
            sk_p, t_sk_p = median_time(lambda: make_sk(every_pixel, tol).fit(every_pixel), 1)  # tens of seconds
            row.update(sk_pixels=t_sk_p, sk_pixels_inertia=sk_p.inertia_, sk_pixels_iter=sk_p.n_iter_)
        if k == 16:
            row["mem_ours"] = peak_mb(
                lambda: (
                    color_histogram(pixels),
                    kmeans(X, k, sample_weight=w, init=init, tol=tol).labels[hist.inverse],
                )
            )
            row["mem_ours_kmeans"] = peak_mb(lambda: kmeans(X, k, sample_weight=w, init=init, tol=tol))
            row["mem_sk_hist"] = peak_mb(lambda: make_sk(X, sk_tol(X, w, tol)).fit(X, sample_weight=w))
            if k in sk_pixels_ks and sk_pixels_memory:
                row["mem_sk_pixels"] = peak_mb(lambda: make_sk(every_pixel, tol).fit(every_pixel))
        rows.append(row)
        print(".", end="", flush=True)
    return rows


def print_tables(rows):
    def rel(a, b):
        return abs(a - b) / abs(b)

    print("\n\nTimes in seconds (median of the repeats); ratio = their time / ours (above 1: we are faster).")
    head = (
        f"{'still':<17}{'colours':>9}{'k':>4}{'it':>5}{'ours':>8}{'e2e':>8}{'sk hist':>9}{'ratio':>7}"
        f"{'sk pixels':>11}{'ratio e2e':>10}{'inertia ours':>15}{'Δ sk hist':>11}{'Δ sk pix':>10}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        sk_p = r.get("sk_pixels")
        print(
            f"{r['still']:<17}{r['colors']:>9}{r['k']:>4}{r['n_iter']:>5}{r['lloyd']:>8.3f}{r['e2e']:>8.3f}"
            f"{r['sk_hist']:>9.3f}{r['sk_hist'] / r['lloyd']:>7.2f}"
            + (f"{sk_p:>11.2f}{sk_p / r['e2e']:>10.1f}" if sk_p else f"{'-':>11}{'-':>10}")
            + f"{r['inertia']:>15.8g}{rel(r['sk_hist_inertia'], r['inertia']):>11.1e}"
            + (f"{rel(r['sk_pixels_inertia'], r['inertia']):>10.1e}" if sk_p else f"{'-':>10}")
        )
    print("\nStages of ours (seconds): decode = Pillow bytes->array, labels = label of every pixel")
    head = f"{'still':<17}{'k':>4}{'decode':>8}{'histogram':>10}{'lab':>8}{'init':>8}{'Lloyd':>8}{'labels':>8}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['still']:<17}{r['k']:>4}{r['decode']:>8.3f}{r['histogram']:>10.3f}{r['lab']:>8.3f}"
            f"{r['init']:>8.3f}{r['lloyd']:>8.3f}{r['labels']:>8.3f}"
        )
    print("\nPeak memory at k=16 (MB, tracemalloc, above what was held before)")
    head = f"{'still':<17}{'ours: hist+kmeans+labels':>26}{'ours: kmeans':>14}{'sk hist':>9}{'sk pixels':>11}"
    print(head)
    print("-" * len(head))
    for r in rows:
        if "mem_ours" in r:
            sk_p = r.get("mem_sk_pixels")
            print(
                f"{r['still']:<17}{r['mem_ours']:>26.1f}{r['mem_ours_kmeans']:>14.1f}{r['mem_sk_hist']:>9.1f}"
                + (f"{sk_p:>11.1f}" if sk_p is not None else f"{'-':>11}")
            )


def palette_4k(repeat: int):
    data = jpeg(mosaic(3840, 2160))

    def bytes_to_palette():
        return extract_palette(load_still(data), 8)

    def pillow_decode():
        image = Image.open(io.BytesIO(data))
        image.load()
        return image

    start = time.perf_counter()
    bytes_to_palette()
    first = time.perf_counter() - start
    _, median = median_time(bytes_to_palette, repeat)
    _, decode = median_time(pillow_decode, repeat)
    still = load_still(data)
    _, t_load = median_time(lambda: load_still(data), repeat)
    _, t_palette = median_time(lambda: extract_palette(still, 8), repeat)
    print(
        f"\nPalette of a 3840x2160 JPEG ({len(data) / 1e6:.1f} MB, {still.n_colors} colours) at k=8, bytes -> palette: "
        f"{median:.3f} s, median of {repeat} (first call {first:.3f} s) = {median / decode:.2f}x Pillow's decode "
        f"({decode:.3f} s; target at most 3x); load_still {t_load:.3f} s + extract_palette {t_palette:.3f} s"
    )


def plusplus_table(stills: dict, ks, repeat: int):
    """Our k-means++ on each histogram against scikit-learn's with the same weights."""
    from sklearn.cluster import kmeans_plusplus as sk_kmeans_plusplus

    print("\nk-means++ on the histogram (median of the repeats, seconds); ratio = theirs / ours (target 2x)")
    head = f"{'still':<17}{'k':>4}{'ours':>8}{'sk':>8}{'ratio':>7}"
    print(head)
    print("-" * len(head))
    for name, data in stills.items():
        hist = color_histogram(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")))
        X, w = rgb_to_space(hist.colors, "lab"), hist.counts.astype(np.float64)
        for k in ks:
            seeds = iter(range(10**6))
            _, ours = median_time(lambda: kmeans_plusplus(X, k, sample_weight=w, seed=next(seeds)), repeat)
            _, theirs = median_time(lambda: sk_kmeans_plusplus(X, k, sample_weight=w, random_state=next(seeds)), repeat)
            print(f"{name:<17}{k:>4}{ours:>8.3f}{theirs:>8.3f}{theirs / ours:>7.2f}")


def sweep_1366(repeat: int):
    """sweep_k over 2..16 on a 1366x768 frame (the four photos' mosaic), as the Choose k page runs it."""
    still = load_still(jpeg(mosaic(1366, 768)))
    sweep_k(still, range(2, 17), seed=0)  # the first call loads nothing more: the kernels are warm
    _, median = median_time(lambda: sweep_k(still, range(2, 17), seed=0), repeat)
    print(f"\nsweep_k over k=2..16 on a 1366x768 frame: {median:.3f} s, median of {repeat} (target under 1.5 s)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="astronaut and the 4000x3000 frame, k=8 and 16")
    mode.add_argument("--full", action="store_true", help="scikit-learn on every pixel for every still and k")
    parser.add_argument("--repeat", type=int, default=5, help="repeats of each timing (the median is shown)")
    args = parser.parse_args(argv)

    ks = (8, 16) if args.quick else (4, 8, 16, 32)
    photos = ("astronaut",) if args.quick else PHOTOS
    bigs = {"frame 4000x3000": BIG["frame 4000x3000"]} if args.quick else BIG
    print(blas_note())
    print(f"load average at the start: {os.getloadavg()[0]:.2f}")
    warm_up()
    print("building the stills", end="", flush=True)
    stills = {name: jpeg(getattr(skdata, name)()) for name in photos}
    stills.update({name: jpeg(mosaic(*size)) for name, size in bigs.items()})
    rows = []
    for name, data in stills.items():
        big = name in bigs
        sk_pixels_ks = ks if (args.full or not big) else (16,)
        # Tracing scikit-learn's per-pixel fit means fitting once more: on
        # the large frames, only for the 4000x3000 one (the memory target's).
        memory = args.full or not big or name == "frame 4000x3000"
        rows += run_still(name, data, ks, sk_pixels_ks=sk_pixels_ks, sk_pixels_memory=memory, repeat=args.repeat)
    print_tables(rows)
    plusplus_table(stills, ks, args.repeat)
    palette_4k(args.repeat)
    sweep_1366(args.repeat)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
