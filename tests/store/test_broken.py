"""A broken database gives a plain StoreError naming it: not a database, locked, read-only, a folder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from store import StoreError, open_store
from tests.store.conftest import still_data

ROOT = Path(__file__).resolve().parents[2]


def _filled(path: Path) -> str:
    """A database at ``path`` with one project; returns its edit token."""
    with open_store(str(path)) as opened:
        return opened.create_project("Work").edit_token


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "studio.sqlite3"
    path.write_bytes(b"these are someone's notes, not a database\n" * 100)
    with pytest.raises(StoreError) as caught:
        open_store(str(path))
    assert str(caught.value) == f"the project database at {path} cannot be opened: file is not a database"
    assert path.read_bytes().startswith(b"these are someone's notes")  # left as it was


def test_a_damaged_database(tmp_path):
    path = tmp_path / "studio.sqlite3"
    _filled(path)
    raw = bytearray(path.read_bytes())
    raw[4096:8192] = b"\xa5" * 4096  # the second page, holding a table's root, overwritten
    path.write_bytes(bytes(raw))
    with (
        pytest.raises(StoreError, match=f"the project database at {path} is damaged: database disk image is malformed"),
        open_store(str(path)) as opened,
    ):
        opened.create_project("More")


def test_a_folder_where_the_file_should_be(tmp_path):
    (tmp_path / "studio.sqlite3").mkdir()
    with pytest.raises(StoreError, match="cannot be opened: unable to open database file"):
        open_store(str(tmp_path / "studio.sqlite3"))


def test_a_database_another_program_is_writing_to(tmp_path):
    path = tmp_path / "studio.sqlite3"
    token = _filled(path)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # holds the write lock, as a long write elsewhere would
    try:
        with open_store(str(path), busy_timeout=0.2) as opened:
            handle = opened.open_project(token)  # reading still works (WAL)
            assert handle.list_stills() == []
            with pytest.raises(StoreError, match=f"at {path} is busy: another program is holding a lock on it"):
                handle.add_still("a.png", still_data(1))
            blocker.execute("ROLLBACK")
            handle.add_still("a.png", still_data(1))  # and works once the lock is gone
            assert len(handle.list_stills()) == 1
    finally:
        blocker.close()


def test_a_database_another_program_holds_exclusively(tmp_path):
    path = tmp_path / "studio.sqlite3"
    _filled(path)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match=f"at {path} is busy: another program is holding a lock on it"):
            open_store(str(path), busy_timeout=0.2)
    finally:
        blocker.close()
    open_store(str(path)).close()


_READ_ONLY_PROBE = textwrap.dedent(
    """
    import sys
    import store
    path, token = sys.argv[1], sys.argv[2]
    try:
        opened = store.open_store(path)
    except store.StoreError as error:
        sys.exit(print("cannot open", error))
    handle = opened.open_project(token)
    print("read", handle.project().name, len(handle.list_stills()))
    try:
        handle.add_still("a.png", b"abc")
    except store.StoreError as error:
        print("refused", error)
    """
)


@pytest.mark.parametrize("folder_writable", [True, False])
def test_a_read_only_database_gives_a_plain_message(folder_writable):
    """A read-only file in a writable folder is read and refuses writes; in a read-only folder it cannot open."""
    # A folder anyone can enter: pytest's tmp_path is private to its owner.
    folder = Path(tempfile.mkdtemp(prefix="palette-studio-ro-"))
    path = folder / "studio.sqlite3"
    try:
        token = _filled(path)
        path.chmod(0o444)
        folder.chmod(0o755 if folder_writable else 0o555)
        # Root ignores file modes: drop the capabilities that let it, so the file is really read-only to the probe.
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
        result = subprocess.run(
            [*prefix, sys.executable, "-c", _READ_ONLY_PROBE, str(path), token],
            check=False, capture_output=True, text=True, timeout=120, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        refusal = f"the project database at {path} is read-only: attempt to write a readonly database"
        if folder_writable:
            assert result.stdout.splitlines() == ["read Work 0", f"refused {refusal}"]
        else:
            assert result.stdout.splitlines() == [f"cannot open {refusal}"]
    finally:
        folder.chmod(0o755)
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
