"""How the LUT's smoothness trades pull against smooth gradients: the table behind its default.

For each smoothness, on the sample photos (assets/samples/*.jpg) and on a
synthetic still of smooth gradients, at several k, this prints the two
figures the default must meet at strength 1:

ratio
    mean CIEDE2000(graded, quantized) / mean CIEDE2000(original, quantized),
    with the LUT applied (tetrahedral) to the still its palette came from.
    At most 0.7: the look moves the still most of the way to its palette.
step
    The largest difference, in any channel, between neighbouring nodes of
    the 33³ LUT. At most 0.2: no band on a smooth gradient (snapping to the
    nearest colour, smoothness 0, measures 0.3 and more).

Each cell is the worst over the stills. Run from the project root::

    python bench/lut_defaults.py

``gradient_still`` and ``lut_figures`` are also used by tests/test_lut.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import kmeans_core as kc  # noqa: E402

__all__ = ["RATIO_BOUND", "STEP_BOUND", "gradient_still", "lut_figures", "sample_stills"]

RATIO_BOUND = 0.7
STEP_BOUND = 0.2
SMOOTHNESS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.5)
KS = (4, 6, 8, 12)

# Ramps from one sRGB colour to another: greys, and hue and lightness sweeps.
_RAMPS = (
    ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0)),
    ((0.8, 0.1, 0.1), (0.1, 0.2, 0.9)),
    ((0.1, 0.5, 0.1), (0.95, 0.85, 0.3)),
    ((0.2, 0.1, 0.3), (1.0, 0.6, 0.5)),
)


def gradient_still(width: int = 256, band: int = 16) -> kc.Still:
    """A still of smooth gradients: four ramps of ``width`` steps, ``band`` rows each."""
    t = np.linspace(0.0, 1.0, width)[:, None]
    rows = [np.repeat((np.array(a) + (np.array(b) - np.array(a)) * t)[None], band, axis=0) for a, b in _RAMPS]
    return kc.still_from_pixels(np.rint(np.concatenate(rows) * 255.0).astype(np.uint8))


def sample_stills() -> dict[str, kc.Still]:
    """The sample photos and the gradient still, by name."""
    stills = {path.stem: kc.load_still(path.read_bytes()) for path in sorted((ROOT / "assets/samples").glob("*.jpg"))}
    stills["gradients"] = gradient_still()
    return stills


def lut_figures(still: kc.Still, palette: kc.Palette, **lut_options) -> tuple[float, float]:
    """``(ratio, step)`` for the 33³ LUT of ``palette`` at strength 1 (see the module docstring)."""
    lut = kc.palette_lut(palette, size=33, strength=1.0, **lut_options)
    quantized = kc.quantize(still, palette)
    graded = kc.apply_lut(still.pixels, lut)
    ratio = kc.delta_e(kc.still_from_pixels(graded), quantized).mean / kc.delta_e(still, quantized).mean
    step = max(float(np.abs(np.diff(lut, axis=axis)).max()) for axis in range(3))
    return ratio, step


def main() -> None:
    stills = sample_stills()
    palettes = {(name, k): kc.extract_palette(still, k) for name, still in stills.items() for k in KS}
    print(f"stills: {', '.join(stills)}; worst over them of ratio (<= {RATIO_BOUND}) / step (<= {STEP_BOUND})")
    print("smoothness " + "".join(f"{'k=' + str(k):>15}" for k in KS))
    for smoothness in SMOOTHNESS:
        cells = []
        for k in KS:
            figures = [lut_figures(still, palettes[name, k], smoothness=smoothness) for name, still in stills.items()]
            ratio, step = max(r for r, _ in figures), max(s for _, s in figures)
            ok = ratio <= RATIO_BOUND and step <= STEP_BOUND
            cells.append(f"{ratio:.2f} / {step:.2f}{' ' if ok else '*'}")
        mark = "  <- default" if smoothness == kc.DEFAULT_SMOOTHNESS else ""
        print(f"{smoothness:>10.2f} " + "".join(f"{cell:>15}" for cell in cells) + mark)
    print("* misses a bound")


if __name__ == "__main__":
    main()
