"""The Film page in Chromium: upload a generated clip, see its barcode and film palette,
and add its shots to the stills in the sidebar (issue 12)."""

from __future__ import annotations

import pytest
from skimage import data as skdata

from kmeans_core.film import FilmSettings, Sampling, analyse_film
from tests.browser import harness as h
from tests.film.clipmaker import ShotSpec, write_clip

pytestmark = pytest.mark.browser

MAIN = '[data-testid="stMain"]'
BARCODE = f'{MAIN} [data-testid="stImage"] img'


def test_a_clip_shows_its_barcode_and_palette_and_its_shots_become_stills(page, base_url, photo_dir):
    specs = [ShotSpec(getattr(skdata, name)(), 12) for name in ("astronaut", "coffee", "chelsea")]
    clip = write_clip(photo_dir / "dailies.mp4", specs, width=160, height=90, fps=12, gop=6)
    film = analyse_film(clip, FilmSettings(k=8, sampling=Sampling("all")))
    assert len(film.shots) == 3

    h.open_app(page, base_url)
    before = h.still_names(page)
    h.go_to(page, "Film")
    page.locator(MAIN).get_by_text("Every frame", exact=True).click()
    h.wait_idle(page)
    h.upload(page.locator(MAIN), clip)  # the page's own uploader, not the sidebar's
    h.wait_for_swatch_count(page, 8)
    h.wait_idle(page)

    assert h.swatch_hexes(page) == list(film.palette.hex) == h.swatch_data_hexes(page)
    barcode = page.locator(BARCODE).first
    barcode.wait_for()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=barcode.element_handle())
    natural = barcode.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    box = barcode.bounding_box()
    assert natural == [1200, 120] and box["width"] > 6 * box["height"]  # a strip across the page
    assert len(film.sample_frames) == 36
    page.get_by_role("button", name="Barcode (.png)").wait_for()
    assert page.locator(MAIN).get_by_text("Shot 3", exact=False).count() == 1
    assert not page.locator(h.ERROR_ALERT).count()

    page.get_by_role("button", name="Add the shots to my stills").click()
    names = [f"dailies_shot_{n:03d}.png" for n in (1, 2, 3)]
    page.get_by_role("radiogroup", name=h.STILLS_LABEL).get_by_text(names[-1], exact=True).wait_for()
    h.wait_idle(page)
    assert h.still_names(page) == before + names
    assert h.working_still(page) == names[-1]
    assert not page.locator(h.ERROR_ALERT).count()
