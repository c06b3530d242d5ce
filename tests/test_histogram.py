"""The colour histogram against NumPy's sort-based reference, whatever the threads."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from kmeans_core import color_histogram, pack_rgb, threads


def reference(pixels, mask=None):
    """(packed colours, counts, inverse) by np.unique over the counted pixels."""
    codes = pack_rgb(np.asarray(pixels).reshape(-1, 3))
    keep = np.ones(len(codes), bool) if mask is None else np.asarray(mask).reshape(-1)
    present, inverse, counts = np.unique(codes[keep], return_inverse=True, return_counts=True)
    full = np.full(len(codes), -1)
    full[keep] = inverse.reshape(-1)
    return present, counts, full


def assert_matches(hist, pixels, mask=None):
    present, counts, inverse = reference(pixels, mask)
    np.testing.assert_array_equal(pack_rgb(hist.colors), present)
    np.testing.assert_array_equal(hist.counts, counts)
    np.testing.assert_array_equal(hist.inverse, inverse)
    assert hist.inverse.dtype == np.int32 and hist.counts.dtype == np.int64


@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_a_photo_with_and_without_a_mask_whatever_the_threads(monkeypatch, n_threads):
    monkeypatch.setattr(threads, "_THREADS", n_threads)
    pixels = np.tile(data.astronaut(), (1, 2, 1))  # 524,288 pixels: split across threads
    assert pixels.shape[0] * pixels.shape[1] > 2 * threads._PARALLEL_MIN_ROWS
    assert_matches(color_histogram(pixels), pixels)
    mask = np.random.default_rng(0).random(pixels.shape[:2]) > 0.4
    assert_matches(color_histogram(pixels, mask), pixels, mask)


def test_every_code_value_of_each_channel_and_the_corners_of_the_cube():
    ramp = np.arange(256, dtype=np.uint8)
    pixels = np.concatenate(
        [
            np.stack([ramp, np.zeros_like(ramp), np.zeros_like(ramp)], axis=1),
            np.stack([np.zeros_like(ramp), ramp, ramp[::-1]], axis=1),
            np.array([[255, 255, 255], [0, 0, 0], [255, 0, 255], [0, 0, 0]], dtype=np.uint8),
        ]
    )
    hist = color_histogram(pixels)
    assert_matches(hist, pixels)
    assert hist.counts[0] == 3  # black: twice at the corners and once on the red ramp


def test_a_view_that_is_not_contiguous_and_a_single_pixel():
    photo = data.coffee()
    view = photo[::3, ::2]
    assert not view.flags.c_contiguous
    assert_matches(color_histogram(view), view)
    one = np.array([[[12, 34, 56]]], dtype=np.uint8)
    hist = color_histogram(one)
    assert hist.colors.tolist() == [[12, 34, 56]] and hist.counts.tolist() == [1] and hist.inverse.tolist() == [0]


def test_a_mask_that_hides_every_pixel_gives_an_empty_histogram():
    pixels = data.chelsea()
    hist = color_histogram(pixels, np.zeros(pixels.shape[:2], bool))
    assert hist.colors.shape == (0, 3) and hist.counts.shape == (0,)
    assert (hist.inverse == -1).all()
