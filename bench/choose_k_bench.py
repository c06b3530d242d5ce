"""Benchmark of choosing k: elbow, silhouette and gap statistic on a 1920x1080 still.

Usage::

    python bench/choose_k_bench.py [--photo astronaut] [--repeat 3] [--stability]

Times :func:`kmeans_core.sweep_k` for k = 2..16 with B = 10 reference sets,
part by part (read from the progress callback), and scikit-learn doing the
elbow and silhouette part of the same work: ``KMeans`` for every k on the
same weighted histogram, then ``silhouette_score`` on a sample of the same
size. scikit-learn has no gap statistic, so the ratio compares like with
like: our fits plus silhouette against scikit-learn's.

``--stability`` adds a table of the suggested k over seeds 0..4 on every
colour photo shipped with scikit-image (at their own sizes), and on four of
them graded dark (``tests/test_choose_k_dark.py``: dusk and night).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
from PIL import Image
from skimage import data as skdata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from kmeans_core import recommend_k, rgb_to_space, still_from_pixels, sweep_k  # noqa: E402

KS = range(2, 17)
B = 10
PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field", "immunohistochemistry", "retina")
PARTS = (
    ("prepare", "CIELAB and pooling of the histogram, the silhouette sample"),
    ("k-means", "k-means fits, k = 2..16"),
    ("silhouette", "silhouette of every k on the sample"),
    ("gap", f"gap statistic: {B} reference sets x 15 fits"),
)


def frame(name: str) -> np.ndarray:
    """A scikit-image photo resized to 1920x1080 (Lanczos; the aspect is not kept)."""
    pixels = getattr(skdata, name)()[..., :3]
    return np.asarray(Image.fromarray(pixels).resize((1920, 1080), Image.Resampling.LANCZOS))


def timed_sweep(still):
    """One sweep; returns (KSweep, seconds per part, total seconds)."""
    marks = []
    start = time.perf_counter()
    sweep = sweep_k(still, KS, gap_refs=B, seed=0, progress=lambda f, m: marks.append((time.perf_counter(), m)))
    total = time.perf_counter() - start
    parts = dict.fromkeys(name for name, _ in PARTS)
    parts = {name: 0.0 for name in parts}
    previous = start
    for when, message in marks:
        key = next((name for name, _ in PARTS[1:] if message.lower().startswith(name)), "prepare")
        if message == "done":
            key = "gap"
        parts[key] += when - previous
        previous = when
    return sweep, parts, total


def sklearn_times(still, sample_size: int, bin_width: float):
    """scikit-learn's KMeans per k on the histogram, and silhouette_score on a sample.

    Also the time of the same KMeans fits on our pooled points, to separate
    what pooling saves from what the implementation saves.
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    from kmeans_core.choose_k.pooling import pool

    hist = still.histogram
    X = rgb_to_space(hist.colors, "lab")
    rng = np.random.default_rng(0)
    sample = X[rng.choice(len(X), size=sample_size, p=hist.counts / hist.counts.sum())]
    pooled, pooled_weight, _, _ = pool(X, hist.counts.astype(np.float64), bin_width)
    fits = silhouette = fits_pooled = 0.0
    for k in KS:
        start = time.perf_counter()
        model = KMeans(n_clusters=k, n_init=1, random_state=0).fit(X, sample_weight=hist.counts)
        fits += time.perf_counter() - start
        start = time.perf_counter()
        silhouette_score(sample, model.predict(sample))
        silhouette += time.perf_counter() - start
        start = time.perf_counter()
        KMeans(n_clusters=k, n_init=1, random_state=0).fit(pooled, sample_weight=pooled_weight)
        fits_pooled += time.perf_counter() - start
    return fits, silhouette, fits_pooled, len(pooled)


