"""Backups: a project as one ZIP, imported into an identical project; hostile ZIPs change nothing."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import numpy as np
import pytest

from kmeans_core.exports import palette_from_json
from store import Limits, StoreError, open_store
from tests.store.conftest import count_rows, still_data
from tests.store.test_palettes import RECIPE


@pytest.fixture
def full(edit):
    """A project with everything in it: stills, palettes (one without a still), scenes, settings."""
    edit.save_settings({"k": 6, "working_still": 1, "space": "lab"})
    digests = [
        edit.add_still(name, still_data(i, size=3000))[0].digest for i, name in enumerate(["a.PNG", "b", "c.jpg"])
    ]
    edit.rename_still(digests[1], "wide ../../etc/passwd")
    edit.save_palette(
        name="Sodium", note="alley\nnight", still_digest=digests[0], recipe=RECIPE,
        hex_codes=["#C04020", "#112233", "#FFFFFF"], shares=[0.5, 0.3, 0.2],
    )  # fmt: skip
    edit.save_palette(name="Imported", recipe={"source": "gpl"}, hex_codes=["#000000", "#808080"])
    edit.save_palette(
        name="Manual", recipe={"init": "manual", "seeds": ["#FF0000"], "k": 1}, hex_codes=["#FE0101"],
        shares=[1.0], still_digest=digests[2],
    )  # fmt: skip
    edit.save_scene("Act one", [digests[2], digests[0]], settings={"k": 4})
    edit.save_scene("Empty", [])
    return edit


def _content(handle) -> dict:
    """Everything in a project but its ids and tokens."""
    project = handle.project()
    stills = handle.list_stills()
    return {
        "project": (project.name, project.created, project.settings),
        "stills": [(s.digest, s.name, s.position, s.size, s.added, handle.still_bytes(s.digest)) for s in stills],
        "palettes": [
            (p.name, p.note, p.still_digest, p.recipe, p.hex_codes, p.shares, p.created) for p in handle.list_palettes()
        ],
        "scenes": [(s.name, s.still_digests, s.settings, s.created) for s in handle.list_scenes()],
    }


def test_export_then_import_gives_an_identical_project(store, full):
    data = full.export_zip()
    imported = store.import_project_zip(data)
    assert imported.id != full.id and imported.edit_token != full.opened.edit_token
    copy = store.open_project(imported.edit_token)
    assert _content(copy) == _content(full)
    assert {p.view_token for p in copy.list_palettes()}.isdisjoint(p.view_token for p in full.list_palettes())
    assert copy.export_zip() != b""  # and the copy exports again, into a third identical project
    third = store.open_project(store.import_project_zip(copy.export_zip(), name="Third").edit_token)
    assert third.project().name == "Third"
    assert _content(third)["palettes"] == _content(full)["palettes"]


def test_import_into_another_database(db_url, tmp_path, full):
    with open_store(f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}") as elsewhere:
        copy = elsewhere.open_project(elsewhere.import_project_zip(full.export_zip()).edit_token)
        assert _content(copy) == _content(full)


def test_the_zip_holds_the_stills_a_project_json_and_every_palettes_exports(full):
    archive = zipfile.ZipFile(io.BytesIO(full.export_zip()))
    names = archive.namelist()
    stills = full.list_stills()
    assert {
        f"stills/{stills[0].digest}.png",
        f"stills/{stills[1].digest}.bin",
        f"stills/{stills[2].digest}.jpg",
    } <= set(names)
    for still in stills:
        [member] = [n for n in names if n.startswith(f"stills/{still.digest}")]
        assert archive.read(member) == full.still_bytes(still.digest)
    document = json.loads(archive.read("project.json"))
    assert document["name"] == "Night exterior" and document["settings"]["k"] == 6
    assert [entry["name"] for entry in document["palettes"]] == ["Sodium", "Imported", "Manual"]
    for record, entry in zip(full.list_palettes(), document["palettes"], strict=True):
        files = entry["files"]
        assert {name.rpartition(".")[2] for name in files} == {"json", "txt", "gpl", "ase", "css"}
        text = {name.rpartition(".")[2]: archive.read(name) for name in files}
        assert palette_from_json(text["json"]).hex == record.hex_codes
        assert text["txt"].decode().split() == list(record.hex_codes)
        assert text["gpl"].decode().startswith(f"GIMP Palette\nName: {record.name}\n")
        assert text["ase"][:4] == b"ASEF"
    [imported_json] = [name for name in document["palettes"][1]["files"] if name.endswith(".json")]
    shares = palette_from_json(archive.read(imported_json)).shares  # equal shares when none were saved
    np.testing.assert_allclose(shares, [0.5, 0.5])
    every_byte = b"".join(archive.read(name) for name in names)
    project = full.project()
    for token in [project.edit_token, project.view_token, *(p.view_token for p in full.list_palettes())]:
        assert token.encode() not in every_byte


# --------------------------------------------------------------------------- hostile files


def _zip(members: dict[str, bytes | str], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def _with_document(data: bytes, change) -> bytes:
    members = _members(data)
    document = json.loads(members["project.json"])
    change(document)
    members["project.json"] = json.dumps(document)
    return _zip(members)


def _lying_size(data: bytes, member: str, size: int) -> bytes:
    """The ZIP with ``member``'s uncompressed size patched to ``size`` in both of its headers."""
    raw = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := raw.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + len(name)] == name:
                raw[start + offset : start + offset + 4] = struct.pack("<I", size)
            start += 4
    return bytes(raw)


