"""The Scene page in AppTest, and the Palette page's fixed, locked and left-out colours (issue 9)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

import kmeans_core as kc
from tests.app.helpers import SAMPLES, html_bodies, open_app, open_page, swatch_hexes, swatch_shares, widget

NAMES = ("astronaut.jpg", "chelsea.jpg", "coffee.jpg", "rocket.jpg")


def framed(name: str) -> kc.Still:
    return kc.frame_region(kc.load_still((SAMPLES / name).read_bytes()))


def open_scene():
    return open_page("pages/5_Scene.py", "Scene", timeout=180)


def test_the_scene_palette_its_drift_and_the_flagged_stills():
    at = open_scene()
    stills = [framed(name) for name in NAMES]
    palette = kc.scene_palette(stills, 6)
    assert swatch_hexes(at) == list(palette.hex)
    shares = [body for body in html_bodies(at) if 'class="swatches"' in body][0]
    assert shares.count(" of scene</span>") == 6
    drift = kc.scene_drift(stills, palette)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == int(drift.flagged.sum())
    for index in np.flatnonzero(drift.flagged):
        assert f"Flagged: drifts in {', '.join(drift.flagged_hex(index))}" in warnings
    heatmap = [chart for chart in at.get("plotly_chart") if '"type":"heatmap"' in chart.proto.spec.replace(" ", "")]
    assert len(heatmap) == 1
    # Two stills, every pixel weighing the same.
    widget(at.multiselect, "Stills in the scene").set_value(
        [kc.load_still((SAMPLES / n).read_bytes()).digest for n in NAMES[1:3]]
    )
    widget(at.radio, "Weighting").set_value("pixels").run()
    assert not at.exception
    assert swatch_hexes(at) == list(kc.scene_palette(stills[1:3], 6, weighting="pixels").hex)


def test_work_with_this_palette_makes_it_the_fixed_palette_of_the_palette_page():
    at = open_scene()
    scene_hexes = swatch_hexes(at)
    widget(at.button, "Work with this palette").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Palette"
    assert widget(at.radio, "Initializer").value == "fixed"
    expected = kc.apply_palette(framed("astronaut.jpg"), scene_hexes)
    assert swatch_hexes(at) == list(expected.hex) and set(scene_hexes) == set(expected.hex)
    assert swatch_shares(at) == [kc.share_label(share) for share in expected.shares]
    chelsea = kc.load_still((SAMPLES / "chelsea.jpg").read_bytes()).digest
    widget(at.radio, "Working still").set_value(chelsea).run()
    assert set(swatch_hexes(at)) == set(scene_hexes)


def test_locked_swatches_stay_when_the_rest_is_clustered_again():
    at = open_app()
    first = swatch_hexes(at)
    chosen = [first[1], first[4]]
    widget(at.multiselect, "Lock colours").set_value(chosen)
    widget(at.button, "Re-cluster the rest").click().run()
    assert not at.exception, at.exception
    expected = kc.extract_palette(framed("astronaut.jpg"), 8, locked=chosen)
    assert swatch_hexes(at) == list(expected.hex) and set(chosen) <= set(swatch_hexes(at))
    assert sum('class="swatch-locked"' in body for body in html_bodies(at)) == 1  # one swatches block
    assert "".join(html_bodies(at)).count('class="swatch-locked"') == 2


def test_bars_are_left_out_with_a_note_and_can_be_kept():
    pixels = np.zeros((150, 200, 3), np.uint8)
    pixels[20:130] = np.asarray(kc.load_still((SAMPLES / "coffee.jpg").read_bytes()).pixels[:110, :200])
    at = open_app()
    at.file_uploader[0].set_value([("boxed.png", _png(pixels), "image/png")]).run()
    notes = [c.value.replace("\\", "") for c in at.caption if c.value.startswith("Letterbox")]  # markdown-escaped
    assert notes == ["Letterbox and borders left out: 20 rows at the top, 20 rows at the bottom."]
    uploaded = kc.load_still(_png(pixels))
    assert swatch_hexes(at) == list(kc.extract_palette(kc.frame_region(uploaded), 8).hex)
    widget(at.toggle, "Leave out letterbox bars and borders").set_value(False).run()
    assert swatch_hexes(at) == list(kc.extract_palette(uploaded, 8).hex)


def _png(pixels) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def test_fixed_colours_are_a_choice_of_their_own_with_their_shares_measured():
    at = open_app()
    widget(at.radio, "Initializer").set_value("fixed").run()
    widget(at.text_area, "Fixed colours").set_value("#102030, #A0B0C0, #E0D0C0").run()
    assert not at.exception, at.exception
    expected = kc.apply_palette(framed("astronaut.jpg"), ["#102030", "#A0B0C0", "#E0D0C0"])
    assert swatch_hexes(at) == list(expected.hex)
    assert swatch_shares(at) == [kc.share_label(share) for share in expected.shares]
    assert widget(at.slider, "k, the number of colours").value == 3
