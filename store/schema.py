"""The tables, and the ordered migrations that build them in any database.

Why a migration table rather than Alembic
-----------------------------------------
The schema is five tables, and the same code has to create and upgrade it on
SQLite and on PostgreSQL when the app opens the database, with no separate
upgrade command for a user to run. Alembic would add a dependency, a
configuration file, a scripts folder and its own version table to keep in step
with :data:`METADATA`, for what is here a short list of functions. So
:data:`MIGRATIONS` is that list, in order, and the ``schema_version`` table
records each step applied (its number, what it did, when). :func:`upgrade`
runs, in one transaction, every step newer than the database's last one; a
failure rolls back all of them, and a database newer than the app is refused
rather than touched. On PostgreSQL an advisory lock keeps two app servers
starting at once from upgrading together; on SQLite the write lock does.

A migration that changes an existing table must describe that table as it was
at its own step (its own :class:`sqlalchemy.Table` in a private
:class:`sqlalchemy.MetaData`), not use the current definitions below, which
describe the newest schema.

Tables
------
``projects``
    id, name, the SHA-256 of the edit token (the token itself is never
    stored), the view token, created, settings (JSON text).
``stills``
    A project's stills keyed by (project, SHA-256 of the bytes): the user's
    name (plain text, never a path), position, size, added, and the original
    bytes (last, so listing does not read them).
``palettes``
    id, project, name, note, the still's digest (or null), the recipe (JSON
    text), the hex codes and shares (JSON text, for listing and search), the
    palette's own view token, created.
``scenes`` and ``scene_stills``
    A named, ordered group of the project's stills with its settings; a
    removed still leaves its scenes.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

import sqlalchemy as sa

from store.errors import StoreError

__all__ = [
    "METADATA",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "database_version",
    "palettes",
    "projects",
    "scene_stills",
    "scenes",
    "schema_version",
    "stills",
    "upgrade",
]

#: An arbitrary constant: the PostgreSQL advisory lock held while upgrading.
_UPGRADE_LOCK = 0x50414C45

METADATA = sa.MetaData()

_NAME = sa.String(200)
_DIGEST = sa.String(64)
_TOKEN = sa.String(128)
_WHEN = sa.DateTime(timezone=True)


def _owned_by_project() -> list[sa.Column]:
    """The first columns of a named thing a project owns (a palette, a scene): its id, its project, its name.

    New Column objects each call, as each table needs its own.
    """
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("name", _NAME, nullable=False),
    ]


schema_version = sa.Table(
    "schema_version",
    METADATA,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied", _WHEN, nullable=False),
)

projects = sa.Table(
    "projects",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", _NAME, nullable=False),
    sa.Column("edit_token_sha256", _DIGEST, nullable=False, unique=True),
    sa.Column("view_token", _TOKEN, nullable=False, unique=True),
    sa.Column("created", _WHEN, nullable=False),
    sa.Column("settings", sa.Text, nullable=False),
)

stills = sa.Table(
    "stills",
    METADATA,
    sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("digest", _DIGEST, primary_key=True),
    sa.Column("name", _NAME, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("added", _WHEN, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

palettes = sa.Table(
    "palettes",
    METADATA,
    *_owned_by_project(),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("still_digest", _DIGEST, nullable=True),
    sa.Column("recipe", sa.Text, nullable=False),
    sa.Column("hex_codes", sa.Text, nullable=False),
    sa.Column("shares", sa.Text, nullable=True),
    sa.Column("view_token", _TOKEN, nullable=False, unique=True),
    sa.Column("created", _WHEN, nullable=False),
    # A still cannot be removed while a saved palette needs it to be recomputed.
    sa.ForeignKeyConstraint(["project_id", "still_digest"], ["stills.project_id", "stills.digest"]),
)

scenes = sa.Table(
    "scenes",
    METADATA,
    *_owned_by_project(),
    sa.Column("settings", sa.Text, nullable=False),
    sa.Column("created", _WHEN, nullable=False),
)

scene_stills = sa.Table(
    "scene_stills",
    METADATA,
    sa.Column("scene_id", sa.Integer, sa.ForeignKey("scenes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("project_id", sa.Integer, nullable=False),
    sa.Column("digest", _DIGEST, nullable=False),
    sa.ForeignKeyConstraint(["project_id", "digest"], ["stills.project_id", "stills.digest"], ondelete="CASCADE"),
)


@dataclasses.dataclass(frozen=True)
class Migration:
    """One step of the schema: its number, what it does, and the function doing it."""

    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _create(*tables: sa.Table) -> Callable[[sa.Connection], None]:
    def apply(connection: sa.Connection) -> None:
        for table in tables:
            table.create(connection)

    return apply


#: Every step, oldest first; a database at version n has had the first n applied.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "projects, stills and saved palettes", _create(projects, stills, palettes)),
    Migration(2, "scenes", _create(scenes, scene_stills)),
)

#: The version this code reads and writes.
SCHEMA_VERSION = MIGRATIONS[-1].version


def database_version(connection: sa.Connection) -> int:
    """The database's schema version: 0 for an empty database."""
    if not sa.inspect(connection).has_table(schema_version.name):
        return 0
    return connection.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def upgrade(connection: sa.Connection, *, where: str, steps: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Apply the steps the database lacks, inside the caller's transaction.

    Parameters
    ----------
    connection : sqlalchemy.Connection
        In a write transaction; the caller commits (all the steps) or rolls
        back (none of them).
    where : str
        The database, for messages.
    steps : tuple of Migration
        The migrations to bring it to (all of them, unless a test builds an
        older database).

    Returns
    -------
    int
        The version the database had before.

    Raises
    ------
    StoreError
        If the database is newer than ``steps`` know.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_UPGRADE_LOCK)))
    before = database_version(connection)
    newest = steps[-1].version
    if before > newest:
        raise StoreError(
            f"the project database at {where} has schema version {before}, newer than this app "
            f"understands ({newest}); run a newer palette studio"
        )
    if before == 0:
        schema_version.create(connection, checkfirst=True)
    for step in steps:
        if step.version > before:
            step.apply(connection)
            connection.execute(
                schema_version.insert().values(
                    version=step.version,
                    description=step.description,
                    applied=datetime.datetime.now(datetime.UTC),
                )
            )
    return before
