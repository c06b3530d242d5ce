"""Timing the palette LUT: building it, and applying it, against colour-science.

For a k=8 palette of a sample photo, prints the median wall time (over
``--repeat`` runs) of:

- building a 33³ LUT and a 65³ LUT with :func:`kmeans_core.palette_lut`;
- applying the 33³ LUT (tetrahedral) to a 4K frame (3840x2160) and to the
  preview (1400 px on the long side, 1400x788) with
  :func:`kmeans_core.apply_lut`, uint8 in and out;

each beside colour-science's ``LUT3D.apply`` with the same LUT and frame
(tetrahedral; float input, as it takes). For building, colour-science has
no palette pull, so its row times ``LUT3D.apply`` on the identity grid:
pushing the grid's 33³ or 65³ colours through the same LUT, the nearest
like-for-like step. Targets: 33³ under 0.2 s, 65³ under 1 s, the preview
under 0.1 s.

A loaded machine distorts these figures; run it with nothing else on the
machine for figures to quote::

    python bench/lut_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.timing import median_seconds  # noqa: E402
from kmeans_core import apply_lut, extract_palette, identity_lut, load_still, palette_lut  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # colour-science warns that matplotlib is missing
    import colour
    from colour.algebra import table_interpolation_tetrahedral

TARGETS = {"build 33³": 0.2, "build 65³": 1.0, "apply preview": 0.1}


def _frame(still_pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(Image.fromarray(still_pixels).resize(size, Image.Resampling.BILINEAR))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing; the median is shown (default 5)")
    repeat = parser.parse_args(argv).repeat

    still = load_still((ROOT / "assets/samples/astronaut.jpg").read_bytes())
    palette = extract_palette(still, 8)
    lut33 = palette_lut(palette, size=33)
    reference = colour.LUT3D(table=lut33)
    frames = {"4K": _frame(still.pixels, (3840, 2160)), "preview": _frame(still.pixels, (1400, 788))}

    def colour_apply(rgb):
        return reference.apply(rgb, interpolator=table_interpolation_tetrahedral)

    rows = []
    for size in (33, 65):
        ours = median_seconds(lambda size=size: palette_lut(palette, size=size), repeat)
        grid = identity_lut(size)
        theirs = median_seconds(lambda grid=grid: colour_apply(grid), repeat)
        rows.append((f"build {size}³", ours, theirs))
    for name, frame in frames.items():
        ours = median_seconds(lambda frame=frame: apply_lut(frame, lut33), repeat)
        unit = frame / 255.0
        theirs = median_seconds(lambda unit=unit: colour_apply(unit), repeat)
        rows.append((f"apply {name}", ours, theirs))

    print(f"k=8 palette of astronaut.jpg; median of {repeat} runs; colour-science {colour.__version__}")
    print(f"{'step':<15}{'ours (s)':>10}{'colour (s)':>12}{'ratio':>8}{'target':>9}")
    for name, ours, theirs in rows:
        target = TARGETS.get(name)
        verdict = "" if target is None else f"< {target:g} {'ok' if ours < target else 'MISSED'}"
        print(f"{name:<15}{ours:>10.3f}{theirs:>12.3f}{theirs / ours:>7.1f}x  {verdict}")
    print("ratio = colour-science's time / ours (above 1: ours is faster)")


if __name__ == "__main__":
    main()