def _hostile(full) -> dict[str, tuple[bytes, str]]:
    good = full.export_zip()
    stills = full.list_stills()
    first = stills[0].digest
    members = _members(good)
    member = next(name for name in members if name.startswith(f"stills/{first}"))
    damaged = dict(members, **{member: members[member][:-1] + b"!"})
    return {
        "not a zip": (b"this is not a zip file at all", "not a readable backup ZIP"),
        "empty": (b"", "not a readable backup ZIP"),
        "truncated": (good[: len(good) // 2], "not a readable backup ZIP"),
        "no project.json": (_zip({"readme.txt": "hi"}), "holds no project.json"),
        "parent directory": (_zip({**members, "../evil.txt": "x"}), "unsafe name: '../evil.txt'"),
        "absolute path": (_zip({**members, "/etc/cron.d/evil": "x"}), "unsafe name"),
        "backslashes": (_zip({**members, "stills\\..\\..\\evil": "x"}), "unsafe name"),
        "drive letter": (_zip({**members, "C:/evil": "x"}), "unsafe name"),
        "json bomb": (_zip({"project.json": b" " * (65 * 1024**2)}), "unpacks to 68157440 bytes; too big"),
        "lying size": (
            _lying_size(_zip({"project.json": b" " * 5_000_000 + b"{}"}), "project.json", 10),
            "not a readable",
        ),
        "not json": (_zip({**members, "project.json": "{not json"}), "not valid JSON"),
        "not utf-8": (_zip({**members, "project.json": b"\xff\xfe{}"}), "not UTF-8"),
        "a list": (_zip({**members, "project.json": "[]"}), "must hold an object"),
        "other format": (_with_document(good, lambda d: d.update(format="photoshop")), "not a palette studio backup"),
        "newer version": (_with_document(good, lambda d: d.update(version=2)), "version=2"),
        "no name": (_with_document(good, lambda d: d.pop("name")), "the project in project.json: 'name' is missing"),
        "bad still digest": (
            _with_document(good, lambda d: d["stills"][0].update(digest="../../x")),
            r"stills\[0\] in project.json: '../../x' is not a still digest",
        ),
        "still file missing": (
            _zip({name: content for name, content in members.items() if name != member}),
            "backup holds no stills/",
        ),
        "damaged still": (_zip(damaged), "does not match its digest"),
        "bad colour": (
            _with_document(good, lambda d: d["palettes"][0].update(hex_codes=["#ZZZZZZ"])),
            r"palettes\[0\] in project.json: '#ZZZZZZ' is not a hex colour code",
        ),
        "unknown still": (
            _with_document(good, lambda d: d["palettes"][0].update(still_digest="0" * 64)),
            "is not a still of this backup",
        ),
        "bad time": (_with_document(good, lambda d: d["scenes"][0].update(created="yesterday")), "not a date and time"),
        "settings not a dict": (
            _with_document(good, lambda d: d.update(settings=[1])),
            "settings=\\[1\\] has the wrong type",
        ),
        "position not a number": (_with_document(good, lambda d: d["stills"][1].update(position="2")), "wrong type"),
    }


def test_hostile_backups_are_refused_plainly_and_change_nothing(store, full, db_url):
    tables = ("projects", "stills", "palettes", "scenes", "scene_stills")
    before = count_rows(db_url, *tables)
    for case, (data, message) in _hostile(full).items():
        with pytest.raises(StoreError, match=message):
            store.import_project_zip(data)
        assert count_rows(db_url, *tables) == before, case


def test_a_backup_over_the_limits_is_refused(db_url, full):
    data = full.export_zip()
    cases = [
        (Limits(stills=2), "holds 3 stills; a project holds at most 2"),
        (Limits(palettes=2), "holds 3 palettes; a project holds at most 2"),
        (Limits(scenes=1), "holds 2 scenes"),
        (Limits(still_bytes=2999), "unpacks to 3000 bytes; too big"),
        (Limits(project_bytes=8999), "unpacks to 3000 bytes; too big"),
        (Limits(backup_bytes=len(data) - 1), f"this backup is {len(data)} bytes"),
    ]
    for limits, message in cases:
        with open_store(db_url, limits=limits) as small, pytest.raises(StoreError, match=message):
            small.import_project_zip(data)
    assert count_rows(db_url, "projects") == {"projects": 1}


def test_a_zip_with_too_many_members_is_refused(db_url):
    many = _zip({f"x/{i}": "" for i in range(1 + 2 + 5 * 2 + 17)}, compression=zipfile.ZIP_STORED)
    with (
        open_store(db_url, limits=Limits(stills=2, palettes=2)) as small,
        pytest.raises(StoreError, match="holds 30 files; a project's backup holds at most 29"),
    ):
        small.import_project_zip(many)
