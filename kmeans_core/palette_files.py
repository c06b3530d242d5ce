"""Reading palettes from files: one reader for every format we import.

:func:`read_palette` sniffs the format from the content (the file name only
names the palette) and reads our JSON, CSV and hex-code lists, GIMP
``.gpl``, Adobe ``.ase``, Photoshop ``.aco``, Procreate ``.swatches`` and
Coolors URLs (``https://coolors.co/1a2b3c-ffeedd-...``). The colours can
then be used as fixed colours (:func:`kmeans_core.palette.apply_palette`).

Input is untrusted: a file over :data:`MAX_PALETTE_BYTES`, more than
:data:`MAX_PALETTE_COLORS` colours, a truncated or malformed file, text
that is not UTF-8, an unknown format or a ZIP that inflates past the cap
all raise ``ValueError`` with a plain message, and nothing else.
"""

from __future__ import annotations

import colorsys
import csv
import io
import json
import math
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import numpy as np

from kmeans_core.exports.names import clean_name
from kmeans_core.exports.palette_json import palette_from_json
from kmeans_core.hexcodes import parse_hex_colors

__all__ = ["MAX_PALETTE_BYTES", "MAX_PALETTE_COLORS", "PALETTE_FILE_FORMATS", "ImportedPalette", "read_palette"]

#: The largest palette file read, in bytes (also the most a ZIP entry may inflate to).
MAX_PALETTE_BYTES = 1 << 20
#: The most colours a palette file may hold.
MAX_PALETTE_COLORS = 256
#: The formats :func:`read_palette` recognises, as recorded in ``ImportedPalette.format``.
PALETTE_FILE_FORMATS = ("json", "csv", "hex", "gpl", "ase", "aco", "swatches", "coolors")

_MAX_ZIP_ENTRIES = 16
_MAX_MESSAGE = 200
_COOLORS = re.compile(r"https?://(?:www\.)?coolors\.co/(?:palette/)?([0-9A-Fa-f]{6}(?:-[0-9A-Fa-f]{6})*)/?")
_SHARE_NAME = re.compile(r"#[0-9A-Fa-f]{6} (\d{1,3}(?:\.\d+)?)%")

# Errors the standard library's parsers raise on malformed input.
_MALFORMED = (
    ValueError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    RecursionError,
    OverflowError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    RuntimeError,
    OSError,
)


@dataclass(frozen=True, eq=False)
class ImportedPalette:
    """Colours read from a palette file.

    Attributes
    ----------
    name : str
        The palette's name from the file, else the file's stem, else
        ``"Imported palette"``; one clean line.
    rgb : ndarray of shape (n, 3), uint8
        The colours in sRGB, in the file's order, each colour once.
    shares : ndarray of shape (n,), float64, or None
        Each colour's share, summing to 1, when the file records them (our
        JSON and CSV, or swatch names such as ``"#A1B2C3 31.0%"``).
    format : str
        One of :data:`PALETTE_FILE_FORMATS`.
    """

    name: str
    rgb: np.ndarray
    shares: np.ndarray | None
    format: str

    @property
    def k(self) -> int:
        """The number of colours."""
        return len(self.rgb)


def read_palette(data: bytes | str, *, filename: str | None = None) -> ImportedPalette:
    """Read a palette file, whatever its format.

    Parameters
    ----------
    data : bytes or str
        The file's content (``bytearray`` and ``memoryview`` work too), or
        text such as a Coolors URL or hex codes.
    filename : str, optional
        The file's name: its stem names a palette whose file has no name,
        and it prefixes error messages.

    Returns
    -------
    ImportedPalette

    Raises
    ------
    ValueError
        For anything that is not a palette we can read, in one plain line.
    """
    label = clean_name(filename, default="palette") if isinstance(filename, str) else "palette"
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, (bytes, str)):
        raise ValueError(f"{label}: a palette file must be bytes or text, got {type(data).__name__}")
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > MAX_PALETTE_BYTES:
        raise ValueError(f"{label}: {size:,} bytes is too large for a palette file (at most {MAX_PALETTE_BYTES:,})")
    try:
        fmt, name, colors, shares = _read(data)
    except _MALFORMED as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        if len(message) > _MAX_MESSAGE:
            message = message[:_MAX_MESSAGE] + "..."
        raise ValueError(f"{label}: {message}") from None
    return _imported(fmt, name, colors, shares, filename)


def _read(data: bytes | str):
    """``(format, name or None, list of (r, g, b), list of shares or None)``."""
    if isinstance(data, bytes):
        if data[:4] == b"ASEF":
            return ("ase", *_read_ase(data))
        if data[:4] == b"PK\x03\x04":
            return ("swatches", *_read_swatches(data))
        if data[:2] in (b"\x00\x01", b"\x00\x02"):
            return ("aco", *_read_aco(data))
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"not a palette file we know (ASE, ACO, Procreate) nor UTF-8 text ({exc.reason} at byte {exc.start})"
            ) from None
    text = data.lstrip("\ufeff").strip()
    if not text:
        raise ValueError("the palette file is empty")
    if text.startswith("GIMP Palette"):
        return ("gpl", *_read_gpl(text))
    if text.startswith("{"):
        return ("json", *_read_json(text))
    match = _COOLORS.fullmatch(text)
    if match is not None:
        return "coolors", "Coolors", parse_hex_colors(match.group(1).replace("-", " ")).tolist(), None
    if text.partition("\n")[0].strip().lower().startswith("hex,"):
        return ("csv", *_read_csv(text))
    if text.startswith(("http://", "https://")):
        raise ValueError(f"{text[:80]!r} is not a Coolors palette URL like https://coolors.co/1a2b3c-ffeedd")
    return "hex", None, parse_hex_colors(text).tolist(), None


