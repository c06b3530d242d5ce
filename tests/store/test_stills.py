"""Stills: kept as their bytes, addressed by SHA-256, named by the user, within the project's limits."""

from __future__ import annotations

import hashlib

import pytest

from store import LimitError, Limits, StoreError, open_store
from tests.store.conftest import still_data


def test_a_still_is_kept_byte_for_byte_under_its_digest(edit):
    data = still_data(1, size=5000)
    record, already = edit.add_still("C:\\shots\\Astronaut.JPG", data)
    assert not already
    assert record.digest == hashlib.sha256(data).hexdigest()
    assert record.name == "C:\\shots\\Astronaut.JPG"  # text, exactly; never a path
    assert record.size == 5000 and record.position == 0
    assert edit.still_bytes(record.digest) == data
    assert edit.list_stills() == [record]


def test_the_same_bytes_again_say_so_and_keep_the_first_name(edit):
    first, _ = edit.add_still("a.png", still_data(1))
    again, already = edit.add_still("b.png", still_data(1))
    assert already and again == first
    assert [still.name for still in edit.list_stills()] == ["a.png"]


def test_the_same_bytes_in_another_project_are_that_projects_own(store, edit):
    other = store.open_project(store.create_project("Other").edit_token)
    mine, _ = edit.add_still("mine.png", still_data(1))
    theirs, already = other.add_still("theirs.png", still_data(1))
    assert not already and theirs.digest == mine.digest and theirs.name == "theirs.png"
    edit.remove_still(mine.digest)
    assert other.still_bytes(theirs.digest) == still_data(1)
    with pytest.raises(StoreError, match="holds no still"):
        edit.still_bytes(mine.digest)


def test_stills_list_in_the_order_added_and_rename(edit):
    records = [edit.add_still(f"{i}.png", still_data(i))[0] for i in range(4)]
    assert [still.position for still in edit.list_stills()] == [0, 1, 2, 3]
    renamed = edit.rename_still(records[2].digest, "  wide\nshot ")
    assert renamed.name == "wide shot" and renamed.position == 2
    assert [still.name for still in edit.list_stills()] == ["0.png", "1.png", "wide shot", "3.png"]


def test_remove_a_still_and_a_new_one_goes_last(edit):
    records = [edit.add_still(f"{i}.png", still_data(i))[0] for i in range(3)]
    edit.remove_still(records[2].digest)
    edit.remove_still(records[0].digest)
    added, _ = edit.add_still("new.png", still_data(9))
    assert [still.name for still in edit.list_stills()] == ["1.png", "new.png"]
    assert added.position == 2
    with pytest.raises(StoreError, match="holds no still"):
        edit.remove_still(records[0].digest)


def test_a_still_a_saved_palette_needs_cannot_be_removed(edit):
    still, _ = edit.add_still("a.png", still_data(1))
    edit.save_palette(name="Warm", recipe={"k": 1}, hex_codes=["#C04020"], still_digest=still.digest)
    with pytest.raises(StoreError, match=r"used by 1 saved palette \('Warm'\); remove those first"):
        edit.remove_still(still.digest)
    assert edit.list_stills() == [still]


@pytest.mark.parametrize("digest", ["", "abc", "G" * 64, "A" * 64, None, 3, "../" * 22])
def test_a_malformed_digest_is_refused(edit, digest):
    with pytest.raises(StoreError, match="not a still digest"):
        edit.still_bytes(digest)
    with pytest.raises(StoreError, match="not a still digest"):
        edit.remove_still(digest)


@pytest.mark.parametrize("data", [b"", "text", None, [1, 2]])
def test_a_still_must_be_bytes(edit, data):
    with pytest.raises(StoreError, match="must be a file's bytes"):
        edit.add_still("a.png", data)
    assert edit.list_stills() == []


def test_the_limit_on_stills_per_project(db_url):
    with open_store(db_url, limits=Limits(stills=3)) as opened:
        handle = opened.open_project(opened.create_project("P").edit_token)
        for i in range(3):
            handle.add_still(f"{i}.png", still_data(i))
        with pytest.raises(LimitError, match="already holds 3 stills, the most a project may hold"):
            handle.add_still("3.png", still_data(3))
        assert handle.add_still("again.png", still_data(0))[1]  # a duplicate is not a new still
        handle.remove_still(handle.list_stills()[0].digest)
        handle.add_still("3.png", still_data(3))
        assert len(handle.list_stills()) == 3


def test_the_limit_on_bytes_per_project_and_per_still(db_url):
    with open_store(db_url, limits=Limits(project_bytes=1000, still_bytes=600)) as opened:
        handle = opened.open_project(opened.create_project("P").edit_token)
        handle.add_still("a.png", still_data(1, size=500))
        with pytest.raises(
            LimitError, match="would take this project's stills to 1001 bytes, over its limit of 1000 bytes"
        ):
            handle.add_still("b.png", still_data(2, size=501))
        with pytest.raises(LimitError, match="a still may be at most"):
            handle.add_still("c.png", still_data(3, size=601))
        handle.add_still("d.png", still_data(4, size=500))  # exactly at the limit
        assert sum(still.size for still in handle.list_stills()) == 1000


def test_scenes_keep_their_stills_in_order_and_lose_a_removed_one(edit):
    digests = [edit.add_still(f"{i}.png", still_data(i))[0].digest for i in range(3)]
    scene = edit.save_scene("Act one", [digests[2], digests[0], digests[1]], settings={"k": 5})
    assert scene.still_digests == (digests[2], digests[0], digests[1]) and scene.settings == {"k": 5}
    edit.rename_scene(scene.id, "Act 1")
    edit.remove_still(digests[0])
    [again] = edit.list_scenes()
    assert again.name == "Act 1" and again.still_digests == (digests[2], digests[1])
    with pytest.raises(StoreError, match="holds no still"):
        edit.save_scene("Bad", [digests[0]])
    edit.remove_scene(scene.id)
    assert edit.list_scenes() == []
    assert len(edit.list_stills()) == 2


def test_the_limit_on_scenes(db_url):
    with open_store(db_url, limits=Limits(scenes=2)) as opened:
        handle = opened.open_project(opened.create_project("P").edit_token)
        handle.save_scene("a", [])
        handle.save_scene("b", [])
        with pytest.raises(LimitError, match="already holds 2 scenes"):
            handle.save_scene("c", [])
