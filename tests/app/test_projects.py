"""Projects in AppTest: kept work, saved palettes, the Library page, links, read-only views, backups.

Every test has its own SQLite file (the ``project_database`` fixture in
conftest.py); what the pages say is checked against the database itself.
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from skimage import data as samples
from streamlit.testing.v1 import AppTest

import kmeans_core as kc
from store import open_store
from tests.app.helpers import (
    APP,
    SAMPLES,
    downloaded,
    jpeg_bytes,
    open_app,
    strips,
    swatch_hexes,
    swatch_shares,
    widget,
)

LIBRARY = "pages/3_Library.py"
K_LABEL = "k, the number of colours"
SAMPLE_NAMES = ["astronaut\\.jpg", "chelsea\\.jpg", "coffee\\.jpg", "rocket\\.jpg"]


@pytest.fixture(scope="module")
def coffee_jpeg() -> bytes:
    return jpeg_bytes(samples.coffee(), quality=80)  # not byte-equal to the sample coffee.jpg


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def reopen(query: dict[str, str], script: str = APP) -> AppTest:
    """A new session (a reload, a bookmark, another browser) opening the app at ``?query``."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    run(at)
    if script != APP:
        run(at.switch_page(script))
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "image/jpeg"))
    return run(at)


def button(at: AppTest, label: str, key: str | None = None):
    matches = [b for b in at.button if b.label == label and (key is None or b.key == key)]
    assert len(matches) == 1, [(b.label, b.key) for b in at.button]
    return matches[0]


def click(at: AppTest, label: str, key: str | None = None) -> AppTest:
    button(at, label, key).click()
    return run(at)


def save(at: AppTest, name: str, note: str = "") -> AppTest:
    at.text_input(key="w_palette_name").set_value(name)
    at.text_area(key="w_palette_note").set_value(note)
    return click(at, "Save")


def rows(path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql, args).fetchall()


def plain(elements) -> list[str]:
    """What messages say, with the Markdown escapes taken off (names are shown escaped)."""
    return [re.sub(r"\\(.)", r"\1", element.value) for element in elements]


def infos(at: AppTest) -> list[str]:
    return plain(at.info)


def errors(at: AppTest) -> list[str]:
    return plain(at.error)


def token(at: AppTest) -> str:
    return at.query_params["project"][0] if isinstance(at.query_params["project"], list) else at.query_params["project"]


def test_a_fresh_visit_shows_the_samples_and_keeps_nothing(project_database):
    at = open_app()
    assert widget(at.radio, "Working still").options == SAMPLE_NAMES
    assert "project" not in at.query_params
    assert rows(project_database, "SELECT count(*) FROM projects") == [(0,)]
    assert any("not kept yet" in caption.value for caption in at.sidebar.caption)


def test_an_upload_starts_a_project_that_a_reload_opens_again(project_database, coffee_jpeg):
    at = upload(open_app(), "coffee_frame.jpg", coffee_jpeg)
    assert any("Your work is now kept in the project" in text for text in infos(at))
    edit_token = token(at)
    widget(at.slider, K_LABEL).set_value(5)
    widget(at.radio, "Order colours by").set_value("lightness")
    widget(at.number_input, "Random seed").set_value(3)
    run(at)
    shown = swatch_hexes(at)
    assert shown == list(kc.extract_palette(kc.load_still(coffee_jpeg), 5, seed=3, order="lightness").hex)

    # Kept in the database: the samples and the upload, by content, and the settings.
    kept = rows(project_database, "SELECT name, digest FROM stills ORDER BY position")
    assert [name for name, _ in kept] == [
        "astronaut.jpg",
        "chelsea.jpg",
        "coffee.jpg",
        "rocket.jpg",
        "coffee_frame.jpg",
    ]
    assert kept[-1][1] == kc.content_digest(coffee_jpeg)

    again = reopen({"project": edit_token})
    assert widget(again.radio, "Working still").options == [*SAMPLE_NAMES, "coffee\\_frame\\.jpg"]
    assert widget(again.radio, "Working still").value == kc.content_digest(coffee_jpeg)
    assert widget(again.slider, K_LABEL).value == 5
    assert widget(again.radio, "Order colours by").value == "lightness"
    assert widget(again.number_input, "Random seed").value == 3
    assert swatch_hexes(again) == shown
    assert token(again) == edit_token


