"""Fixtures for the store's tests: the same tests against SQLite and a real PostgreSQL.

Fixtures
--------
postgres_server
    Session-scoped: Debian's PostgreSQL (``/usr/lib/postgresql/*/bin``) run in
    a temporary directory, as the ``postgres`` system user when the tests run
    as root (``initdb`` refuses root), listening on 127.0.0.1 on a free port,
    with a ``studio`` database. Missing binaries FAIL the tests, never skip.
    Stopped and removed at the end of the session.
db_url
    Parametrized over ``sqlite`` and ``postgresql``: a database holding the
    current schema and no data, for one test (a new SQLite file; on
    PostgreSQL one schema made once per session and emptied with TRUNCATE
    before each test, which is much faster than building a schema per test).
empty_db_url
    Parametrized the same way: a database with nothing in it at all (a new
    file, or a new PostgreSQL schema on the search path).
sqlite_url
    A fresh SQLite file URL, for the tests about SQLite files themselves.
store
    :func:`store.open_store` on ``db_url``, closed after the test.
edit, view
    An edit handle and a read-only handle on one new project in ``store``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from store import open_store, schema

BACKENDS = ("sqlite", "postgresql")


@dataclasses.dataclass(frozen=True)
class PostgresServer:
    """A running server: its address and the database the tests use."""

    host: str
    port: int
    user: str
    database: str

    def url(self, *, schema: str | None = None, database: str | None = None) -> str:
        base = f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database or self.database}"
        return base if schema is None else f"{base}?options=-csearch_path%3D{schema}"


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(root: Path) -> list[str]:
    """The command prefix that runs a server binary as a non-root user."""
    if os.geteuid() != 0:
        return []
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("the tests run as root and initdb refuses root, but there is no 'postgres' user to run it as")
    for path in (root, *root.rglob("*")):
        os.chown(path, account.pw_uid, account.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


@pytest.fixture(scope="session")
def postgres_server():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail(
            "PostgreSQL server binaries are missing (no /usr/lib/postgresql/*/bin/initdb): "
            "install Debian's postgresql package (make test does), the store's tests need a real server"
        )
    bindir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="palette-studio-pg-"))
    root.chmod(0o755)
    data, log = root / "data", root / "server.log"
    prefix = _as_server_user(root)
    port = _free_port()
    server = PostgresServer(host="127.0.0.1", port=port, user="studio", database="studio")

    def run(*command: str) -> None:
        result = subprocess.run([*prefix, *command], check=False, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            pytest.fail(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{server_log}")

    run(str(bindir / "initdb"), "-D", str(data), "-U", server.user, "-A", "trust", "-E", "UTF8", "--locale=C",
        "--no-sync")  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c max_connections=100"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options, "start")
    try:
        engine = sa.create_engine(server.url(database="postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {server.database}")
        engine.dispose()
        yield server
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       check=False, capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


def _postgres_schema(server: PostgresServer) -> str:
    """A new, empty schema in the test database, to put first on a test's search path."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    engine = sa.create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {name}")
    engine.dispose()
    return server.url(schema=name)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'studio.sqlite3'}"


@pytest.fixture(params=BACKENDS)
def empty_db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'studio.sqlite3'}"
    return _postgres_schema(request.getfixturevalue("postgres_server"))


@pytest.fixture(scope="session")
def _postgres_shared(postgres_server):
    """A schema with the store's tables, made once: (its URL, an engine on it)."""
    url = _postgres_schema(postgres_server)
    open_store(url).close()
    engine = sa.create_engine(url)
    yield url, engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'studio.sqlite3'}"
    url, engine = request.getfixturevalue("_postgres_shared")
    tables = ", ".join(table.name for table in schema.METADATA.sorted_tables if table is not schema.schema_version)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    return url


@pytest.fixture
def store(db_url):
    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def project(store):
    return store.create_project("Night exterior")


@pytest.fixture
def edit(store, project):
    return store.open_project(project.edit_token)


@pytest.fixture
def view(store, project):
    return store.open_project(project.view_token)


def count_rows(url: str, *tables: str) -> dict[str, int]:
    """Rows in some of the store's tables, read with a separate engine."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one() for table in tables
            }
    finally:
        engine.dispose()


def still_data(i: int, size: int = 64) -> bytes:
    """Distinct bytes for the i-th test still (the store does not decode images)."""
    seed = f"still {i} ".encode()
    return (seed * (size // len(seed) + 1))[:size]
