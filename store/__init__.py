"""The palette studio's durable store: projects, stills, saved palettes and scenes.

SQLAlchemy Core over SQLite by default (``PALETTE_STUDIO_DB`` may name a
PostgreSQL server instead); no Streamlit here. Start with :func:`open_store`.
"""

from __future__ import annotations

from store.database import DEFAULT_DATABASE, ENV_VAR
from store.errors import LimitError, ReadOnlyError, StoreError
from store.limits import Limits
from store.records import Access, PaletteMatch, PaletteRecord, Project, SceneRecord, StillRecord
from store.schema import SCHEMA_VERSION
from store.store import TOKEN_BYTES, ProjectHandle, Store, open_store

__all__ = [
    "DEFAULT_DATABASE",
    "ENV_VAR",
    "SCHEMA_VERSION",
    "TOKEN_BYTES",
    "Access",
    "LimitError",
    "Limits",
    "PaletteMatch",
    "PaletteRecord",
    "Project",
    "ProjectHandle",
    "ReadOnlyError",
    "SceneRecord",
    "StillRecord",
    "Store",
    "StoreError",
    "open_store",
]
