"""The schema's version: a new database gets every migration, an older one is upgraded in place."""

from __future__ import annotations

import datetime
import hashlib

import pytest
import sqlalchemy as sa

from store import SCHEMA_VERSION, StoreError, open_store, schema
from store.database import create_database_engine, database_url, writer

EDIT_TOKEN = "v1-edit-token-aaaaaaaaaaaaaaaaaaaa"
VIEW_TOKEN = "v1-view-token-bbbbbbbbbbbbbbbbbbbb"


def _engine(url: str) -> sa.Engine:
    return create_database_engine(database_url(url), busy_timeout=5)


def _versions(url: str) -> list[int]:
    engine = _engine(url)
    with engine.connect() as connection:
        versions = connection.execute(sa.select(schema.schema_version.c.version).order_by("version")).scalars().all()
    engine.dispose()
    return versions


def _version_one_database(url: str) -> None:
    """What the first release made: the first migration only, and a project with a still and a palette."""
    engine = _engine(url)
    when = datetime.datetime(2026, 1, 2, 3, 4, 5, 600000, tzinfo=datetime.UTC)
    with writer(engine).begin() as connection:
        schema.upgrade(connection, where=url, steps=schema.MIGRATIONS[:1])
        connection.execute(
            sa.text(
                "INSERT INTO projects (id, name, edit_token_sha256, view_token, created, settings) "
                "VALUES (1, 'Old work', :digest, :view, :when, :settings)"
            ),
            {"digest": hashlib.sha256(EDIT_TOKEN.encode()).hexdigest(), "view": VIEW_TOKEN, "when": when,
             "settings": '{"k": 5}'},
        )  # fmt: skip
        connection.execute(
            sa.text(
                "INSERT INTO stills (project_id, digest, name, position, size, added, data) "
                "VALUES (1, :digest, 'old.png', 0, 3, :when, :data)"
            ),
            {"digest": hashlib.sha256(b"old").hexdigest(), "when": when, "data": b"old"},
        )
        connection.execute(
            sa.text(
                "INSERT INTO palettes (project_id, name, note, still_digest, recipe, hex_codes, shares, view_token, "
                "created) VALUES (1, 'Old palette', '', :digest, '{\"k\": 1}', '[\"#C04020\"]', '[1.0]', :token, :when)"
            ),
            {"digest": hashlib.sha256(b"old").hexdigest(), "token": "v1-palette-token-cccccccccccc", "when": when},
        )
    with engine.connect() as connection:
        assert not sa.inspect(connection).has_table("scenes")
    engine.dispose()


def test_a_new_database_gets_every_migration(empty_db_url):
    open_store(empty_db_url).close()
    assert _versions(empty_db_url) == [step.version for step in schema.MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))


def test_an_older_database_is_upgraded_and_keeps_its_data(empty_db_url):
    _version_one_database(empty_db_url)
    assert _versions(empty_db_url) == [1]
    with open_store(empty_db_url) as opened:
        assert _versions(empty_db_url) == list(range(1, SCHEMA_VERSION + 1))
        handle = opened.open_project(EDIT_TOKEN)
        project = handle.project()
        assert (project.name, project.settings) == ("Old work", {"k": 5})
        assert project.created == datetime.datetime(2026, 1, 2, 3, 4, 5, 600000, tzinfo=datetime.UTC)
        [still] = handle.list_stills()
        assert still.name == "old.png" and handle.still_bytes(still.digest) == b"old"
        [palette] = handle.list_palettes()
        assert palette.name == "Old palette" and palette.hex_codes == ("#C04020",) and palette.shares == (1.0,)
        assert opened.project_by_token(VIEW_TOKEN)[1] == "view"
        scene = handle.save_scene("New in version 2", [still.digest])  # the new tables work
        assert handle.list_scenes() == [scene]
        handle.save_palette(name="New", recipe={}, hex_codes=["#000000"])
    with open_store(empty_db_url) as again:  # opening an up-to-date database changes nothing
        assert [p.name for p in again.open_project(EDIT_TOKEN).list_palettes()] == ["Old palette", "New"]
    assert _versions(empty_db_url) == list(range(1, SCHEMA_VERSION + 1))


def test_a_failing_migration_rolls_back_every_step(empty_db_url):
    _version_one_database(empty_db_url)

    def broken(connection):
        connection.execute(sa.text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("step 3 failed")

    steps = (*schema.MIGRATIONS, schema.Migration(SCHEMA_VERSION + 1, "broken", broken))
    engine = _engine(empty_db_url)
    with pytest.raises(RuntimeError, match="step 3 failed"), writer(engine).begin() as connection:
        schema.upgrade(connection, where=empty_db_url, steps=steps)
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        assert not inspector.has_table("half_done") and not inspector.has_table("scenes")
    engine.dispose()
    assert _versions(empty_db_url) == [1]


def test_a_database_newer_than_the_app_is_refused_untouched(empty_db_url):
    open_store(empty_db_url).close()
    engine = _engine(empty_db_url)
    with writer(engine).begin() as connection:
        connection.execute(
            schema.schema_version.insert().values(
                version=99, description="from the future", applied=datetime.datetime.now(datetime.UTC)
            )
        )
    engine.dispose()
    with pytest.raises(
        StoreError, match=f"has schema version 99, newer than this app understands \\({SCHEMA_VERSION}\\)"
    ):
        open_store(empty_db_url)
    assert _versions(empty_db_url)[-1] == 99
