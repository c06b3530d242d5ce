"""JSON export: the palette and every setting that reproduces it, and its reader.

:func:`to_json` writes the document and :func:`palette_from_json` reads it
back to the same :class:`~kmeans_core.palette.Palette`, shares in full
precision.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re

import numpy as np

from kmeans_core._validation import check_choice
from kmeans_core.colorspace import SPACES
from kmeans_core.exports.names import clean_name
from kmeans_core.hexcodes import check_seed_colors, parse_hex_colors, to_hex
from kmeans_core.lloyd import INITIALIZERS
from kmeans_core.methods import METHODS
from kmeans_core.palette import FIXED_INIT, ORDERS, REFINEMENTS, Palette, check_palette

__all__ = ["JSON_FORMAT", "JSON_VERSION", "palette_from_json", "to_json"]

#: The ``format`` tag written into JSON exports, and the schema version.
JSON_FORMAT = "palette-studio"
JSON_VERSION = 1

#: The initializers a palette can record: k-means's, manual seed colours, or
#: fixed colours applied as they are (:func:`kmeans_core.palette.apply_palette`).
_INITS = (*INITIALIZERS, "manual", FIXED_INIT)

#: The settings a document names by one of a few values, each with those values.
_CHOICES = {"space": SPACES, "method": METHODS, "init": _INITS, "order": ORDERS, "refine": REFINEMENTS}
_DEFAULTS = {field.name: field.default for field in dataclasses.fields(Palette)}

_HEX6 = re.compile(r"#[0-9A-Fa-f]{6}")


def to_json(palette: Palette, *, name: str | None = None, stills: list[dict] | None = None) -> str:
    """The palette and the settings that reproduce it, as JSON.

    Parameters
    ----------
    palette : Palette
    name : str, optional
        The still's name, recorded as ``"still"`` (``null`` when not given).
    stills : list of dict, optional
        A scene's figures per still (JSON values), written last as
        ``"stills"``, one line per still.

    Returns
    -------
    str
        An object with ``format`` (``"palette-studio"``), ``version``,
        ``still``, ``k``, ``space``, ``method``, ``init``, ``seed``, ``seeds``
        (the manual seed colours as hex codes), ``order``, ``refine``,
        ``inertia`` and ``colors``: a list of ``{"hex", "rgb", "share"}`` in
        the palette's order, with ``"accent": true`` on accent colours.
        ``locked`` (the locked colours' hex codes) is written when some were
        locked. Shares are written in full precision, so
        :func:`palette_from_json` gives back the same palette.
    """
    check_palette(palette)
    inertia = float(palette.inertia)
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "still": None if name is None else clean_name(name, default="still"),
        "k": palette.k,
        "space": palette.space,
        "method": palette.method,
        "init": palette.init,
        "seed": None if palette.seed is None else int(palette.seed),
        "seeds": list(palette.seed_colors),
        "order": palette.order,
        "refine": palette.refine,
        "inertia": inertia if math.isfinite(inertia) else None,
    }
    if palette.locked:
        document["locked"] = list(palette.locked)
    colors = [
        {"hex": code, "rgb": rgb, "share": share, **({"accent": True} if accent else {})}
        for code, rgb, share, accent in zip(
            palette.hex, palette.rgb.tolist(), palette.shares.tolist(), palette.accents, strict=True
        )
    ]
    # Indented like json.dumps(indent=2), but one line per colour.
    lines = [f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}," for key, value in document.items()]
    lines.append('  "colors": [')
    lines.append(",\n".join(f"    {json.dumps(color, allow_nan=False)}" for color in colors))
    if stills is None:
        lines.append("  ]")
    else:
        lines.append("  ],")
        lines.append('  "stills": [')
        lines.append(",\n".join(f"    {json.dumps(still, allow_nan=False)}" for still in stills))
        lines.append("  ]")
    return "{\n" + "\n".join(lines) + "\n}\n"


def palette_from_json(text: str | bytes) -> Palette:
    """Read a palette written by :func:`to_json`.

    Parameters
    ----------
    text : str or bytes
        The JSON document.

    Returns
    -------
    Palette
        The same colours, shares and settings. A missing ``inertia`` reads
        as NaN; missing settings take :class:`Palette`'s defaults.

    Raises
    ------
    ValueError
        If the text is not JSON, or a field is missing or malformed; the
        message names the field and echoes the bad value.
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"palette JSON must be UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not isinstance(text, str):
        raise ValueError(f"palette JSON must be text, got {type(text).__name__}")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if not isinstance(document, dict):
        raise ValueError(f"palette JSON must be an object, got {type(document).__name__}")
    fmt = document.get("format", JSON_FORMAT)
    if fmt != JSON_FORMAT:
        raise ValueError(f"format={fmt!r} is not a palette studio palette (expected {JSON_FORMAT!r})")
    version = document.get("version", JSON_VERSION)
    if version != JSON_VERSION:
        raise ValueError(f"version={version!r} is not supported (expected {JSON_VERSION})")

    rgb, shares, accents = _read_colors(document.get("colors"))
    k = document.get("k", len(rgb))
    if k != len(rgb) or isinstance(k, bool):
        raise ValueError(f"k={k!r} but {len(rgb)} colours are listed")
    # A missing setting takes the Palette's default.
    settings = {key: check_choice(key, document.get(key, _DEFAULTS[key]), choices) for key, choices in _CHOICES.items()}
    init = settings["init"]
    seed = document.get("seed", _DEFAULTS["seed"])
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise ValueError(f"seed={seed!r} must be a non-negative integer or null")
    seeds = _hex_codes(document, "seeds")
    if init == "manual" and len(seeds) != len(rgb):
        raise ValueError(f"init='manual' needs one seed per colour, but seeds={list(seeds)!r} and k={len(rgb)}")
    if init != "manual" and seeds:
        raise ValueError(f"seeds={list(seeds)!r} are given but init={init!r}; seed colours go with init='manual'")
    locked = _hex_codes(document, "locked")
    inertia = document.get("inertia")
    if inertia is None:
        inertia = math.nan
    elif isinstance(inertia, bool) or not isinstance(inertia, (int, float)) or not inertia >= 0:
        raise ValueError(f"inertia={inertia!r} must be a non-negative number or null")
    return Palette(
        rgb, shares, float(inertia), seed=seed, seed_colors=seeds, locked=locked, accents=accents, **settings
    )


def _hex_codes(document: dict, key: str) -> tuple[str, ...]:
    """The list of hex codes at ``key`` (default empty), upper-cased and checked as seed colours are."""
    codes = document.get(key, [])
    if not isinstance(codes, list) or not all(isinstance(code, str) and _HEX6.fullmatch(code) for code in codes):
        raise ValueError(f"{key}={codes!r} must be a list of hex codes like '#1A2B3C'")
    return to_hex(check_seed_colors(codes)) if codes else ()


def _read_colors(colors) -> tuple[np.ndarray, np.ndarray, tuple[bool, ...]]:
    if not isinstance(colors, list) or not colors:
        raise ValueError(f"colors={colors!r} must be a non-empty list of {{'hex', 'rgb', 'share'}} objects")
    rgb = np.empty((len(colors), 3), dtype=np.uint8)
    shares = np.empty(len(colors), dtype=np.float64)
    accents = []
    for i, entry in enumerate(colors):
        if not isinstance(entry, dict):
            raise ValueError(f"colors[{i}]={entry!r} must be an object with 'hex' and 'share'")
        code = entry.get("hex")
        if not isinstance(code, str) or _HEX6.fullmatch(code) is None:
            raise ValueError(f"colors[{i}].hex={code!r} must be a hex code like '#1A2B3C'")
        rgb[i] = parse_hex_colors(code)[0]
        if "rgb" in entry and entry["rgb"] != rgb[i].tolist():
            raise ValueError(f"colors[{i}].rgb={entry['rgb']!r} does not match hex {code}")
        share = entry.get("share")
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0.0 <= share <= 1.0:
            raise ValueError(f"colors[{i}].share={share!r} must be a number from 0 to 1")
        shares[i] = share
        accent = entry.get("accent", False)
        if not isinstance(accent, bool):
            raise ValueError(f"colors[{i}].accent={accent!r} must be true or false")
        accents.append(accent)
    total = float(shares.sum())
    if abs(total - 1.0) > 1e-3:
        raise ValueError(f"the shares sum to {total:.6g}; they must sum to 1")
    if abs(total - 1.0) > 1e-9:  # rounded by hand: make them sum to 1 again
        shares /= total
    return rgb, shares, tuple(accents)
