"""Several users at once, and a user who leaves in the middle of a computation.

The full version (8 sessions, then 100 palette requests, memory figures) is
``bench/load_test.py``.
"""

from __future__ import annotations

import pytest

from tests.browser import harness as h
from tests.browser import loadkit

pytestmark = pytest.mark.browser

SAMPLES = ["astronaut.jpg", "chelsea.jpg", "coffee.jpg", "rocket.jpg"]


def test_four_sessions_at_once_each_see_their_own_palette(streamlit_server):
    photos = []
    expected = {}
    for index, (photo, k) in enumerate(loadkit.LOAD_PHOTOS[:4]):
        name, data = loadkit.load_photo(photo, index, max_side=400)
        photos.append((name, data, k))
        expected[name] = h.expected_hexes(data, k)
    names = [name for name, _, _ in photos]

    async def load():
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            browser = await loadkit.launch_load_chromium(playwright)
            try:
                return await loadkit.run_sessions(browser, streamlit_server.url, photos)
            finally:
                await browser.close()

    results = loadkit.run_in_thread(load, timeout=240)

    problems = [p for r in results for p in loadkit.check_session(r, expected[r.name], names, SAMPLES)]
    for r in results:
        print(f"{r.name:32s} k={r.k:2d} upload->palette {r.upload_s:5.2f} s  k->palette {r.k_s:5.2f} s")
    assert problems == []
    assert streamlit_server.healthy()


#: The sweep's progress in percent while Choose k is running and its bar is neither empty nor full, else false.
MID_SWEEP_JS = """
() => {
  const state = document.querySelector('[data-test-script-state]')?.getAttribute('data-test-script-state');
  const bar = document.querySelector('[data-testid="stProgress"] [role="progressbar"]');
  const value = bar ? Number(bar.getAttribute('aria-valuenow')) : NaN;
  return state === 'running' && value > 0 && value < 100 ? value : false;
}
"""


def test_closing_the_browser_mid_computation_leaves_the_server_healthy(streamlit_server, playwright_sync, page):
    name, data = loadkit.load_photo("retina", 0, max_side=2000)  # its full 1411 x 1411
    name = "leaving_" + name
    leaving = h.launch_chromium(playwright_sync)
    try:
        other = leaving.new_page(viewport=h.VIEWPORT)
        h.open_app(other, streamlit_server.url)
        h.upload(other, {"name": name, "mimeType": "image/jpeg", "buffer": data})
        h.wait_for_still(other, name, 8)
        # Choose k sweeps k with silhouette and gap statistic, its progress bar moving as it goes:
        # the browser leaves as soon as the bar stands between its ends, whatever this machine's speed.
        other.locator('[data-testid="stSidebar"]').get_by_role("link", name="Choose k", exact=True).click()
        seen = other.wait_for_function(MID_SWEEP_JS, polling="raf").json_value()
        assert 0 < seen < 100
    finally:
        leaving.close()  # the whole browser goes away, mid-computation

    assert streamlit_server.healthy()

    # The next session works, while the abandoned work may still be finishing.
    h.open_app(page, streamlit_server.url)
    assert h.still_names(page) == SAMPLES
    assert len(h.swatch_hexes(page)) == 8
    h.press_k(page, "ArrowRight")
    h.wait_for_swatch_count(page, 9)
    h.wait_idle(page)

    busy = loadkit.wait_until_quiet(streamlit_server.pid, timeout=120)
    print(f"server quiet {busy:.1f} s after the next session's palette")
    assert streamlit_server.healthy()
    assert streamlit_server.process.poll() is None
    assert "Traceback" not in streamlit_server.log_text()


def test_eight_sessions_saving_at_once_lose_and_mix_nothing(streamlit_server, project_database):
    from store import open_store

    photos = [loadkit.load_photo(photo, index, max_side=240) for index, (photo, _) in enumerate(loadkit.LOAD_PHOTOS)]
    with open_store(str(project_database)) as store:
        shared_token = store.create_project("Shared by four").edit_token

    async def load():
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            browser = await loadkit.launch_load_chromium(playwright)
            try:
                return await loadkit.run_saving_sessions(browser, streamlit_server.url, photos, shared_token)
            finally:
                await browser.close()

    results = loadkit.run_in_thread(load, timeout=300)
    for r in results:
        print(f"{r.name:32s} {'shared' if r.shared else 'own   '} save {r.save_s:5.2f} s")
    problems = loadkit.check_saved(str(project_database), results, dict(photos), shared_token)
    assert problems == []
    assert streamlit_server.healthy()