def test_uploading_bytes_already_in_the_project_says_so(coffee_jpeg):
    at = upload(open_app(), "first.jpg", coffee_jpeg)
    at = upload(at, "second_name.jpg", coffee_jpeg)
    assert any("second_name.jpg is already in the project as first.jpg" in text for text in infos(at))
    assert widget(at.radio, "Working still").options == [*SAMPLE_NAMES, "first\\.jpg"]
    sample = (SAMPLES / "chelsea.jpg").read_bytes()
    at = upload(at, "cat.jpg", sample)
    assert any("cat.jpg is already in the project as chelsea.jpg" in text for text in infos(at))


def test_save_open_rename_and_remove_a_palette(project_database, coffee_jpeg):
    at = upload(open_app(), "coffee_frame.jpg", coffee_jpeg)
    widget(at.slider, K_LABEL).set_value(6)
    run(at)
    shown, shares = swatch_hexes(at), swatch_shares(at)
    at = save(at, "Night <coffee>", "for the grade")
    assert any("Saved the palette “Night <coffee>”" in text for text in infos(at))
    ((name, note, hexes, recipe, digest),) = rows(
        project_database, "SELECT name, note, hex_codes, recipe, still_digest FROM palettes"
    )
    assert (name, note, digest) == ("Night <coffee>", "for the grade", kc.content_digest(coffee_jpeg))
    assert json.loads(hexes) == shown
    assert json.loads(recipe) == {
        "version": 1,
        "method": "kmeans",
        "still_digest": kc.content_digest(coffee_jpeg),
        "k": 6,
        "init": "k-means++",
        "random_seed": 0,
        "seed_colors": [],
        "space": "lab",
        "order": "share",
        "refine": "median",
        "fixed_colors": [],
        "locked_colors": [],
    }

    # Elsewhere, at other settings, then the Library's Open brings the palette back, recomputed.
    widget(at.slider, K_LABEL).set_value(3)
    widget(at.radio, "Working still").set_value(kc.content_digest((SAMPLES / "rocket.jpg").read_bytes()))
    run(at)
    library = run(at.switch_page(LIBRARY))
    assert strips(library) == [shown]
    assert "**Night \\<coffee\\>**" in [m.value for m in library.markdown]
    opened = click(library, "Open")
    assert opened.title[0].value == "Palette"
    assert swatch_hexes(opened) == shown and swatch_shares(opened) == shares
    assert widget(opened.slider, K_LABEL).value == 6
    assert any("computed again from its recipe: the same colours" in c.value for c in opened.caption)

    library = run(opened.switch_page(LIBRARY))
    palette_id = rows(project_database, "SELECT id FROM palettes")[0][0]
    library.text_input(key=f"w_palette_name_{palette_id}").set_value("Dawn")
    library.text_area(key=f"w_palette_note_{palette_id}").set_value("warmer")
    click(library, "Save name and note")
    assert rows(project_database, "SELECT name, note FROM palettes") == [("Dawn", "warmer")]
    assert "**Dawn**" in [m.value for m in library.markdown]

    click(library, "Remove for good")
    assert rows(project_database, "SELECT count(*) FROM palettes") == [(0,)]
    assert strips(library) == []
    assert any("No saved palettes yet" in text for text in infos(library))


def test_rename_and_remove_a_still_and_the_refusal_while_a_palette_uses_it(project_database, coffee_jpeg):
    at = upload(open_app(), "coffee_frame.jpg", coffee_jpeg)
    digest = kc.content_digest(coffee_jpeg)
    at.text_input(key=f"w_still_name_{digest}").set_value("Scene 12 <dusk>")
    click(at, "Rename", key="rename_still")
    assert "Scene 12 \\<dusk\\>" in widget(at.radio, "Working still").options
    assert rows(project_database, "SELECT name FROM stills WHERE digest = ?", digest) == [("Scene 12 <dusk>",)]

    at = save(at, "Dusk")
    click(at, "Remove from the project…")
    assert any("Remove Scene 12" in w.value for w in at.warning)
    click(at, "Remove", key="remove_still")
    assert any("used by 1 saved palette ('Dusk'); remove those first" in message for message in errors(at))
    assert rows(project_database, "SELECT count(*) FROM stills WHERE digest = ?", digest) == [(1,)]

    # A still no palette uses goes, after the confirm.
    widget(at.radio, "Working still").set_value(kc.content_digest((SAMPLES / "rocket.jpg").read_bytes()))
    run(at)
    click(at, "Remove from the project…")
    click(at, "Keep it")
    assert "rocket\\.jpg" in widget(at.radio, "Working still").options
    click(at, "Remove from the project…")
    click(at, "Remove", key="remove_still")
    assert "rocket\\.jpg" not in widget(at.radio, "Working still").options
    assert rows(project_database, "SELECT name FROM stills WHERE name = 'rocket.jpg'") == []


