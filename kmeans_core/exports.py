"""Exports: a :class:`~kmeans_core.palette.Palette` as files other tools read.

Every exporter is a pure function that takes a palette (plus keyword-only
options) and returns ``str`` for text formats or ``bytes`` for binary ones;
nothing here touches the disk. :data:`EXPORTS` maps each format key to its
file extension, MIME type and exporter, so that the app and the command line
share one table, and :func:`export_filename` builds a safe download name
from an untrusted upload name.

Formats
-------
``hex``
    One ``#RRGGBB`` code per line.
``json``
    The colours, their shares and every setting needed to reproduce the
    palette; :func:`palette_from_json` reads it back.
``css``
    CSS custom properties in a ``:root`` block.
``gpl``
    GIMP palette (also read by Inkscape, Krita and Aseprite).
``ase``
    Adobe Swatch Exchange (Photoshop, Illustrator, InDesign, Premiere).
``png``
    A swatch strip whose bar widths follow the shares.
"""

from __future__ import annotations

import io
import json
import math
import numbers
import re
import struct
import unicodedata
from typing import Callable, NamedTuple

import numpy as np
from PIL import Image

from kmeans_core.colorspace import SPACES
from kmeans_core.hexcodes import check_seed_colors, parse_hex_colors, to_hex
from kmeans_core.lloyd import INITIALIZERS
from kmeans_core.palette import ORDERS, REFINEMENTS, Palette

__all__ = [
    "EXPORTS",
    "ExportFormat",
    "export_filename",
    "export_palette",
    "palette_from_json",
    "swatch_widths",
    "to_ase",
    "to_css",
    "to_frame_png",
    "to_gpl",
    "to_hex_text",
    "to_json",
    "to_swatch_png",
]

#: The ``format`` tag written into JSON exports, and the schema version.
JSON_FORMAT = "palette-studio"
JSON_VERSION = 1

#: The longest palette or still name written into a file, in characters.
_MAX_NAME = 100
#: The longest stem :func:`export_filename` keeps, in characters.
_MAX_STEM = 60
#: The largest swatch strip we draw, in pixels (a 48 MB array at most).
_MAX_SWATCH_WIDTH = 8192
_MAX_SWATCH_HEIGHT = 2048

_CSS_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_HEX6 = re.compile(r"#[0-9A-Fa-f]{6}")
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")

# Adobe Swatch Exchange block types and colour type.
_ASE_GROUP_START = 0xC001
_ASE_GROUP_END = 0xC002
_ASE_COLOR = 0x0001
_ASE_NORMAL = 2


def _check_palette(palette) -> Palette:
    if not isinstance(palette, Palette):
        raise ValueError(f"palette must be a Palette from extract_palette, got {type(palette).__name__}")
    return palette


def _clean_name(name, *, default: str) -> str:
    """One printable line: control characters become spaces, runs collapse."""
    if name is None:
        return default
    if not isinstance(name, str):
        raise ValueError(f"name must be a string, got {type(name).__name__}: {name!r}")
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in name)
    text = " ".join(text.split())[:_MAX_NAME].strip()
    return text or default


def _share_label(share: float) -> str:
    return f"{100.0 * share:.1f}%"


def _swatch_names(palette: Palette) -> list[str]:
    """``"#AABBCC 34.2%"`` for each colour: the names in GIMP and ASE files."""
    return [f"{code} {_share_label(share)}" for code, share in zip(palette.hex, palette.shares.tolist())]


# --------------------------------------------------------------------------- text


def to_hex_text(palette: Palette) -> str:
    """The palette as ``#RRGGBB`` codes, one per line.

    Parameters
    ----------
    palette : Palette

    Returns
    -------
    str
        Ends with a new line.
    """
    return "\n".join(_check_palette(palette).hex) + "\n"


