"""A saving process killed with SIGKILL loses nothing it confirmed, and the database opens cleanly."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from store import open_store

ROOT = Path(__file__).resolve().parents[2]
#: Confirmed saves to wait for before the kill.
CONFIRMED_BEFORE_KILL = 30


def test_sigkill_in_the_middle_of_saves_loses_nothing_confirmed(db_url):
    with open_store(db_url) as opened:
        project = opened.create_project("Crash")
    saver = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("save_loop.py")), db_url, project.edit_token],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    confirmed = []
    try:
        for line in saver.stdout:
            confirmed.append(line.split())
            if len(confirmed) >= CONFIRMED_BEFORE_KILL:
                break
        saver.send_signal(signal.SIGKILL)  # while it is saving the next one
    finally:
        saver.kill()
        _, errors = saver.communicate(timeout=60)
    assert saver.returncode == -signal.SIGKILL
    assert len(confirmed) >= CONFIRMED_BEFORE_KILL, errors

    if db_url.startswith("sqlite"):
        path = db_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    with open_store(db_url) as reopened:
        handle = reopened.open_project(project.edit_token)
        palettes = {palette.id: palette for palette in handle.list_palettes()}
        stills = {still.digest for still in handle.list_stills()}
        for kind, key in confirmed:
            if kind == "palette":
                assert int(key) in palettes
            else:
                assert key in stills and len(handle.still_bytes(key)) == 100_000
        # At most the one save in flight at the kill may have landed beyond what was confirmed.
        confirmed_palettes = sum(kind == "palette" for kind, _ in confirmed)
        assert confirmed_palettes <= len(palettes) <= confirmed_palettes + 1
        for palette in palettes.values():
            i = palette.recipe["seed"]
            assert palette.name == f"palette {i}" and palette.hex_codes == (f"#{i % 256:02X}4020", "#FFFFFF")
        handle.save_palette(name="after the crash", recipe={}, hex_codes=["#000000"])  # and it takes writes
