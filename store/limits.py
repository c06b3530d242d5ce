"""How much one project may hold, and the sizes the store accepts.

The defaults are module constants (stated in the README); a :class:`Limits`
built from them is what a :class:`~store.store.Store` enforces, so tests and
deployments can pass smaller or larger ones to :func:`~store.store.open_store`.
"""

from __future__ import annotations

import dataclasses

__all__ = [
    "MAX_BACKUP_BYTES",
    "MAX_COLOURS",
    "MAX_JSON_BYTES",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_PALETTES_PER_PROJECT",
    "MAX_PROJECT_BYTES",
    "MAX_SCENES_PER_PROJECT",
    "MAX_STILLS_PER_PROJECT",
    "MAX_STILL_BYTES",
    "Limits",
]

#: Stills one project may hold.
MAX_STILLS_PER_PROJECT = 200
#: Bytes of stills (as uploaded) one project may hold: 2 GiB.
MAX_PROJECT_BYTES = 2 * 1024**3
#: Bytes of one still: 128 MiB (the uploader stops at 100 MB).
MAX_STILL_BYTES = 128 * 1024**2
#: Saved palettes one project may hold.
MAX_PALETTES_PER_PROJECT = 2000
#: Scenes one project may hold.
MAX_SCENES_PER_PROJECT = 200
#: Colours in one saved palette.
MAX_COLOURS = 64
#: Characters in a project, still, palette or scene name.
MAX_NAME = 200
#: Characters in a palette's note.
MAX_NOTE = 4000
#: Bytes of one JSON value the store keeps (settings, a recipe), once encoded.
MAX_JSON_BYTES = 256 * 1024
#: Bytes of a backup ZIP that :meth:`~store.store.Store.import_project_zip` reads.
MAX_BACKUP_BYTES = MAX_PROJECT_BYTES + 256 * 1024**2


@dataclasses.dataclass(frozen=True)
class Limits:
    """The limits a store enforces; every field defaults to its module constant.

    Attributes
    ----------
    stills : int
        Stills per project.
    project_bytes : int
        Bytes of stills per project.
    still_bytes : int
        Bytes of one still.
    palettes : int
        Saved palettes per project.
    scenes : int
        Scenes per project.
    backup_bytes : int
        Bytes of a backup ZIP accepted for import.
    """

    stills: int = MAX_STILLS_PER_PROJECT
    project_bytes: int = MAX_PROJECT_BYTES
    still_bytes: int = MAX_STILL_BYTES
    palettes: int = MAX_PALETTES_PER_PROJECT
    scenes: int = MAX_SCENES_PER_PROJECT
    backup_bytes: int = MAX_BACKUP_BYTES

    def __post_init__(self):
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Limits.{field.name}={value!r} must be a positive integer")
