"""Tonal ranges: a palette each for the shadows, the midtones and the highlights.

A colour belongs to the band its CIELAB lightness L* falls in (``low <= L*
< high``, and the last band takes L* = ``high`` too). Each band's palette is
the palette of the histogram's colours in it; its share is the fraction of
the frame's (or scene's) weight it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from kmeans_core._validation import check_int, check_number
from kmeans_core.colorspace import rgb_to_space
from kmeans_core.histogram import check_histogram
from kmeans_core.palette import Palette, palette_from_histogram
from kmeans_core.still import Still

__all__ = ["DEFAULT_BANDS", "TonalBand", "TonalRange", "tonal_ranges"]


@dataclass(frozen=True)
class TonalBand:
    """A range of CIELAB lightness and the number of colours to find in it.

    Attributes
    ----------
    name : str
    low, high : float
        L* from ``low`` up to ``high`` (0 to 100).
    k : int
    """

    name: str
    low: float
    high: float
    k: int = 3


#: Shadows, midtones and highlights: L* 0–33, 33–66 and 66–100, 3 colours each.
DEFAULT_BANDS = (TonalBand("Shadows", 0, 33), TonalBand("Midtones", 33, 66), TonalBand("Highlights", 66, 100))


@dataclass(frozen=True, eq=False)
class TonalRange:
    """One band's palette and share.

    Attributes
    ----------
    band : TonalBand
    share : float
        The fraction of the weight whose L* falls in the band.
    palette : Palette or None
        The band's palette, with at most ``band.k`` colours (fewer when the
        band has fewer distinct colours); None for an empty band. Its shares
        are of the band, not of the frame.
    """

    band: TonalBand
    share: float
    palette: Palette | None


def tonal_ranges(source, *, bands=DEFAULT_BANDS, **options) -> tuple[TonalRange, ...]:
    """A palette for each tonal band of a still or a histogram.

    Parameters
    ----------
    source : Still, or a histogram
        A still, or anything with ``colors`` and ``counts`` (such as
        :func:`kmeans_core.scene_histogram` of a scene).
    bands : sequence of TonalBand, default :data:`DEFAULT_BANDS`
    **options
        Passed to :func:`kmeans_core.palette_from_histogram` (``space``,
        ``seed``, ``order``, ...).

    Returns
    -------
    tuple of TonalRange
        One per band, in the order given.

    Raises
    ------
    ValueError
        For a bad source or band, echoing it.
    """
    if isinstance(source, Still):
        colors, counts = source.histogram.colors, source.histogram.counts
    else:
        colors, counts = getattr(source, "colors", None), getattr(source, "counts", None)
    colors, counts = check_histogram(colors, counts)
    total = counts.sum()
    if not total > 0:
        raise ValueError("the histogram weighs nothing (its counts sum to 0)")
    bands = tuple(bands)
    if not bands:
        raise ValueError("bands is empty; give at least one TonalBand")
    for band in bands:
        if not isinstance(band, TonalBand):
            raise ValueError(f"bands must hold TonalBand values, got {band!r}")
        low, high = check_number(f"{band.name} low", band.low), check_number(f"{band.name} high", band.high)
        if not low < high <= 100:
            raise ValueError(f"{band.name}: L* {band.low:g} to {band.high:g} must run upwards within 0 to 100")
        check_int(f"{band.name} k", band.k, low=1)
    lightness = rgb_to_space(colors, "lab")[:, 0]
    ranges = []
    for band in bands:
        inside = (lightness >= band.low) & ((lightness < band.high) | ((band.high >= 100) & (lightness <= band.high)))
        inside &= counts > 0
        weight = float(counts[inside].sum())
        palette = None
        if weight > 0:
            k = min(band.k, int(inside.sum()))
            palette = palette_from_histogram(colors[inside], counts[inside], k, **options)
        ranges.append(TonalRange(band=band, share=weight / total, palette=palette))
    return tuple(ranges)
