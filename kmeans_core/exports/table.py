"""The table of export formats, shared by the app and the command line.

:data:`EXPORTS` maps each format key to its file extension, MIME type and
exporter; :func:`export_palette` calls an exporter by key with the options
it takes, and :func:`export_filename` builds a safe download name from an
untrusted upload name. :data:`FRAME_EXPORT` is the redrawn frame as PNG,
which is not a palette export but is downloaded beside them.

Formats
-------
``hex``
    One ``#RRGGBB`` code per line.
``json``
    The colours, their shares and every setting needed to reproduce the
    palette; :func:`~kmeans_core.exports.palette_from_json` reads it back.
``css``
    CSS custom properties in a ``:root`` block.
``gpl``
    GIMP palette (also read by Inkscape, Krita and Aseprite).
``ase``
    Adobe Swatch Exchange (Photoshop, Illustrator, InDesign, Premiere).
``aco``
    Photoshop swatches, versions 1 and 2 (with names).
``swatches``
    Procreate swatches.
``csv``
    ``hex,r,g,b,share`` rows.
``png``
    A swatch strip whose bar widths follow the shares.
``moodboard``
    A labelled mood board PNG: the still's name, the frame and the swatches
    with hex, RGB and share. Needs the frame.
``cube``
    A 3D LUT (Adobe Cube 1.0) that pulls colours towards the palette.
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from kmeans_core.exports.cube import palette_cube
from kmeans_core.exports.images import to_frame_png, to_mood_board, to_swatch_png
from kmeans_core.exports.palette_json import to_json
from kmeans_core.exports.swatch_files import to_aco, to_ase, to_procreate_swatches
from kmeans_core.exports.text import to_css, to_csv, to_gpl, to_hex_text
from kmeans_core.palette import Palette

__all__ = ["EXPORTS", "FRAME_EXPORT", "ExportFormat", "export_filename", "export_palette", "frame_filename"]

#: The longest stem :func:`export_filename` keeps, in characters.
_MAX_STEM = 60

_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")
_SUFFIX = re.compile(r"[A-Za-z0-9_-]{1,30}")


class ExportFormat(NamedTuple):
    """One export format.

    Attributes
    ----------
    extension : str
        The file extension, without the dot.
    mime : str
    function : callable
        The exporter: the palette (or, for :data:`FRAME_EXPORT`, the frame)
        first; returns str for text formats, bytes for binary ones.
    options : frozenset of str
        The keyword arguments of :func:`export_palette` the exporter takes
        (``name``, ``frame`` and its own options).
    needs_frame : bool
        Whether the exporter needs ``frame`` (the still's pixels).
    """

    extension: str
    mime: str
    function: Callable[..., str | bytes]
    options: frozenset[str] = frozenset()
    needs_frame: bool = False


_NAMED = frozenset({"name"})
_SWATCH_NAMES = frozenset({"name", "shares_in_names"})
_LUT_OPTIONS = frozenset({"name", "size", "strength", "smoothness", "preserve_lightness"})

#: Format key -> :class:`ExportFormat`. Every exporter but ``moodboard``
#: (which needs the frame) can be called with the palette alone.
EXPORTS: dict[str, ExportFormat] = {
    "hex": ExportFormat("txt", "text/plain", to_hex_text),
    "json": ExportFormat("json", "application/json", to_json, frozenset({"name", "stills"})),
    "css": ExportFormat("css", "text/css", to_css),
    "gpl": ExportFormat("gpl", "text/plain", to_gpl, _SWATCH_NAMES),
    "ase": ExportFormat("ase", "application/octet-stream", to_ase, _SWATCH_NAMES),
    "aco": ExportFormat("aco", "application/octet-stream", to_aco, frozenset({"shares_in_names"})),
    "swatches": ExportFormat("swatches", "application/zip", to_procreate_swatches, _NAMED),
    "csv": ExportFormat("csv", "text/csv", to_csv),
    "png": ExportFormat("png", "image/png", to_swatch_png),
    "moodboard": ExportFormat("png", "image/png", to_mood_board, frozenset({"name", "frame"}), needs_frame=True),
    "cube": ExportFormat("cube", "text/plain", palette_cube, _LUT_OPTIONS),
}

#: The redrawn (quantized) frame as PNG: ``FRAME_EXPORT.function(frame)``,
#: named by :func:`frame_filename`. Not a palette export, so not in EXPORTS.
FRAME_EXPORT = ExportFormat("png", "image/png", to_frame_png)


def export_palette(palette: Palette, fmt: str, *, name: str | None = None, frame=None, **options) -> str | bytes:
    """Export a palette in the format named by an :data:`EXPORTS` key.

    Parameters
    ----------
    palette : Palette
    fmt : str
        An :data:`EXPORTS` key: hex, json, css, gpl, ase, aco, swatches,
        csv, png, moodboard or cube.
    name : str, optional
        The still's name, recorded by the formats that carry one (json, gpl,
        ase, swatches, moodboard, cube); other formats ignore it. Without
        it each exporter uses its own default.
    frame : ndarray, optional
        The still's pixels, ``(h, w, 3)`` or ``(h, w, 4)`` uint8: needed by
        the formats whose :attr:`ExportFormat.needs_frame` is set
        (moodboard), ignored by the others.
    **options
        The exporter's own options, e.g. ``size`` and ``strength`` for cube
        or ``shares_in_names`` for gpl, ase and aco; each must be one the
        format takes (:attr:`ExportFormat.options`).

    Returns
    -------
    str or bytes
        str for the text formats (hex, json, css, gpl, csv, cube), bytes for
        the others.

    Raises
    ------
    ValueError
        For an unknown format, a missing frame or an option the format does
        not take.
    """
    if fmt not in EXPORTS:
        raise ValueError(f"format={fmt!r} must be one of {tuple(EXPORTS)}")
    spec = EXPORTS[fmt]
    unknown = sorted(set(options) - spec.options)
    if unknown:
        takes = ", ".join(sorted(spec.options - {"name", "frame"})) or "none"
        raise ValueError(f"format={fmt!r} takes no option {unknown[0]!r} (its options: {takes})")
    if spec.needs_frame:
        if frame is None:
            raise ValueError(f"format={fmt!r} needs the frame: pass frame=the still's pixels")
        options["frame"] = frame
    if name is not None and "name" in spec.options:
        options["name"] = name
    return spec.function(palette, **options)


def export_filename(still_name, k: int, ext: str, *, suffix: str | None = None) -> str:
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
    suffix : str, optional
        Added after k, e.g. ``"frame"`` gives ``"astronaut_k8_frame.png"``:
        1 to 30 ASCII letters, digits, ``-`` or ``_``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For a bad ``k``, ``ext`` or ``suffix``, echoing it.
    """
    if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k={k!r} must be an integer >= 1")
    clean_ext = ext[1:] if isinstance(ext, str) and ext.startswith(".") else ext
    if not isinstance(clean_ext, str) or _EXTENSION.fullmatch(clean_ext) is None:
        raise ValueError(f"ext={ext!r} must be 1 to 10 ASCII letters or digits, like 'gpl'")
    if suffix is not None and (not isinstance(suffix, str) or _SUFFIX.fullmatch(suffix) is None):
        raise ValueError(f"suffix={suffix!r} must be 1 to 30 ASCII letters, digits, '-' or '_'")
    tail = "" if suffix is None else f"_{suffix}"
    return f"{_safe_stem(still_name)}_k{int(k)}{tail}.{clean_ext.lower()}"


def frame_filename(still_name, k: int) -> str:
    """The download name of the redrawn frame, e.g. ``"astronaut_frame_k8.png"``.

    The stem is made safe as by :func:`export_filename`, with the extension
    of :data:`FRAME_EXPORT`.
    """
    palette_name = export_filename(still_name, k, FRAME_EXPORT.extension)
    stem = palette_name[: -len(f"_k{int(k)}.{FRAME_EXPORT.extension}")]
    return f"{stem}_frame_k{int(k)}.{FRAME_EXPORT.extension}"


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
