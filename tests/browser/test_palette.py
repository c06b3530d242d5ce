"""The Palette and Compare k pages, used as a person would, in Chromium.

All tests here share one server (the cache is shared too, which keeps them
fast); each gets its own browser context, so its own Streamlit session.
"""

from __future__ import annotations

import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser


def test_uploaded_jpeg_becomes_the_working_still_with_matching_swatches(page, base_url, coffee_jpeg):
    h.open_app(page, base_url)
    assert h.working_still(page) == "astronaut.jpg"
    assert h.still_names(page) == ["astronaut.jpg", "chelsea.jpg", "coffee.jpg", "rocket.jpg"]

    h.upload(page, coffee_jpeg)
    h.wait_for_still(page, coffee_jpeg.name, 8)

    assert h.working_still(page) == coffee_jpeg.name
    assert h.still_names(page)[-1] == coffee_jpeg.name
    shown = h.swatch_hexes(page)
    assert len(shown) == 8
    assert shown == h.swatch_data_hexes(page), "each swatch's hex text should match its data-hex"
    expected = h.expected_hexes(coffee_jpeg.read_bytes(), 8)
    assert set(shown) == set(expected)
    assert not page.locator(h.ERROR_ALERT).count()


def test_k_slider_moved_with_the_keyboard_changes_the_number_of_swatches(page, base_url, astronaut_sample):
    h.open_app(page, base_url)
    assert h.slider_value(page) == 8
    assert len(h.swatch_hexes(page)) == 8

    h.press_k(page, "ArrowRight")
    h.wait_for_swatch_count(page, 9)
    h.wait_idle(page)
    assert h.slider_value(page) == 9
    assert len(h.swatch_hexes(page)) == 9

    h.set_k(page, 6)  # three ArrowLeft presses
    assert h.slider_value(page) == 6
    shown = h.swatch_hexes(page)
    assert len(shown) == 6
    assert set(shown) == set(h.expected_hexes(astronaut_sample, 6))


def test_the_order_above_the_swatches_reorders_them_and_a_new_k_keeps_the_sidebar(page, base_url, astronaut_sample):
    import kmeans_core as kc

    h.open_app(page, base_url)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert not sidebar.get_by_role("radiogroup", name="Order colours by").count(), "order sits by the swatches"
    palette = kc.extract_palette(kc.load_still(astronaut_sample), 8, space="lab", init="k-means++", seed=0)

    page.get_by_role("radiogroup", name="Order colours by").get_by_text("Hue", exact=True).click()
    page.wait_for_function(
        "(want) => [...document.querySelectorAll('.swatch')].map(s => s.dataset.hex).join() === want",
        arg=",".join(palette.sorted("hue").hex),
    )
    h.wait_idle(page)
    assert h.swatch_hexes(page) == list(palette.sorted("hue").hex)

    # A new k redraws the body alone; the sidebar's controls stay as they were, and the order holds.
    h.set_k(page, 5)
    expected = kc.extract_palette(kc.load_still(astronaut_sample), 5, space="lab", init="k-means++", seed=0)
    assert h.swatch_hexes(page) == list(expected.sorted("hue").hex)
    assert h.working_still(page) == "astronaut.jpg"
    assert sidebar.get_by_role("radiogroup", name="Initializer").count() == 1


MAX_SWATCHES_JS = """
() => {
  window.__maxSwatches = 0;
  new MutationObserver(() => {
    window.__maxSwatches = Math.max(window.__maxSwatches, document.querySelectorAll('.swatch').length);
  }).observe(document.body, {subtree: true, childList: true});
}
"""


def test_a_new_still_s_palette_takes_the_old_one_s_place_and_never_shows_beside_it(page, base_url, coffee_jpeg):
    # The first upload starts a project and says so at the top of the page; the next has no message.
    # The palette must stay in its place either way: an element that moves leaves its old copy on
    # screen, stale, until the run ends (two palettes, 16 swatches, for half a second).
    h.open_app(page, base_url)
    h.upload(page, coffee_jpeg)
    h.wait_for_still(page, coffee_jpeg.name, 8)
    page.evaluate(MAX_SWATCHES_JS)
    photo = h.jpeg_bytes(h.skimage_photo("astronaut"))
    second = {"name": "astronaut_upload.jpg", "mimeType": "image/jpeg", "buffer": photo}
    h.upload(page, second)
    h.wait_for_still(page, second["name"], 8)
    assert page.evaluate("window.__maxSwatches") == 8