def _imported(fmt: str, name, colors: list, shares, filename) -> ImportedPalette:
    if not colors:
        raise ValueError(f"{filename or 'palette'}: the file holds no colours")
    if len(colors) > MAX_PALETTE_COLORS:
        raise ValueError(f"{filename or 'palette'}: {len(colors)} colours is too many (at most {MAX_PALETTE_COLORS})")
    stem = PurePath(filename.replace("\\", "/")).stem if isinstance(filename, str) else None
    name = clean_name(name or stem or None, default="Imported palette")
    order: dict[tuple, int] = {}
    totals: list[float] = []
    for i, color in enumerate(colors):
        key = tuple(color)
        if key not in order:
            order[key] = len(order)
            totals.append(0.0)
        if shares is not None:
            totals[order[key]] += shares[i]
    rgb = np.array(list(order), dtype=np.uint8).reshape(-1, 3)
    share_array = None
    if shares is not None:
        share_array = np.array(totals, dtype=np.float64)
        share_array /= share_array.sum()
    return ImportedPalette(name=name, rgb=rgb, shares=share_array, format=fmt)


def _shares_from_names(names: list[str]):
    """Shares written in swatch names (``"#A1B2C3 31.0%"``), when every name has one and they sum to ~100%."""
    matches = [_SHARE_NAME.fullmatch(name) for name in names]
    if not names or any(match is None for match in matches):
        return None
    shares = [float(match.group(1)) for match in matches]
    return shares if abs(sum(shares) - 100.0) <= 0.06 * len(shares) + 0.5 else None


def _unit_to_byte(value: float, what: str) -> int:
    if not math.isfinite(value) or not -1e-6 <= value <= 1.0 + 1e-6:
        raise ValueError(f"{what}={value!r} must be from 0 to 1")
    return int(round(min(max(value, 0.0), 1.0) * 255.0))


def _read_json(text: str):
    palette = palette_from_json(text)
    document = json.loads(text)
    still = document.get("still") if isinstance(document, dict) else None
    return (still if isinstance(still, str) else None), palette.rgb.tolist(), palette.shares.tolist()


def _read_csv(text: str):
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip().lower() for cell in rows[0]]
    if "hex" not in header:
        raise ValueError(f"CSV header {rows[0]!r} has no 'hex' column")
    column = {name: header.index(name) for name in ("hex", "r", "g", "b", "share") if name in header}
    colors, shares = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ValueError(f"CSV line {line} has {len(row)} fields but the header has {len(header)}")
        rgb = parse_hex_colors(row[column["hex"]].strip())
        if len(rgb) != 1:
            raise ValueError(f"CSV line {line}: {row[column['hex']]!r} must be one hex code")
        color = rgb[0].tolist()
        for i, channel in enumerate("rgb"):
            if channel in column and int(row[column[channel]]) != color[i]:
                raise ValueError(f"CSV line {line}: {channel}={row[column[channel]]!r} does not match the hex code")
        colors.append(color)
        if "share" in column:
            share = float(row[column["share"]])
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"CSV line {line}: share={share!r} must be from 0 to 1")
            shares.append(share)
    if shares and abs(sum(shares) - 1.0) > 1e-3:
        raise ValueError(f"the CSV shares sum to {sum(shares):.6g}; they must sum to 1")
    return None, colors, (shares if shares and sum(shares) > 0 else None)


def _read_gpl(text: str):
    name, colors, names = None, [], []
    for line in text.splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith("Name:"):
            name = stripped[len("Name:") :].strip()
        elif stripped.startswith("Columns:") or stripped.startswith("#") or not stripped:
            continue
        else:
            fields = stripped.split(None, 3)
            if len(fields) < 3:
                raise ValueError(f"GIMP palette row {stripped[:60]!r} must start with three values R G B")
            color = [int(value) for value in fields[:3]]
            if not all(0 <= value <= 255 for value in color):
                raise ValueError(f"GIMP palette row {stripped[:60]!r} has a value outside 0 to 255")
            colors.append(color)
            names.append(fields[3].strip() if len(fields) > 3 else "")
            if len(colors) > MAX_PALETTE_COLORS:
                break
    return name, colors, _shares_from_names(names)


def _utf16_name(data: bytes, pos: int, units: int, end: int) -> tuple[str, int]:
    raw = data[pos : pos + 2 * units]
    if len(raw) != 2 * units or pos + 2 * units > end:
        raise ValueError("a name runs past the end of its record (truncated file?)")
    return raw.decode("utf-16-be").rstrip("\x00"), pos + 2 * units


