"""Exports: a :class:`~kmeans_core.palette.Palette` as files other tools read.

Every exporter is a pure function that takes a palette (plus keyword-only
options) and returns ``str`` for text formats or ``bytes`` for binary ones;
nothing here touches the disk. One module per kind of file:

:mod:`~kmeans_core.exports.text`
    Hex codes, CSS custom properties, GIMP palettes and CSV.
:mod:`~kmeans_core.exports.palette_json`
    Our JSON, which reproduces the palette, and its reader.
:mod:`~kmeans_core.exports.swatch_files`
    Adobe Swatch Exchange, Photoshop ``.aco`` and Procreate ``.swatches``.
:mod:`~kmeans_core.exports.images`
    The swatch strip, the redrawn frame and the mood board, as PNG.
:mod:`~kmeans_core.exports.cube`
    3D LUTs as Adobe ``.cube`` files.
:mod:`~kmeans_core.exports.table`
    :data:`EXPORTS`, the table of formats the app and the command line share,
    :func:`export_palette` and safe download names.
:mod:`~kmeans_core.exports.names`
    The names written into files, cleaned of anything that could break them.
"""

from __future__ import annotations

from kmeans_core.exports.cube import CUBE_COLOR_NOTE, palette_cube, to_cube
from kmeans_core.exports.images import swatch_widths, to_frame_png, to_mood_board, to_swatch_png
from kmeans_core.exports.names import share_label
from kmeans_core.exports.palette_json import JSON_FORMAT, JSON_VERSION, palette_from_json, to_json
from kmeans_core.exports.swatch_files import PROCREATE_MAX_COLORS, to_aco, to_ase, to_procreate_swatches
from kmeans_core.exports.table import (
    EXPORTS,
    FRAME_EXPORT,
    ExportFormat,
    export_filename,
    export_palette,
    frame_filename,
)
from kmeans_core.exports.text import CSV_HEADER, to_css, to_csv, to_gpl, to_hex_text

__all__ = [
    "CSV_HEADER",
    "CUBE_COLOR_NOTE",
    "EXPORTS",
    "FRAME_EXPORT",
    "JSON_FORMAT",
    "JSON_VERSION",
    "PROCREATE_MAX_COLORS",
    "ExportFormat",
    "export_filename",
    "export_palette",
    "frame_filename",
    "palette_cube",
    "palette_from_json",
    "share_label",
    "swatch_widths",
    "to_aco",
    "to_ase",
    "to_css",
    "to_csv",
    "to_cube",
    "to_frame_png",
    "to_gpl",
    "to_hex_text",
    "to_json",
    "to_mood_board",
    "to_procreate_swatches",
    "to_swatch_png",
]
