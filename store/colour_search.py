"""Colour search: how near each saved palette comes to one colour, in CIEDE2000.

The database only narrows the candidates (by project and name); the distances
are computed here, in CIELAB (D65) through :func:`kmeans_core.colorspace.rgb_to_space`
and :func:`skimage.color.deltaE_ciede2000`, for all the candidates' colours in
one call.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from skimage.color import deltaE_ciede2000

from kmeans_core.colorspace import rgb_to_space
from kmeans_core.hexcodes import parse_hex_colors

__all__ = ["nearest_colours"]


def nearest_colours(target: str, palettes: Sequence[Sequence[str]]) -> list[tuple[float, str]]:
    """For each palette, the CIEDE2000 from ``target`` to its nearest colour, and that colour.

    Parameters
    ----------
    target : str
        One clean ``#RRGGBB`` code.
    palettes : sequence of sequences of str
        Each palette's clean ``#RRGGBB`` codes (at least one each).

    Returns
    -------
    list of (float, str)
        One ``(delta_e, hex_code)`` per palette, in the order given.
    """
    if not palettes:
        return []
    codes = [code for palette in palettes for code in palette]
    lab = rgb_to_space(parse_hex_colors(" ".join(codes)), "lab")
    goal = rgb_to_space(parse_hex_colors(target), "lab")
    distances = deltaE_ciede2000(np.broadcast_to(goal, lab.shape), lab)
    results = []
    start = 0
    for palette in palettes:
        block = distances[start : start + len(palette)]
        best = int(np.argmin(block))
        results.append((float(block[best]), palette[best]))
        start += len(palette)
    return results
