"""The Choose k page in AppTest: three charts, suggested k, and handing k over."""

from __future__ import annotations

import io
import json

import numpy as np
from PIL import Image

import kmeans_core as kc
from kmeans_core.choose_k import sweep_k
from tests.app.helpers import SAMPLES, open_page, strips, swatch_hexes, widget


def open_choose():
    return open_page("pages/2_Choose_k.py", "Choose k", timeout=180)


def test_three_charts_with_the_suggested_k_of_each_rule():
    at = open_choose()
    still = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    expected = sweep_k(
        still, list(range(2, 13)), space="lab", init="k-means++", seed=0, gap_refs=10, gap_reference="pca"
    )
    charts = at.get("plotly_chart")[:3]
    assert all(json.loads(chart.proto.config)["displayModeBar"] is False for chart in at.get("plotly_chart")), (
        "no Plotly toolbar over the charts' titles"
    )
    titles = [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in charts]
    assert titles[0].startswith("Colour error left over")
    assert titles[1].startswith("How distinct the colours are")
    assert titles[2].startswith("Structure beyond chance")
    assert f"{expected.sample_size:,} pixels" in titles[1]
    drawn = [json.loads(chart.proto.spec)["data"][0] for chart in charts]
    assert all(curve["x"] == list(range(2, 13)) for curve in drawn)
    assert np.allclose(drawn[0]["y"], 100 * expected.inertia / expected.inertia[0], rtol=1e-9)
    assert np.allclose(drawn[1]["y"], expected.silhouette, rtol=1e-9)
    assert np.allclose(drawn[2]["y"], expected.gap, rtol=1e-9)
    gap_bars = drawn[2]["error_y"]["array"]
    assert np.allclose(gap_bars, expected.gap_se, rtol=1e-9)
    said = [m.value for m in at.markdown if " at k = " in m.value or "up to k = " in m.value]
    assert said == [
        f"**The error curve bends at k = {expected.suggested.elbow}**",
        f"**The colours are most distinct at k = {expected.suggested.silhouette}**",
        f"**The still holds clear structure up to k = {expected.suggested.gap}**",
    ]
    help_text = " ".join(caption.value for caption in at.caption)
    for name in ("elbow", "silhouette", "gap statistic", "1-SE rule"):
        assert name in help_text, "the technical names are in the help text"
    recommended = kc.recommend_k(expected.suggested)
    assert any(f"**About {recommended.k} colours**" in success.value for success in at.success)


def test_working_with_a_suggested_k_carries_over_to_the_palette_page():
    at = open_choose()
    label = at.button(key="use_silhouette").label
    k = int(label.rsplit("=", 1)[1])
    assert k != 8, "the test needs a k other than the default"
    at.button(key="use_silhouette").click().run()
    assert at.title[0].value == "Palette"
    assert widget(at.slider, "k, the number of colours").value == k
    still = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    assert swatch_hexes(at) == list(kc.extract_palette(still, k).hex)


def test_a_narrower_range_is_swept_with_the_sidebar_settings():
    at = open_choose()
    widget(at.radio, "Colour space").set_value("rgb").run()
    widget(at.slider, "Range of k").set_value((3, 7)).run()
    assert not at.exception
    still = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    expected = sweep_k(still, [3, 4, 5, 6, 7], space="rgb", seed=0, gap_refs=10, gap_reference="pca")
    said = [m.value for m in at.markdown if "up to k = " in m.value]
    assert said == [f"**The still holds clear structure up to k = {expected.suggested.gap}**"]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert list(spec["data"][0]["x"]) == [3, 4, 5, 6, 7]


def black_frame_with_specks() -> bytes:
    """Nearly all black, with five specks: the silhouette's sample sees only black."""
    frame = np.zeros((600, 600, 3), np.uint8)
    for (y, x), colour in zip(
        [(10, 10), (100, 150), (150, 30), (60, 60), (70, 70)],
        [(255, 255, 255), (250, 240, 230), (200, 200, 255), (20, 20, 20), (40, 10, 10)],
    ):
        frame[y, x] = colour
    buffer = io.BytesIO()
    Image.fromarray(frame).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_still_with_few_colours_sweeps_what_it_allows_and_says_no_pick():
    data = black_frame_with_specks()
    at = open_choose()
    at.file_uploader[0].set_value(("specks.png", data, "image/png")).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Choose k"
    infos = [info.value for info in at.info]
    assert "This still has 6 distinct colours, so the range stops at k=6." in infos
    expected = sweep_k(kc.load_still(data), list(range(2, 7)), gap_refs=10)
    assert expected.suggested.silhouette is None, "the frame must leave the silhouette without a pick"
    curves = [json.loads(chart.proto.spec)["data"][0] for chart in at.get("plotly_chart")[:3]]
    assert all(curve["x"] == [2, 3, 4, 5, 6] for curve in curves)
    assert "**No pick on this still**" in [m.value for m in at.markdown]
    assert "Analysing **specks\\.png**" in at.caption[0].value


def test_the_picked_palettes_show_as_strips_and_the_work_per_k_as_charts():
    at = open_choose()
    still = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    expected = sweep_k(still, list(range(2, 13)), gap_refs=10)
    picks = sorted({expected.suggested.elbow, expected.suggested.silhouette, expected.suggested.gap})
    assert strips(at) == [list(kc.extract_palette(still, k).hex) for k in picks]
    work = json.loads(at.get("plotly_chart")[3].proto.spec)["data"]
    assert work[0]["y"] == expected.n_iter.astype(float).tolist()
    assert work[0]["x"] == list(range(2, 13)) and len(work[1]["y"]) == 11


def test_a_dusk_frame_gets_the_same_recommendation_whatever_the_random_seed():
    from skimage import data

    from tests.test_choose_k_dark import graded

    buffer = io.BytesIO()
    Image.fromarray(graded(data.coffee(), "dusk")).save(buffer, "PNG")
    at = open_choose()
    at.file_uploader[0].set_value(("dusk.png", buffer.getvalue(), "image/png")).run()
    assert not at.exception, at.exception
    shown = []
    for seed in (0, 1, 4):
        widget(at.number_input, "Random seed").set_value(seed).run()
        assert not at.exception, at.exception
        shown.append([success.value for success in at.success if success.value.startswith("**About ")])
    assert shown[0] and shown[0] == shown[1] == shown[2], shown
