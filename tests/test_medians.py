"""Median refinement: Weiszfeld steps after k-means, and what they buy."""

import numpy as np
import pytest

import kmeans_core as kc
from kmeans_core.colorspace import rgb_to_space
from kmeans_core.medians import refine_to_medians
from kmeans_core.palette import MEDIAN_STEPS


def weiszfeld_by_loops(X, w, centers, n_iter):
    """One point and one cluster at a time, as the textbook states it."""
    centers = [np.array(c, float) for c in centers]
    for _ in range(n_iter):
        groups = [[] for _ in centers]
        for x, weight in zip(X, w):
            nearest = min(range(len(centers)), key=lambda j: (float(((x - centers[j]) ** 2).sum()), j))
            groups[nearest].append((x, weight))
        for j, members in enumerate(groups):
            if members:
                pulls = [weight / max(np.sqrt(((x - centers[j]) ** 2).sum()), 0.5) for x, weight in members]
                centers[j] = sum(p * x for p, (x, _) in zip(pulls, members)) / sum(pulls)
    return np.array(centers)


def test_matches_the_textbook_loop():
    rng = np.random.default_rng(3)
    X = np.concatenate([rng.normal(0, 3, (40, 3)), rng.normal(20, 5, (60, 3)), [[80.0, 80, 80]]])
    w = rng.integers(1, 9, len(X)).astype(float)
    start = np.array([[1.0, 0, 0], [25.0, 25, 25]])
    np.testing.assert_allclose(
        refine_to_medians(X, start, sample_weight=w, n_iter=6), weiszfeld_by_loops(X, w, start, 6), rtol=1e-12
    )


def test_a_median_ignores_an_outlier_a_mean_follows():
    X = np.array([[0.0, 0, 0], [1.0, 0, 0], [2.0, 0, 0], [100.0, 0, 0]])
    mean = X.mean(axis=0)
    median = refine_to_medians(X, [mean], n_iter=50)[0]
    assert abs(median[0] - 1.0) < 0.6 and abs(mean[0] - 25.75) < 1e-12


def test_zero_steps_and_empty_clusters_leave_centres_alone():
    X = np.array([[0.0, 0, 0], [1.0, 1, 1]])
    start = np.array([[0.0, 0, 0], [50.0, 50, 50], [1.0, 1, 1]])
    np.testing.assert_array_equal(refine_to_medians(X, start, n_iter=0), start)
    np.testing.assert_array_equal(refine_to_medians(X, start, n_iter=3)[1], [50.0, 50, 50])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_iter": -1}, "n_iter=-1 must be an integer >= 0"),
        ({"n_iter": 2.5}, "n_iter=2.5 must be"),
        ({"sample_weight": [1.0, -1.0]}, "sample_weight must be finite and >= 0; the smallest is -1.0"),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        refine_to_medians(np.zeros((2, 3)), np.zeros((1, 3)), **kwargs)


def test_shape_mismatch():
    with pytest.raises(ValueError, match=r"shape \(2, 3\) and centers of shape \(1, 2\)"):
        refine_to_medians(np.zeros((2, 3)), np.zeros((1, 2)))


@pytest.mark.parametrize("name", ["astronaut", "coffee", "chelsea", "rocket"])
def test_the_default_palette_is_the_refined_one_and_redraws_closer(name, photo):
    still = kc.still_from_pixels(photo(name, 256))
    kmeans_only = kc.extract_palette(still, 8, refine="none")
    refined = kc.extract_palette(still, 8)
    assert refined.refine == "median" and kmeans_only.refine == "none"
    X = rgb_to_space(still.histogram.colors, "lab")
    kmeans_centres = rgb_to_space(kmeans_only.rgb, "lab")
    moved = refine_to_medians(X, kmeans_centres, sample_weight=still.histogram.counts, n_iter=MEDIAN_STEPS)
    # Refining moves the colours: eight distinct colours, not all of them the k-means ones.
    assert len(set(refined.hex)) == 8
    assert set(refined.hex) != set(kmeans_only.hex)
    error_before = kc.delta_e(still, kc.quantize(still, kmeans_only)).mean
    error_after = kc.delta_e(still, kc.quantize(still, refined)).mean
    assert error_after < error_before
    # The refined colours are the k-means colours moved MEDIAN_STEPS times (up to 8-bit rounding),
    # compared colour by colour: each refined colour has its own nearest moved colour, within 1.5.
    lab = rgb_to_space(refined.rgb, "lab")
    distance = np.sqrt(((lab[:, None, :] - moved[None, :, :]) ** 2).sum(axis=2))
    nearest = distance.argmin(axis=1)
    assert sorted(nearest.tolist()) == list(range(8))
    assert distance[np.arange(8), nearest].max() < 1.5
