"""frame_region: bars and a crop left out through the still's mask, so every function respects them."""

from __future__ import annotations

import numpy as np
import pytest

import kmeans_core as kc


@pytest.fixture
def letterboxed(photo):
    rng = np.random.default_rng(1)
    picture = np.array(photo("coffee", 200)[:120, :200])
    bar = lambda rows: rng.integers(0, 31, (rows, 200, 3))  # noqa: E731 - noisy near-black, as on film frames
    return kc.still_from_pixels(np.concatenate([bar(20), picture, bar(16)]).astype(np.uint8)), picture


def test_bars_are_left_out_of_the_histogram_with_a_note(letterboxed):
    still, picture = letterboxed
    framed = kc.frame_region(still)
    assert framed.histogram.n_pixels == picture.shape[0] * picture.shape[1]
    assert framed.notes[-1] == "Letterbox and borders left out: 20 rows at the top, 16 rows at the bottom."
    inside = kc.still_from_pixels(picture)
    assert np.array_equal(framed.histogram.colors, inside.histogram.colors)
    assert np.array_equal(kc.extract_palette(framed, 5).rgb, kc.extract_palette(inside, 5).rgb)
    # The redrawn frame leaves the bars as they were, and transparent.
    redrawn = kc.quantize(framed, kc.extract_palette(framed, 5))
    assert np.array_equal(redrawn[:20, :, :3], still.pixels[:20]) and (redrawn[:20, :, 3] == 0).all()


def test_keep_borders_and_a_full_bleed_frame_change_nothing(letterboxed, photo):
    still, _ = letterboxed
    assert kc.frame_region(still, keep_borders=True) is still
    full = kc.still_from_pixels(np.ascontiguousarray(photo("astronaut", 160)))
    assert kc.frame_region(full) is full


def test_a_crop_limits_the_palette_to_the_region(photo):
    pixels = np.ascontiguousarray(photo("chelsea", 200))
    still = kc.still_from_pixels(pixels)
    cropped = kc.frame_region(still, crop=(10, 20, 110, 80))
    region = kc.still_from_pixels(np.ascontiguousarray(pixels[20:80, 10:110]))
    assert cropped.histogram.n_pixels == 100 * 60
    assert np.array_equal(cropped.histogram.counts, region.histogram.counts)
    assert kc.extract_palette(cropped, 4).hex == kc.extract_palette(region, 4).hex
    assert "Cropped to x 10–110, y 20–80 (100 x 60 pixels)." in cropped.notes
    assert kc.frame_region(still, crop=(0, 0, still.shape[1], still.shape[0])) is still


def test_crop_and_bars_together(letterboxed):
    still, picture = letterboxed
    both = kc.frame_region(still, crop=(0, 0, 100, 40))  # rows 20..39 are picture
    assert both.histogram.n_pixels == 20 * 100


@pytest.mark.parametrize(
    "crop, match",
    [
        ((0, 0, 0, 10), r"0 <= x0 < x1 <= 200"),
        ((0, 0, 10, 999), r"y1 <= 156"),
        ((1, 2, 3), r"four whole numbers"),
        ((0.5, 0, 10, 10), r"four whole numbers"),
    ],
)
def test_bad_crops_are_refused(letterboxed, crop, match):
    with pytest.raises(ValueError, match=match):
        kc.frame_region(letterboxed[0], crop=crop)


def test_a_crop_inside_the_bars_leaves_nothing(letterboxed):
    with pytest.raises(ValueError, match="leaves no counted pixel"):
        kc.frame_region(letterboxed[0], crop=(0, 0, 50, 10))
