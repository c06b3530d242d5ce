"""Laptop and desktop widths: every page at 800, 1280 and 1600 px, nothing cut.

Each page is screenshot at each width (``tests/output/screenshots/``), and
what can be measured is measured: no button label or swatch text is cut,
the sidebar leaves the main area room, Compare k's frames stay large (and
open enlarged over the page), the
Choose k charts' tick labels do not overlap, and a portrait frame keeps its
palette in view beside it.
"""

from __future__ import annotations

import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser

WIDTHS = (800, 1280, 1600)

#: Elements whose text must show whole: buttons, swatch texts, metrics, the uploader's hint.
CUT_TEXT_JS = """
() => {
  const cut = [];
  const els = document.querySelectorAll(
    '[data-testid="stMain"] button p, [data-testid="stSidebar"] button p,'
    + ' .swatch div, [data-testid="stMetricValue"] div,'
    + ' [data-testid="stFileUploaderDropzoneInstructions"] span'
  );
  for (const el of els) {
    if (!el.offsetParent) continue;
    if (el.scrollWidth > el.clientWidth + 1) cut.push(el.innerText.trim().slice(0, 40));
  }
  return cut;
}
"""

#: Pairs of overlapping tick labels in each Plotly chart.
OVERLAPPING_TICKS_JS = """
() => {
  const overlaps = [];
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    for (const axis of chart.querySelectorAll('.xaxislayer-above, .yaxislayer-above')) {
      const boxes = [...axis.querySelectorAll('.xtick text, .ytick text')]
        .map(t => t.getBoundingClientRect()).filter(b => b.width > 0);
      for (let i = 0; i + 1 < boxes.length; i++) {
        const a = boxes[i], b = boxes[i + 1];
        const apart = a.right <= b.left + 0.5 || b.right <= a.left + 0.5
          || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
        if (!apart) overlaps.push([i, i + 1]);
      }
    }
  }
  return overlaps;
}
"""


def open_at(page, base_url: str, width: int, path: str = "") -> None:
    page.set_viewport_size({"width": width, "height": 900})
    h.open_app(page, base_url, path)


def sidebar_share(page) -> float:
    width = page.evaluate("() => document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().width")
    return width / page.viewport_size["width"]


@pytest.mark.parametrize("width", WIDTHS)
def test_palette_page_fits_the_width(page, base_url, width):
    open_at(page, base_url, width)
    assert page.evaluate(CUT_TEXT_JS) == []
    assert sidebar_share(page) <= 0.3, "the sidebar leaves the frames most of the screen"
    h.full_page_screenshot(page, h.OUTPUT / "screenshots" / f"palette_{width}.png")


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_k_frames_stay_large(page, base_url, width):
    open_at(page, base_url, width, "Compare_k")
    page.locator('[data-testid="stImage"] img').nth(4).wait_for()
    h.wait_idle(page)
    widths = page.locator('[data-testid="stMain"] [data-testid="stImage"] img').evaluate_all(
        "imgs => imgs.map(i => i.getBoundingClientRect().width)"
    )
    assert len(widths) == 5, "the original and four values of k"
    assert min(widths) >= 200, widths
    assert page.evaluate(CUT_TEXT_JS) == []
    # Two cards a row (the original, then k = 3; then 5 and 8; then 12), and the
    # cards of a row line up: the "Work with" buttons of k = 5 and 8 sit on one line.
    tops = page.get_by_role("button", name="Work with k=").evaluate_all(
        "bs => bs.map(b => Math.round(b.getBoundingClientRect().top))"
    )
    assert len(tops) == 4 and tops[0] < tops[1] == tops[2] < tops[3], tops
    h.full_page_screenshot(page, h.OUTPUT / "screenshots" / f"compare_k_{width}.png")


def test_a_compare_k_frame_opens_enlarged_and_closes_again(page, base_url):
    """The lightbox: a card's frame opens over the page from its Fullscreen button, and Escape closes it."""
    open_at(page, base_url, 1280, "Compare_k")
    frames = page.locator('[data-testid="stMain"] [data-testid="stFullScreenFrame"]:has([data-testid="stImage"])')
    frames.nth(4).wait_for()
    h.wait_idle(page)
    frame = frames.nth(2)  # k = 5, a card of the second row
    image = frame.locator("img")
    small = image.bounding_box()
    frame.hover()
    frame.get_by_role("button", name="Fullscreen").click()
    page.get_by_role("button", name="Close fullscreen").wait_for()
    large = image.bounding_box()
    viewport = page.viewport_size
    assert large["width"] > 0.9 * viewport["width"] or large["height"] > 0.9 * viewport["height"], (small, large)
    assert large["width"] > 2 * small["width"], (small, large)
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Close fullscreen").wait_for(state="detached")
    assert image.bounding_box()["width"] == pytest.approx(small["width"], abs=2)


@pytest.mark.parametrize("width", WIDTHS)
def test_choose_k_charts_are_readable(page, base_url, width):
    open_at(page, base_url, width, "Choose_k")
    page.locator(".js-plotly-plot").nth(2).wait_for(timeout=h.TIMEOUT_S * 1000)
    h.wait_idle(page, settle=1.0)
    assert page.evaluate(OVERLAPPING_TICKS_JS) == []
    assert page.evaluate(CUT_TEXT_JS) == []
    h.full_page_screenshot(page, h.OUTPUT / "screenshots" / f"choose_k_{width}.png")


def test_a_portrait_frame_keeps_its_palette_in_view(page, base_url, photo_dir):
    pixels = h.skimage_photo("astronaut")[:, 128:384]  # 512 x 256: a tall frame
    path = photo_dir / "portrait.jpg"
    path.write_bytes(h.jpeg_bytes(pixels, size=(540, 1080)))
    open_at(page, base_url, 1280)
    h.upload(page, str(path))
    h.wait_for_still(page, "portrait.jpg", 8)
    viewport_height = page.viewport_size["height"]
    swatch_top = page.locator(h.SWATCH).first.evaluate("el => el.getBoundingClientRect().top")
    frame_top = page.locator('[data-testid="stMain"] [data-testid="stImage"] img').first.evaluate(
        "el => el.getBoundingClientRect().top"
    )
    assert swatch_top < viewport_height, "the swatches are in view without scrolling"
    assert abs(swatch_top - frame_top) < 120, "the palette stands beside the frame"
    h.full_page_screenshot(page, h.OUTPUT / "screenshots" / "palette_portrait_1280.png")
