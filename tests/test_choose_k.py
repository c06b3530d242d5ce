"""Tests of choosing k: silhouette, gap statistic, elbow, and the sweep."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import silhouette_score

from kmeans_core import (
    KSweep,
    elbow_k,
    gap_k,
    gap_statistic,
    kmeans,
    nearest_centers,
    silhouette_k,
    still_from_pixels,
    sweep_k,
    sweep_points,
    weighted_silhouette,
)
from kmeans_core.choose_k import Recommendation, SuggestedK, recommend_k

# --- synthetic data ---------------------------------------------------------

BLOB_CENTERS = np.array([[25.0, 10.0, -30.0], [45.0, -40.0, 35.0], [70.0, 30.0, 20.0], [85.0, -5.0, -45.0]])


def blobs(n_per=150, scale=3.0, seed=0):
    """Four well-separated Gaussian blobs in a Lab-like space."""
    rng = np.random.default_rng(seed)
    X = np.vstack([c + rng.normal(scale=scale, size=(n_per, 3)) for c in BLOB_CENTERS])
    return X, np.repeat(np.arange(4), n_per)


def weighted_blobs(seed=0):
    """Blobs as a histogram: distinct points with integer counts."""
    X, _ = blobs(n_per=60, seed=seed)
    counts = np.random.default_rng(seed + 1).integers(1, 40, size=len(X))
    return X, counts


# --- weighted silhouette ----------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n_clusters", [2, 3, 5])
def test_silhouette_matches_sklearn(seed, n_clusters):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(120, 3)) * [10, 5, 1]
    labels = kmeans(X, n_clusters, seed=seed).labels
    assert weighted_silhouette(X, labels) == pytest.approx(silhouette_score(X, labels), abs=1e-9)


def test_silhouette_matches_sklearn_on_arbitrary_labels_with_singletons():
    rng = np.random.default_rng(3)
    X = rng.uniform(0, 100, size=(60, 2))
    labels = rng.integers(0, 4, size=60)
    labels[7] = 9  # a singleton cluster scores 0
    labels[8] = 12  # label values need not be contiguous
    assert weighted_silhouette(X, labels) == pytest.approx(silhouette_score(X, labels), abs=1e-9)


def test_weighted_silhouette_equals_expanded_points():
    X, counts = weighted_blobs()
    labels = kmeans(X, 4, sample_weight=counts, seed=0).labels
    # A cluster of one colour that covers 3 pixels (silhouette 1 on every copy)
    # and one of a single pixel (silhouette 0).
    X = np.vstack([X, [[0.0, 90.0, 90.0]], [[100.0, 90.0, -90.0]]])
    labels = np.concatenate([labels, [4, 5]])
    counts = np.concatenate([counts, [3, 1]])
    expanded = np.repeat(X, counts, axis=0)
    expected = silhouette_score(expanded, np.repeat(labels, counts))
    assert weighted_silhouette(X, labels, sample_weight=counts) == pytest.approx(expected, abs=1e-9)


def test_weighted_silhouette_ignores_zero_weight_points():
    X, counts = weighted_blobs()
    labels = kmeans(X, 4, sample_weight=counts, seed=0).labels
    base = weighted_silhouette(X, labels, sample_weight=counts)
    X2 = np.vstack([X, [[500.0, 500.0, 500.0]]])
    assert weighted_silhouette(X2, np.append(labels, 7), sample_weight=np.append(counts, 0)) == pytest.approx(base)


def test_sweep_silhouette_on_every_pixel_equals_sklearn_on_expanded_pixels():
    rng = np.random.default_rng(5)
    palette = rng.integers(0, 256, size=(5, 3))
    pixels = np.clip(palette[rng.integers(0, 5, size=(24, 20))] + rng.integers(-6, 7, size=(24, 20, 3)), 0, 255)
    still = still_from_pixels(pixels.astype(np.uint8))
    sweep = sweep_k(still, [1, 2, 3, 5], silhouette_sample=None, gap_refs=2, bin_width=None, seed=1)
    assert sweep.sample_size == 24 * 20
    assert np.isnan(sweep.silhouette[0])  # k = 1: undefined
    from kmeans_core import rgb_to_space

    hist = still.histogram
    X = rgb_to_space(hist.colors, "lab")
    expanded = np.repeat(X, hist.counts, axis=0)
    for i, k in enumerate(sweep.ks[1:], start=1):
        labels, _ = nearest_centers(X, sweep.centers[i])
        expected = silhouette_score(expanded, np.repeat(labels, hist.counts))
        assert sweep.silhouette[i] == pytest.approx(expected, abs=1e-9), k


@pytest.mark.parametrize("seed", [0, 1])
def test_silhouette_sample_estimates_the_weighted_silhouette(seed):
    # A tight colour covering most pixels, and many scattered colours of one
    # pixel each: the weighted silhouette is far from the unweighted one.
    rng = np.random.default_rng(seed)
    tight = BLOB_CENTERS[0] + rng.normal(scale=1.0, size=(40, 3))
    loose = np.vstack([c + rng.normal(scale=12.0, size=(300, 3)) for c in BLOB_CENTERS[1:3]])
    X = np.vstack([tight, loose])
    counts = np.concatenate([np.full(40, 2000), np.ones(600, dtype=int)])
    full = sweep_points(X, [2, 3, 5], sample_weight=counts, silhouette_sample=None, gap_refs=0, seed=seed)
    sampled = sweep_points(X, [2, 3, 5], sample_weight=counts, silhouette_sample=800, gap_refs=0, seed=seed)
    unweighted = sweep_points(X, [2, 3, 5], silhouette_sample=None, gap_refs=0, seed=seed)
    assert sampled.sample_size == 800
    assert abs(full.silhouette[0] - unweighted.silhouette[0]) > 0.2
    np.testing.assert_allclose(sampled.silhouette, full.silhouette, atol=0.02)


# --- the rules on synthetic data --------------------------------------------


@pytest.mark.parametrize("reference", ["box", "pca"])
def test_blobs_every_rule_picks_four(reference):
    X, _ = blobs()
    sweep = sweep_points(X, range(1, 9), gap_reference=reference, seed=0)
    assert sweep.suggested == SuggestedK(elbow=4, silhouette=4, gap=4)
    assert sweep.gap[3] > sweep.gap[2] + 1.0


def test_weighted_blobs_every_rule_picks_four():
    X, counts = weighted_blobs()
    sweep = sweep_points(X, range(2, 9), sample_weight=counts, seed=0)
    assert sweep.suggested == SuggestedK(elbow=4, silhouette=4, gap=4)


@pytest.mark.parametrize("ks", [range(1, 7), range(2, 7), [3, 5, 8]])
@pytest.mark.parametrize("reference", ["box", "pca"])
def test_gap_on_uniform_data_picks_the_smallest_k(ks, reference):
    # Unequal sides, so that the principal axes are the box's own.
    X = np.random.default_rng(7).uniform(0, [100, 50, 20], size=(3000, 3))
    gap, gap_se = gap_statistic(X, ks, reference=reference, seed=0)
    assert gap_k(ks, gap, gap_se) == list(ks)[0]
    assert np.all(np.abs(gap) < 0.1)


def test_gap_statistic_agrees_with_the_sweep():
    X, counts = weighted_blobs()
    gap, gap_se = gap_statistic(X, range(2, 7), sample_weight=counts, n_refs=5, seed=3)
    sweep = sweep_points(X, range(2, 7), sample_weight=counts, gap_refs=5, seed=3)
    np.testing.assert_array_equal(gap, sweep.gap)
    np.testing.assert_array_equal(gap_se, sweep.gap_se)
    assert np.all(gap_se > 0)


def test_gap_is_the_difference_of_log_w_and_s_follows_tibshirani():
    X, _ = blobs()
    sweep = sweep_points(X, range(1, 6), gap_refs=7, seed=0)
    assert sweep.ref_log_w_sets.shape == (7, 5)
    np.testing.assert_allclose(sweep.ref_log_w, sweep.ref_log_w_sets.mean(axis=0))
    np.testing.assert_allclose(sweep.gap, sweep.ref_log_w - sweep.log_w)
    np.testing.assert_allclose(sweep.log_w, np.log(sweep.inertia / len(X)))
    # s(k) = sd_k * sqrt(1 + 1/B), sd_k from the variance inside each set, averaged over the sets.
    assert sweep.ref_log_w_var.shape == (7, 5) and (sweep.ref_log_w_var > 0).all()
    np.testing.assert_allclose(sweep.gap_se, np.sqrt(sweep.ref_log_w_var.mean(axis=0) * (1 + 1 / 7)))


def test_reference_log_w_matches_uniform_theory():
    # Uniform on a segment of length L split into k equal cells: W/n = L^2 / (12 k^2).
    X = np.linspace(0.0, 120.0, 2000)[:, None]
    sweep = sweep_points(X, [1, 2, 4], gap_refs=5, gap_reference="box", silhouette_sample=100, seed=0)
    expected = np.log(120.0**2 / (12 * np.array([1, 2, 4]) ** 2))
    np.testing.assert_allclose(sweep.log_w, expected, atol=5e-3)
    np.testing.assert_allclose(sweep.ref_log_w, expected, atol=0.1)
    # Inside a cell of half-width h the squared distance is h^2 U^2 (U uniform on [0, 1]): its variance over
    # its squared mean is (1/5 - 1/9) / (1/3)^2 = 0.8, so var(log W*) = 0.8 / n for every k.
    np.testing.assert_allclose(sweep.ref_log_w_var, 0.8 / sweep.gap_ref_size, rtol=0.2)


def test_gap_is_the_same_whatever_the_scale_of_the_weights():
    X, counts = weighted_blobs()
    one = sweep_points(X, range(2, 6), sample_weight=counts, gap_refs=4, silhouette_sample=None, seed=0)
    many = sweep_points(X, range(2, 6), sample_weight=counts * 1000, gap_refs=4, silhouette_sample=None, seed=0)
    np.testing.assert_allclose(many.gap, one.gap, atol=1e-9)


@pytest.mark.parametrize(
    "ks, inertia, expected",
    [
        ([1, 2, 3, 4, 5, 6], [100, 60, 30, 10, 9, 8], 4),
        ([2, 3, 4, 5], [50, 20, 15, 12], 3),
        ([2, 3, 4], [10, 10, 10], 2),  # flat: no elbow
        ([2, 3, 4, 5], [40, 30, 20, 10], 2),  # straight line: no elbow
        ([2, 3], [10, 5], 2),  # too few points
        ([2, 4, 8, 16], [100, 40, 30, 25], 4),  # uneven ks are scaled by value
    ],
)
def test_elbow_rule(ks, inertia, expected):
    assert elbow_k(ks, inertia) == expected


@pytest.mark.parametrize(
    "gap, gap_se, expected",
    [
        ([0.1, 0.5, 0.9, 0.95, 0.96], [0.1] * 5, 4),  # 0.95 >= 0.96 - 0.1
        ([0.5, 0.55, 0.9, 1.0, 1.0], [0.1] * 5, 2),  # 0.5 >= 0.55 - 0.1
        ([0.1, 0.3, 0.5, 0.7, 0.9], [0.01] * 5, 6),  # always rising: the largest k
        ([0.5, 0.5, 0.5, 0.5, 0.5], [0.0] * 5, 2),  # equality qualifies
    ],
)
def test_gap_rule(gap, gap_se, expected):
    assert gap_k([2, 3, 4, 5, 6], gap, gap_se) == expected


def test_silhouette_rule_takes_the_largest_and_skips_nan():
    assert silhouette_k([1, 2, 3, 4], [np.nan, 0.4, 0.6, 0.6]) == 3
    assert silhouette_k([1], [np.nan]) is None


# --- the sweep on stills ----------------------------------------------------

PHOTOS = ["astronaut", "coffee", "chelsea", "rocket"]


@pytest.fixture(scope="module")
def photo_stills():
    from skimage import data

    return {name: still_from_pixels(np.ascontiguousarray(getattr(data, name)()[..., :3])) for name in PHOTOS}


@pytest.mark.parametrize("name", PHOTOS)
def test_suggestions_are_stable_over_seeds(photo_stills, name):
    sweeps = [sweep_k(photo_stills[name], range(2, 17), seed=seed) for seed in range(5)]
    silhouette = [s.suggested.silhouette for s in sweeps]
    gap = [s.suggested.gap for s in sweeps]
    assert len(set(silhouette)) == 1, silhouette
    assert Counter(gap).most_common(1)[0][1] >= 4, gap


def test_same_seed_gives_an_identical_sweep(photo_stills):
    still = photo_stills["chelsea"]
    one, two = (sweep_k(still, range(2, 9), seed=11, gap_refs=4) for _ in range(2))
    for field in ("ks", "inertia", "silhouette", "gap", "gap_se", "log_w", "ref_log_w"):
        np.testing.assert_array_equal(getattr(one, field), getattr(two, field), err_msg=field)
    for a, b in zip(one.centers, two.centers):
        np.testing.assert_array_equal(a, b)
    assert (one.sample_size, one.gap_refs, one.suggested) == (two.sample_size, two.gap_refs, two.suggested)
    other = sweep_k(still, range(2, 9), seed=12, gap_refs=4)
    assert not np.array_equal(one.silhouette, other.silhouette)
    from_generator = sweep_k(still, range(2, 9), seed=np.random.default_rng(11), gap_refs=4)
    np.testing.assert_array_equal(from_generator.gap, one.gap)


def test_sweep_fields(photo_stills):
    sweep = sweep_k(photo_stills["rocket"], [2, 3, 5, 8], gap_refs=3, silhouette_sample=1000, seed=0)
    assert isinstance(sweep, KSweep)
    assert sweep.ks.tolist() == [2, 3, 5, 8]
    for field in ("inertia", "silhouette", "gap", "gap_se", "log_w", "ref_log_w"):
        values = getattr(sweep, field)
        assert values.shape == (4,) and values.dtype == np.float64, field
        assert not values.flags.writeable, field
    assert [c.shape for c in sweep.centers] == [(2, 3), (3, 3), (5, 3), (8, 3)]
    assert sweep.sample_size == 1000 and sweep.gap_refs == 3 and sweep.gap_ref_size == 1000
    assert sweep.space == "lab" and sweep.gap_reference == "pca" and sweep.bin_width == 2.0
    assert {field.name for field in dataclasses.fields(sweep.suggested)} == {"elbow", "silhouette", "gap"}
    assert all(k in sweep.ks for k in dataclasses.astuple(sweep.suggested))
    assert np.all(np.diff(sweep.inertia) < 0)
    assert np.all((sweep.silhouette > -1) & (sweep.silhouette < 1))


def test_pooled_inertia_is_the_pixel_level_inertia(photo_stills):
    from kmeans_core import rgb_to_space

    still = photo_stills["coffee"]
    pooled = sweep_k(still, [4, 8], gap_refs=0, silhouette_sample=500, seed=0)
    exact = sweep_k(still, [4, 8], gap_refs=0, silhouette_sample=500, bin_width=None, seed=0)
    assert pooled.bin_width == 2.0 and exact.bin_width is None
    np.testing.assert_allclose(pooled.inertia, exact.inertia, rtol=0.01)
    # The reported inertia is that of a partition of the pixels, with the
    # centres as its means: at least the inertia of the nearest-centre
    # partition, and hardly more.
    X = rgb_to_space(still.histogram.colors, "lab")
    for centers, inertia in zip(pooled.centers, pooled.inertia):
        _, d2 = nearest_centers(X, centers)
        nearest = float(still.histogram.counts @ d2)
        assert nearest <= inertia <= nearest * 1.01


def test_progress_rises_to_one(photo_stills):
    calls = []
    sweep_k(photo_stills["chelsea"], range(2, 7), gap_refs=3, progress=lambda f, m: calls.append((f, m)))
    fractions = [f for f, _ in calls]
    assert len(calls) >= 5 + 3 + 1
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0 and fractions[-2] < 1.0
    assert all(isinstance(m, str) and m for _, m in calls)
    assert any("silhouette" in m for _, m in calls) and any("reference" in m for _, m in calls)


# --- validation -------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_still():
    rng = np.random.default_rng(0)
    return still_from_pixels(rng.integers(0, 4, size=(8, 8, 3), dtype=np.uint8) * 60)


@pytest.mark.parametrize(
    "ks, message",
    [
        ([], "ks=[] is empty"),
        (range(2, 2), "ks=range(2, 2) is empty"),
        ([0, 1, 2], "ks contains k=0; every k must be >= 1"),
        ([-3], "ks contains k=-3"),
        ([2, 2, 3], "ks contains k=2 twice"),
        ([2, 4, 3], "ks must be increasing, but k=3 follows k=4"),
        ([2, 2.5], "ks contains 2.5, which is not an integer"),
        ([True, 2], "ks contains True, which is not an integer"),
        ("2-16", "ks='2-16' must be a sequence of integers"),
        (5, "ks=5 must be a sequence of integers"),
        ([2, 100], "ks contains k=100 but this still has only"),
    ],
)
def test_sweep_k_rejects_bad_ks(tiny_still, ks, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        sweep_k(tiny_still, ks)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"silhouette_sample": 1}, "silhouette_sample=1 must be an integer >= 2"),
        ({"silhouette_sample": 0}, "silhouette_sample=0 must be an integer >= 2"),
        ({"silhouette_sample": 500.0}, "silhouette_sample=500.0 must be an integer >= 2"),
        ({"gap_refs": -1}, "gap_refs=-1 must be an integer >= 0"),
        ({"gap_refs": 2.5}, "gap_refs=2.5 must be an integer >= 0"),
        ({"gap_reference": "cube"}, "gap_reference='cube' must be one of ('box', 'pca')"),
        ({"gap_ref_size": 1}, "gap_ref_size=1 must be an integer >= 2"),
        ({"gap_n_init": 0}, "gap_n_init=0 must be an integer >= 1"),
        ({"n_init": 0}, "n_init=0 must be an integer >= 1"),
        ({"init": "kmeans++"}, "init='kmeans++' must be one of"),
        ({"init": np.zeros((2, 3))}, "must be one of ('k-means++', 'random')"),
        ({"max_iter": 0}, "max_iter=0 must be an integer >= 1"),
        ({"tol": -1.0}, "tol=-1.0 must be a finite number >= 0"),
        ({"space": "hsv"}, "space='hsv' is not supported"),
        ({"bin_width": -2.0}, "bin_width=-2.0 must be a positive number"),
        ({"bin_width": "fine"}, "bin_width='fine' must be a positive number"),
        ({"bin_width": 1000.0}, "bin_width=1000.0 pools the colours into 1 grid cell, fewer than k=3"),
        ({"progress": "bar"}, "progress='bar' must be a callable"),
        ({"seed": -1}, "seed=-1 must be None, an integer >= 0 or a numpy.random.Generator"),
        ({"seed": "abc"}, "seed='abc' must be None"),
    ],
)
def test_sweep_k_rejects_bad_options(tiny_still, options, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        sweep_k(tiny_still, [2, 3], **options)


def test_sweep_k_rejects_a_non_still():
    with pytest.raises(ValueError, match="still must be a Still from load_still, got ndarray"):
        sweep_k(np.zeros((4, 4, 3), np.uint8), [2])


@pytest.mark.parametrize(
    "X, ks, weight, message",
    [
        (np.zeros((0, 3)), [1], None, "X must be a non-empty 2-D array"),
        (np.zeros(5), [1], None, "got shape (5,)"),
        ([[0.0, np.nan]], [1], None, "X contains 1 NaN or infinite values"),
        (np.eye(3), [1, 4], None, "ks contains k=4 but X has only 3 distinct points with positive weight"),
        (np.eye(3), [1, 3], [1.0, 1.0, 0.0], "ks contains k=3 but X has only 2 distinct"),
        (np.eye(3), [1], [1.0, -1.0, 1.0], "sample_weight must be finite and >= 0; the smallest is -1.0"),
        (np.eye(3), [1], [1.0, 1.0], "sample_weight has shape (2,) but X has 3 samples"),
        (np.eye(3), [1], [0.0, 0.0, 0.0], "sample_weight sums to 0"),
    ],
)
def test_sweep_points_rejects_bad_data(X, ks, weight, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        sweep_points(X, ks, sample_weight=weight)


def test_gap_statistic_rejects_bad_refs():
    with pytest.raises(ValueError, match=re.escape("n_refs=0 must be an integer >= 1")):
        gap_statistic(np.eye(3), [1, 2], n_refs=0)
    with pytest.raises(ValueError, match=re.escape("reference='sphere' must be one of")):
        gap_statistic(np.eye(3), [1, 2], reference="sphere")


@pytest.mark.parametrize(
    "labels, weight, message",
    [
        ([0, 0, 0], None, "at least 2 clusters with weight; got 1"),
        ([0, 1, 1], [0.0, 1.0, 1.0], "at least 2 clusters with weight; got 1"),
        ([0, 1], None, "labels has shape (2,) but X has 3 samples"),
        ([0.0, 1.0, 1.0], None, "labels must be integers, got dtype float64"),
    ],
)
def test_weighted_silhouette_rejects_bad_labels(labels, weight, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        weighted_silhouette(np.eye(3), labels, sample_weight=weight)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: elbow_k([2, 3], [1.0]), "inertia has shape (1,) but ks has shape (2,)"),
        (lambda: elbow_k([3, 2], [1.0, 2.0]), "ks=[3, 2] must be strictly increasing"),
        (lambda: elbow_k([], []), "must be a non-empty 1-D sequence of integers"),
        (lambda: gap_k([2, 3], [0.1, 0.2], [0.1]), "gap_se has shape (1,) but ks has shape (2,)"),
        (lambda: silhouette_k([2.0, 3.0], [0.1, 0.2]), "must be a non-empty 1-D sequence of integers"),
    ],
)
def test_rules_reject_misaligned_curves(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()


@pytest.mark.parametrize(
    ("picks", "expected"),
    [
        ((5, 2, 3), Recommendation(k=3, low=2, high=5, rules=3)),
        ((4, 4, 6), Recommendation(k=4, low=4, high=6, rules=3)),
        ((4, None, 6), Recommendation(k=4, low=4, high=6, rules=2)),
        ((7, None, None), Recommendation(k=7, low=7, high=7, rules=1)),
        ((None, None, None), None),
    ],
)
def test_one_plain_recommendation_from_the_rules(picks, expected):
    elbow, silhouette, gap = picks
    assert recommend_k(SuggestedK(elbow=elbow, silhouette=silhouette, gap=gap)) == expected


def test_recommend_k_refuses_what_is_not_a_suggestion():
    with pytest.raises(ValueError, match="suggested must be a SuggestedK, got dict"):
        recommend_k({"elbow": 3})


def test_a_sweep_records_iterations_and_time_for_every_k():
    X, w = blobs()
    result = sweep_points(X, range(1, 7), sample_weight=w, gap_refs=0, seed=0)
    assert result.n_iter.shape == result.ks.shape == result.seconds.shape
    assert (result.n_iter >= 1).all() and (result.seconds > 0).all()
    for k, centers in zip(result.ks, result.centers):
        fit = kmeans(X, int(k), sample_weight=w, init=centers, n_init=1)
        assert fit.n_iter <= 2, "the recorded centres are converged: restarted there, Lloyd stops at once"
    assert result.n_iter[0] <= 2, "one cluster converges at once"


def test_a_sweep_is_the_same_whatever_the_thread_count(photo_stills, monkeypatch):
    """The silhouette's row chunks and the gap's reference sets run in parallel threads; the sweep does not change."""
    from kmeans_core import threads

    runs = []
    for count in (1, 2, 3):
        monkeypatch.setattr(threads, "_THREADS", count)
        runs.append(sweep_k(photo_stills["coffee"], range(2, 8), gap_refs=5, seed=4))
    for other in runs[1:]:
        for field in ("inertia", "silhouette", "gap", "gap_se", "ref_log_w_sets", "ref_log_w_var"):
            np.testing.assert_array_equal(getattr(other, field), getattr(runs[0], field), err_msg=field)
