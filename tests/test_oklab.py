"""OKLab: our conversion against Ottosson's published values and colour-science,
round trips, and the new space wherever a space is taken."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from kmeans_core import (
    DEFAULT_BIN_WIDTH,
    SPACES,
    extract_palette,
    linear_to_srgb,
    oklab_to_srgb,
    palette_labels,
    quantize,
    rgb_to_space,
    space_to_rgb,
    srgb_to_linear,
    srgb_to_oklab,
    still_from_pixels,
    sweep_k,
)
from tests.colour_science import colour


def random_colors(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(n, 3), dtype=np.uint8)


def test_oklab_is_a_space():
    assert "oklab" in SPACES
    assert DEFAULT_BIN_WIDTH["oklab"] == pytest.approx(DEFAULT_BIN_WIDTH["lab"] / 100)


@pytest.mark.parametrize(
    "rgb, expected",
    [
        ((1.0, 1.0, 1.0), (1.0, 0.0, 0.0)),
        ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),
        # CSS Color 4 lists sRGB red, green and blue in OKLab as these.
        ((1.0, 0.0, 0.0), (0.627955, 0.224863, 0.125846)),
        ((0.0, 1.0, 0.0), (0.866440, -0.233888, 0.179498)),
        ((0.0, 0.0, 1.0), (0.452014, -0.032457, -0.311528)),
    ],
)
def test_known_values(rgb, expected):
    np.testing.assert_allclose(srgb_to_oklab(np.array([rgb]))[0], expected, atol=1e-4)


def test_agrees_with_colour_science():
    colors = random_colors(2000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = colour.convert(colors / 255.0, "sRGB", "Oklab")
    ours = rgb_to_space(colors, "oklab")
    # colour-science goes through CIE XYZ with its own matrices: about 1e-4 apart.
    np.testing.assert_allclose(ours, theirs, atol=3e-4)


def test_every_8_bit_colour_of_a_sample_round_trips_exactly():
    colors = random_colors(20000, seed=1)
    np.testing.assert_array_equal(space_to_rgb(rgb_to_space(colors, "oklab"), "oklab"), colors)
    unit = np.random.default_rng(2).random((500, 3))
    np.testing.assert_allclose(oklab_to_srgb(srgb_to_oklab(unit)), unit, atol=1e-9)


def test_srgb_transfer_curve():
    # 0.5 encoded is 0.2140 linear; the straight segment near black is x / 12.92.
    np.testing.assert_allclose(srgb_to_linear([0.5, 0.02, 1.0, 0.0]), [0.214041, 0.02 / 12.92, 1.0, 0.0], atol=1e-6)
    values = np.linspace(-0.2, 1.2, 1001)
    np.testing.assert_allclose(linear_to_srgb(srgb_to_linear(values)), values, atol=1e-12)


def test_out_of_gamut_points_clip_back_into_srgb():
    points = np.array([[1.2, 0.0, 0.0], [-0.1, 0.0, 0.0]])
    np.testing.assert_array_equal(space_to_rgb(points, "oklab"), [[255] * 3, [0] * 3])


@pytest.fixture(scope="module")
def still(photo):
    return still_from_pixels(np.ascontiguousarray(photo("coffee", 48)))


def test_palette_labels_are_nearest_in_oklab(still):
    colors = still.histogram.colors
    palette = extract_palette(still, 6, space="oklab")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        points = colour.convert(colors / 255.0, "sRGB", "Oklab")
        centres = colour.convert(palette.rgb / 255.0, "sRGB", "Oklab")
    distances = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    ordered = np.sort(distances, axis=1)
    clear = ordered[:, 1] - ordered[:, 0] > 1e-6  # colour-science's matrices differ in the 4th decimal
    labels = palette_labels(colors, palette.rgb, "oklab")
    np.testing.assert_array_equal(labels[clear], distances.argmin(axis=1)[clear])
    frame = quantize(still, palette)
    assert {tuple(c) for c in frame.reshape(-1, 3)} <= {tuple(c) for c in palette.rgb.tolist()}


def test_oklab_palette_is_kmeans_in_oklab_and_its_median_steps_move_it(still):
    plain = extract_palette(still, 6, space="oklab", refine="none")
    refined = extract_palette(still, 6, space="oklab")
    assert plain.space == refined.space == "oklab"
    # In OKLab units the Weiszfeld floor is 0.005, not CIELAB's 0.5: the steps do move the colours.
    assert not np.array_equal(np.sort(plain.rgb, axis=0), np.sort(refined.rgb, axis=0))
    assert refined.inertia >= plain.inertia * 0.999  # k-means has the lowest squared error


def test_sweep_k_in_oklab(still):
    sweep = sweep_k(still, [2, 3, 4], space="oklab", gap_refs=2, seed=0)
    assert sweep.space == "oklab"
    assert np.all(np.diff(sweep.inertia) < 0)
