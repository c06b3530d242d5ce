"""Binary swatch files: Adobe Swatch Exchange, Photoshop swatches and Procreate.

Each writer takes a :class:`~kmeans_core.palette.Palette` and returns the
file's ``bytes``; nothing touches the disk. None of these formats has a
field for a colour's share of the frame, so by default each swatch is named
by its hex code and share, e.g. ``"#AABBCC 34.2%"``.
"""

from __future__ import annotations

import colorsys
import io
import json
import struct
import zipfile

from kmeans_core.exports.names import clean_name, swatch_names
from kmeans_core.palette import Palette, check_palette

__all__ = ["PROCREATE_MAX_COLORS", "to_aco", "to_ase", "to_procreate_swatches"]

#: The most swatches a Procreate palette holds.
PROCREATE_MAX_COLORS = 30

# Adobe Swatch Exchange block types and colour type.
_ASE_GROUP_START = 0xC001
_ASE_GROUP_END = 0xC002
_ASE_COLOR = 0x0001
_ASE_NORMAL = 2

# Photoshop .aco colour space for RGB.
_ACO_RGB = 0

# A fixed time stamp for the ZIP entry, so that the same palette gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def to_ase(palette: Palette, *, name: str | None = "Palette", shares_in_names: bool = True) -> bytes:
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
    shares_in_names : bool, default True
        Name each swatch by hex code and share (``"#AABBCC 34.2%"``); with
        False, by hex code only.

    Returns
    -------
    bytes
        The file's bytes.
    """
    check_palette(palette)
    labels = swatch_names(palette, shares_in_names=shares_in_names)
    blocks = []
    if name is not None:
        blocks.append(_ase_block(_ASE_GROUP_START, _ase_name(clean_name(name, default="Palette"))))
    for (r, g, b), label in zip(palette.rgb.tolist(), labels):
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


def to_aco(palette: Palette, *, shares_in_names: bool = True) -> bytes:
    """The palette as Photoshop swatches (``.aco``), versions 1 and 2.

    Layout, big-endian throughout, as Adobe's file format specification
    describes: a version 1 section, then a version 2 section with the same
    colours and their names, so that old and new readers both find them.
    Each section is its version (uint16: 1, then 2) and the colour count
    (uint16), then per colour the colour space (uint16, 0 = RGB) and four
    uint16 values: red, green and blue from 0 to 65535 (an 8-bit value ``v``
    is written ``v * 257``) and 0. In version 2 each colour is followed by
    its name: its length in UTF-16 code units including the terminating
    null (uint32), then the UTF-16BE text and two null bytes.

    Parameters
    ----------
    palette : Palette
    shares_in_names : bool, default True
        As for :func:`to_ase`.

    Returns
    -------
    bytes
    """
    check_palette(palette)
    labels = swatch_names(palette, shares_in_names=shares_in_names)
    specs = [struct.pack(">5H", _ACO_RGB, r * 257, g * 257, b * 257, 0) for r, g, b in palette.rgb.tolist()]
    version1 = struct.pack(">HH", 1, palette.k) + b"".join(specs)
    names = []
    for label in labels:
        encoded = label.encode("utf-16-be") + b"\x00\x00"
        names.append(struct.pack(">I", len(encoded) // 2) + encoded)
    version2 = struct.pack(">HH", 2, palette.k) + b"".join(spec + name for spec, name in zip(specs, names))
    return version1 + version2


def to_procreate_swatches(palette: Palette, *, name: str | None = "Palette") -> bytes:
    """The palette as a Procreate swatches file (``.swatches``).

    The file is a ZIP archive holding one entry, ``Swatches.json``: a list
    with one palette object, ``{"name": ..., "swatches": [...]}``, whose
    swatches are ``{"hue", "saturation", "brightness", "alpha",
    "colorSpace"}`` with hue, saturation and brightness (HSB, also called
    HSV) from 0 to 1, alpha 1 and colour space 0 (sRGB).

    Parameters
    ----------
    palette : Palette
        At most :data:`PROCREATE_MAX_COLORS` colours.
    name : str or None, default "Palette"
        The palette's name (cleaned like :func:`to_gpl`'s).

    Returns
    -------
    bytes
        The same palette gives the same bytes.

    Raises
    ------
    ValueError
        For more colours than a Procreate palette holds.
    """
    check_palette(palette)
    if palette.k > PROCREATE_MAX_COLORS:
        raise ValueError(f"k={palette.k} but a Procreate palette holds at most {PROCREATE_MAX_COLORS} colours")
    swatches = []
    for r, g, b in palette.rgb.tolist():
        hue, saturation, brightness = colorsys.rgb_to_hsv(r / 255.0, g / 255.0, b / 255.0)
        swatches.append({"hue": hue, "saturation": saturation, "brightness": brightness, "alpha": 1, "colorSpace": 0})
    document = [{"name": clean_name(name, default="Palette"), "swatches": swatches}]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entry = zipfile.ZipInfo("Swatches.json", date_time=_ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(entry, json.dumps(document, ensure_ascii=False).encode("utf-8"))
    return buffer.getvalue()
