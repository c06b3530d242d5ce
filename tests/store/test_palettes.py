"""Saved palettes: what they keep, their share links, and the library search by name and by CIEDE2000."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.color import deltaE_ciede2000, rgb2lab

from store import LimitError, Limits, StoreError, open_store
from tests.store.conftest import still_data

RECIPE = {
    "k": 3,
    "init": "k-means++",
    "seed": 7,
    "seeds": [],
    "fixed": ["#112233"],
    "locked": [],
    "space": "lab",
    "order": "hue",
    "refine": "median",
    "method": "histogram",
}


def _reference_delta_e(a: str, b: str) -> float:
    """CIEDE2000 between two hex codes, computed here independently of the store."""
    rgb = np.array([[int(code[i : i + 2], 16) for i in (1, 3, 5)] for code in (a, b)], dtype=np.float64) / 255.0
    lab = rgb2lab(rgb.reshape(2, 1, 3)).reshape(2, 3)
    return float(deltaE_ciede2000(lab[0], lab[1]))


def test_a_saved_palette_keeps_everything_needed_to_reproduce_it(store, edit):
    still, _ = edit.add_still("shot.png", still_data(1))
    saved = edit.save_palette(
        name="Sodium night",
        note="for the alley\nscenes",
        still_digest=still.digest,
        recipe=RECIPE,
        hex_codes=["#c04020", "112233", "#FFF"],
        shares=[0.5, 0.3, 0.2],
    )
    assert saved.hex_codes == ("#C04020", "#112233", "#FFFFFF")
    assert saved.shares == (0.5, 0.3, 0.2)
    assert saved.recipe == RECIPE and saved.note == "for the alley\nscenes"
    assert saved.still_digest == still.digest and saved.project_id == edit.id
    assert edit.list_palettes() == [saved]
    assert edit.palette(saved.id) == saved
    assert store.palette_by_view_token(saved.view_token) == saved
    assert store.shared_still_bytes(saved.view_token) == still_data(1)


def test_shares_round_trip_exactly(edit):
    shares = list(np.random.default_rng(3).dirichlet(np.ones(8)))
    shares[-1] = 1.0 - sum(shares[:-1])
    saved = edit.save_palette(name="p", recipe={}, hex_codes=[f"#{i:06X}" for i in range(8)], shares=shares)
    assert edit.palette(saved.id).shares == tuple(shares)


def test_an_imported_palette_needs_no_still_and_no_shares(store, edit):
    saved = edit.save_palette(name="From a .gpl", recipe={"source": "gpl"}, hex_codes=["#000000", "#FFFFFF"])
    assert saved.still_digest is None and saved.shares is None
    assert store.shared_still_bytes(saved.view_token) is None


def test_each_palette_has_its_own_share_token(store, edit):
    first = edit.save_palette(name="a", recipe={}, hex_codes=["#000000"])
    second = edit.save_palette(name="b", recipe={}, hex_codes=["#000000"])
    assert len({first.view_token, second.view_token, edit.opened.view_token, edit.opened.edit_token}) == 4
    assert store.palette_by_view_token(second.view_token).name == "b"
    assert store.project_by_token(first.view_token) is None  # a palette's link opens no project


def test_rename_change_the_note_and_remove(store, edit):
    saved = edit.save_palette(name="a", note="old", recipe={}, hex_codes=["#000000"])
    renamed = edit.rename_palette(saved.id, "Dawn")
    assert renamed.name == "Dawn" and renamed.note == "old"
    assert edit.rename_palette(saved.id, "Dawn", note="new").note == "new"
    edit.remove_palette(saved.id)
    assert edit.list_palettes() == [] and store.palette_by_view_token(saved.view_token) is None
    with pytest.raises(StoreError, match=f"holds no saved palette {saved.id}"):
        edit.remove_palette(saved.id)


def test_another_projects_palettes_are_out_of_reach(store, edit):
    other = store.open_project(store.create_project("Other").edit_token)
    theirs = other.save_palette(name="theirs", recipe={}, hex_codes=["#000000"])
    assert edit.palette(theirs.id) is None
    with pytest.raises(StoreError, match="holds no saved palette"):
        edit.rename_palette(theirs.id, "mine now")
    with pytest.raises(StoreError, match="holds no saved palette"):
        edit.remove_palette(theirs.id)
    assert other.list_palettes() == [theirs]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"hex_codes": []}, "1 to 64 colours"),
        ({"hex_codes": ["#GG0000"]}, "not a hex colour code"),
        ({"hex_codes": "#C04020"}, "must be a list"),
        ({"hex_codes": ["#C04020 #FFFFFF"]}, "must be one hex colour"),
        ({"shares": [0.5]}, "1 shares given for 2 colours"),
        ({"shares": [0.5, 0.6]}, "must sum to 1"),
        ({"shares": [1.5, -0.5]}, "from 0 to 1"),
        ({"shares": [float("nan"), 1.0]}, "from 0 to 1"),
        ({"recipe": {"k": 0}}, "k=0 must be a positive integer"),
        ({"recipe": {"seed": float("inf")}}, "JSON values"),
        ({"recipe": "k=3"}, "must be a dict"),
        ({"note": 3}, "note must be text"),
        ({"note": "x" * 5000}, "4000 characters"),
        ({"still_digest": "0" * 64}, "holds no still"),
        ({"name": ""}, "must not be empty"),
    ],
)
def test_bad_palettes_are_refused_plainly(edit, fields, message):
    arguments = {"name": "p", "recipe": {}, "hex_codes": ["#C04020", "#FFFFFF"], "shares": [0.5, 0.5], **fields}
    with pytest.raises(StoreError, match=message):
        edit.save_palette(**arguments)
    assert edit.list_palettes() == []


def test_the_limit_on_saved_palettes(db_url):
    with open_store(db_url, limits=Limits(palettes=2)) as opened:
        handle = opened.open_project(opened.create_project("P").edit_token)
        for name in "ab":
            handle.save_palette(name=name, recipe={}, hex_codes=["#000000"])
        with pytest.raises(LimitError, match="already holds 2 saved palettes"):
            handle.save_palette(name="c", recipe={}, hex_codes=["#000000"])


@pytest.fixture
def library(edit):
    """Five palettes; the nearest colour of each to #C04020 is listed in the test below."""
    colours = {
        "Rust 100%": ["#C24222", "#202020"],  # ~0.7 from #C04020
        "Brick_wall": ["#B03A1E", "#F0F0F0"],  # between 3 and 5 away
        "Teal night": ["#00808A", "#102030"],  # far
        "rust & bone": ["#E0D0C0", "#C04020"],  # exact
        "Ember": ["#D05030", "#400000"],  # just over 5 away
    }
    return {name: edit.save_palette(name=name, recipe={}, hex_codes=codes) for name, codes in colours.items()}


