"""Hex colour codes: formatting palettes as ``#RRGGBB`` and parsing seed colours."""

from __future__ import annotations

import re

import numpy as np

__all__ = ["to_hex", "parse_hex_colors", "check_seed_colors"]

_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def to_hex(rgb: np.ndarray) -> tuple[str, ...]:
    """Format ``(k, 3)`` uint8 colours as upper-case ``#RRGGBB`` codes."""
    return tuple(f"#{r:02X}{g:02X}{b:02X}" for r, g, b in np.asarray(rgb, dtype=np.uint8).reshape(-1, 3).tolist())


def parse_hex_colors(text: str) -> np.ndarray:
    """Parse colour codes separated by commas, spaces or new lines.

    Accepts ``#RRGGBB``, ``RRGGBB`` and the short form ``#RGB``.

    Parameters
    ----------
    text : str
        For example ``"#1A2B3C, #FFEEDD"``.

    Returns
    -------
    ndarray of shape (n, 3), uint8

    Raises
    ------
    ValueError
        Naming the first token that is not a colour code.
    """
    if not isinstance(text, str):
        raise ValueError(f"expected hex codes as text, got {type(text).__name__}")
    tokens = [token for token in re.split(r"[\s,;]+", text.strip()) if token]
    colors = []
    for token in tokens:
        match = _HEX.fullmatch(token)
        if match is None:
            raise ValueError(f"{token!r} is not a hex colour code like #1A2B3C")
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(ch * 2 for ch in digits)
        colors.append([int(digits[i : i + 2], 16) for i in (0, 2, 4)])
    return np.array(colors, dtype=np.uint8).reshape(-1, 3)


def check_seed_colors(seeds) -> np.ndarray:
    """Validate manual seed colours and return them as ``(n, 3)`` uint8 sRGB.

    Parameters
    ----------
    seeds : str, sequence of str, or array-like of shape (n, 3)
        Hex codes (one string, or one per colour), or sRGB values 0 to 255.

    Raises
    ------
    ValueError
        For a malformed code, a value outside sRGB, fewer than one colour or
        a repeated colour; the message names it.
    """
    if isinstance(seeds, str):
        rgb = parse_hex_colors(seeds)
    elif len(seeds) > 0 and all(isinstance(s, str) for s in seeds):
        rgb = parse_hex_colors(",".join(seeds))
    else:
        values = np.asarray(seeds, dtype=np.float64)
        if values.ndim != 2 or values.shape[1] != 3:
            raise ValueError(f"seed colours must have shape (n, 3), got {values.shape}")
        outside = ~np.isfinite(values) | (values < 0) | (values > 255) | (values != np.round(values))
        if outside.any():
            row = values[np.flatnonzero(outside.any(axis=1))[0]]
            raise ValueError(f"seed colour {row.tolist()} is outside sRGB: each value must be a whole number 0 to 255")
        rgb = values.astype(np.uint8)
    if len(rgb) == 0:
        raise ValueError("no seed colours were given")
    codes = to_hex(rgb)
    seen = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"seed colour {code} is given twice; each seed must be a different colour")
        seen.add(code)
    return rgb
