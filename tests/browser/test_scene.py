"""The Scene page in Chromium: four uploaded stills, the scene palette, a flagged still,
and "Work with this palette" carrying its exact colours to the Palette page (issue 9)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.browser import harness as h

pytestmark = pytest.mark.browser

FLAGGED = '[data-testid="stAlertContentWarning"]'


def test_scene_palette_flags_the_odd_still_and_works_on_the_palette_page(page, base_url, photo_dir):
    chelsea = np.asarray(h.skimage_photo("chelsea"))
    coffee = np.asarray(h.skimage_photo("coffee"))
    files = []
    for i in range(3):  # three reframings of one frame, and one frame of another scene
        path = photo_dir / f"shot_{i}.jpg"
        path.write_bytes(h.jpeg_bytes(chelsea[4 * i : 4 * i + 280, 6 * i : 6 * i + 400], quality=90))
        files.append(path)
    odd = photo_dir / "other_scene.jpg"
    odd.write_bytes(h.jpeg_bytes(coffee[:280, :400], quality=90))
    files.append(odd)

    h.open_app(page, base_url)
    h.upload(page, files)
    h.wait_for_still(page, "other_scene.jpg", 8)

    h.go_to(page, "Scene")
    h.wait_for_swatch_count(page, 6)
    scene_hexes = h.swatch_hexes(page)
    assert len(scene_hexes) == 6 and scene_hexes == h.swatch_data_hexes(page)
    flags = page.locator(FLAGGED)
    assert flags.count() >= 1
    assert all("Flagged: drifts in #" in text for text in flags.all_inner_texts())
    assert page.locator(".js-plotly-plot").count() >= 1  # the drift heat map
    assert not page.locator(h.ERROR_ALERT).count()

    page.get_by_role("button", name="Work with this palette").click()
    page.get_by_role("heading", name="Palette", exact=True, level=1).wait_for(timeout=h.TIMEOUT_S * 1000)
    h.wait_for_still(page, "other_scene.jpg", 6)
    assert sorted(h.swatch_hexes(page)) == sorted(scene_hexes)

    page.get_by_role("radiogroup", name=h.STILLS_LABEL).get_by_text("shot_1.jpg", exact=True).click()
    h.wait_for_still(page, "shot_1.jpg", 6)
    assert sorted(h.swatch_hexes(page)) == sorted(scene_hexes)
    assert not page.locator(h.ERROR_ALERT).count()
