"""Choose k's picks over random seeds on dark, low-contrast frames (quality, not timing).

The four colour photos of scikit-image at their own sizes, as they are and
graded: dark (a quarter of the light), dusk and night (the grades of
``tests/test_choose_k_dark.py``: darker, contrast lowered, a blue tint,
noise). For each frame and each seed, ``sweep_k`` over the range of k gives
the elbow, silhouette and gap picks and the plain recommendation; a rule
whose pick moves with the seed shows every seed's pick, one that holds shows
it once. These are quality figures: the machine's load does not change them.

Usage: .venv/bin/python bench/choose_k_seeds.py [--seeds 6] [--kmax 12]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skimage import data  # noqa: E402

from kmeans_core import still_from_pixels, sweep_k  # noqa: E402
from kmeans_core.choose_k import recommend_k  # noqa: E402
from tests.test_choose_k_dark import graded  # noqa: E402

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")
GRADES = (None, "dark", "dusk", "night")


def frame(photo: str, grade: str | None) -> np.ndarray:
    pixels = np.ascontiguousarray(getattr(data, photo)()[..., :3])
    if grade is None:
        return pixels
    if grade == "dark":
        return np.rint(pixels * 0.25).astype(np.uint8)
    return graded(pixels, grade)


def picks(values: list[int | None]) -> str:
    shown = ["none" if v is None else str(v) for v in values]
    return shown[0] if len(set(shown)) == 1 else ",".join(shown)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--kmax", type=int, default=12)
    args = parser.parse_args(argv)
    ks = range(2, args.kmax + 1)
    print(f"k = 2..{args.kmax}, seeds 0 to {args.seeds - 1}: elbow / silhouette / gap / recommended")
    moving = 0
    for photo in PHOTOS:
        for grade in GRADES:
            still = still_from_pixels(frame(photo, grade))
            sweeps = [sweep_k(still, ks, seed=seed) for seed in range(args.seeds)]
            rules = [
                [s.suggested.elbow for s in sweeps],
                [s.suggested.silhouette for s in sweeps],
                [s.suggested.gap for s in sweeps],
                [recommend_k(s.suggested).k for s in sweeps],
            ]
            moving += any(len(set(r)) > 1 for r in rules)
            name = photo if grade is None else f"{photo}, {grade}"
            print(f"{name:<18} " + " / ".join(picks(r) for r in rules), flush=True)
    print(f"{moving} of {len(PHOTOS) * len(GRADES)} frames have a rule whose pick moves with the seed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
