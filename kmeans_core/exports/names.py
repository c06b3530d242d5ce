"""Names written into exported files: one clean line, and each swatch's label.

Names come from uploads and are not trusted: :func:`clean_name` turns them
into one printable line of at most :data:`MAX_NAME` characters, so that no
name can add a line to a text format or a record to a binary one.
"""

from __future__ import annotations

import unicodedata

from kmeans_core.palette import Palette

__all__ = ["MAX_NAME", "clean_name", "share_label", "swatch_names"]

#: The longest palette or still name written into a file, in characters.
MAX_NAME = 100


def clean_name(name, *, default: str, limit: int = MAX_NAME) -> str:
    """One printable line: control characters become spaces, runs collapse.

    Parameters
    ----------
    name : str or None
    default : str
        Returned for None, or for a name with nothing printable in it.
    limit : int, default :data:`MAX_NAME`
        The most characters kept.

    Returns
    -------
    str
        At most ``limit`` characters.

    Raises
    ------
    ValueError
        If ``name`` is neither a string nor None.
    """
    if name is None:
        return default
    if not isinstance(name, str):
        raise ValueError(f"name must be a string, got {type(name).__name__}: {name!r}")
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in name)
    text = " ".join(text.split())[:limit].strip()
    return text or default


def share_label(share: float) -> str:
    """A share as a percentage with one decimal, e.g. ``"34.2%"``; a colour
    that covers some pixels but under 0.05% of them reads ``"<0.1%"``, never
    ``"0.0%"``."""
    return "<0.1%" if 0 < share < 0.0005 else f"{100.0 * share:.1f}%"


def swatch_names(palette: Palette, *, shares_in_names: bool = True) -> list[str]:
    """Each colour's swatch name: ``"#AABBCC 34.2%"``, or the hex code alone.

    Parameters
    ----------
    palette : Palette
    shares_in_names : bool, default True
        Add each colour's share of the frame to its name, for formats
        (GIMP, ASE, ACO) that have no field for it.

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        If ``shares_in_names`` is not a bool.
    """
    if not isinstance(shares_in_names, bool):
        raise ValueError(f"shares_in_names={shares_in_names!r} must be True or False")
    if not shares_in_names:
        return list(palette.hex)
    return [f"{code} {share_label(share)}" for code, share in zip(palette.hex, palette.shares.tolist())]