def stability_table(seeds=range(5)) -> None:
    """The suggestions over seeds on every photo, and on four of them graded as dusk and night exteriors."""
    from tests.test_choose_k_dark import GRADES, graded

    print(f"\nSuggested k over seeds {seeds.start}..{seeds.stop - 1} (k = 2..16, B = {B}, defaults)")
    print(f"{'photo':<28}{'colours':>9}  {'elbow':<18}{'silhouette':<18}{'gap':<22}{'recommended':<18}")
    frames = [(name, getattr(skdata, name)()[..., :3]) for name in PHOTOS]
    frames += [
        (f"{name}, {grade}", graded(getattr(skdata, name)(), grade))
        for grade in GRADES
        for name in ("astronaut", "coffee", "chelsea", "rocket")
    ]
    for label, pixels in frames:
        still = still_from_pixels(np.ascontiguousarray(pixels))
        picks = [sweep_k(still, KS, gap_refs=B, seed=seed).suggested for seed in seeds]
        column = {rule: [getattr(p, rule) for p in picks] for rule in ("elbow", "silhouette", "gap")}
        recommended = [recommend_k(p).k for p in picks]
        print(
            f"{label:<28}{still.n_colors:>9,}  {str(column['elbow']):<18}{str(column['silhouette']):<18}"
            f"{str(column['gap']):<22}{str(recommended):<18}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photo", default="astronaut", choices=PHOTOS)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the sweep; the fastest is reported")
    parser.add_argument("--stability", action="store_true", help="also tabulate the suggestions over seeds")
    parser.add_argument("--no-sklearn", action="store_true", help="skip the scikit-learn comparison")
    args = parser.parse_args()

    still = still_from_pixels(frame(args.photo))
    print(
        f"{args.photo} resized to 1920x1080: {still.n_colors:,} distinct colours; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    runs = [timed_sweep(still) for _ in range(args.repeat)]
    sweep, parts, total = min(runs, key=lambda run: run[2])
    print(
        f"suggested {sweep.suggested}; silhouette sample {sweep.sample_size:,} pixels; "
        f"pooled on a {sweep.bin_width} grid; totals of {args.repeat} runs: "
        + ", ".join(f"{run[2]:.2f}" for run in runs)
        + " s\n"
    )

    ours_core = parts["k-means"] + parts["silhouette"]
    if args.no_sklearn:
        sk_fits = sk_sil = sk_pooled = float("nan")
        n_pooled = 0
    else:
        sk_fits, sk_sil, sk_pooled, n_pooled = sklearn_times(still, sweep.sample_size, sweep.bin_width)
    print(f"{'part':<12}{'ours (s)':>10}{'sklearn (s)':>13}{'sklearn/ours':>14}  what")
    rows = [
        ("prepare", parts["prepare"], float("nan")),
        ("k-means", parts["k-means"], sk_fits),
        ("silhouette", parts["silhouette"], sk_sil),
        ("gap", parts["gap"], float("nan")),
    ]
    for (name, what), (_, ours, theirs) in zip(PARTS, rows):
        ratio = theirs / ours if np.isfinite(theirs) else float("nan")
        print(f"{name:<12}{ours:>10.2f}{theirs:>13.2f}{ratio:>14.1f}  {what}")
    core_ratio = (sk_fits + sk_sil) / ours_core
    print(
        f"{'fits+sil':<12}{ours_core:>10.2f}{sk_fits + sk_sil:>13.2f}{core_ratio:>14.1f}  "
        "the elbow and silhouette work both do"
    )
    print(f"{'total':<12}{total:>10.2f}{'':>13}{'':>14}  all three criteria (target: under 6 s)")
    print(
        f"{'(pooled)':<12}{parts['k-means']:>10.2f}{sk_pooled:>13.2f}{sk_pooled / parts['k-means']:>14.1f}  "
        f"scikit-learn's KMeans on our {n_pooled:,} pooled points instead (1 start against our 5)"
    )
    print(
        "\nscikit-learn: KMeans(n_init=1, k-means++) per k on the full weighted histogram, and "
        f"silhouette_score on {sweep.sample_size:,} sampled pixels per k. Ours: per k, a warm start "
        "from k-1 and 4 fresh k-means++ starts (on a coarser grid), the best refined on the 2-unit grid."
    )
    if args.stability:
        stability_table()


if __name__ == "__main__":
    main()
