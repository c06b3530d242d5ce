"""The Compare k page in AppTest: several k side by side, one click to work with one."""

from __future__ import annotations

import kmeans_core as kc
from tests.app.helpers import SAMPLES, open_page, open_with_seeds, strips, swatch_hexes, widget


def open_compare():
    return open_page("pages/1_Compare_k.py", "Compare k")


def test_each_k_shows_its_palette_and_its_mean_delta_e():
    at = open_compare()
    still = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    assert widget(at.multiselect, "Values of k to compare").value == [3, 5, 8, 12]
    palettes = [kc.extract_palette(still, k) for k in (3, 5, 8, 12)]
    assert strips(at) == [list(p.hex) for p in palettes]
    shown = [metric.value for metric in at.metric if metric.label == "Mean ΔE2000"]
    expected = [f"{kc.frame_quality(still, kc.quantize(still, p)).mean:.2f}" for p in palettes]
    assert shown == expected
    assert [float(v) for v in shown] == sorted((float(v) for v in shown), reverse=True), "more colours, less error"


def test_the_same_initializer_and_seed_apply_to_every_k():
    at = open_compare()
    widget(at.radio, "Initializer").set_value("random").run()
    widget(at.number_input, "Random seed").set_value(11).run()
    widget(at.multiselect, "Values of k to compare").set_value([4, 6]).run()
    still = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    assert strips(at) == [list(kc.extract_palette(still, k, init="random", seed=11).hex) for k in (4, 6)]


def test_work_with_k_opens_the_palette_page_with_that_k():
    at = open_compare()
    widget(at.button, "Work with k=5").click().run()
    assert at.title[0].value == "Palette"
    assert widget(at.slider, "k, the number of colours").value == 5
    assert len(swatch_hexes(at)) == 5


def test_seed_colours_fix_k_so_other_k_start_from_kmeans_plus_plus():
    at = open_with_seeds("#000000, #FFFFFF, #C04020")
    at.switch_page("pages/1_Compare_k.py").run()
    widget(at.multiselect, "Values of k to compare").set_value([3, 5]).run()
    still = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    assert strips(at) == [
        list(kc.extract_palette(still, 3, init=["#000000", "#FFFFFF", "#C04020"]).hex),
        list(kc.extract_palette(still, 5).hex),
    ]