def _read_ase(data: bytes):
    major, _minor, count = struct.unpack_from(">HHI", data, 4)
    if major != 1:
        raise ValueError(f"ASE version {major} is not supported (expected 1)")
    pos, group, colors, names = 12, None, [], []
    for _ in range(count):
        kind, length = struct.unpack_from(">HI", data, pos)
        pos += 6
        end = pos + length
        if end > len(data):
            raise ValueError("an ASE block runs past the end of the file (truncated file?)")
        if kind in (0x0001, 0xC001):
            (units,) = struct.unpack_from(">H", data, pos)
            name, at = _utf16_name(data, pos + 2, units, end)
            if kind == 0xC001:
                group = group if group is not None else name
            else:
                model = data[at : at + 4]
                values = {b"RGB ": 3, b"Gray": 1}.get(model)
                if values is None:
                    raise ValueError(f"ASE colour model {model!r} is not supported (only RGB and Gray)")
                channels = struct.unpack_from(f">{values}f", data, at + 4)
                color = [_unit_to_byte(v, "ASE value") for v in channels]
                colors.append(color * 3 if values == 1 else color)
                names.append(name)
                if len(colors) > MAX_PALETTE_COLORS:
                    break
        elif kind != 0xC002:
            raise ValueError(f"unknown ASE block type {kind:#06x}")
        pos = end
    return group, colors, _shares_from_names(names)


def _read_aco(data: bytes):
    version, count = struct.unpack_from(">HH", data, 0)
    pos = 4
    colors, names, pos = _aco_section(data, pos, version, count)
    if version == 1 and pos < len(data):  # a version 2 section with names follows
        version2, count2 = struct.unpack_from(">HH", data, pos)
        if version2 != 2:
            raise ValueError(f"the ACO section after version 1 has version {version2} (expected 2)")
        colors, names, _ = _aco_section(data, pos + 4, 2, count2)
    return None, colors, _shares_from_names(names)


def _aco_section(data: bytes, pos: int, version: int, count: int):
    """The colours and names of one section, and where it ends."""
    if count > MAX_PALETTE_COLORS:
        raise ValueError(f"{count} colours is too many (at most {MAX_PALETTE_COLORS})")
    colors, names = [], []
    for _ in range(count):
        space, w, x, y, _z = struct.unpack_from(">5H", data, pos)
        pos += 10
        if space == 0:
            colors.append([int(round(v / 257.0)) for v in (w, x, y)])
        elif space == 8:
            if w > 10000:
                raise ValueError(f"ACO grey value {w} is outside 0 to 10000")
            colors.append([int(round(255.0 * (1.0 - w / 10000.0)))] * 3)
        else:
            raise ValueError(f"ACO colour space {space} is not supported (only RGB and grey)")
        if version == 2:
            (units,) = struct.unpack_from(">I", data, pos)
            name, pos = _utf16_name(data, pos + 4, units, len(data))
            names.append(name)
    return colors, names, pos


def _read_swatches(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > _MAX_ZIP_ENTRIES:
            raise ValueError(f"the Procreate file holds {len(entries)} entries (at most {_MAX_ZIP_ENTRIES})")
        entry = next((e for e in entries if e.filename.lower() == "swatches.json"), None)
        if entry is None:
            raise ValueError("the ZIP holds no Swatches.json: not a Procreate swatches file")
        if entry.file_size > MAX_PALETTE_BYTES:
            raise ValueError(f"Swatches.json inflates to {entry.file_size:,} bytes (at most {MAX_PALETTE_BYTES:,})")
        with archive.open(entry) as handle:
            raw = handle.read(MAX_PALETTE_BYTES + 1)  # never more, whatever the header claims
    if len(raw) > MAX_PALETTE_BYTES:
        raise ValueError(f"Swatches.json inflates past {MAX_PALETTE_BYTES:,} bytes")
    document = json.loads(raw.decode("utf-8"))
    if isinstance(document, list):
        if not document or not isinstance(document[0], dict):
            raise ValueError("Swatches.json must hold a palette object")
        document = document[0]
    if not isinstance(document, dict) or not isinstance(document.get("swatches"), list):
        raise ValueError("Swatches.json must hold an object with a 'swatches' list")
    colors = []
    for i, swatch in enumerate(document["swatches"][: MAX_PALETTE_COLORS + 1]):
        if swatch is None:  # an empty slot
            continue
        if not isinstance(swatch, dict):
            raise ValueError(f"swatches[{i}]={swatch!r} must be an object")
        if swatch.get("colorSpace", 0) != 0:
            raise ValueError(f"swatches[{i}].colorSpace={swatch.get('colorSpace')!r} is not sRGB (0)")
        hsb = []
        for key in ("hue", "saturation", "brightness"):
            value = swatch.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise ValueError(f"swatches[{i}].{key}={value!r} must be a number from 0 to 1")
            hsb.append(float(value))
        colors.append([_unit_to_byte(v, "colour") for v in colorsys.hsv_to_rgb(*hsb)])
    name = document.get("name")
    return (name if isinstance(name, str) else None), colors, None