def test_project_rename_new_and_open_from_the_sidebar(project_database):
    at = open_app()
    at.text_input(key="w_project_name").set_value("Feature film")
    click(at, "Rename project")
    assert rows(project_database, "SELECT name FROM projects") == [("Feature film",)]
    assert "**Feature film**" in [m.value for m in at.sidebar.markdown]
    first = token(at)

    click(at, "New")
    assert token(at) != first
    assert rows(project_database, "SELECT count(*) FROM projects") == [(2,)]
    assert "**Untitled project**" in [m.value for m in at.sidebar.markdown]

    at.text_input(key="w_open_link").set_value(f"http://studio.example/Library?project={first}")
    click(at, "Open project")
    assert token(at) == first and "**Feature film**" in [m.value for m in at.sidebar.markdown]

    at.text_input(key="w_open_link").set_value("not-a-token")
    click(at, "Open project")
    assert any("no such project" in message for message in errors(at))
    assert token(at) == first


@pytest.mark.parametrize("bad", ["wrong", "A" * 32, "'; DROP TABLE projects; --", "%00"])
def test_a_wrong_project_token_says_no_such_project_and_opens_the_samples(project_database, bad):
    at = reopen({"project": bad})
    assert any("There is no such project" in message for message in errors(at))
    assert widget(at.radio, "Working still").options == SAMPLE_NAMES
    assert len(swatch_hexes(at)) == 8
    assert "project" not in at.query_params


def _project_with_a_palette(coffee_jpeg) -> tuple[AppTest, str]:
    at = upload(open_app(), "coffee_frame.jpg", coffee_jpeg)
    return save(at, "Shared one"), token(at)


def test_a_read_only_project_link_offers_no_way_to_change_anything(project_database, coffee_jpeg):
    at, _ = _project_with_a_palette(coffee_jpeg)
    view_token = rows(project_database, "SELECT view_token FROM projects")[0][0]
    before = rows(project_database, "SELECT * FROM projects")

    viewer = reopen({"project": view_token})
    assert widget(viewer.radio, "Working still").value == kc.content_digest(coffee_jpeg)
    assert not viewer.file_uploader
    labels = {b.label for b in viewer.button}
    assert not labels & {"Save", "Rename", "Rename project", "Remove from the project…", "Remove for good"}
    assert all(w.disabled for w in (*viewer.slider, *viewer.selectbox, *viewer.number_input))
    assert all(r.disabled for r in viewer.radio if r.label != "Working still")
    assert any("Read-only link" in c.value for c in viewer.sidebar.caption)

    library = run(viewer.switch_page(LIBRARY))
    assert strips(library) and not library.file_uploader
    assert not {b.label for b in library.button} & {"Save name and note", "Remove for good"}
    assert token(library) == view_token
    assert rows(project_database, "SELECT * FROM projects") == before


def test_a_palette_link_shows_exactly_its_colours_with_no_stored_state(project_database):
    at = reopen({"palette": "1A2B3C.40-FFEEDD.35-C04020.25"})
    assert at.title[0].value == "Shared palette"
    assert swatch_hexes(at) == ["#1A2B3C", "#FFEEDD", "#C04020"]
    assert swatch_shares(at) == ["40.0%", "35.0%", "25.0%"]
    assert not at.file_uploader
    assert not project_database.exists(), "a palette link needs no database at all"

    no_shares = reopen({"palette": "1A2B3C-FFEEDD-C04020"})
    assert swatch_hexes(no_shares) == ["#1A2B3C", "#FFEEDD", "#C04020"] and swatch_shares(no_shares) == []


