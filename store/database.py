"""Where the database is, how we connect to it, and what its failures mean.

:func:`database_url` reads ``PALETTE_STUDIO_DB`` (a SQLAlchemy URL such as
``sqlite:///path`` or ``postgresql+psycopg://user@host/db``, or a bare file
path) and falls back to :data:`DEFAULT_DATABASE` under the project folder.
:func:`create_database_engine` makes the engine; on SQLite every connection
gets WAL journaling, foreign keys, ``synchronous=FULL`` and a busy timeout, and
a transaction opened through :func:`writer` starts with ``BEGIN IMMEDIATE``, so
that concurrent writers queue on the lock (for up to the busy timeout) instead
of failing when one upgrades a read lock. :func:`database_errors` turns driver
errors into a :class:`~store.errors.StoreError` that names the database and
says plainly what is wrong.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from store.errors import StoreError

__all__ = [
    "DEFAULT_DATABASE",
    "ENV_VAR",
    "create_database_engine",
    "database_errors",
    "database_url",
    "describe",
    "writer",
]

#: The environment variable that names the database.
ENV_VAR = "PALETTE_STUDIO_DB"
#: The SQLite file used when ``PALETTE_STUDIO_DB`` is not set.
DEFAULT_DATABASE = Path(__file__).resolve().parent.parent / "data" / "palette_studio.sqlite3"

_BACKENDS = ("sqlite", "postgresql")
_BEGIN_OPTION = "palette_studio_begin"

# Driver messages -> what they mean for the user (matched on the lower-case message).
_MEANINGS = (
    ("file is not a database", "cannot be opened"),
    ("database disk image is malformed", "is damaged"),
    ("unable to open database file", "cannot be opened"),
    ("readonly database", "is read-only"),
    ("read-only", "is read-only"),
    ("database is locked", "is busy: another program is holding a lock on it"),
    ("database table is locked", "is busy: another program is holding a lock on it"),
    ("connection refused", "cannot be reached"),
    ("could not connect", "cannot be reached"),
    ("password authentication failed", "refused the login"),
)


def database_url(url: str | None = None) -> sa.URL:
    """The database to use, as a SQLAlchemy URL.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL or a file path; without it, ``PALETTE_STUDIO_DB``,
        and without that :data:`DEFAULT_DATABASE`.

    Raises
    ------
    StoreError
        For a URL that does not parse or names another kind of database.
    """
    text = url if url is not None else os.environ.get(ENV_VAR) or str(DEFAULT_DATABASE)
    if not isinstance(text, str) or not text.strip():
        raise StoreError(f"the database must be a URL or a file path, got {text!r}")
    if "://" not in text:
        return sa.URL.create("sqlite+pysqlite", database=str(Path(text).expanduser().absolute()))
    try:
        parsed = sa.make_url(text)
    except sa.exc.ArgumentError:
        raise StoreError(f"{ENV_VAR}={text!r} is not a database URL like sqlite:///path/to/file.sqlite3") from None
    if parsed.get_backend_name() not in _BACKENDS:
        raise StoreError(
            f"{describe(parsed)} is a {parsed.get_backend_name()} database; the store runs on SQLite or PostgreSQL"
        )
    return parsed


def describe(url: sa.URL) -> str:
    """The database as shown in messages: the file for SQLite, the URL without its password otherwise."""
    if url.get_backend_name() == "sqlite":
        return str(url.database or ":memory:")
    return url.render_as_string(hide_password=True)


def create_database_engine(url: sa.URL, *, busy_timeout: float) -> sa.Engine:
    """An engine for ``url``; SQLite files get their folder created and our pragmas.

    Parameters
    ----------
    url : sqlalchemy.URL
        From :func:`database_url`.
    busy_timeout : float
        Seconds to wait for a lock (SQLite) or a connection (PostgreSQL).
    """
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": max(1, round(busy_timeout))})
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        with database_errors(url):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": busy_timeout})
    milliseconds = round(busy_timeout * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {milliseconds:d}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = FULL")
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN " + connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED"))

    return engine


def writer(engine: sa.Engine) -> sa.Engine:
    """The same engine, whose transactions take the write lock at once (``BEGIN IMMEDIATE`` on SQLite)."""
    return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})


@contextlib.contextmanager
def database_errors(url: sa.URL) -> Iterator[None]:
    """Raise driver and file errors inside the block as a plain :class:`StoreError`."""
    try:
        yield
    except (sa.exc.DBAPIError, sqlite3.Error, OSError) as error:
        original = getattr(error, "orig", None) or error
        reason = " ".join(str(original).split()) or type(original).__name__
        lowered = reason.lower()
        meaning = next((meaning for needle, meaning in _MEANINGS if needle in lowered), "cannot be used")
        raise StoreError(f"the project database at {describe(url)} {meaning}: {reason}") from error
