"""Text exports: hex codes, CSS custom properties, GIMP palettes and CSV.

Every function takes a :class:`~kmeans_core.palette.Palette` and returns
``str``; nothing touches the disk.
"""

from __future__ import annotations

import csv
import io
import re

from kmeans_core.exports.names import clean_name, share_label, swatch_names
from kmeans_core.palette import Palette, check_palette

__all__ = ["CSV_HEADER", "to_css", "to_csv", "to_gpl", "to_hex_text"]

#: The header row of :func:`to_csv`.
CSV_HEADER = ("hex", "r", "g", "b", "share")

_CSS_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def to_hex_text(palette: Palette) -> str:
    """The palette as ``#RRGGBB`` codes, one per line.

    Parameters
    ----------
    palette : Palette
        Its colours are written in its order.

    Returns
    -------
    str
        Ends with a new line.
    """
    return "\n".join(check_palette(palette).hex) + "\n"


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
    check_palette(palette)
    if not isinstance(prefix, str) or _CSS_IDENT.fullmatch(prefix) is None:
        raise ValueError(
            f"prefix={prefix!r} must be a CSS identifier: letters, digits, '-' and '_', not starting with a digit"
        )
    lines = [":root {"]
    for i, (code, share) in enumerate(zip(palette.hex, palette.shares.tolist()), start=1):
        lines.append(f"  --{prefix}-{i}: {code}; /* {share_label(share)} of the frame */")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_gpl(palette: Palette, *, name: str = "Palette", shares_in_names: bool = True) -> str:
    """The palette as a GIMP palette (``.gpl``).

    Parameters
    ----------
    palette : Palette
    name : str, default "Palette"
        The palette's name. Control characters (new lines, tabs) become
        spaces and it is cut to 100 characters; an empty name becomes
        ``"Palette"``.
    shares_in_names : bool, default True
        Name each colour by hex code and share (``"#AABBCC 34.2%"``), since
        the format has no field for the share; with False, by hex code only.

    Returns
    -------
    str
        The header (``GIMP Palette``, ``Name:``, ``Columns:``, ``#``) and one
        ``R G B<TAB>name`` row per colour.
    """
    check_palette(palette)
    labels = swatch_names(palette, shares_in_names=shares_in_names)
    lines = [
        "GIMP Palette",
        f"Name: {clean_name(name, default='Palette')}",
        f"Columns: {min(palette.k, 16)}",
        "#",
    ]
    for (r, g, b), label in zip(palette.rgb.tolist(), labels):
        lines.append(f"{r:3d} {g:3d} {b:3d}\t{label}")
    return "\n".join(lines) + "\n"


def to_csv(palette: Palette) -> str:
    """The palette as CSV: a :data:`CSV_HEADER` row, then one row per colour.

    Parameters
    ----------
    palette : Palette

    Returns
    -------
    str
        ``hex,r,g,b,share`` then rows such as ``#AABBCC,170,187,204,0.342``,
        in the palette's order, with ``\\n`` line ends. Shares are written in
        full precision (Python's shortest round-tripping form, with ``.`` as
        the decimal mark whatever the locale), so they sum to 1.
    """
    check_palette(palette)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for code, (r, g, b), share in zip(palette.hex, palette.rgb.tolist(), palette.shares.tolist()):
        writer.writerow((code, r, g, b, repr(float(share))))
    return buffer.getvalue()