def to_css(palette: Palette, *, prefix: str = "palette") -> str:
    """The palette as CSS custom properties in a ``:root`` block.

    Parameters
    ----------
    palette : Palette
    prefix : str, default "palette"
        The property names are ``--{prefix}-1`` to ``--{prefix}-k``, in the
        palette's order. Must be a CSS identifier (letters, digits, ``-``
        and ``_``, not starting with a digit).

    Returns
    -------
    str
        For example ``:root {\\n  --palette-1: #AABBCC; /* 34.2% */\\n}\\n``.

    Raises
    ------
    ValueError
        If ``prefix`` is not a CSS identifier.
    """
    _check_palette(palette)
    if not isinstance(prefix, str) or _CSS_IDENT.fullmatch(prefix) is None:
        raise ValueError(
            f"prefix={prefix!r} must be a CSS identifier: letters, digits, '-' and '_', not starting with a digit"
        )
    lines = [":root {"]
    for i, (code, share) in enumerate(zip(palette.hex, palette.shares.tolist()), start=1):
        lines.append(f"  --{prefix}-{i}: {code}; /* {_share_label(share)} of the frame */")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_gpl(palette: Palette, *, name: str = "Palette") -> str:
    """The palette as a GIMP palette (``.gpl``).

    Parameters
    ----------
    palette : Palette
    name : str, default "Palette"
        The palette's name. Control characters (new lines, tabs) become
        spaces and it is cut to 100 characters; an empty name becomes
        ``"Palette"``.

    Returns
    -------
    str
        The header (``GIMP Palette``, ``Name:``, ``Columns:``, ``#``) and one
        ``R G B<TAB>name`` row per colour, named by hex code and share.
    """
    _check_palette(palette)
    lines = [
        "GIMP Palette",
        f"Name: {_clean_name(name, default='Palette')}",
        f"Columns: {min(palette.k, 16)}",
        "#",
    ]
    for (r, g, b), label in zip(palette.rgb.tolist(), _swatch_names(palette)):
        lines.append(f"{r:3d} {g:3d} {b:3d}\t{label}")
    return "\n".join(lines) + "\n"


def to_json(palette: Palette, *, name: str | None = None) -> str:
    """The palette and the settings that reproduce it, as JSON.

    Parameters
    ----------
    palette : Palette
    name : str, optional
        The still's name, recorded as ``"still"`` (``null`` when not given).

    Returns
    -------
    str
        An object with ``format`` (``"palette-studio"``), ``version``,
        ``still``, ``k``, ``space``, ``init``, ``seed``, ``seeds`` (the manual
        seed colours as hex codes), ``order``, ``inertia`` and ``colors``: a
        list of ``{"hex", "rgb", "share"}`` in the palette's order. Shares are
        written in full precision, so :func:`palette_from_json` gives back
        the same palette.
    """
    _check_palette(palette)
    inertia = float(palette.inertia)
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "still": None if name is None else _clean_name(name, default="still"),
        "k": palette.k,
        "space": palette.space,
        "init": palette.init,
        "seed": None if palette.seed is None else int(palette.seed),
        "seeds": list(palette.seeds),
        "order": palette.order,
        "refine": palette.refine,
        "inertia": inertia if math.isfinite(inertia) else None,
    }
    colors = [
        {"hex": code, "rgb": rgb, "share": share}
        for code, rgb, share in zip(palette.hex, palette.rgb.tolist(), palette.shares.tolist())
    ]
    # Indented like json.dumps(indent=2), but one line per colour.
    lines = [f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}," for key, value in document.items()]
    lines.append('  "colors": [')
    lines.append(",\n".join(f"    {json.dumps(color, allow_nan=False)}" for color in colors))
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

    rgb, shares = _read_colors(document.get("colors"))
    k = document.get("k", len(rgb))
    if k != len(rgb) or isinstance(k, bool):
        raise ValueError(f"k={k!r} but {len(rgb)} colours are listed")
    space = document.get("space", "lab")
    if space not in SPACES:
        raise ValueError(f"space={space!r} must be one of {SPACES}")
    init = document.get("init", "k-means++")
    if init not in (*INITIALIZERS, "manual"):
        raise ValueError(f"init={init!r} must be one of {(*INITIALIZERS, 'manual')}")
    seed = document.get("seed", 0)
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise ValueError(f"seed={seed!r} must be a non-negative integer or null")
    seeds = document.get("seeds", [])
    if not isinstance(seeds, list) or not all(isinstance(s, str) and _HEX6.fullmatch(s) for s in seeds):
        raise ValueError(f"seeds={seeds!r} must be a list of hex codes like '#1A2B3C'")
    seeds = to_hex(check_seed_colors(seeds)) if seeds else ()
    if init == "manual" and len(seeds) != len(rgb):
        raise ValueError(f"init='manual' needs one seed per colour, but seeds={list(seeds)!r} and k={len(rgb)}")
    if init != "manual" and seeds:
        raise ValueError(f"seeds={list(seeds)!r} are given but init={init!r}; seed colours go with init='manual'")
    order = document.get("order", "share")
    if order not in ORDERS:
        raise ValueError(f"order={order!r} must be one of {ORDERS}")
    refine = document.get("refine", "none")
    if refine not in REFINEMENTS:
        raise ValueError(f"refine={refine!r} must be one of {REFINEMENTS}")
    inertia = document.get("inertia")
    if inertia is None:
        inertia = math.nan
    elif isinstance(inertia, bool) or not isinstance(inertia, (int, float)) or not inertia >= 0:
        raise ValueError(f"inertia={inertia!r} must be a non-negative number or null")
    return Palette(
        rgb=rgb,
        shares=shares,
        inertia=float(inertia),
        space=space,
        init=init,
        seed=seed,
        seeds=tuple(seeds),
        order=order,
        refine=refine,
    )


