"""Coarse-to-fine starts: pooling on 5-bit cells, and the palette they lead to."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from kmeans_core import COARSE_ABOVE, extract_palette, kmeans, pool_on_cells, rgb_to_space, still_from_pixels


@pytest.fixture(scope="module")
def astronaut():
    still = still_from_pixels(data.astronaut())
    assert still.n_colors > COARSE_ABOVE
    return still


def test_each_cell_is_the_weighted_mean_of_its_colours(astronaut):
    hist = astronaut.histogram
    X = rgb_to_space(hist.colors, "lab")
    points, weights = pool_on_cells(hist.colors, X, hist.counts.astype(float))
    cells = [tuple(c) for c in (hist.colors >> 3)]
    order = sorted(set(cells))
    assert len(points) == len(order) < len(X) // 5
    index = {cell: i for i, cell in enumerate(order)}
    rows = np.array([index[c] for c in cells])
    expected_w = np.bincount(rows, weights=hist.counts)
    expected = np.stack([np.bincount(rows, weights=hist.counts * X[:, j]) for j in range(3)], 1) / expected_w[:, None]
    np.testing.assert_array_equal(weights, expected_w)
    np.testing.assert_allclose(points, expected, rtol=1e-12, atol=1e-9)
    assert weights.sum() == hist.counts.sum()


def test_the_palette_is_lloyd_on_every_colour_from_the_pooled_fit(astronaut):
    hist = astronaut.histogram
    X = rgb_to_space(hist.colors, "lab")
    points, weights = pool_on_cells(hist.colors, X, hist.counts.astype(float))
    rough = kmeans(points, 8, sample_weight=weights, seed=3)
    expected = kmeans(X, 8, sample_weight=hist.counts, init=rough.centers)
    palette = extract_palette(astronaut, 8, seed=3, refine="none")
    assert palette.inertia == expected.inertia
    # Converged on every colour: Lloyd from the palette's own centres gains almost nothing.
    again = kmeans(X, 8, sample_weight=hist.counts, init=expected.centers, tol=0)
    assert again.inertia <= expected.inertia
    assert again.inertia == pytest.approx(expected.inertia, rel=1e-3)


def test_as_good_as_kmeans_from_the_full_histogram_over_seeds(astronaut):
    hist = astronaut.histogram
    X = rgb_to_space(hist.colors, "lab")
    for k in (4, 8, 16):
        coarse = np.mean([extract_palette(astronaut, k, seed=s, refine="none").inertia for s in range(4)])
        full = np.mean([kmeans(X, k, sample_weight=hist.counts, seed=s).inertia for s in range(4)])
        assert coarse <= 1.03 * full, (k, coarse / full)