def test_fast_arrow_presses_are_not_lost(page, base_url):
    # Presses 40 ms apart land while reruns are in flight; the app must not push
    # its k back onto the slider meanwhile (it did, before studio.state.bind()
    # took a widget's value from the app's state only when the widget is new).
    h.open_app(page, base_url)
    start = h.slider_value(page)
    seen = []
    h.slider(page).focus()
    for _ in range(8):
        page.keyboard.press("ArrowRight")
        seen.append(h.slider_value(page))
        page.wait_for_timeout(40)
    h.wait_idle(page, settle=1.0)
    assert seen == list(range(start + 1, start + 9)), f"slider after each press: {seen}"
    assert h.slider_value(page) == start + 8
    h.wait_for_swatch_count(page, start + 8)


def test_gpl_download_holds_the_swatch_colours(page, base_url):
    h.open_app(page, base_url)
    for k in (8, 6):
        h.set_k(page, k)
        shown = h.swatch_hexes(page)
        with page.expect_download() as info:
            page.get_by_role("button", name="GIMP palette (.gpl)").click()
        download = info.value
        assert download.suggested_filename == f"astronaut_k{k}.gpl"
        text = open(download.path(), encoding="utf-8").read()
        assert h.parse_gpl(text) == shown


def test_every_download_button_is_there_with_a_named_file(page, base_url):
    h.open_app(page, base_url)
    expected = {
        "Hex codes (.txt)": "astronaut_k8.txt",
        "JSON (.json)": "astronaut_k8.json",
        "CSS variables (.css)": "astronaut_k8.css",
        "GIMP palette (.gpl)": "astronaut_k8.gpl",
        "Adobe swatches (.ase)": "astronaut_k8.ase",
        "Swatch strip (.png)": "astronaut_k8.png",
    }
    for label, filename in expected.items():
        with page.expect_download() as info:
            page.get_by_role("button", name=label, exact=True).click()
        assert info.value.suggested_filename == filename, label
    with page.expect_download() as info:
        page.get_by_role("button", name="Redrawn frame (.png)", exact=True).click()
    name = info.value.suggested_filename
    assert name.endswith("_k8.png") and name.startswith("astronaut"), name
    assert open(info.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_compare_k_work_with_k5_lands_on_palette_with_5_swatches(page, base_url):
    h.open_app(page, base_url)
    palette8 = h.swatch_hexes(page)
    h.go_to(page, "Compare k")
    for k in (3, 5, 8, 12):
        page.get_by_role("button", name=f"Work with k={k}", exact=True).wait_for()
    strips = page.locator(".swatch-strip").evaluate_all(
        "strips => strips.map(s => [...s.querySelectorAll('[data-hex]')].map(b => b.dataset.hex.toUpperCase()))"
    )
    assert [len(strip) for strip in strips] == [3, 5, 8, 12]
    assert strips[2] == palette8, "the k=8 card should show the Palette page's k=8 colours"

    page.get_by_role("button", name="Work with k=5", exact=True).click()
    page.get_by_role("heading", name="Palette", exact=True, level=1).wait_for()
    h.wait_for_swatch_count(page, 5)
    h.wait_idle(page)
    assert page.url.rstrip("/") == base_url
    assert h.slider_value(page) == 5
    assert len(h.swatch_hexes(page)) == 5


def test_screenshot_of_each_page(page, base_url):
    shots = h.OUTPUT / "screenshots"
    h.open_app(page, base_url)
    h.full_page_screenshot(page, shots / "palette.png")
    h.go_to(page, "Compare k")
    page.get_by_role("button", name="Work with k=12", exact=True).wait_for()
    h.full_page_screenshot(page, shots / "compare_k.png")
    h.go_to(page, "Choose k")
    h.full_page_screenshot(page, shots / "choose_k.png")
    for filename in ("palette.png", "compare_k.png", "choose_k.png"):
        data = (shots / filename).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 10_000, filename


def test_stills_stay_when_moving_between_pages(page, base_url, coffee_jpeg):
    h.open_app(page, base_url)
    h.upload(page, coffee_jpeg)
    h.wait_for_still(page, coffee_jpeg.name, 8)
    names = h.still_names(page)
    assert names == ["astronaut.jpg", "chelsea.jpg", "coffee.jpg", "rocket.jpg", coffee_jpeg.name]

    h.go_to(page, "Compare k")
    page.get_by_role("button", name="Work with k=12", exact=True).wait_for()
    assert h.still_names(page) == names
    assert h.working_still(page) == coffee_jpeg.name

    h.go_to(page, "Palette")
    h.wait_for_still(page, coffee_jpeg.name, 8)
    assert h.still_names(page) == names
    assert set(h.swatch_hexes(page)) == set(h.expected_hexes(coffee_jpeg.read_bytes(), 8))
