"""Fixtures for the browser tests: a real ``streamlit run`` server and Debian's Chromium.

* ``streamlit_server`` (session): one server shared by every test that does
  not need a fresh one; ``base_url`` is its address. Its projects go to
  ``project_database``, a SQLite file in a temporary folder.
* ``fresh_server`` (function): a server started for one test, so that the
  first page request it ever sees is the test's own (deep links), with a
  project database of its own.
* ``browser`` (session): headless ``/usr/bin/chromium`` through Playwright.
* ``page`` (function): a new browser context (a new Streamlit session) at
  1400x1000 that accepts downloads and records any JavaScript dialog in
  ``page.dialogs`` (and dismisses it). On failure a screenshot is saved to
  ``tests/output/failures/``.

Every server is stopped by its own PID at the end (terminate, then kill).
"""

from __future__ import annotations

import pytest

from tests.browser import harness


@pytest.fixture(scope="session")
def project_database(tmp_path_factory):
    """The SQLite file the shared server keeps its projects in (never the default under data/)."""
    return tmp_path_factory.mktemp("projects") / "projects.sqlite3"


@pytest.fixture(scope="session")
def streamlit_server(project_database):
    with harness.StreamlitServer(env={"PALETTE_STUDIO_DB": str(project_database)}) as server:
        yield server


@pytest.fixture(scope="session")
def base_url(streamlit_server) -> str:
    return streamlit_server.url


@pytest.fixture
def fresh_server(tmp_path):
    with harness.StreamlitServer(env={"PALETTE_STUDIO_DB": str(tmp_path / "projects.sqlite3")}) as server:
        yield server


@pytest.fixture(scope="session")
def playwright_sync():
    from playwright.sync_api import sync_playwright

    manager = sync_playwright()
    playwright = manager.start()
    try:
        yield playwright
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def browser(playwright_sync):
    chromium = harness.launch_chromium(playwright_sync)
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport=harness.VIEWPORT, accept_downloads=True)
    context.set_default_timeout(harness.TIMEOUT_S * 1000)
    page = context.new_page()
    page.dialogs = []

    def on_dialog(dialog):
        page.dialogs.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield page
    finally:
        if getattr(request.node, "browser_failed", False):
            name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
            try:
                harness.OUTPUT.joinpath("failures").mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(harness.OUTPUT / "failures" / f"{name}.png"))
            except Exception:  # the page may be gone; the failure itself matters
                pass
        context.close()


@pytest.fixture(scope="session")
def photo_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("photos")


@pytest.fixture(scope="session")
def coffee_jpeg(photo_dir):
    """scikit-image's coffee photo as a JPEG under a name no sample has.

    Its bytes must differ from the sample ``coffee.jpg``: the app keeps one
    entry per content, so identical bytes would select the sample instead.
    """
    data = harness.jpeg_bytes(harness.skimage_photo("coffee"), quality=88)
    samples = {p.read_bytes() for p in (harness.ROOT / "assets" / "samples").glob("*")}
    assert data not in samples, "the test photo must not be byte-identical to a sample"
    path = photo_dir / "coffee_upload.jpg"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="session")
def astronaut_sample() -> bytes:
    """The bytes of the sample still that the app opens with."""
    return (harness.ROOT / "assets" / "samples" / "astronaut.jpg").read_bytes()
