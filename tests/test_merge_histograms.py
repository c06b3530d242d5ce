"""merge_histograms: exact sums of histograms, by sorting and by the dense table."""

from __future__ import annotations

import numpy as np
import pytest

import kmeans_core.histogram as histogram_module
from kmeans_core import MergedHistogram, color_histogram, count_colors, merge_histograms


def noisy_frames(photo, n, seed=0):
    base = photo("astronaut", 96).astype(np.float64)
    rng = np.random.default_rng(seed)
    return [np.clip(base + rng.normal(0, 6, base.shape), 0, 255).astype(np.uint8) for _ in range(n)]


@pytest.mark.parametrize("dense", [False, True])
def test_merge_equals_the_histogram_of_the_concatenated_pixels(photo, monkeypatch, dense):
    if dense:  # force the dense table at this small size
        monkeypatch.setattr(histogram_module, "_MERGE_SORT_MAX_ENTRIES", 0)
    frames = noisy_frames(photo, 5)
    merged = merge_histograms([color_histogram(f) for f in frames])
    whole = color_histogram(np.concatenate(frames, axis=0))
    assert isinstance(merged, MergedHistogram)
    np.testing.assert_array_equal(merged.colors, whole.colors)
    np.testing.assert_array_equal(merged.counts, whole.counts)
    assert merged.counts.dtype == np.float64 and merged.n_pixels == sum(f.shape[0] * f.shape[1] for f in frames)


def test_merging_is_associative_and_takes_merged_histograms(photo):
    hists = [color_histogram(f) for f in noisy_frames(photo, 4, seed=1)]
    flat = merge_histograms(hists)
    tree = merge_histograms([merge_histograms(hists[:2]), merge_histograms(hists[2:])])
    np.testing.assert_array_equal(tree.colors, flat.colors)
    np.testing.assert_array_equal(tree.counts, flat.counts)


def test_weights_scale_each_histogram():
    a = color_histogram(np.array([[[0, 0, 0], [0, 0, 0], [9, 9, 9]]], dtype=np.uint8))
    b = color_histogram(np.array([[[9, 9, 9], [255, 0, 0]]], dtype=np.uint8))
    merged = merge_histograms([a, b], weights=[1 / 3, 1 / 2])
    assert merged.colors.tolist() == [[0, 0, 0], [9, 9, 9], [255, 0, 0]]
    np.testing.assert_allclose(merged.counts, [2 / 3, 1 / 3 + 1 / 2, 1 / 2])
    only_b = merge_histograms([a, b], weights=[0, 1])  # colours that weigh nothing are left out
    assert only_b.colors.tolist() == [[9, 9, 9], [255, 0, 0]]


@pytest.mark.parametrize(
    "histograms, weights, message",
    [
        ([], None, r"histograms is empty"),
        ([MergedHistogram(np.zeros((2, 3), np.uint8), np.ones(2))], None, r"distinct and in increasing"),
        ([MergedHistogram(np.zeros((1, 3), np.int64), np.ones(1))], None, r"histograms\[0\]\.colors must be"),
        ([MergedHistogram(np.zeros((1, 3), np.uint8), np.ones(2))], None, r"counts has shape \(2,\)"),
        ([MergedHistogram(np.zeros((1, 3), np.uint8), -np.ones(1))], None, r"non-negative"),
        ([MergedHistogram(np.zeros((1, 3), np.uint8), np.ones(1))], [1, 2], r"weights has shape \(2,\)"),
        ([MergedHistogram(np.zeros((1, 3), np.uint8), np.ones(1))], [-1], r"weights must be finite"),
    ],
)
def test_bad_input_is_refused(histograms, weights, message):
    with pytest.raises(ValueError, match=message):
        merge_histograms(histograms, weights=weights)


def test_count_colors_matches_color_histogram(photo):
    frame = noisy_frames(photo, 1)[0]
    counted, full = count_colors(frame), color_histogram(frame)
    np.testing.assert_array_equal(counted.colors, full.colors)
    np.testing.assert_array_equal(counted.counts, full.counts)
