"""A shot's running colour sum gives exactly the colours and counts of a sort; the signature's cells."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data as skdata

from kmeans_core.film.cuts import cell_signature, colour_signature
from kmeans_core.film.framecount import RUNNING_LIMIT, FrameCounter, count_cells
from kmeans_core.film.shots import HistogramSum
from kmeans_core.histogram import count_packed, merge_packed, pack_rgb


def frames():
    rng = np.random.default_rng(7)
    yield "photo", skdata.astronaut()[::2, ::2]
    yield "noise", rng.integers(0, 256, (90, 160, 3), dtype=np.uint8)
    yield "few levels", (rng.integers(0, 3, (50, 70, 3)) * 127).astype(np.uint8)
    extremes = np.zeros((4, 4, 3), np.uint8)
    extremes[::2] = 255  # codes 0 and 2^24 - 1, the table's first and last bits
    yield "extremes", extremes
    yield "one pixel", np.array([[[1, 2, 3]]], np.uint8)


@pytest.mark.parametrize(("name", "pixels"), list(frames()))
def test_counts_equal_a_sort_of_the_packed_codes_in_any_box(name, pixels):
    counter = FrameCounter()  # one counter for every frame and box: each take leaves it clear
    h, w = pixels.shape[:2]
    for box in [(0, h, 0, w), (h // 4, h - h // 5, w // 3, w), (0, 1, 0, 1)]:
        top, bottom, left, right = box
        counter.add(pixels, box)
        assert counter.pixels == (bottom - top) * (right - left)
        codes, counts = counter.take()
        expected_codes, expected_counts = count_packed(pack_rgb(pixels[top:bottom, left:right]))
        np.testing.assert_array_equal(codes, expected_codes)
        np.testing.assert_array_equal(counts, expected_counts)
        assert codes.dtype == np.int32 and counts.dtype == np.int64 and counter.pixels == 0
        region = pixels[top:bottom, left:right].reshape(-1, 3).astype(np.int64)
        expected_cells = np.bincount(
            (region[:, 0] >> 5) * 64 + (region[:, 1] >> 5) * 8 + (region[:, 2] >> 5), minlength=512
        )
        np.testing.assert_array_equal(count_cells(pixels, box), expected_cells)


def test_a_running_sum_of_frames_equals_merging_their_sorted_histograms():
    counter = FrameCounter()
    shots = [list(frames())[:3], list(frames())[2:]]  # the second shot shares a frame with the first
    for shot in shots:
        for _, pixels in shot:
            counter.add(pixels)
        codes, counts = counter.take()
        expected = merge_packed(*zip(*[count_packed(pack_rgb(pixels)) for _, pixels in shot], strict=True))
        np.testing.assert_array_equal(codes, expected[0])
        np.testing.assert_array_equal(counts, expected[1])
    assert [len(x) for x in counter.take()] == [0, 0]  # taken: nothing is left for the next shot


def test_a_shot_too_long_for_one_running_sum_is_added_up_in_parts():
    pixels = [p for _, p in frames()][:3]
    boxes = [(0, p.shape[0], 0, p.shape[1]) for p in pixels]
    whole = HistogramSum(FrameCounter())
    parts = HistogramSum(FrameCounter(), limit=9_000)  # each frame of 90 x 160 or 256 x 256 sets the sum aside
    for frame, box in zip(pixels * 2, boxes * 2, strict=True):
        whole.add(frame, box)
        parts.add(frame, box)
    expected, got = whole.total(), parts.total()
    np.testing.assert_array_equal(got.colors, expected.colors)
    np.testing.assert_array_equal(got.counts, expected.counts)
    assert got.counts.sum() == 2 * sum(p.shape[0] * p.shape[1] for p in pixels)


def test_the_running_sum_refuses_more_than_int32_counts_can_hold_and_adding_up_while_it_is_open():
    counter = FrameCounter()
    counter.add(np.zeros((1, 1, 3), np.uint8))
    with pytest.raises(RuntimeError, match="take it before adding histograms up"):
        counter.add_up([np.array([5], np.int32)], [np.array([3], np.int64)])
    counter.pixels = RUNNING_LIMIT  # as after 37,000 frames of 320 x 180 in one shot
    with pytest.raises(OverflowError, match="take it before adding 2"):
        counter.add(np.zeros((1, 2, 3), np.uint8))


def test_signature_is_the_fraction_of_pixels_per_cell():
    pixels = np.zeros((2, 5, 3), np.uint8)
    pixels[0, :2] = (255, 0, 40)  # cell 7 * 64 + 0 + 1
    signature = colour_signature(pixels)
    assert signature.dtype == np.float32 and signature.shape == (512,)
    assert signature[0] == pytest.approx(0.8) and signature[7 * 64 + 1] == pytest.approx(0.2)
    assert signature.sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(cell_signature(count_cells(pixels)), signature)


def test_adding_histograms_up_equals_merging_them_by_sorting():
    counter = FrameCounter()
    histograms = [count_packed(pack_rgb(pixels)) for _, pixels in frames()] * 2  # every code repeats
    histograms.append((np.zeros(0, np.int32), np.zeros(0, np.int64)))  # an empty one
    codes, counts = counter.add_up([c for c, _ in histograms], [n for _, n in histograms])
    expected_codes, expected_counts = merge_packed([c for c, _ in histograms], [n for _, n in histograms])
    np.testing.assert_array_equal(codes, expected_codes)
    np.testing.assert_array_equal(counts, expected_counts)
    assert counts.dtype == np.int64 and counts.sum() == 2 * sum(p.shape[0] * p.shape[1] for _, p in frames())
    # And the tables are left clear: the next sum is not disturbed by this one.
    again, again_counts = counter.add_up([np.array([5], np.int32)], [np.array([3], np.int64)])
    assert again.tolist() == [5] and again_counts.tolist() == [3]
