"""Bad uploads in a real browser: a plain error, the name as text, nothing else changes."""

from __future__ import annotations

import os

import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser

SCRIPT_NAME = "<script>alert(1)</script>.png"
HTML_BODY = (
    b"<!DOCTYPE html><html><body><script>alert(1)</script>"
    b'<img src="x" onerror="alert(2)"><svg onload="alert(3)"></svg></body></html>'
)


def test_corrupt_file_and_script_named_html_show_plain_errors(page, base_url, streamlit_server):
    h.open_app(page, base_url)
    before_hexes = h.swatch_hexes(page)
    before_names = h.still_names(page)
    assert len(before_hexes) == 8

    h.upload(
        page,
        [
            {"name": "broken.jpg", "mimeType": "image/jpeg", "buffer": os.urandom(8192)},
            {"name": SCRIPT_NAME, "mimeType": "image/png", "buffer": HTML_BODY},
        ],
    )
    errors = page.locator(f'[data-testid="stSidebar"] {h.ERROR_ALERT}')
    page.wait_for_function(
        "() => document.querySelectorAll("
        '\'[data-testid="stSidebar"] [data-testid="stAlertContentError"]\').length >= 2',
        polling=50,
        timeout=h.TIMEOUT_S * 1000,
    )
    h.wait_idle(page)
    page.wait_for_timeout(500)  # give any injected script the chance to run

    texts = [t.strip() for t in errors.all_inner_texts()]
    assert len(texts) == 2, texts
    broken = next(t for t in texts if t.startswith("broken.jpg"))
    scripted = next(t for t in texts if t.startswith(SCRIPT_NAME))
    assert "not an image" in broken.lower() or "cannot be decoded" in broken.lower(), broken
    assert "not an image" in scripted.lower() or "html" in scripted.lower(), scripted
    for text in texts:
        assert "Traceback" not in text and "StillError" not in text and "\\" not in text, text

    # The name is text: no script, image or SVG element was injected anywhere in the app.
    injected = page.evaluate(
        """() => ({
             scripts: document.querySelectorAll('#root script, [data-testid="stSidebar"] script').length,
             imgX: [...document.querySelectorAll('img')].filter(i => i.getAttribute('src') === 'x').length,
             onload: document.querySelectorAll('[onload], [onerror]').length,
           })"""
    )
    assert injected == {"scripts": 0, "imgX": 0, "onload": 0}
    assert errors.locator("script").count() == 0
    assert page.dialogs == []
    assert page.locator('[data-testid="stException"]').count() == 0

    # Nothing else changed: same stills, same working still, the same swatches.
    assert h.still_names(page) == before_names
    assert h.working_still(page) == "astronaut.jpg"
    assert h.swatch_hexes(page) == before_hexes
    assert streamlit_server.healthy()

    # The page still works after the errors: move k and see the palette follow.
    h.set_k(page, 6)
    assert len(h.swatch_hexes(page)) == 6
    assert page.dialogs == []
    assert streamlit_server.healthy()
