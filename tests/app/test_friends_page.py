"""The Friends page and the method setting in AppTest: every figure checked against kmeans_core itself."""

from __future__ import annotations

import json

import numpy as np
import pytest

import kmeans_core as kc
from studio.settings import DEFAULT_FRIENDS
from tests.app.helpers import SAMPLES, downloaded, open_app, open_page, strips, swatch_hexes, widget
from tests.app.test_grade_page import shown_images
from tests.app.test_projects import click, rows, run, save

FRIENDS_PAGE = "pages/7_Friends.py"
LIBRARY = "pages/3_Library.py"


@pytest.fixture(scope="module")
def still() -> kc.Still:
    return kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())


@pytest.fixture(scope="module")
def trace(still) -> kc.KMeansTrace:
    return kc.kmeans_trace(still, 8)


def metrics(at, label: str) -> list[str]:
    return [metric.value for metric in at.metric if metric.label == label]


def test_each_card_shows_its_methods_palette_error_and_time(still, recorded_downloads):
    at = open_page(FRIENDS_PAGE, "Friends")
    widget(at.multiselect, "Methods and colour spaces").select(("kmeans", "oklab"))
    run(at)
    friends = [*DEFAULT_FRIENDS[:1], ("kmeans", "oklab"), *DEFAULT_FRIENDS[1:]]  # in the core's order
    palettes = [kc.extract_palette(still, 8, method=method, space=space) for method, space in friends]
    assert strips(at)[: len(friends)] == [list(palette.hex) for palette in palettes]
    qualities = [kc.frame_quality(still, kc.quantize(still, palette)) for palette in palettes]
    assert metrics(at, "Mean ΔE2000") == [f"{quality.mean:.2f}" for quality in qualities]
    assert metrics(at, "95th pct ΔE2000") == [f"{quality.p95:.2f}" for quality in qualities]
    times = metrics(at, "Time")
    assert len(times) == len(friends) and all(t.endswith(" s") and float(t[:-2]) >= 0 for t in times)
    notes = [caption.value for caption in at.caption]
    assert all(kc.METHOD_NOTES[method] in notes for method, _ in friends)
    assert len([b for b in at.button if b.label == "Work with this method"]) == len(friends)


def test_watching_k_means_converge_step_by_step(still, trace, recorded_downloads):
    at = open_page(FRIENDS_PAGE, "Friends")
    widget(at.multiselect, "Methods and colour spaces").set_value([])
    run(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["x"] == list(range(trace.n_iter + 1))
    assert np.allclose(spec["data"][0]["y"], trace.inertia, rtol=1e-12, atol=0)
    assert json.loads(at.get("plotly_chart")[0].proto.config)["displayModeBar"] is False
    images = shown_images(at)
    assert np.array_equal(images["After the first assignment (step 0)"], kc.quantize(still, trace.palette(0)))
    assert np.array_equal(images["After 3 iterations (step 3)"], kc.quantize(still, trace.palette(3)))
    last = trace.n_iter
    assert np.array_equal(images[f"At convergence (step {last})"], kc.quantize(still, trace.palette(last)))

    slider = widget(at.slider, "Iteration")
    assert (slider.min, slider.max, slider.value) == (0, last, 0)
    for step in (1, 7, last):
        widget(at.slider, "Iteration").set_value(step)
        run(at)
        images = shown_images(at)
        assert np.array_equal(images[f"Redrawn at step {step}"], kc.quantize(still, trace.palette(step)))
        assert strips(at)[-1] == list(trace.palette(step).hex)
        assert any(m.value.startswith(f"**Step {step} of {last}**") for m in at.markdown)


def test_the_method_and_space_change_the_palette_and_the_json_records_them(still, recorded_downloads):
    at = open_app()
    assert widget(at.radio, "Colour space").options == ["CIELAB (perceptual)", "OKLab", "sRGB"]
    assert widget(at.selectbox, "Method").options == [
        "k-means",
        "k-medians",
        "k-medoids",
        "Spherical k-means",
        "Median cut",
        "Octree",
    ]
    widget(at.selectbox, "Method").set_value("kmedoids")
    widget(at.radio, "Colour space").set_value("oklab")
    run(at)
    expected = kc.extract_palette(still, 8, method="kmedoids", space="oklab")
    assert swatch_hexes(at) == list(expected.hex)
    assert set(expected.hex) <= set(kc.to_hex(still.histogram.colors))  # k-medoids: colours of the frame
    content, _ = downloaded(at, "JSON (.json)")
    document = json.loads(content)
    assert (document["method"], document["space"]) == ("kmedoids", "oklab")
    assert [colour["hex"] for colour in document["colors"]] == list(expected.hex)

    # The method carries to the other pages: Compare k redraws every k with it.
    compare = run(at.switch_page("pages/1_Compare_k.py"))
    assert strips(compare) == [
        list(kc.extract_palette(still, k, method="kmedoids", space="oklab").hex) for k in (3, 5, 8, 12)
    ]


def test_locks_and_seeds_that_a_method_cannot_keep_fall_back_to_k_means(still):
    at = open_app()
    first = swatch_hexes(at)[0]
    at.multiselect(key="w_lock_choice").set_value([first])
    click(at, "Re-cluster the rest")
    widget(at.selectbox, "Method").set_value("kmedians")
    run(at)
    assert any("Locked colours are kept by k-means only" in info.value for info in at.info)
    assert swatch_hexes(at) == list(kc.extract_palette(still, 8, locked=[first]).hex)

    at = open_app()
    widget(at.radio, "Initializer").set_value("manual")
    widget(at.selectbox, "Method").set_value("mediancut")
    run(at)
    assert any("Median cut takes no seed colours" in info.value for info in at.info)
    seeds = kc.to_hex(kc.parse_hex_colors("#1B1B1F, #6B4E3D, #C9A27E, #E8E2D6, #2F4A5C"))
    assert swatch_hexes(at) == list(kc.extract_palette(still, 5, init=list(seeds)).hex)
    assert not at.exception


def test_work_with_this_method_opens_the_palette_page_with_it(still):
    at = open_page(FRIENDS_PAGE, "Friends")
    buttons = [b for b in at.button if b.label == "Work with this method"]
    next(b for b in buttons if b.key == "work_octree_lab").click()
    run(at)
    assert at.title[0].value == "Palette"
    assert widget(at.selectbox, "Method").value == "octree"
    assert swatch_hexes(at) == list(kc.extract_palette(still, 8, method="octree").hex)


def test_a_saved_palettes_recipe_keeps_the_method(still, project_database):
    at = open_app()
    widget(at.selectbox, "Method").set_value("spherical")
    run(at)
    shown = swatch_hexes(at)
    assert shown == list(kc.extract_palette(still, 8, method="spherical").hex)
    at = save(at, "Directions")
    ((recipe,),) = rows(project_database, "SELECT recipe FROM palettes")
    assert (json.loads(recipe)["method"], json.loads(recipe)["refine"]) == ("spherical", "none")

    widget(at.selectbox, "Method").set_value("kmeans")

    run(at)
    assert swatch_hexes(at) != shown
    opened = click(run(at.switch_page(LIBRARY)), "Open")
    assert opened.title[0].value == "Palette"
    assert widget(opened.selectbox, "Method").value == "spherical"
    assert swatch_hexes(opened) == shown
    assert any("computed again from its recipe: the same colours" in c.value for c in opened.caption)
