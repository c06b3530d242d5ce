"""The Palette page (app.py) in AppTest: what a director sees and can do."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image
from skimage import data as samples

import kmeans_core as kc
from kmeans_core import exports
from tests.app.helpers import (
    SAMPLES,
    downloaded,
    errors,
    jpeg_bytes,
    open_app,
    open_with_seeds,
    shown_frames,
    swatch_hexes,
    swatch_shares,
    widget,
)

K_LABEL = "k, the number of colours"


def sample_still(name: str = "astronaut.jpg") -> kc.Still:
    return kc.load_still((SAMPLES / name).read_bytes())


def upload(at, files):
    at.file_uploader[0].set_value(files)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def coffee_jpeg() -> bytes:
    return jpeg_bytes(samples.coffee(), quality=80)  # not byte-equal to the sample coffee.jpg


def test_opens_with_the_sample_stills_and_their_palette():
    at = open_app()
    assert at.title[0].value == "Palette"
    still_list = widget(at.radio, "Working still")
    assert still_list.options == [
        "astronaut\\.jpg",
        "chelsea\\.jpg",
        "coffee\\.jpg",
        "rocket\\.jpg",
    ]
    assert swatch_hexes(at) == list(kc.extract_palette(sample_still(), 8).hex)
    assert widget(at.slider, K_LABEL).value == 8


def test_an_uploaded_photo_becomes_the_working_still_with_its_palette(coffee_jpeg):
    at = upload(open_app(), ("coffee_frame.jpg", coffee_jpeg, "image/jpeg"))
    assert widget(at.radio, "Working still").value == kc.load_still(coffee_jpeg).digest
    expected = kc.extract_palette(kc.load_still(coffee_jpeg), 8)
    assert swatch_hexes(at) == list(expected.hex)
    assert swatch_shares(at) == [f"{100 * share:.1f}%" for share in expected.shares]
    height, width = kc.load_still(coffee_jpeg).shape
    captions = [caption.value for caption in at.caption if caption.value.startswith("coffee\\_frame")]
    assert len(captions) == 1 and f"{width}×{height}" in captions[0], "the still's name and size are shown"


@pytest.mark.parametrize(
    ("k", "init", "space", "seed", "order"),
    [(5, "k-means++", "lab", 0, "share"), (3, "random", "lab", 7, "lightness"), (12, "k-means++", "rgb", 2, "hue")],
)
def test_the_controls_change_the_palette_exactly_as_kmeans_core_does(k, init, space, seed, order):
    at = open_app()
    widget(at.slider, K_LABEL).set_value(k)
    widget(at.radio, "Initializer").set_value(init)
    widget(at.radio, "Colour space").set_value(space)
    widget(at.number_input, "Random seed").set_value(seed)
    widget(at.radio, "Order colours by").set_value(order)
    at.run()
    expected = kc.extract_palette(sample_still(), k, init=init, space=space, seed=seed, order=order)
    assert swatch_hexes(at) == list(expected.hex)
    assert len(swatch_hexes(at)) == k


def test_seed_colours_set_k_and_start_the_clustering():
    at = open_with_seeds("#000000, #FFFFFF, #C04020")
    seeds = ["#000000", "#FFFFFF", "#C04020"]
    assert not errors(at)
    expected = kc.extract_palette(sample_still(), 3, init=seeds)
    assert swatch_hexes(at) == list(expected.hex)
    assert [picker.value.upper() for picker in at.color_picker] == seeds
    assert [s.value for s in at.slider if s.label == K_LABEL] == [3]


def test_a_colour_picker_replaces_its_seed():
    at = open_with_seeds("#000000, #FFFFFF")
    at.color_picker[1].pick("#3366cc").run()
    assert widget(at.text_area, "Seed colours").value == "#000000, #3366CC"
    assert swatch_hexes(at) == list(kc.extract_palette(sample_still(), 2, init=["#000000", "#3366CC"]).hex)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("#12ZZ99, #FFFFFF", "'#12ZZ99' is not a hex colour code"),
        ("#FFFFFF", "at least 2 seed colours"),
        ("#FFFFFF, #ffffff", "#FFFFFF is given twice"),
        ("", "at least 2 seed colours"),
    ],
)
def test_bad_seed_colours_show_an_error_and_keep_the_last_good_palette(text, message):
    at = open_with_seeds("#101010, #E0E0E0")
    good = swatch_hexes(at)
    assert good == list(kc.extract_palette(sample_still(), 2, init=["#101010", "#E0E0E0"]).hex)
    widget(at.text_area, "Seed colours").input(text).run()
    assert not at.exception
    assert any(message in error.replace("\\", "") for error in errors(at)), errors(at)
    assert swatch_hexes(at) == good


def test_use_these_colours_as_my_seeds_locks_the_palette():
    at = open_app()
    widget(at.slider, K_LABEL).set_value(4).run()
    palette_hex = swatch_hexes(at)
    widget(at.button, "Use these colours as my seeds").click().run()
    assert widget(at.radio, "Initializer").value == "manual"
    assert widget(at.text_area, "Seed colours").value == ", ".join(palette_hex)
    assert swatch_hexes(at) == list(kc.extract_palette(sample_still(), 4, init=palette_hex).hex)


def test_every_download_holds_the_palette_it_names(recorded_downloads):
    at = open_app()
    widget(at.slider, K_LABEL).set_value(6).run()
    still = sample_still()
    palette = kc.extract_palette(still, 6)
    for label, fmt in [("Hex codes (.txt)", "hex"), ("CSS variables (.css)", "css"), ("Swatch strip (.png)", "png")]:
        content, name = downloaded(at, label)
        expected = exports.export_palette(palette, fmt)
        assert content == (expected.encode() if isinstance(expected, str) else expected)
        assert name == f"astronaut_k6.{exports.EXPORTS[fmt].extension}"
    for label, fmt in [("GIMP palette (.gpl)", "gpl"), ("Adobe swatches (.ase)", "ase")]:
        content, name = downloaded(at, label)
        expected = exports.export_palette(palette, fmt, name="astronaut.jpg")
        assert content == (expected.encode() if isinstance(expected, str) else expected)
        assert name == f"astronaut_k6.{fmt}"
    content, name = downloaded(at, "Hex codes (.txt)")
    assert content.decode().split() == list(palette.hex)
    content, name = downloaded(at, "JSON (.json)")
    restored = exports.palette_from_json(content)
    assert restored.hex == palette.hex and (restored.k, restored.seed, restored.space) == (6, 0, "lab")
    assert name == "astronaut_k6.json"
    content, name = downloaded(at, "Redrawn frame (.png)")
    frame = np.asarray(Image.open(io.BytesIO(content)))
    assert np.array_equal(frame, kc.quantize(still, palette))
    assert name == "astronaut_frame_k6.png"


def test_the_still_and_settings_stay_when_switching_pages(coffee_jpeg):
    at = upload(open_app(), ("coffee_frame.jpg", coffee_jpeg, "image/jpeg"))
    widget(at.slider, K_LABEL).set_value(5).run()
    widget(at.radio, "Colour space").set_value("rgb").run()
    palette = swatch_hexes(at)
    at.switch_page("pages/1_Compare_k.py").run()
    assert at.title[0].value == "Compare k"
    at.switch_page("app.py").run()
    assert at.title[0].value == "Palette"
    assert widget(at.radio, "Working still").value == kc.load_still(coffee_jpeg).digest
    assert len(widget(at.radio, "Working still").options) == 5
    assert widget(at.slider, K_LABEL).value == 5
    assert widget(at.radio, "Colour space").value == "rgb"
    assert swatch_hexes(at) == palette


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("broken.jpg", np.random.default_rng(5).bytes(4000)),
        ("half.jpg", jpeg_bytes(samples.chelsea())[:9000]),
        ("<script>alert(1)</script>.png", b"<html><script>alert(1)</script></html>"),
        ("empty.png", b""),
    ],
)
def test_a_bad_upload_shows_a_plain_error_and_changes_nothing(name, payload):
    with pytest.raises(kc.StillError) as refused:
        kc.load_still(payload)
    at = open_app()
    before = swatch_hexes(at)
    upload(at, (name, payload, "image/jpeg"))
    shown = errors(at)
    assert len(shown) == 1
    assert shown[0].replace("\\", "") == f"{name}: {refused.value}"
    assert "<script>" not in shown[0]  # the name is escaped, never markup
    assert len(widget(at.radio, "Working still").options) == 4
    assert swatch_hexes(at) == before
    assert not at.file_uploader[0].value, "the uploader hands its files to the library and is emptied"
    widget(at.slider, K_LABEL).set_value(5).run()
    assert len(errors(at)) == 1, "the error stays while the person works, until dismissed"
    widget(at.button, "Dismiss").click().run()
    assert not errors(at)


def test_the_colour_cloud_marks_the_palette_centres_in_cielab():
    at = open_app()
    assert not at.get("plotly_chart"), "the 3D cloud is drawn only on request"
    at.toggle(key="show_cloud").set_value(True).run()
    (chart,) = at.get("plotly_chart")
    traces = json.loads(chart.proto.spec)["data"]
    assert [trace["type"] for trace in traces] == ["scatter3d", "scatter3d"]
    palette = kc.extract_palette(sample_still(), 8)
    centres = traces[1]
    assert centres["text"] == list(palette.hex)
    lab = kc.rgb_to_space(palette.rgb, "lab")
    np.testing.assert_allclose(np.column_stack([centres["x"], centres["y"], centres["z"]]), lab[:, [1, 2, 0]])
    assert "4,000 colours" in traces[0]["name"]


def test_the_swatch_formats_creative_tools_read_download_as_the_core_writes_them(recorded_downloads):
    at = open_app()
    widget(at.slider, K_LABEL).set_value(5).run()
    still = sample_still()
    palette = kc.extract_palette(still, 5)
    for label, fmt in [
        ("CSV table (.csv)", "csv"),
        ("Photoshop swatches (.aco)", "aco"),
        ("Procreate (.swatches)", "swatches"),
        ("Mood board (.png)", "moodboard"),
    ]:
        content, name = downloaded(at, label)
        expected = exports.export_palette(palette, fmt, name="astronaut.jpg", frame=still.pixels)
        assert content == (expected.encode() if isinstance(expected, str) else expected), fmt
        assert name == f"astronaut_k5.{exports.EXPORTS[fmt].extension}"
    content, _ = downloaded(at, "CSV table (.csv)")
    assert [line.split(",")[0] for line in content.decode().splitlines()[1:]] == list(palette.hex)


def test_the_frames_are_sent_with_exact_colours_and_not_again_for_a_new_order(recorded_downloads):
    at = open_app()
    still = sample_still()
    palette = kc.extract_palette(still, 8)
    (original_url, original), (redrawn_url, redrawn) = shown_frames(at)
    assert original.startswith(b"\x89PNG") and redrawn.startswith(b"\x89PNG")
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(original))), still.pixels)
    redrawn_pixels = np.asarray(Image.open(io.BytesIO(redrawn)))
    assert np.array_equal(redrawn_pixels, kc.quantize(still, palette)), "the redrawn frame shows the exact colours"
    widget(at.radio, "Order colours by").set_value("hue").run()
    assert swatch_hexes(at) == list(palette.sorted("hue").hex)
    kept = [url for url, _ in shown_frames(at)]
    assert kept == [original_url, redrawn_url], "an order change leaves both frames as they were"
    widget(at.slider, K_LABEL).set_value(5).run()
    urls = [url for url, _ in shown_frames(at)]
    assert urls[0] == original_url and urls[1] != redrawn_url


def test_a_frame_is_encoded_once_by_its_content():
    from studio import cache

    pixels = np.ascontiguousarray(samples.chelsea())
    first = cache.png(pixels)
    assert cache.png(pixels.copy()) is first, "the same pixels reuse the bytes already encoded"
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(first))), pixels)
    other = pixels.copy()
    other[0, 0] ^= 1
    assert cache.png(other) != first
    height, width, _ = pixels.shape
    turned = cache.png(pixels.reshape(width, height, 3))
    assert Image.open(io.BytesIO(turned)).size == (height, width), "the same bytes in another shape are another frame"


def test_the_colour_order_sits_by_the_swatches_on_the_palette_page_and_in_the_sidebar_elsewhere():
    at = open_app()
    assert [r.label for r in at.sidebar.radio if r.label == "Order colours by"] == []
    assert [r.label for r in at.main.radio if r.label == "Order colours by"] == ["Order colours by"]
    widget(at.radio, "Order colours by").set_value("lightness").run()
    at.switch_page("pages/1_Compare_k.py").run()
    assert not at.exception, at.exception
    order = [r for r in at.sidebar.radio if r.label == "Order colours by"]
    assert len(order) == 1 and order[0].value == "lightness"