def _read_colors(colors) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(colors, list) or not colors:
        raise ValueError(f"colors={colors!r} must be a non-empty list of {{'hex', 'rgb', 'share'}} objects")
    rgb = np.empty((len(colors), 3), dtype=np.uint8)
    shares = np.empty(len(colors), dtype=np.float64)
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
    total = float(shares.sum())
    if abs(total - 1.0) > 1e-3:
        raise ValueError(f"the shares sum to {total:.6g}; they must sum to 1")
    if abs(total - 1.0) > 1e-9:  # rounded by hand: make them sum to 1 again
        shares /= total
    return rgb, shares


# --------------------------------------------------------------------------- binary


def to_ase(palette: Palette, *, name: str | None = "Palette") -> bytes:
    """The palette as an Adobe Swatch Exchange file (``.ase``).

    Layout, big-endian throughout: ``b"ASEF"``, version 1.0 (two uint16),
    the block count (uint32), then the blocks. Each block is its type
    (uint16), the length of the rest of the block (uint32) and its body.
    A group-start block (``0xC001``) holds a name; a colour block
    (``0x0001``) holds a name, the colour model ``b"RGB "``, three float32
    values from 0 to 1 and the colour type (uint16, 2 = normal); a
    group-end block (``0xC002``) is empty. A name is its length in UTF-16
    code units including the terminating null (uint16), then the UTF-16BE
    text and two null bytes.

    Parameters
    ----------
    palette : Palette
    name : str or None, default "Palette"
        The swatch group's name (cleaned like :func:`to_gpl`'s). With None
        the colours are written without a group.

    Returns
    -------
    bytes
        The swatches are named by hex code and share, e.g. ``"#AABBCC 34.2%"``.
    """
    _check_palette(palette)
    blocks = []
    if name is not None:
        blocks.append(_ase_block(_ASE_GROUP_START, _ase_name(_clean_name(name, default="Palette"))))
    for (r, g, b), label in zip(palette.rgb.tolist(), _swatch_names(palette)):
        body = _ase_name(label) + b"RGB " + struct.pack(">fffH", r / 255.0, g / 255.0, b / 255.0, _ASE_NORMAL)
        blocks.append(_ase_block(_ASE_COLOR, body))
    if name is not None:
        blocks.append(_ase_block(_ASE_GROUP_END, b""))
    return b"ASEF" + struct.pack(">HHI", 1, 0, len(blocks)) + b"".join(blocks)


