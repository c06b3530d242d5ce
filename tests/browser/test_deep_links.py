"""A deep link to each page, as the very first page request to a fresh server."""

from __future__ import annotations

import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["", "Compare_k", "Choose_k"], ids=["Palette", "Compare_k", "Choose_k"])
def test_deep_link_on_a_fresh_server_shows_that_page(fresh_server, browser, path):
    # fresh_server has only answered /_stcore/health so far: this goto is its first page request.
    context = browser.new_context(viewport=h.VIEWPORT)
    try:
        page = context.new_page()
        page.goto(f"{fresh_server.url}/{path}")
        heading = h.HEADINGS[path]
        page.get_by_role("heading", name=heading, exact=True, level=1).wait_for(timeout=h.TIMEOUT_S * 1000)
        headings = [t.strip() for t in page.locator("h1").all_inner_texts()]
        assert headings == [heading]
        assert page.url.rstrip("/") == f"{fresh_server.url}/{path}".rstrip("/")
        assert heading in page.title()
        # The sidebar is the shared frame on every page: the stills are there.
        page.get_by_role("radiogroup", name=h.STILLS_LABEL).wait_for()
        assert "astronaut.jpg" in h.still_names(page)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()
    assert fresh_server.healthy()
