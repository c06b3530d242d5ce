"""Projects: creating, finding by token (and never by a wrong one), renaming, settings, where the database is."""

from __future__ import annotations

import base64
import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from store import DEFAULT_DATABASE, ENV_VAR, TOKEN_BYTES, StoreError, open_store
from store.database import database_url


def _token_bits(token: str) -> int:
    return 8 * len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def test_create_project_gives_two_distinct_random_tokens_of_at_least_128_bits(store):
    first, second = store.create_project("Day"), store.create_project("Night")
    tokens = {first.edit_token, first.view_token, second.edit_token, second.view_token}
    assert len(tokens) == 4
    assert all(_token_bits(token) == 8 * TOKEN_BYTES >= 128 for token in tokens)
    assert first.name == "Day" and first.settings == {}
    assert abs(first.created - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=1)


def test_project_by_token_tells_edit_from_view_and_hides_the_edit_token(store, project):
    found, access = store.project_by_token(project.edit_token)
    assert access == "edit" and found == project
    found, access = store.project_by_token(project.view_token)
    assert access == "view" and found.id == project.id and found.name == project.name
    assert found.edit_token is None


@pytest.mark.parametrize(
    "token",
    [None, "", 17, b"bytes", "short", "x" * 5000, "' OR 1=1 --", "%", "a" * 32, "é" * 30, "\x00" * 30, ["list"]],
)
def test_a_wrong_or_malformed_token_finds_nothing(store, project, token):
    assert store.project_by_token(token) is None
    assert store.open_project(token) is None
    assert store.palette_by_view_token(token) is None


def test_a_token_differing_in_one_character_finds_nothing(store, project):
    token = project.edit_token
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert store.project_by_token(changed) is None
    assert store.project_by_token(token.upper() if token.upper() != token else token.lower()) is None


def test_the_database_keeps_no_edit_token(store, project, db_url):
    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        row = connection.execute(sa.text("SELECT * FROM projects")).one()
    engine.dispose()
    assert project.edit_token not in [str(value) for value in row]
    assert project.view_token in [str(value) for value in row]


def test_rename_and_settings_survive_reopening(db_url):
    with open_store(db_url) as first:
        project = first.create_project("  Rough\tcut \n one ")
        assert project.name == "Rough cut one"  # control characters and runs of spaces cleaned
        handle = first.open_project(project.edit_token)
        handle.rename("Final grade")
        settings = {"k": 7, "space": "lab", "seeds": ["#C04020"], "nested": {"a": [1, 2.5, None, True]}, "é": "ü"}
        handle.save_settings(settings)
    with open_store(db_url) as second:
        again, access = second.project_by_token(project.edit_token)
    assert access == "edit"
    assert again.name == "Final grade"
    assert again.settings == settings
    assert again.created == project.created


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"x": float("nan")}, "JSON values"),
        ({"x": {1, 2}}, "JSON values"),
        (["not", "a", "dict"], "must be a dict"),
        ({"x": "y" * 300_000}, "bytes as JSON"),
    ],
)
def test_bad_settings_are_refused_with_a_plain_message(edit, settings, message):
    with pytest.raises(StoreError, match=message):
        edit.save_settings(settings)
    assert edit.project().settings == {}


@pytest.mark.parametrize("name", ["", "   ", "\n\t", None, 5])
def test_an_empty_or_non_text_name_is_refused(store, edit, name):
    with pytest.raises(StoreError, match="name"):
        store.create_project(name)
    with pytest.raises(StoreError, match="name"):
        edit.rename(name)
    assert edit.project().name == "Night exterior"


def test_a_long_name_is_cut_to_200_characters(store):
    assert store.create_project("x" * 1000).name == "x" * 200


def test_database_url_reads_the_environment_a_bare_path_and_the_default(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert database_url().database == str(DEFAULT_DATABASE)
    assert DEFAULT_DATABASE.parent.name == "data" and (DEFAULT_DATABASE.parent.parent / "store").is_dir()
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.sqlite3"))
    assert database_url().database == str(tmp_path / "env.sqlite3")
    monkeypatch.setenv(ENV_VAR, "postgresql+psycopg://someone:secret@db.example/studio")
    assert database_url().get_backend_name() == "postgresql"
    assert database_url(str(tmp_path / "given.sqlite3")).database == str(tmp_path / "given.sqlite3")


def test_a_bare_path_creates_the_file_and_its_folders(tmp_path):
    path = tmp_path / "deep" / "er" / "studio.sqlite3"
    with open_store(str(path)) as opened:
        opened.create_project("One")
    assert path.is_file()
    with open_store(f"sqlite:///{path}") as again:
        assert again.where == str(path)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://host/db", "SQLite or PostgreSQL"),
        ("not a url://", "not a database URL"),
        ("   ", "URL or a file path"),
    ],
)
def test_other_databases_and_bad_urls_are_refused(url, message):
    with pytest.raises(StoreError, match=message):
        open_store(url)


def test_messages_about_postgresql_hide_the_password():
    with pytest.raises(StoreError) as caught:
        open_store("postgresql+psycopg://someone:hunter2@127.0.0.1:1/studio", busy_timeout=1)
    assert "hunter2" not in str(caught.value)
    assert "cannot be reached" in str(caught.value) and "someone:***@127.0.0.1:1/studio" in str(caught.value)


def test_the_store_imports_no_streamlit():
    code = "import sys, store; assert 'streamlit' not in sys.modules, 'store imported streamlit'"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=root,
                            env={**os.environ, "PYTHONPATH": str(root)}, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