def _ase_name(text: str) -> bytes:
    encoded = text.encode("utf-16-be") + b"\x00\x00"
    return struct.pack(">H", len(encoded) // 2) + encoded


def _ase_block(kind: int, body: bytes) -> bytes:
    return struct.pack(">HI", kind, len(body)) + body


def swatch_widths(shares, width: int) -> np.ndarray:
    """Integer bar widths proportional to ``shares`` that sum to ``width``.

    Uses the largest-remainder method: each bar gets the floor of its exact
    width ``share * width``, and the pixels left over go to the bars with
    the largest fractional parts (ties to the earlier bar). Every bar is
    then at least 1 pixel wide, a pixel taken from the bar furthest above
    its exact width. So each width is within 1 pixel of its exact width
    whenever every share is at least ``1 / width``.

    Parameters
    ----------
    shares : array-like of shape (k,)
        Non-negative, not all zero; normalised to sum to 1.
    width : int
        At least k.

    Returns
    -------
    ndarray of shape (k,), int64

    Raises
    ------
    ValueError
        For negative or non-finite shares, or ``width < k``.
    """
    shares = np.asarray(shares, dtype=np.float64).reshape(-1)
    k = len(shares)
    if k == 0 or not np.all(np.isfinite(shares)) or np.any(shares < 0) or shares.sum() <= 0:
        raise ValueError(f"shares={shares.tolist()!r} must be finite, non-negative and not all zero")
    if not isinstance(width, numbers.Integral) or isinstance(width, bool) or width < k:
        raise ValueError(f"width={width!r} must be an integer >= {k}, one pixel per colour")
    exact = shares / shares.sum() * int(width)
    widths = np.floor(exact).astype(np.int64)
    left = int(width) - int(widths.sum())
    if left > 0:
        by_remainder = np.argsort(-(exact - widths), kind="stable")
        widths[by_remainder[:left]] += 1
    for i in np.flatnonzero(widths == 0):
        surplus = np.where(widths > 1, widths - exact, -np.inf)
        widths[int(np.argmax(surplus))] -= 1
        widths[i] = 1
    return widths


def to_swatch_png(palette: Palette, *, width: int = 1200, height: int = 160) -> bytes:
    """The palette as a PNG strip of bars whose widths follow the shares.

    Parameters
    ----------
    palette : Palette
    width : int, default 1200
        From k (one pixel per colour) to 8192.
    height : int, default 160
        From 1 to 2048.

    Returns
    -------
    bytes
        An 8-bit RGB PNG, ``width`` by ``height``. Bars run left to right
        in the palette's order; their widths are :func:`swatch_widths`.

    Raises
    ------
    ValueError
        For a size out of range, echoing it.
    """
    _check_palette(palette)
    for label, value, low, high in (
        ("width", width, palette.k, _MAX_SWATCH_WIDTH),
        ("height", height, 1, _MAX_SWATCH_HEIGHT),
    ):
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or not low <= value <= high:
            raise ValueError(f"{label}={value!r} must be an integer from {low} to {high}")
    row = np.repeat(palette.rgb, swatch_widths(palette.shares, int(width)), axis=0)
    strip = np.broadcast_to(row, (int(height), int(width), 3))
    return _png_bytes(np.ascontiguousarray(strip))


def to_frame_png(frame: np.ndarray) -> bytes:
    """Encode a quantized frame (from :func:`kmeans_core.quantize`) as PNG.

    Parameters
    ----------
    frame : ndarray of shape (h, w, 3) or (h, w, 4), uint8
        RGB, or RGBA when the still had alpha.

    Returns
    -------
    bytes
        An RGB or RGBA PNG.

    Raises
    ------
    ValueError
        If ``frame`` is not a non-empty uint8 array of that shape.
    """
    frame = np.asarray(frame)
    if frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[2] not in (3, 4) or 0 in frame.shape:
        raise ValueError(
            f"frame must be a non-empty (h, w, 3) or (h, w, 4) uint8 array, "
            f"got shape {frame.shape} and dtype {frame.dtype}"
        )
    return _png_bytes(np.ascontiguousarray(frame))


def _png_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


# --------------------------------------------------------------------------- the table


class ExportFormat(NamedTuple):
    """One export format: unpacks as ``extension, mime, function``."""

    extension: str
    mime: str
    function: Callable[..., str | bytes]


#: Format key -> (file extension, MIME type, exporter). Every exporter can be
#: called with the palette alone; text formats return str, binary ones bytes.
EXPORTS: dict[str, ExportFormat] = {
    "hex": ExportFormat("txt", "text/plain", to_hex_text),
    "json": ExportFormat("json", "application/json", to_json),
    "css": ExportFormat("css", "text/css", to_css),
    "gpl": ExportFormat("gpl", "text/plain", to_gpl),
    "ase": ExportFormat("ase", "application/octet-stream", to_ase),
    "png": ExportFormat("png", "image/png", to_swatch_png),
}

# The formats whose exporter records a name (the still's, or the palette's).
_NAMED = frozenset({"json", "gpl", "ase"})


def export_palette(palette: Palette, fmt: str, *, name: str | None = None) -> str | bytes:
    """Export a palette in the format named by an :data:`EXPORTS` key.

    Parameters
    ----------
    palette : Palette
    fmt : {"hex", "json", "css", "gpl", "ase", "png"}
    name : str, optional
        The still's name, recorded by the formats that carry one (json, gpl
        and ase); other formats ignore it. Without it each exporter uses its
        own default.

    Returns
    -------
    str or bytes
        str for the text formats, bytes for ase and png.

    Raises
    ------
    ValueError
        For an unknown format.
    """
    if fmt not in EXPORTS:
        raise ValueError(f"format={fmt!r} must be one of {tuple(EXPORTS)}")
    function = EXPORTS[fmt].function
    if name is not None and fmt in _NAMED:
        return function(palette, name=name)
    return function(palette)


def export_filename(still_name, k: int, ext: str) -> str:
    """A safe download name such as ``"astronaut_k8.gpl"``.

    The still's name comes from an upload and is not trusted: directories,
    the extension, ``..``, quotes, ``<>``, control characters and anything
    outside ASCII letters, digits, ``-`` and ``_`` are dropped or replaced
    (accented letters lose their accents), and the stem is cut to 60
    characters. A name with nothing left becomes ``"still"``.

    Parameters
    ----------
    still_name : str or None
        The uploaded file's name, e.g. ``"C:\\\\shots\\\\Astronaut.JPG"``.
    k : int
        The number of colours, at least 1.
    ext : str
        The extension, with or without its dot (an :data:`EXPORTS` entry's
        ``extension``): 1 to 10 ASCII letters or digits.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For a bad ``k`` or ``ext``, echoing it.
    """
    if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k={k!r} must be an integer >= 1")
    clean_ext = ext[1:] if isinstance(ext, str) and ext.startswith(".") else ext
    if not isinstance(clean_ext, str) or _EXTENSION.fullmatch(clean_ext) is None:
        raise ValueError(f"ext={ext!r} must be 1 to 10 ASCII letters or digits, like 'gpl'")
    return f"{_safe_stem(still_name)}_k{int(k)}.{clean_ext.lower()}"


def _safe_stem(still_name) -> str:
    if not isinstance(still_name, str):
        return "still"
    base = re.split(r"[/\\]", still_name)[-1]
    stem, dot, _ = base.rpartition(".")
    if not dot or not stem.strip(". "):  # no extension, or a dot file like ".jpg"
        stem = base
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_text).strip("_-")
    safe = safe[:_MAX_STEM].rstrip("_-")
    return safe or "still"
