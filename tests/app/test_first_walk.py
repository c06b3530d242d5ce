"""What a first-time director stumbles on, in AppTest: no dead ends, plain notices."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

import kmeans_core as kc
from tests.app.helpers import (
    SAMPLES,
    errors,
    open_app,
    open_page,
    open_with_seeds,
    strips,
    swatch_hexes,
    swatch_shares,
    widget,
)

K_LABEL = "k, the number of colours"


def png_bytes(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def two_colour_frame() -> np.ndarray:
    frame = np.zeros((60, 90, 3), np.uint8)
    frame[:, 45:] = (200, 40, 30)
    return frame


def upload(at, name: str, data: bytes):
    at.file_uploader[0].set_value((name, data, "image/png"))
    at.run()
    assert not at.exception, at.exception
    return at


def infos(at) -> list[str]:
    return [element.value.replace("\\", "") for element in at.info]


def test_the_home_page_says_what_to_do_first():
    at = open_app()
    assert at.caption[0].value == "Drop your own stills in the sidebar, or try the samples."


def test_the_uploader_states_each_limit_once():
    uploader = widget(open_app().file_uploader, "Add reference stills")
    words = f"{uploader.label} {uploader.proto.help}"
    assert words.count("64 megapixels") == 1 and words.count("100 MB") == 1, words
    assert uploader.proto.max_upload_size_mb == 100  # the dropzone's own hint says 100MB per file


def test_a_still_with_fewer_colours_than_k_shows_at_the_largest_k_it_allows():
    at = upload(open_app(), "two.png", png_bytes(two_colour_frame()))
    assert not errors(at)
    assert "This still has 2 distinct colours; showing k=2." in infos(at)
    assert sorted(swatch_hexes(at)) == ["#000000", "#C8281E"]
    assert swatch_shares(at) == ["50.0%", "50.0%"]
    assert len(at.get("image")) == 2, "the frame is shown, with its redrawn twin"


def test_small_shares_read_less_than_a_tenth_of_a_percent():
    assert kc.share_label(0.0) == "0.0%"
    assert kc.share_label(0.0004) == "<0.1%"
    assert kc.share_label(0.0005) == "0.1%"
    assert kc.share_label(0.3125) == "31.2%"
    frame = np.full((100, 100, 3), 240, np.uint8)
    frame[:60] = (20, 20, 20)
    frame[0, 0] = (0, 0, 255)  # one pixel in 10,000: 0.01% of the frame
    at = upload(open_app(), "speck.png", png_bytes(frame))
    widget(at.slider, K_LABEL).set_value(3).run()
    palette = kc.extract_palette(kc.load_still(png_bytes(frame)), 3)
    assert swatch_hexes(at) == list(palette.hex)
    assert swatch_shares(at) == [kc.share_label(share) for share in palette.shares]
    assert "<0.1%" in swatch_shares(at)


def test_a_change_of_order_shows_the_same_colours_reordered():
    at = open_app()
    by_share = swatch_hexes(at)
    widget(at.radio, "Order colours by").set_value("hue").run()
    still = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    assert swatch_hexes(at) == list(kc.extract_palette(still, 8, order="hue").hex)
    assert sorted(swatch_hexes(at)) == sorted(by_share)


def test_work_with_k_says_when_it_leaves_the_seed_colours():
    at = open_with_seeds("#000000, #FFFFFF, #C04020")
    at.switch_page("pages/1_Compare_k.py").run()
    widget(at.multiselect, "Values of k to compare").set_value([3, 5]).run()
    widget(at.button, "Work with k=5").click().run()
    assert at.title[0].value == "Palette"
    assert widget(at.radio, "Initializer").value == "k-means++"
    assert any("seed colours fix k at 3, so k=5 starts from k-means++" in text for text in infos(at)), infos(at)
    at.run()
    assert not any("seed colours" in text for text in infos(at)), "the notice is shown once"


def test_compare_k_shows_the_original_first_and_the_ks_in_order():
    at = open_page("pages/1_Compare_k.py", "Compare k")
    widget(at.multiselect, "Values of k to compare").set_value([12, 3, 7]).run()
    assert widget(at.multiselect, "Values of k to compare").value == [3, 7, 12]
    markdown = [element.value for element in at.markdown]
    assert markdown[:4] == ["**Original**", "**k = 3**", "**k = 7**", "**k = 12**"]
    still = kc.load_still((SAMPLES / "astronaut.jpg").read_bytes())
    assert strips(at) == [list(kc.extract_palette(still, k).hex) for k in (3, 7, 12)]


def test_compare_k_leaves_out_the_ks_a_still_cannot_have():
    at = upload(open_app(), "two.png", png_bytes(two_colour_frame()))
    at.switch_page("pages/1_Compare_k.py").run()
    assert not at.exception and not errors(at)
    assert any("has 2 distinct colours, so k = 3, 5, 8, 12 cannot be shown" in text for text in infos(at))
    assert strips(at) == []
