"""A read-only (view) link can never change anything: every changing method refuses it."""

from __future__ import annotations

import pytest

from store import ProjectHandle, ReadOnlyError
from tests.store.conftest import still_data


@pytest.fixture
def changes(edit) -> dict:
    """Every changing method of a handle, with arguments that succeed on an edit handle."""
    used, _ = edit.add_still("a.png", still_data(1))
    spare, _ = edit.add_still("b.png", still_data(2))
    palette = edit.save_palette(name="p", recipe={"k": 1}, hex_codes=["#C04020"], still_digest=used.digest)
    scene = edit.save_scene("s", [used.digest])
    return {
        "rename": (("New name",), {}),
        "save_settings": (({"k": 9},), {}),
        "add_still": (("c.png", still_data(3)), {}),
        "rename_still": ((used.digest, "renamed.png"), {}),
        "remove_still": ((spare.digest,), {}),
        "save_palette": ((), {"name": "q", "recipe": {}, "hex_codes": ["#000000"]}),
        "rename_palette": ((palette.id, "renamed"), {"note": "changed"}),
        "remove_palette": ((palette.id,), {}),
        "save_scene": (("another", [used.digest]), {}),
        "rename_scene": ((scene.id, "renamed"), {}),
        "remove_scene": ((scene.id,), {}),
    }


def _everything(handle: ProjectHandle) -> tuple:
    """All a handle can read, to compare before and after."""
    stills = handle.list_stills()
    return (
        handle.project(),
        stills,
        [handle.still_bytes(still.digest) for still in stills],
        handle.list_palettes(),
        handle.list_scenes(),
    )


def test_the_list_of_changing_methods_is_complete(changes):
    marked = {name for name in dir(ProjectHandle) if getattr(getattr(ProjectHandle, name), "changes_project", False)}
    assert marked == set(changes)


def test_every_changing_method_refuses_a_view_handle_and_nothing_changes(store, edit, view, changes):
    assert view.access == "view" and not view.can_edit and view.opened.edit_token is None
    before = _everything(edit)
    for name, (args, kwargs) in changes.items():
        with pytest.raises(ReadOnlyError, match="read-only link: it cannot be changed"):
            getattr(view, name)(*args, **kwargs)
    after = _everything(edit)
    assert after[1:] == before[1:]
    assert after[0].name == before[0].name and after[0].settings == before[0].settings


def test_the_same_calls_succeed_on_the_edit_handle(edit, changes):
    for name, (args, kwargs) in changes.items():
        getattr(edit, name)(*args, **kwargs)
    project = edit.project()
    assert project.name == "New name" and project.settings == {"k": 9}
    assert [still.name for still in edit.list_stills()] == ["renamed.png", "c.png"]
    assert [palette.name for palette in edit.list_palettes()] == ["q"]
    assert [scene.name for scene in edit.list_scenes()] == ["another"]


def test_a_view_handle_reads_everything_and_exports(store, edit, view, changes):
    assert _everything(view)[1:] == _everything(edit)[1:]
    assert view.search_palettes(near_hex="#C04020", within=1)[0].palette.name == "p"
    assert view.export_zip()[:2] == b"PK"
