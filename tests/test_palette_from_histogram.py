"""palette_from_histogram: the palette of any histogram, and extract_palette delegating to it."""

from __future__ import annotations

import numpy as np
import pytest

from kmeans_core import extract_palette, palette_from_histogram


@pytest.mark.parametrize(
    "options", [{}, {"space": "rgb", "refine": "none"}, {"init": "random", "seed": 3, "order": "hue"}]
)
def test_same_palette_as_extract_palette(small_still, options):
    hist = small_still.histogram
    a = extract_palette(small_still, 6, **options)
    b = palette_from_histogram(hist.colors, hist.counts, 6, **options)
    np.testing.assert_array_equal(a.rgb, b.rgb)
    np.testing.assert_array_equal(a.shares, b.shares)
    assert (a.inertia, a.space, a.init, a.seed, a.order, a.refine) == (
        b.inertia,
        b.space,
        b.init,
        b.seed,
        b.order,
        b.refine,
    )


def test_float_weights_and_zero_weights(small_still):
    hist = small_still.histogram
    doubled = palette_from_histogram(hist.colors, 2.0 * hist.counts, 5)
    np.testing.assert_array_equal(doubled.rgb, palette_from_histogram(hist.colors, hist.counts, 5).rgb)
    colors = np.array([[0, 0, 0], [255, 255, 255], [255, 0, 0]], np.uint8)
    two = palette_from_histogram(colors, [1.0, 3.0, 0.0], 2, refine="none")
    assert sorted(two.rgb.tolist()) == [[0, 0, 0], [255, 255, 255]]
    np.testing.assert_allclose(sorted(two.shares), [0.25, 0.75])


@pytest.mark.parametrize(
    "colors, counts, k, message",
    [
        (np.array([[0, 0, 0], [1, 1, 1]], np.uint8), [1, 0], 2, r"^k=2 but this histogram has only 1 distinct colour$"),
        (np.zeros((2, 3), np.int32), [1, 1], 1, r"colors must be an \(m, 3\) uint8 array"),
        (np.zeros((2, 3), np.uint8), [1], 1, r"counts has shape \(1,\) but there are 2 colours"),
        (np.zeros((1, 3), np.uint8), [np.nan], 1, r"counts must be finite"),
        (np.zeros((1, 3), np.uint8), [1], 0, r"k=0 must be an integer >= 1"),
    ],
)
def test_bad_input_is_refused(colors, counts, k, message):
    with pytest.raises(ValueError, match=message):
        palette_from_histogram(colors, counts, k)