@pytest.mark.parametrize("bad", ["1A2B3C-GGGGGG", "", "1A2B3C.40-FFEEDD.40"])
def test_a_palette_link_that_does_not_parse_says_so_plainly(bad):
    at = reopen({"palette": bad})
    assert any(message.startswith("This palette link does not parse") for message in errors(at))
    assert at.title[0].value == "Palette" and len(swatch_hexes(at)) == 8


def test_a_saved_palettes_read_only_link_shows_it(project_database, coffee_jpeg):
    at, _ = _project_with_a_palette(coffee_jpeg)
    view_token, hexes = rows(project_database, "SELECT view_token, hex_codes FROM palettes")[0]
    shared = reopen({"palette_view": view_token})
    assert shared.title[0].value == "Shared palette"
    assert swatch_hexes(shared) == json.loads(hexes)
    assert not shared.file_uploader and [image.captions for image in shared.get("image")] == [
        ["The still it was taken from"]
    ]
    missing = reopen({"palette_view": view_token[::-1]})
    assert any("There is no such saved palette" in message for message in errors(missing))


def test_the_library_searches_by_name_and_by_colour(project_database):
    at = open_app()
    for k in (3, 8):
        widget(at.slider, K_LABEL).set_value(k)
        run(at)
        save(at, f"Astronaut {k}")
    saved = {name: json.loads(hexes) for name, hexes in rows(project_database, "SELECT name, hex_codes FROM palettes")}
    library = run(at.switch_page(LIBRARY))
    assert len(strips(library)) == 2
    library.text_input(key="w_search_name").set_value("NAUT 8")
    run(library)
    assert strips(library) == [saved["Astronaut 8"]]
    assert any(c.value == "1 of 2 saved palettes" for c in library.caption)

    library.text_input(key="w_search_name").set_value("")
    library.toggle(key="w_search_by_colour").set_value(True)
    run(library)
    target = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    colour = kc.extract_palette(target, 8).hex[-1]  # a colour only the k=8 palette is sure to hold exactly
    library.text_input(key="w_search_hex").set_value(colour)
    library.slider(key="w_search_within").set_value(0.0)
    run(library)
    assert strips(library) == [saved["Astronaut 8"]]
    assert any(f"nearest {colour}: ΔE2000 0.0" in c.value for c in library.caption)

    library.text_input(key="w_search_hex").set_value("#12")
    run(library)
    assert any("#12" in message for message in errors(library))


def test_a_backup_restores_as_an_identical_new_project(project_database, coffee_jpeg, recorded_downloads):
    at, edit_token = _project_with_a_palette(coffee_jpeg)
    library = run(at.switch_page(LIBRARY))
    archive, name = downloaded(library, "Download the whole project (.zip)")
    assert name == "palette_studio_project.zip" and archive[:2] == b"PK"

    library.file_uploader(key="w_restore_backup").set_value(("backup.zip", archive, "application/zip"))
    run(library)
    assert any("Restored the backup as a new project" in text for text in infos(library))
    assert token(library) != edit_token
    projects = rows(project_database, "SELECT id FROM projects ORDER BY id")
    assert len(projects) == 2
    (first,), (second,) = projects
    still_sql = "SELECT digest, name, position FROM stills WHERE project_id = ? ORDER BY position"
    palette_sql = "SELECT name, note, hex_codes, shares, recipe FROM palettes WHERE project_id = ?"
    assert rows(project_database, still_sql, first) == rows(project_database, still_sql, second)
    assert rows(project_database, palette_sql, first) == rows(project_database, palette_sql, second)
    assert len(strips(library)) == 1

    library.file_uploader(key="w_restore_backup").set_value(("evil.zip", b"PK\x03\x04 not really", "application/zip"))
    run(library)
    assert errors(library) and len(rows(project_database, "SELECT id FROM projects")) == 2


def test_a_broken_database_is_said_plainly_and_the_samples_still_work(project_database, coffee_jpeg):
    project_database.write_bytes(b"this is not a database" * 100)
    at = open_app()
    sidebar_errors = [e.value for e in at.sidebar.error]
    assert any("Projects cannot be kept" in message and "cannot be opened" in message for message in sidebar_errors)
    assert len(swatch_hexes(at)) == 8
    at = upload(at, "coffee_frame.jpg", coffee_jpeg)
    assert widget(at.radio, "Working still").value == kc.content_digest(coffee_jpeg)
    assert not [b for b in at.button if b.label == "Save"]
    assert "project" not in at.query_params


