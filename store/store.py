"""The project store: projects, stills, saved palettes and scenes in one database.

:func:`open_store` opens (creating or upgrading) the database and returns a
:class:`Store`. A project is reached only through a token: the edit token
opens a :class:`ProjectHandle` that may change it, the view token one that may
only read it (every changing method raises
:class:`~store.errors.ReadOnlyError`), and a saved palette's own view token
shows that palette alone. A wrong or malformed token finds nothing (``None``);
it never raises.

Every change runs in one transaction (``BEGIN IMMEDIATE`` on SQLite, and a
row lock on the project on PostgreSQL), so concurrent sessions queue rather
than mix, and the project's limits hold. The SQL takes values only as bound
parameters; names are stored as text and never used as paths.

No Streamlit here: the pages call this API.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import hmac
import json
import math
import secrets
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Self, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from store import backup, schema
from store.checks import (
    check_digest,
    check_hex_code,
    check_hex_codes,
    check_id,
    check_json_object,
    check_note,
    check_shares,
    clean_name,
    is_token,
)
from store.colour_search import nearest_colours
from store.database import create_database_engine, database_errors, database_url, describe, writer
from store.errors import LimitError, ReadOnlyError, StoreError
from store.limits import Limits
from store.records import Access, PaletteMatch, PaletteRecord, Project, SceneRecord, StillRecord

__all__ = ["TOKEN_BYTES", "ProjectHandle", "Store", "open_store"]

#: Random bytes in every token (192 bits), from :mod:`secrets`.
TOKEN_BYTES = 24

_Method = TypeVar("_Method", bound=Callable[..., Any])

#: The columns of a :class:`StillRecord` (a still's bytes are read only when asked for).
_STILL_COLUMNS = tuple(schema.stills.c[name] for name in ("digest", "name", "position", "size", "added"))


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _utc(value: datetime.datetime) -> datetime.datetime:
    """SQLite gives back naive datetimes (written in UTC), PostgreSQL aware ones."""
    return value.replace(tzinfo=datetime.UTC) if value.tzinfo is None else value.astimezone(datetime.UTC)


def _size(size: int) -> str:
    return f"{size} bytes" if size < 1_000_000 else f"{size / 1e6:.1f} MB"


def open_store(url: str | None = None, *, limits: Limits | None = None, busy_timeout: float = 10.0) -> Store:
    """Open the project database, creating it or upgrading its schema if needed.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL (``sqlite:///path``, ``postgresql+psycopg://...``)
        or a file path; by default ``PALETTE_STUDIO_DB``, then
        ``<project folder>/data/palette_studio.sqlite3`` (its folder is created).
    limits : Limits, optional
        What one project may hold; the module constants of :mod:`store.limits` by default.
    busy_timeout : float, default 10.0
        Seconds to wait for another writer's lock before giving up.

    Returns
    -------
    Store

    Raises
    ------
    StoreError
        If the database cannot be opened, read or upgraded (not a database,
        locked, read-only and in need of an upgrade, unreachable, newer than
        this code); the message names it and says why.
    """
    if isinstance(busy_timeout, bool) or not isinstance(busy_timeout, (int, float)) or not busy_timeout > 0:
        raise StoreError(f"busy_timeout={busy_timeout!r} must be a positive number of seconds")
    address = database_url(url)
    engine = create_database_engine(address, busy_timeout=float(busy_timeout))
    store = Store(engine, url=address, limits=limits or Limits())
    try:
        store._upgrade()
    except BaseException:
        engine.dispose()
        raise
    return store


def _edits(method: _Method) -> _Method:
    """Mark a :class:`ProjectHandle` method as a change: it refuses a read-only handle."""

    @functools.wraps(method)
    def checked(self: ProjectHandle, *args, **kwargs):
        if self.access != "edit":
            raise ReadOnlyError("this project was opened with a read-only link: it cannot be changed")
        return method(self, *args, **kwargs)

    checked.changes_project = True  # type: ignore[attr-defined]
    return checked  # type: ignore[return-value]


class Store:
    """The database of projects. Made by :func:`open_store`; safe to share between threads.

    Attributes
    ----------
    url : sqlalchemy.URL
    limits : Limits
    where : str
        The database as named in messages (no password).
    """

    def __init__(self, engine: sa.Engine, *, url: sa.URL, limits: Limits):
        self._engine = engine
        self._writer = writer(engine)
        self.url = url
        self.limits = limits
        self.where = describe(url)

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        """Close the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextlib.contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with database_errors(self.url), self._engine.connect() as connection:
            yield connection

    @contextlib.contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """One transaction holding the write lock: committed on success, rolled back on any error."""
        with database_errors(self.url), self._writer.begin() as connection:
            yield connection

    def _upgrade(self) -> None:
        with self._read() as connection:
            current = schema.database_version(connection)
        if current != schema.SCHEMA_VERSION:  # a newer database is refused inside upgrade()
            with self._write() as connection:
                schema.upgrade(connection, where=self.where)

    def _insert(self, table: sa.Table):
        """An INSERT that can skip rows already present (ON CONFLICT DO NOTHING) in either dialect."""
        dialect = postgresql if self._engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    # ------------------------------------------------------------------ projects

    def create_project(self, name: str) -> Project:
        """A new, empty project, with fresh edit and view tokens.

        Parameters
        ----------
        name : str

        Returns
        -------
        Project
            Its ``edit_token`` is the only copy: the database keeps a hash.
        """
        clean = clean_name(name, what="project")
        edit_token = _new_token()
        with self._write() as connection:
            project_id = self._add_project(connection, name=clean, edit_token=edit_token, created=_now(), settings="{}")
            row = connection.execute(sa.select(schema.projects).where(schema.projects.c.id == project_id)).one()
        return _project(row, edit_token=edit_token)

    def _add_project(self, connection: sa.Connection, *, name: str, edit_token: str, created, settings: str) -> int:
        return connection.execute(
            schema.projects.insert()
            .values(
                name=name,
                edit_token_sha256=_token_digest(edit_token),
                view_token=_new_token(),
                created=created,
                settings=settings,
            )
            .returning(schema.projects.c.id)
        ).scalar_one()

    def project_by_token(self, token: Any) -> tuple[Project, Access] | None:
        """The project a token opens, and how.

        Parameters
        ----------
        token : str
            An edit or view token, e.g. from ``?project=`` in a URL; anything
            else (wrong, malformed, not text) finds nothing.

        Returns
        -------
        (Project, "edit" or "view") or None
            Through a view token the project's ``edit_token`` is ``None``.
        """
        if not is_token(token):
            return None
        digest = _token_digest(token)
        projects = schema.projects
        with self._read() as connection:
            row = connection.execute(
                sa.select(projects).where(
                    sa.or_(projects.c.edit_token_sha256 == digest, projects.c.view_token == token)
                )
            ).first()
        if row is None:
            return None
        if hmac.compare_digest(row.edit_token_sha256, digest):
            return _project(row, edit_token=token), "edit"
        return _project(row, edit_token=None), "view"

    def open_project(self, token: Any) -> ProjectHandle | None:
        """A handle on the project a token opens (read-only for a view token), or ``None``."""
        found = self.project_by_token(token)
        if found is None:
            return None
        project, access = found
        return ProjectHandle(self, project, access)

    def palette_by_view_token(self, token: Any) -> PaletteRecord | None:
        """The saved palette a palette share token shows, or ``None`` for any other value."""
        if not is_token(token):
            return None
        with self._read() as connection:
            row = connection.execute(sa.select(schema.palettes).where(schema.palettes.c.view_token == token)).first()
        return None if row is None else _palette(row)

    def shared_still_bytes(self, token: Any) -> bytes | None:
        """The still of the saved palette a palette share token shows (``None`` if it has none)."""
        palette = self.palette_by_view_token(token)
        if palette is None or palette.still_digest is None:
            return None
        return self._still_bytes(palette.project_id, palette.still_digest)

    def _still_bytes(self, project_id: int, digest: str) -> bytes:
        stills = schema.stills
        with self._read() as connection:
            data = connection.execute(
                sa.select(stills.c.data).where(stills.c.project_id == project_id, stills.c.digest == digest)
            ).scalar()
        if data is None:
            raise StoreError(f"this project holds no still {digest}")
        return bytes(data)

    def import_project_zip(self, data: bytes, *, name: str | None = None) -> Project:
        """A new project made from a backup written by :meth:`ProjectHandle.export_zip`.

        Parameters
        ----------
        data : bytes
            The ZIP file, untrusted.
        name : str, optional
            The new project's name; the backup's by default.

        Returns
        -------
        Project
            The same name (unless given), settings, stills (bytes, names,
            positions, times), saved palettes and scenes, with new ids and
            tokens.

        Raises
        ------
        StoreError
            For a file that is not a valid backup or would exceed a limit;
            nothing is written then.
        """
        content = backup.read_backup(data, limits=self.limits)
        clean = content.name if name is None else clean_name(name, what="project")
        edit_token = _new_token()
        with self._write() as connection:
            project_id = self._add_project(
                connection, name=clean, edit_token=edit_token, created=content.created, settings=content.settings
            )
            # A backup's still and palette records hold exactly the fields their inserts take.
            for still in content.stills:
                _insert_still(connection, project_id, **vars(still))
            for palette in content.palettes:
                _insert_palette(connection, project_id, **vars(palette))
            for scene in content.scenes:
                _insert_scene(
                    connection,
                    project_id,
                    name=scene.name,
                    digests=scene.still_digests,
                    settings=scene.settings,
                    created=scene.created,
                )
            row = connection.execute(sa.select(schema.projects).where(schema.projects.c.id == project_id)).one()
        return _project(row, edit_token=edit_token)


def _insert_still(connection, project_id: int, *, digest: str, name: str, position: int, added, data: bytes) -> None:
    """One still's row; its size is its data's length."""
    connection.execute(
        schema.stills.insert().values(
            project_id=project_id, digest=digest, name=name, position=position, size=len(data), added=added, data=data
        )
    )


def _insert_palette(
    connection, project_id: int, *, name: str, note: str, still_digest, recipe: str, hex_codes, shares, created
) -> int:
    """One saved palette's row, with a new view token (codes and shares as JSON lists); returns its id."""
    palettes = schema.palettes
    return connection.execute(
        palettes.insert()
        .values(
            project_id=project_id,
            name=name,
            note=note,
            still_digest=still_digest,
            recipe=recipe,
            hex_codes=json.dumps(list(hex_codes)),
            shares=None if shares is None else json.dumps(list(shares)),
            view_token=_new_token(),
            created=created,
        )
        .returning(palettes.c.id)
    ).scalar_one()


def _insert_scene(connection, project_id: int, *, name: str, digests: Sequence[str], settings: str, created) -> int:
    scene_id = connection.execute(
        schema.scenes.insert()
        .values(project_id=project_id, name=name, settings=settings, created=created)
        .returning(schema.scenes.c.id)
    ).scalar_one()
    if digests:
        connection.execute(
            schema.scene_stills.insert(),
            [
                {"scene_id": scene_id, "position": i, "project_id": project_id, "digest": digest}
                for i, digest in enumerate(digests)
            ],
        )
    return scene_id


class ProjectHandle:
    """One project, opened with a token: read it, and change it if the token was the edit token.

    Made by :meth:`Store.open_project`. Methods that change the project raise
    :class:`~store.errors.ReadOnlyError` on a handle with ``access == "view"``.

    Attributes
    ----------
    id : int
    access : {"edit", "view"}
    opened : Project
        The project as it was when opened (see :meth:`project` for now).
    """

    def __init__(self, store: Store, project: Project, access: Access):
        self._store = store
        self.id = project.id
        self.access: Access = access
        self.opened = project

    @property
    def can_edit(self) -> bool:
        """Whether this handle may change the project."""
        return self.access == "edit"

    def _lock(self, connection: sa.Connection) -> None:
        """Take the project's row lock (PostgreSQL; SQLite's write lock covers it), or fail if it is gone."""
        found = connection.execute(
            sa.select(schema.projects.c.id).where(schema.projects.c.id == self.id).with_for_update()
        ).first()
        if found is None:
            raise StoreError("this project no longer exists")

    def _change_one(self, connection: sa.Connection, statement, noun: str, key) -> None:
        """Run ``statement``, an update or delete of one of the project's rows; a StoreError if it matched none."""
        if not connection.execute(statement).rowcount:
            raise StoreError(f"this project holds no {noun} {key}")

    def _remove_by_id(self, table: sa.Table, row_id: int, *, what: str, noun: str) -> None:
        """Delete the project's row of ``table`` with this id (``what`` names the id in a message, ``noun`` the row)."""
        where = (table.c.project_id == self.id, table.c.id == check_id(row_id, what=what))
        with self._store._write() as connection:
            self._lock(connection)
            self._change_one(connection, table.delete().where(*where), noun, row_id)

    def _check_room(self, connection: sa.Connection, table: sa.Table, limit: int, noun: str) -> None:
        """Raise a LimitError if the project already holds ``limit`` rows of ``table`` (``noun`` names them)."""
        count = connection.execute(
            sa.select(sa.func.count()).select_from(table).where(table.c.project_id == self.id)
        ).scalar_one()
        if count >= limit:
            raise LimitError(f"this project already holds {count} {noun}, the most a project may hold")

    # ------------------------------------------------------------------ the project

    def project(self) -> Project:
        """The project as it is now (name and settings may have changed since it was opened)."""
        with self._store._read() as connection:
            row = connection.execute(sa.select(schema.projects).where(schema.projects.c.id == self.id)).first()
        if row is None:
            raise StoreError("this project no longer exists")
        return _project(row, edit_token=self.opened.edit_token)

    @_edits
    def rename(self, name: str) -> Project:
        """Rename the project; returns it as it is now."""
        clean = clean_name(name, what="project")
        with self._store._write() as connection:
            self._lock(connection)
            connection.execute(schema.projects.update().where(schema.projects.c.id == self.id).values(name=clean))
        return self.project()

    @_edits
    def save_settings(self, settings: dict[str, Any]) -> None:
        """Replace the project's working settings (a dict of JSON values)."""
        text = check_json_object(settings, what="settings")
        with self._store._write() as connection:
            self._lock(connection)
            connection.execute(schema.projects.update().where(schema.projects.c.id == self.id).values(settings=text))

    # ------------------------------------------------------------------ stills

    def list_stills(self) -> list[StillRecord]:
        """The project's stills in their order."""
        stills = schema.stills
        with self._store._read() as connection:
            rows = connection.execute(
                sa.select(*_STILL_COLUMNS)
                .where(stills.c.project_id == self.id)
                .order_by(stills.c.position, stills.c.added, stills.c.digest)
            ).all()
        return [_still(row) for row in rows]

    def still_bytes(self, digest: str) -> bytes:
        """The original bytes of one of the project's stills."""
        return self._store._still_bytes(self.id, check_digest(digest))

    @_edits
    def add_still(self, name: str, data: bytes) -> tuple[StillRecord, bool]:
        """Add a still's file bytes (already decoded once by the caller, to be sure it is an image).

        Parameters
        ----------
        name : str
            The user's name for it, e.g. the uploaded file name (text only).
        data : bytes

        Returns
        -------
        (StillRecord, bool)
            The still, and whether these bytes were already in the project
            (then nothing changed, and the record carries the name they have).

        Raises
        ------
        LimitError
            If the project already holds its most stills or bytes.
        """
        clean = clean_name(name, what="still")
        if not isinstance(data, (bytes, bytearray, memoryview)) or len(data) == 0:
            raise StoreError(
                f"a still must be a file's bytes, got {type(data).__name__} "
                f"of length {len(data) if hasattr(data, '__len__') else '?'}"
            )
        data = bytes(data)
        limits = self._store.limits
        if len(data) > limits.still_bytes:
            raise LimitError(f"{clean!r} is {_size(len(data))}; a still may be at most {_size(limits.still_bytes)}")
        digest = hashlib.sha256(data).hexdigest()
        stills = schema.stills
        with self._store._write() as connection:
            self._lock(connection)
            present = connection.execute(
                sa.select(*_STILL_COLUMNS).where(stills.c.project_id == self.id, stills.c.digest == digest)
            ).first()
            if present is not None:
                return _still(present), True
            count, total, last = connection.execute(  # PostgreSQL sums bigints as numeric: int() below
                sa.select(
                    sa.func.count(), sa.func.coalesce(sa.func.sum(stills.c.size), 0), sa.func.max(stills.c.position)
                ).where(stills.c.project_id == self.id)
            ).one()
            total = int(total)
            if count >= limits.stills:
                raise LimitError(f"this project already holds {count} stills, the most a project may hold")
            if total + len(data) > limits.project_bytes:
                raise LimitError(
                    f"adding {clean!r} ({_size(len(data))}) would take this project's stills to "
                    f"{_size(total + len(data))}, over its limit of {_size(limits.project_bytes)}"
                )
            record = StillRecord(
                digest=digest, name=clean, position=0 if last is None else last + 1, size=len(data), added=_now()
            )
            _insert_still(
                connection,
                self.id,
                digest=digest,
                name=record.name,
                position=record.position,
                added=record.added,
                data=data,
            )
        return record, False

    @_edits
    def rename_still(self, digest: str, name: str) -> StillRecord:
        """Rename one of the project's stills; returns it renamed."""
        check_digest(digest)
        clean = clean_name(name, what="still")
        stills = schema.stills
        where = (stills.c.project_id == self.id, stills.c.digest == digest)
        with self._store._write() as connection:
            self._lock(connection)
            self._change_one(connection, stills.update().where(*where).values(name=clean), "still", digest)
            row = connection.execute(sa.select(*_STILL_COLUMNS).where(*where)).one()
        return _still(row)

    @_edits
    def remove_still(self, digest: str) -> None:
        """Remove a still (and drop it from scenes); refused while saved palettes are made from it."""
        check_digest(digest)
        stills, palettes = schema.stills, schema.palettes
        with self._store._write() as connection:
            self._lock(connection)
            users = (
                connection.execute(
                    sa.select(palettes.c.name)
                    .where(palettes.c.project_id == self.id, palettes.c.still_digest == digest)
                    .order_by(palettes.c.created, palettes.c.id)
                )
                .scalars()
                .all()
            )
            if users:
                named = ", ".join(repr(name) for name in users[:3]) + (", ..." if len(users) > 3 else "")
                raise StoreError(
                    f"this still is used by {len(users)} saved palette{'s' if len(users) > 1 else ''} ({named}); "
                    "remove those first"
                )
            where = (stills.c.project_id == self.id, stills.c.digest == digest)
            self._change_one(connection, stills.delete().where(*where), "still", digest)

    # ------------------------------------------------------------------ saved palettes

    def list_palettes(self) -> list[PaletteRecord]:
        """The project's saved palettes, oldest first."""
        return [match.palette for match in self.search_palettes()]

    def palette(self, palette_id: int) -> PaletteRecord | None:
        """One of the project's saved palettes, or ``None``."""
        palettes = schema.palettes
        with self._store._read() as connection:
            row = connection.execute(
                sa.select(palettes).where(
                    palettes.c.project_id == self.id, palettes.c.id == check_id(palette_id, what="palette")
                )
            ).first()
        return None if row is None else _palette(row)

    def search_palettes(
        self, *, name: str | None = None, near_hex: str | None = None, within: float = 5.0
    ) -> list[PaletteMatch]:
        """The saved palettes whose name holds ``name`` and that hold a colour near ``near_hex``.

        Parameters
        ----------
        name : str, optional
            Text the name must contain (ASCII letters in any case; ``%`` and
            ``_`` are plain characters).
        near_hex : str, optional
            A colour code such as ``"#C04020"``.
        within : float, default 5.0
            The largest CIEDE2000 from ``near_hex`` to the palette's nearest colour.

        Returns
        -------
        list of PaletteMatch
            Nearest first when a colour is searched (ties oldest first),
            otherwise oldest first.
        """
        target = None if near_hex is None else check_hex_code(near_hex)
        if (
            isinstance(within, bool)
            or not isinstance(within, (int, float))
            or not (math.isfinite(within) and within >= 0)
        ):
            raise StoreError(f"within={within!r} must be a CIEDE2000 distance of 0 or more")
        palettes = schema.palettes
        query = sa.select(palettes).where(palettes.c.project_id == self.id).order_by(palettes.c.created, palettes.c.id)
        if name is not None:
            if not isinstance(name, str):
                raise StoreError(f"a name to search for must be text, got {type(name).__name__}")
            query = query.where(sa.func.lower(palettes.c.name).contains(name.lower(), autoescape=True))
        with self._store._read() as connection:
            records = [_palette(row) for row in connection.execute(query)]
        if target is None:
            return [PaletteMatch(record, None, None) for record in records]
        nearest = nearest_colours(target, [record.hex_codes for record in records])
        matches = [
            PaletteMatch(record, delta_e, code)
            for record, (delta_e, code) in zip(records, nearest)
            if delta_e <= within
        ]
        return sorted(matches, key=lambda match: match.delta_e)  # stable: ties stay oldest first

    @_edits
    def save_palette(
        self,
        *,
        name: str,
        recipe: dict[str, Any],
        hex_codes: Sequence[str],
        shares: Sequence[float] | None = None,
        note: str = "",
        still_digest: str | None = None,
    ) -> PaletteRecord:
        """Save a palette with what reproduces it.

        Parameters
        ----------
        name : str
        recipe : dict
            JSON values: k, init, seed, the seed, fixed or locked colours, space,
            order, refine, method... (``k``, when given, must be a positive integer).
        hex_codes : sequence of str
            1 to 64 codes like ``"#C04020"``, in the palette's order.
        shares : sequence of float, optional
            One per colour, from 0 to 1, summing to 1.
        note : str, default ""
        still_digest : str, optional
            One of the project's stills (``None`` for an imported palette).

        Returns
        -------
        PaletteRecord
            With its own read-only ``view_token``.
        """
        clean = clean_name(name, what="palette")
        clean_note = check_note(note)
        recipe_text = check_json_object(recipe, what="the recipe")
        k = recipe.get("k")
        if k is not None and (isinstance(k, bool) or not isinstance(k, int) or k < 1):
            raise StoreError(f"the recipe's k={k!r} must be a positive integer")
        codes = check_hex_codes(hex_codes)
        clean_shares = check_shares(shares, count=len(codes))
        if still_digest is not None:
            check_digest(still_digest)
        palettes, stills = schema.palettes, schema.stills
        with self._store._write() as connection:
            self._lock(connection)
            if (
                still_digest is not None
                and connection.execute(
                    sa.select(stills.c.digest).where(stills.c.project_id == self.id, stills.c.digest == still_digest)
                ).first()
                is None
            ):
                raise StoreError(f"this project holds no still {still_digest}")
            self._check_room(connection, palettes, self._store.limits.palettes, "saved palettes")
            palette_id = _insert_palette(
                connection,
                self.id,
                name=clean,
                note=clean_note,
                still_digest=still_digest,
                recipe=recipe_text,
                hex_codes=codes,
                shares=clean_shares,
                created=_now(),
            )
            row = connection.execute(sa.select(palettes).where(palettes.c.id == palette_id)).one()
        return _palette(row)

    @_edits
    def rename_palette(self, palette_id: int, name: str, *, note: str | None = None) -> PaletteRecord:
        """Rename a saved palette, and replace its note if one is given."""
        values = {"name": clean_name(name, what="palette")}
        if note is not None:
            values["note"] = check_note(note)
        palettes = schema.palettes
        where = (palettes.c.project_id == self.id, palettes.c.id == check_id(palette_id, what="palette"))
        with self._store._write() as connection:
            self._lock(connection)
            self._change_one(connection, palettes.update().where(*where).values(**values), "saved palette", palette_id)
            row = connection.execute(sa.select(palettes).where(*where)).one()
        return _palette(row)

    @_edits
    def remove_palette(self, palette_id: int) -> None:
        """Remove a saved palette (its share link stops working)."""
        self._remove_by_id(schema.palettes, palette_id, what="palette", noun="saved palette")

    # ------------------------------------------------------------------ scenes

    def list_scenes(self) -> list[SceneRecord]:
        """The project's scenes, oldest first."""
        scenes, members = schema.scenes, schema.scene_stills
        with self._store._read() as connection:
            rows = connection.execute(
                sa.select(scenes).where(scenes.c.project_id == self.id).order_by(scenes.c.created, scenes.c.id)
            ).all()
            pairs = connection.execute(
                sa.select(members.c.scene_id, members.c.digest)
                .where(members.c.project_id == self.id)
                .order_by(members.c.scene_id, members.c.position)
            ).all()
        digests: dict[int, list[str]] = {}
        for scene_id, digest in pairs:
            digests.setdefault(scene_id, []).append(digest)
        return [
            SceneRecord(
                id=row.id,
                name=row.name,
                still_digests=tuple(digests.get(row.id, ())),
                settings=json.loads(row.settings),
                created=_utc(row.created),
            )
            for row in rows
        ]

    @_edits
    def save_scene(
        self, name: str, still_digests: Sequence[str], *, settings: dict[str, Any] | None = None
    ) -> SceneRecord:
        """A new scene: some of the project's stills, in order, with their own settings."""
        clean = clean_name(name, what="scene")
        if isinstance(still_digests, str) or not isinstance(still_digests, (list, tuple)):
            raise StoreError(f"a scene's stills must be a list of digests, got {type(still_digests).__name__}")
        digests = tuple(check_digest(digest) for digest in still_digests)
        settings_text = check_json_object({} if settings is None else settings, what="settings")
        stills, scenes = schema.stills, schema.scenes
        with self._store._write() as connection:
            self._lock(connection)
            known = set(connection.execute(sa.select(stills.c.digest).where(stills.c.project_id == self.id)).scalars())
            missing = [digest for digest in digests if digest not in known]
            if missing:
                raise StoreError(f"this project holds no still {missing[0]}")
            self._check_room(connection, scenes, self._store.limits.scenes, "scenes")
            scene_id = _insert_scene(
                connection, self.id, name=clean, digests=digests, settings=settings_text, created=_now()
            )
        return next(scene for scene in self.list_scenes() if scene.id == scene_id)

    @_edits
    def rename_scene(self, scene_id: int, name: str) -> None:
        """Rename a scene."""
        clean = clean_name(name, what="scene")
        scenes = schema.scenes
        where = (scenes.c.project_id == self.id, scenes.c.id == check_id(scene_id, what="scene"))
        with self._store._write() as connection:
            self._lock(connection)
            self._change_one(connection, scenes.update().where(*where).values(name=clean), "scene", scene_id)

    @_edits
    def remove_scene(self, scene_id: int) -> None:
        """Remove a scene (its stills stay in the project)."""
        self._remove_by_id(schema.scenes, scene_id, what="scene", noun="scene")

    # ------------------------------------------------------------------ backup

    def export_zip(self) -> bytes:
        """The whole project as a ZIP file (see :mod:`store.backup`); a view link may export too."""
        return backup.write_backup(
            self.project(),
            stills=self.list_stills(),
            still_data=self.still_bytes,
            palettes=self.list_palettes(),
            scenes=self.list_scenes(),
        )


def _project(row, *, edit_token: str | None) -> Project:
    return Project(
        id=row.id,
        name=row.name,
        view_token=row.view_token,
        edit_token=edit_token,
        created=_utc(row.created),
        settings=json.loads(row.settings),
    )


def _still(row) -> StillRecord:
    return StillRecord(digest=row.digest, name=row.name, position=row.position, size=row.size, added=_utc(row.added))


def _palette(row) -> PaletteRecord:
    return PaletteRecord(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        note=row.note,
        still_digest=row.still_digest,
        recipe=json.loads(row.recipe),
        hex_codes=tuple(json.loads(row.hex_codes)),
        shares=None if row.shares is None else tuple(json.loads(row.shares)),
        view_token=row.view_token,
        created=_utc(row.created),
    )
