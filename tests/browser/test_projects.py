"""Projects in a real browser: work that survives a reload and a server restart, read-only links, palette links.

One server of its own (its project database in a temporary file) is started,
stopped and started again on the same database; the palette link opens on a
fresh server that has never seen the palette.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser

SIDEBAR = '[data-testid="stSidebar"]'
#: Buttons that change a project; none may show through a read-only link.
EDITING_BUTTONS = ("Save palette", "Rename or remove", "Rename", "Save name and note", "Remove", "Remove for good")


def open_url(page, url: str, heading: str = "Palette", *, swatches: bool = True) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading, exact=True, level=1).wait_for()
    if swatches:
        page.locator(h.SWATCH).first.wait_for()
    h.wait_idle(page)


def project_token(page) -> str:
    page.wait_for_function("() => new URLSearchParams(location.search).has('project')")
    return parse_qs(urlsplit(page.url).query)["project"][0]


def save_palette(page, name: str, note: str) -> None:
    page.get_by_role("button", name="Save palette").click()
    page.get_by_label("Palette name").fill(name)
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text(f"Saved the palette “{name}”").wait_for()
    h.wait_idle(page)


def library_strips(page) -> list[list[str]]:
    return page.locator(".swatch-strip").evaluate_all(
        "strips => strips.map(s => [...s.querySelectorAll('.strip-bar')].map(b => b.dataset.hex))"
    )


def see_the_same_work(page, still: str, k: int, hexes: list[str], palette: str) -> None:
    assert still in h.still_names(page)
    assert h.working_still(page) == still
    assert h.slider_value(page) == k
    assert h.swatch_hexes(page) == hexes
    h.go_to(page, "Library")
    page.get_by_text(palette, exact=True).wait_for()
    assert library_strips(page) == [hexes]


def test_work_survives_a_reload_and_a_restart_and_a_read_only_link_changes_nothing(browser, tmp_path, coffee_jpeg):
    database = tmp_path / "projects.sqlite3"
    env = {"PALETTE_STUDIO_DB": str(database)}
    name = coffee_jpeg.name
    context = browser.new_context(viewport=h.VIEWPORT)
    context.set_default_timeout(h.TIMEOUT_S * 1000)
    try:
        page = context.new_page()
        with h.StreamlitServer(env=env) as server:
            open_url(page, server.url)
            h.upload(page, str(coffee_jpeg))
            h.wait_for_still(page, name, 8)
            token = project_token(page)
            page.get_by_text("Your work is now kept in the project").wait_for()
            h.set_k(page, 5)
            hexes = h.swatch_hexes(page)
            assert hexes == list(h.expected_hexes(coffee_jpeg.read_bytes(), 5))
            save_palette(page, "Night coffee", "for the grade")

            page.reload()
            page.get_by_role("heading", name="Palette", exact=True, level=1).wait_for()
            h.wait_for_still(page, name, 5)
            assert project_token(page) == token
            see_the_same_work(page, name, 5, hexes, "Night coffee")
            assert "Traceback" not in server.log_text()

        with h.StreamlitServer(env=env) as restarted:
            page = context.new_page()
            open_url(page, f"{restarted.url}/?project={token}")
            h.wait_for_still(page, name, 5)
            see_the_same_work(page, name, 5, hexes, "Night coffee")

            (view_token,) = sqlite3.connect(database).execute("SELECT view_token FROM projects").fetchone()
            viewer_context = browser.new_context(viewport=h.VIEWPORT)
            viewer_context.set_default_timeout(h.TIMEOUT_S * 1000)
            try:
                viewer = viewer_context.new_page()
                open_url(viewer, f"{restarted.url}/?project={view_token}")
                h.wait_for_still(viewer, name, 5)
                assert h.swatch_hexes(viewer) == hexes
                cannot_change_anything(viewer)
                h.go_to(viewer, "Library")
                assert library_strips(viewer) == [hexes]
                cannot_change_anything(viewer)
                assert project_token(viewer) == view_token
            finally:
                viewer_context.close()
            assert "Traceback" not in restarted.log_text()
        rows = sqlite3.connect(database).execute("SELECT name, note, hex_codes FROM palettes").fetchall()
        assert rows == [("Night coffee", "for the grade", str(hexes).replace("'", '"'))]
    finally:
        context.close()


def cannot_change_anything(page) -> None:
    """No uploader, no editing button, and every settings control disabled."""
    page.get_by_text("Read-only link").first.wait_for()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    buttons = [text.strip() for text in page.get_by_role("button").all_inner_texts()]
    assert not [label for label in buttons if label in EDITING_BUTTONS or label.endswith("Rename")], buttons
    enabled = page.locator(SIDEBAR).evaluate(
        """sidebar => [...sidebar.querySelectorAll('input, textarea, [role="slider"]')]
             .filter(el => !el.closest('[role="radiogroup"][aria-label="Working still"]'))
             .filter(el => !(el.disabled || el.getAttribute('aria-disabled') === 'true'))
             .map(el => el.getAttribute('aria-label') || el.name || el.type)"""
    )
    assert enabled == [], f"enabled controls through a read-only link: {enabled}"
    if page.get_by_role("heading", name="Palette", exact=True, level=1).count():
        assert h.slider(page).is_disabled()


def test_a_palette_link_opens_its_colours_on_a_fresh_server(fresh_server, browser):
    context = browser.new_context(viewport=h.VIEWPORT)
    try:
        page = context.new_page()
        open_url(page, f"{fresh_server.url}/?palette=1A2B3C.40-FFEEDD.35-C04020.25", "Shared palette")
        assert h.swatch_hexes(page) == ["#1A2B3C", "#FFEEDD", "#C04020"]
        assert h.swatch_data_hexes(page) == ["#1A2B3C", "#FFEEDD", "#C04020"]
        shares = [t.strip() for t in page.locator(".swatch .swatch-share").all_inner_texts()]
        assert shares == ["40.0% of frame", "35.0% of frame", "25.0% of frame"]
        assert page.locator('[data-testid="stException"]').count() == 0

        open_url(page, f"{fresh_server.url}/?palette=1A2B3C-NOTHEX", "Palette")
        page.get_by_text("This palette link does not parse").wait_for()
        assert len(h.swatch_hexes(page)) == 8
    finally:
        context.close()
