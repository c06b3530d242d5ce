"""The Friends page in Chromium: the cards, the convergence slider by keyboard, and working with a method."""

from __future__ import annotations

import re

import pytest

import kmeans_core as kc
from studio.settings import DEFAULT_FRIENDS
from tests.browser import harness as h

pytestmark = pytest.mark.browser

WORK_BUTTON = "Work with this method"


def test_friends_cards_the_convergence_slider_and_work_with_this_method(page, base_url, astronaut_sample):
    still = kc.load_still(astronaut_sample)
    trace = kc.kmeans_trace(still, 8)
    h.open_app(page, base_url)
    h.go_to(page, "Friends")
    buttons = page.get_by_role("button", name=WORK_BUTTON)
    buttons.nth(len(DEFAULT_FRIENDS) - 1).wait_for(timeout=h.TIMEOUT_S * 1000)
    h.wait_idle(page)
    assert buttons.count() == len(DEFAULT_FRIENDS)
    assert page.locator("strong").get_by_text("k-medoids · CIELAB (perceptual)", exact=True).count() == 1  # a card
    assert page.get_by_text(f"Step 0 of {trace.n_iter}").count() == 1

    step = page.get_by_role("slider", name="Iteration")
    step.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.get_by_text(re.compile(rf"^Step 2 of {trace.n_iter}")).wait_for(timeout=h.TIMEOUT_S * 1000)
    h.wait_idle(page)
    step_strip = page.locator(".swatch-strip").last.locator(".strip-bar")
    assert step_strip.evaluate_all("bars => bars.map(b => b.dataset.hex)") == list(trace.palette(2).hex)

    page.locator(".st-key-work_kmedoids_lab button").click()
    page.get_by_role("heading", name="Palette", exact=True, level=1).wait_for(timeout=h.TIMEOUT_S * 1000)
    h.wait_for_swatch_count(page, 8)
    h.wait_idle(page)
    assert page.get_by_role("combobox", name="Method").input_value() == "k-medoids"
    assert h.swatch_hexes(page) == list(kc.extract_palette(still, 8, method="kmedoids").hex)
    assert not page.locator(h.ERROR_ALERT).count()