def test_a_read_only_database_is_said_plainly_and_the_samples_still_work(project_database, monkeypatch, coffee_jpeg):
    open_store(str(project_database)).close()  # a current schema: opening it needs no write
    monkeypatch.setenv("PALETTE_STUDIO_DB", f"sqlite:///file:{project_database}?mode=ro&uri=true")
    at = upload(open_app(), "coffee_frame.jpg", coffee_jpeg)
    assert any("is read-only" in message for message in errors(at))
    assert any("Projects cannot be kept" in message for message in (e.value for e in at.sidebar.error))
    assert widget(at.radio, "Working still").value == kc.content_digest(coffee_jpeg)
    assert swatch_hexes(at) == list(kc.extract_palette(kc.load_still(coffee_jpeg), 8).hex)
    assert rows(project_database, "SELECT count(*) FROM projects") == [(0,)]


def _gpl_and_ase() -> tuple[str, bytes]:
    palette = kc.extract_palette(kc.load_still((SAMPLES / "rocket.jpg").read_bytes()), 4)
    return kc.exports.export_palette(palette, "gpl", name="Rocket"), kc.exports.export_palette(palette, "ase")


def test_imported_palettes_become_saved_palettes_that_seed_the_working_still(project_database):
    gpl, ase = _gpl_and_ase()
    library = reopen({}, LIBRARY)
    uploader = library.file_uploader(key="w_import_palettes_0")
    uploader.set_value([("rocket.gpl", gpl.encode(), "text/plain"), ("rocket.ase", ase, "application/octet-stream")])
    run(library)
    library.text_area(key="w_import_text").set_value("https://coolors.co/1a2b3c-ffeedd-c04020")
    click(library, "Import the pasted colours")
    library.text_area(key="w_import_text").set_value("#102030, #405060")
    click(library, "Import the pasted colours")
    kept = rows(project_database, "SELECT hex_codes, still_digest, recipe FROM palettes ORDER BY id")
    expected = list(kc.extract_palette(kc.load_still((SAMPLES / "rocket.jpg").read_bytes()), 4).hex)
    assert [json.loads(codes) for codes, _, _ in kept] == [
        expected,
        expected,
        ["#1A2B3C", "#FFEEDD", "#C04020"],
        ["#102030", "#405060"],
    ]
    assert all(digest is None and json.loads(recipe)["method"] == "imported" for _, digest, recipe in kept)
    assert strips(library)[2] == ["#1A2B3C", "#FFEEDD", "#C04020"]

    palette_id = rows(project_database, "SELECT id FROM palettes ORDER BY id")[2][0]
    palette = click(library, "Use as my seeds", key=f"open_palette_{palette_id}")
    assert palette.title[0].value == "Palette"
    assert widget(palette.radio, "Initializer").value == "manual"
    astronaut = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    seeded = kc.extract_palette(astronaut, 3, init=["#1A2B3C", "#FFEEDD", "#C04020"])
    assert swatch_hexes(palette) == list(seeded.hex)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("cut.ase", b"ASEF\x00\x01\x00\x00\x00\x00\x00\x05\x00\x01", "cut.ase"),
        ("huge.gpl", b"GIMP Palette\n" + b"0 0 0\n" * 300_000, "too large"),
        ("photo.json", (SAMPLES / "rocket.jpg").read_bytes()[:2000], "photo.json"),
        ("many.txt", " ".join(f"#{i:06X}" for i in range(100)).encode(), "64"),
    ],
)
def test_a_hostile_import_is_said_plainly_and_changes_nothing(project_database, name, content, reason):
    library = reopen({}, LIBRARY)
    library.file_uploader(key="w_import_palettes_0").set_value([(name, content, "application/octet-stream")])
    run(library)
    problems = errors(library)
    assert len(problems) == 1 and problems[0].startswith("Nothing was imported:") and reason in problems[0]
    assert rows(project_database, "SELECT count(*) FROM projects") == [(0,)], "not even a project is made"
