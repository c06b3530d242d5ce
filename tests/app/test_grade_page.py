"""The Grade page in AppTest: the palette's LUT on the still, across the library, and as a .cube."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

import kmeans_core as kc
from tests.app.helpers import SAMPLES, RecordingStorage, downloaded, open_page, widget


def open_grade():
    return open_page("pages/4_Grade.py", "Grade")


def shown_images(at) -> dict[str, np.ndarray]:
    """Each image on the page by its caption, decoded from what the browser is sent."""
    images = {}
    for element in at.get("image"):
        for image in element.proto.imgs:
            file_id = image.url.rsplit("/", 1)[-1].split(".")[0]
            content, _ = RecordingStorage.files[file_id]
            images[image.caption] = np.asarray(Image.open(io.BytesIO(content)).convert("RGB"))
    return images


def sample(name: str = "astronaut.jpg") -> kc.Still:
    return kc.load_still((SAMPLES / name).read_bytes())


def test_the_still_graded_by_the_palette_lut_beside_the_original_and_the_redrawn_frame(recorded_downloads):
    at = open_grade()
    still = sample()
    palette = kc.extract_palette(still, 8)
    lut = kc.palette_lut(palette)
    images = shown_images(at)
    assert np.array_equal(images["Original"], still.pixels)
    assert np.array_equal(images["Redrawn with 8 colours"], kc.quantize(still, palette))
    assert np.array_equal(images["Graded by the LUT, strength 1.00"], kc.apply_lut(still.pixels, lut))
    others = {"chelsea\\.jpg": "chelsea.jpg", "coffee\\.jpg": "coffee.jpg", "rocket\\.jpg": "rocket.jpg"}
    for caption, name in others.items():
        assert np.array_equal(images[caption], kc.apply_lut(sample(name).pixels, lut)), name


def test_the_cube_download_is_the_lut_of_the_settings_shown(recorded_downloads):
    at = open_grade()
    widget(at.slider, "Strength").set_value(0.6).run()
    widget(at.selectbox, "LUT size").set_value(17).run()
    widget(at.toggle, "Keep lightness").set_value(True).run()
    content, name = downloaded(at, "Download the LUT (.cube)")
    palette = kc.extract_palette(sample(), 8)
    expected = kc.palette_cube(palette, size=17, strength=0.6, preserve_lightness=True, name="astronaut.jpg")
    assert content.decode() == expected
    assert name == "astronaut_k8_strength60.cube"
    assert "LUT_3D_SIZE 17" in content.decode()


def test_strength_zero_leaves_the_still_as_it_is(recorded_downloads):
    at = open_grade()
    widget(at.slider, "Strength").set_value(0.0).run()
    images = shown_images(at)
    assert np.array_equal(images["Graded by the LUT, strength 0.00"], sample().pixels)
