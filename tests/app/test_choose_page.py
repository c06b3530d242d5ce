"""The Choose k page in AppTest: three charts, suggested k, and handing k over."""

from __future__ import annotations

import json

import numpy as np

import kmeans_core as kc
from kmeans_core.choose_k import sweep_k
from tests.app.helpers import SAMPLES, open_page, swatch_hexes, widget


def open_choose():
    return open_page("pages/2_Choose_k.py", "Choose k", timeout=180)


def test_three_charts_with_the_suggested_k_of_each_rule():
    at = open_choose()
    still = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    expected = sweep_k(
        still, list(range(2, 13)), space="lab", init="k-means++", seed=0, gap_refs=10, gap_reference="pca"
    )
    charts = at.get("plotly_chart")
    assert len(charts) == 3
    titles = [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in charts]
    assert titles[0].startswith("Elbow") and titles[1].startswith("Silhouette") and titles[2].startswith("Gap")
    assert f"{expected.sample_size:,} pixels" in titles[1]
    for chart, field in zip(charts, ("inertia", "silhouette", "gap")):
        drawn = json.loads(chart.proto.spec)["data"][0]
        assert drawn["x"] == list(range(2, 13))
        assert np.allclose(drawn["y"], getattr(expected, field), rtol=1e-9)
    gap_bars = json.loads(charts[2].proto.spec)["data"][0]["error_y"]["array"]
    assert np.allclose(gap_bars, expected.gap_se, rtol=1e-9)
    said = [m.value for m in at.markdown if "suggests" in m.value]
    assert said == [
        f"**Elbow suggests k = {expected.suggested.elbow}**",
        f"**Silhouette suggests k = {expected.suggested.silhouette}**",
        f"**Gap suggests k = {expected.suggested.gap}**",
    ]


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
    said = [m.value for m in at.markdown if "suggests" in m.value]
    assert said[2] == f"**Gap suggests k = {expected.suggested.gap}**"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert list(spec["data"][0]["x"]) == [3, 4, 5, 6, 7]
