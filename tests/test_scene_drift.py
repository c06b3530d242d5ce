"""histogram_drift: per palette colour, CIEDE2000 to the CIELAB mean of its nearest pixels."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.color import deltaE_ciede2000, rgb2lab

from kmeans_core import Palette
from kmeans_core.scene import HistogramDrift, histogram_drift


def lab(rgb):
    return rgb2lab(np.asarray(rgb, np.float64).reshape(-1, 1, 3) / 255).reshape(-1, 3)


def test_drift_is_the_distance_to_the_mean_of_the_nearest_pixels():
    palette = Palette(
        rgb=np.array([[200, 30, 30], [30, 30, 200], [0, 255, 0]], np.uint8), shares=np.ones(3) / 3, inertia=0
    )
    colors = np.array([[210, 40, 20], [180, 20, 40], [40, 40, 220]], np.uint8)
    counts = np.array([3.0, 1.0, 4.0])
    result = histogram_drift(colors, counts, palette)
    assert isinstance(result, HistogramDrift)
    red_mean = (3 * lab(colors[0]) + lab(colors[1])) / 4
    expected_red = deltaE_ciede2000(lab(palette.rgb[0]), red_mean)[0]
    expected_blue = deltaE_ciede2000(lab(palette.rgb[1]), lab(colors[2]))[0]
    np.testing.assert_allclose(result.drift[:2], [expected_red, expected_blue], rtol=1e-12)
    assert np.isnan(result.drift[2])  # no pixel is nearest to green
    np.testing.assert_allclose(result.shares, [0.5, 0.5, 0.0])
    assert result.max_drift == pytest.approx(max(expected_red, expected_blue))


def test_a_histogram_of_the_palette_itself_has_no_drift():
    rgb = np.array([[10, 20, 30], [200, 100, 50]], np.uint8)
    palette = Palette(rgb=rgb, shares=np.array([0.5, 0.5]), inertia=0, space="rgb")
    result = histogram_drift(rgb, np.array([2, 6]), palette)
    np.testing.assert_allclose(result.drift, [0, 0], atol=1e-9)
    np.testing.assert_allclose(result.shares, [0.25, 0.75])


@pytest.mark.parametrize(
    "colors, counts, message",
    [
        (np.zeros((2, 3), np.float64), [1, 1], r"colors must be an \(m, 3\) uint8"),
        (np.zeros((2, 3), np.uint8), [1], r"counts has shape \(1,\)"),
        (np.zeros((1, 3), np.uint8), [0], r"weighs nothing"),
        (np.zeros((1, 3), np.uint8), [-1], r"non-negative"),
    ],
)
def test_bad_histograms_are_refused(colors, counts, message):
    palette = Palette(rgb=np.zeros((1, 3), np.uint8), shares=np.ones(1), inertia=0)
    with pytest.raises(ValueError, match=message):
        histogram_drift(colors, counts, palette)
