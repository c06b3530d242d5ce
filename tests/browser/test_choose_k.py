"""The Choose k page in Chromium: click a point on a chart, work with that k."""

from __future__ import annotations

import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"]'


def chart_points(page, index: int):
    """The markers of the first trace of chart ``index`` (0 elbow, 1 silhouette, 2 gap)."""
    return page.locator(CHART).nth(index).locator(".scatterlayer .trace").first.locator("path.point")


@pytest.mark.parametrize(("chart", "k"), [(0, 6), (2, 4)], ids=["elbow", "gap"])
def test_clicking_a_chart_point_makes_that_k_the_working_k(page, base_url, chart, k):
    h.open_app(page, base_url)
    h.go_to(page, "Choose k")
    page.locator(CHART).nth(2).wait_for(timeout=h.TIMEOUT_S * 1000)
    h.wait_idle(page)
    assert page.get_by_text("The error curve bends at k =").count() == 1
    points = chart_points(page, chart)
    assert points.count() == 11  # k = 2..12
    points.nth(k - 2).click(force=True)
    page.get_by_text(f"The working k is now {k}.").wait_for(timeout=h.TIMEOUT_S * 1000)
    h.wait_idle(page)
    page.get_by_role("link", name="Open the Palette page").click()
    page.get_by_role("heading", name="Palette", exact=True, level=1).wait_for(timeout=h.TIMEOUT_S * 1000)
    h.wait_for_swatch_count(page, k)
    h.wait_idle(page)
    assert h.slider_value(page) == k
    assert len(h.swatch_hexes(page)) == k
