"""What the store hands back: small frozen records, never database rows.

Names are plain text exactly as the user gave them (after cleaning); a page must
show them escaped and never use them as paths. Stills are addressed by the
SHA-256 of their bytes, written as 64 lower-case hex digits.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Literal

__all__ = ["Access", "PaletteMatch", "PaletteRecord", "Project", "SceneRecord", "StillRecord"]

#: What a token opens: ``"edit"`` (change anything) or ``"view"`` (read only).
Access = Literal["edit", "view"]


@dataclasses.dataclass(frozen=True)
class Project:
    """A project: its name, settings and the tokens that open it.

    Attributes
    ----------
    id : int
        The database id (not a secret, not a way in).
    name : str
    view_token : str
        Opens the project read-only.
    edit_token : str or None
        Opens the project for changes; only known to a caller that created
        the project or opened it with this token (``None`` through a view link).
    created : datetime.datetime
        In UTC.
    settings : dict
        The working settings, as last saved (JSON values).
    """

    id: int
    name: str
    view_token: str
    edit_token: str | None
    created: datetime.datetime
    settings: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class StillRecord:
    """A still in a project (its bytes come from ``still_bytes(digest)``).

    Attributes
    ----------
    digest : str
        SHA-256 of the file's bytes, 64 hex digits.
    name : str
        The user's name for it (the uploaded file name at first).
    position : int
        Its place in the project's list, from 0; gaps are allowed.
    size : int
        Bytes.
    added : datetime.datetime
        In UTC.
    """

    digest: str
    name: str
    position: int
    size: int
    added: datetime.datetime


@dataclasses.dataclass(frozen=True)
class PaletteRecord:
    """A saved palette: what it looks like and how to compute it again.

    Attributes
    ----------
    id : int
    project_id : int
    name : str
    note : str
    still_digest : str or None
        The still it was taken from (``None`` for an imported palette).
    recipe : dict
        The settings that reproduce it (k, init, seed, seed or fixed
        colours, space, order, refine, method, ...), as JSON values.
    hex_codes : tuple of str
        Upper-case ``#RRGGBB``, in the palette's order.
    shares : tuple of float or None
        The share of the frame of each colour (``None`` when unknown).
    view_token : str
        Opens this palette alone, read-only.
    created : datetime.datetime
        In UTC.
    """

    id: int
    project_id: int
    name: str
    note: str
    still_digest: str | None
    recipe: dict[str, Any]
    hex_codes: tuple[str, ...]
    shares: tuple[float, ...] | None
    view_token: str
    created: datetime.datetime


@dataclasses.dataclass(frozen=True)
class PaletteMatch:
    """One result of a library search.

    Attributes
    ----------
    palette : PaletteRecord
    delta_e : float or None
        CIEDE2000 from the searched colour to the palette's nearest colour
        (``None`` when no colour was searched).
    nearest : str or None
        That nearest colour's hex code.
    """

    palette: PaletteRecord
    delta_e: float | None
    nearest: str | None


@dataclasses.dataclass(frozen=True)
class SceneRecord:
    """A named group of the project's stills, in order, with its own settings.

    Attributes
    ----------
    id : int
    name : str
    still_digests : tuple of str
        In the scene's order (a removed still drops out).
    settings : dict
    created : datetime.datetime
        In UTC.
    """

    id: int
    name: str
    still_digests: tuple[str, ...]
    settings: dict[str, Any]
    created: datetime.datetime