def test_search_by_colour_uses_ciede2000_and_sorts_nearest_first(edit, library):
    target = "#C04020"
    expected = {
        name: min(_reference_delta_e(target, code) for code in record.hex_codes) for name, record in library.items()
    }
    for within in (0.0, 1.0, 5.0, 8.0, 100.0):
        matches = edit.search_palettes(near_hex="c04020", within=within)
        names = [match.palette.name for match in matches]
        assert names == sorted((n for n, d in expected.items() if d <= within), key=lambda n: expected[n])
        for match in matches:
            assert match.delta_e == pytest.approx(expected[match.palette.name], abs=1e-9)
            assert match.nearest in match.palette.hex_codes
    assert [m.palette.name for m in edit.search_palettes(near_hex=target, within=0.0)] == ["rust & bone"]
    assert 3.0 < expected["Brick_wall"] < 5.0 and expected["Ember"] > 5.0 and expected["Teal night"] > 30


def test_search_by_name_ignores_case_and_treats_wildcards_as_text(edit, library):
    def names(**query):
        return [match.palette.name for match in edit.search_palettes(**query)]

    assert names(name="RUST") == ["Rust 100%", "rust & bone"]
    assert names(name="%") == ["Rust 100%"]
    assert names(name="_") == ["Brick_wall"]
    assert names(name="' OR 1=1 --") == []
    assert names(name="rust", near_hex="#C04020", within=0.5) == ["rust & bone"]
    assert names() == list(library)  # oldest first
    assert all(match.delta_e is None for match in edit.search_palettes(name="rust"))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"near_hex": "red"}, "not a hex colour code"),
        ({"near_hex": "#C04020", "within": -1}, "within=-1"),
        ({"near_hex": "#C04020", "within": float("nan")}, "within=nan"),
        ({"name": 5}, "must be text"),
    ],
)
def test_bad_searches_are_refused_plainly(edit, query, message):
    with pytest.raises(StoreError, match=message):
        edit.search_palettes(**query)


def test_search_only_sees_its_own_project(store, edit, library):
    other = store.open_project(store.create_project("Other").edit_token)
    other.save_palette(name="Rust elsewhere", recipe={}, hex_codes=["#C04020"])
    assert [m.palette.name for m in edit.search_palettes(name="elsewhere")] == []
    assert [m.palette.name for m in other.search_palettes(near_hex="#C04020")] == ["Rust elsewhere"]
