"""A palette written into a link: ``1A2B3C.40-FFEEDD.60`` (hex codes, shares in percent).

The value of ``?palette=`` in the studio's links carries the palette itself, so
the link opens on any server with no stored state. The form is exact:

* hex codes of six digits without ``#`` (either case), separated by ``-``;
* each code may be followed by ``.NN``, its share of the frame in percent
  (``40``, ``5``, ``12.5``): either every code has a share or none has, and the
  shares add up to 100 (within the rounding of the written figures).

:func:`parse_palette_link` reads such a value, :func:`palette_link` writes one.
"""

from __future__ import annotations

import re

import numpy as np

from kmeans_core.hexcodes import to_hex
from kmeans_core.palette import Palette

__all__ = ["MAX_LINK_COLOURS", "palette_link", "parse_palette_link"]

#: The most colours a palette link may carry.
MAX_LINK_COLOURS = 64

_CODE = re.compile(r"([0-9A-Fa-f]{6})(?:\.(\d{1,3}(?:\.\d{1,3})?))?")
# Longest well-formed value: 64 codes of "RRGGBB.NNN.NNN" and their separators.
_MAX_TEXT = MAX_LINK_COLOURS * 15
# Written shares carry one decimal (0.05 points of rounding each); accept up to half a point per colour.
_ROUNDING_PER_COLOUR = 0.5


def parse_palette_link(text: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Read the colours (and shares) of a palette link's value.

    Parameters
    ----------
    text : str
        The value of ``?palette=``, such as ``"1A2B3C-FFEEDD-C04020"`` or
        ``"1A2B3C.40-FFEEDD.60"``; surrounding spaces are ignored.

    Returns
    -------
    rgb : ndarray of shape (n, 3), uint8
        The colours, in the link's order.
    shares : ndarray of shape (n,), float64, or None
        Each colour's share of the frame as a fraction (summing to 1), or
        ``None`` when the link gives no shares.

    Raises
    ------
    ValueError
        For anything else; the message names the part that is wrong.
    """
    if not isinstance(text, str):
        raise ValueError(f"a palette link must be text, got {type(text).__name__}")
    value = text.strip()
    if not value:
        raise ValueError("the palette link is empty: it needs hex codes like 1A2B3C-FFEEDD-C04020")
    if len(value) > _MAX_TEXT:
        raise ValueError(f"the palette link is {len(value)} characters long, more than {MAX_LINK_COLOURS} colours take")
    parts = value.split("-")
    if len(parts) > MAX_LINK_COLOURS:
        raise ValueError(f"the palette link has {len(parts)} colours; a link carries at most {MAX_LINK_COLOURS}")
    colours, percents = [], []
    for part in parts:
        match = _CODE.fullmatch(part)
        if match is None:
            shown = part if len(part) <= 24 else part[:23] + "…"
            raise ValueError(f"{shown!r} is not a colour like 1A2B3C or 1A2B3C.40 (six hex digits, then the share)")
        digits, percent = match.groups()
        colours.append([int(digits[i : i + 2], 16) for i in (0, 2, 4)])
        percents.append(percent)
    rgb = np.array(colours, dtype=np.uint8).reshape(-1, 3)
    given = [percent is not None for percent in percents]
    if not any(given):
        return rgb, None
    if not all(given):
        missing = to_hex(rgb[[i for i, has in enumerate(given) if not has][0]])[0][1:]
        raise ValueError(f"{missing} has no share: give a share (.NN) to every colour or to none")
    shares = np.array([float(percent) for percent in percents])
    if (shares > 100).any():
        raise ValueError(f"a share of {shares.max():g}% is more than the whole frame")
    total = float(shares.sum())
    if abs(total - 100.0) > _ROUNDING_PER_COLOUR * len(shares) or total == 0:
        raise ValueError(f"the shares add up to {total:g}%, not 100%")
    return rgb, shares / total


def palette_link(palette: Palette, *, shares: bool = True) -> str:
    """The value of ``?palette=`` that carries this palette.

    Parameters
    ----------
    palette : Palette
    shares : bool, default True
        Write each colour's share (in percent, one decimal at most).

    Returns
    -------
    str
        Such as ``"1A2B3C.40-FFEEDD.60"``; :func:`parse_palette_link` reads it
        back to the same colours, and shares within 0.05 points.
    """
    if not isinstance(palette, Palette):
        raise ValueError(f"expected a Palette, got {type(palette).__name__}")
    codes = [code[1:] for code in palette.hex]
    if not shares:
        return "-".join(codes)
    percents = [f"{100 * float(share):.1f}".removesuffix(".0") for share in palette.shares]
    return "-".join(f"{code}.{percent}" for code, percent in zip(codes, percents, strict=True))
