"""Weighted k-means: exactness on histograms, agreement with scikit-learn and
with the slow reference, k-means++, determinism, empty clusters, and every
ValueError of the public boundary."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.cluster import kmeans_plusplus as sk_kmeans_plusplus

from kmeans_core import color_histogram, kmeans, kmeans_plusplus, nearest_centers, reference, rgb_to_space

INITS = ("k-means++", "random")


def histogram_points(pixels, space):
    """(points in ``space``, pixel counts as weights, histogram) of a frame."""
    hist = color_histogram(pixels)
    return rgb_to_space(hist.colors, space), hist.counts.astype(np.float64), hist


def sklearn_tol(X, w, tol):
    """scikit-learn's tol that gives the same absolute tolerance as ours.

    Ours is relative to the *weighted* mean variance (so that a histogram and
    its pixels stop alike); scikit-learn's to the unweighted one.
    """
    mean = np.average(X, axis=0, weights=w)
    weighted = np.mean(np.average((X - mean) ** 2, axis=0, weights=w))
    return tol * weighted / np.mean(np.var(X, axis=0))


def rel(a, b):
    return abs(a - b) / abs(b)


def off_grid(centers, seed=0):
    """Initial centres nudged off the integer grid of 8-bit colours.

    On that grid a colour can lie exactly halfway between two integer
    centres; such exact ties are broken by rounding noise, differently by
    every implementation. A nudge of a fraction of a code value makes them
    vanish without changing what is tested.
    """
    return centers + np.random.default_rng(seed).uniform(-0.3, 0.3, centers.shape)


# --- exactness: the histogram is the frame ---------------------------------


@pytest.mark.parametrize("space", ["lab", "rgb"])
def test_histogram_equals_every_pixel(photo, space):
    pixels = photo("coffee", 120)
    X, w, hist = histogram_points(pixels, space)
    assert len(X) < pixels.shape[0] * pixels.shape[1]  # real duplicates
    every_pixel = rgb_to_space(pixels.reshape(-1, 3), space)
    init = off_grid(X[np.linspace(0, len(X) - 1, 6).astype(int)])

    on_hist = kmeans(X, 6, sample_weight=w, init=init)
    on_pixels = kmeans(every_pixel, 6, init=init)

    assert rel(on_hist.inertia, on_pixels.inertia) <= 1e-9
    np.testing.assert_array_equal(on_hist.labels[hist.inverse], on_pixels.labels)
    assert on_hist.n_iter == on_pixels.n_iter
    np.testing.assert_allclose(on_hist.centers, on_pixels.centers, rtol=0, atol=1e-9)
    # And the inertia is what it claims to be, pixel by pixel.
    direct = np.sum((every_pixel - on_pixels.centers[on_pixels.labels]) ** 2)
    assert rel(on_pixels.inertia, direct) <= 1e-12


# --- agreement with scikit-learn -------------------------------------------


@pytest.mark.parametrize("space", ["lab", "rgb"])
@pytest.mark.parametrize("k", [2, 5, 8, 16])
def test_same_inertia_as_sklearn_from_the_same_start(photo, photo_name, space, k):
    X, w, _ = histogram_points(photo(photo_name, 96), space)
    init = off_grid(kmeans_plusplus(X, k, sample_weight=w, seed=k)[0])
    ours = kmeans(X, k, sample_weight=w, init=init)
    theirs = KMeans(
        n_clusters=k, init=init, n_init=1, algorithm="lloyd", tol=sklearn_tol(X, w, 1e-4), max_iter=300
    ).fit(X, sample_weight=w)
    assert rel(ours.inertia, theirs.inertia_) <= 1e-6
    assert ours.converged
    np.testing.assert_allclose(ours.centers, theirs.cluster_centers_, rtol=0, atol=1e-6 * np.abs(X).max())


@pytest.mark.parametrize("k", [3, 12])
def test_same_fixed_point_as_sklearn_with_tol_zero(photo, k):
    X, w, _ = histogram_points(photo("astronaut", 96), "lab")
    init, _ = kmeans_plusplus(X, k, sample_weight=w, seed=0)
    ours = kmeans(X, k, sample_weight=w, init=init, tol=0)
    theirs = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd", tol=0).fit(X, sample_weight=w)
    assert rel(ours.inertia, theirs.inertia_) <= 1e-12
    assert ours.n_iter == theirs.n_iter_
    np.testing.assert_array_equal(ours.labels, theirs.labels_)


@pytest.mark.parametrize("k", [4, 8, 16])
def test_kmeans_plusplus_as_good_as_sklearn(photo, k):
    X, w, _ = histogram_points(photo("chelsea", 64), "lab")

    def potential(centers):
        _, sq = nearest_centers(X, centers)
        return float(w @ sq)

    ours = [potential(kmeans_plusplus(X, k, sample_weight=w, seed=seed)[0]) for seed in range(20)]
    theirs = [potential(sk_kmeans_plusplus(X, k, sample_weight=w, random_state=seed)[0]) for seed in range(20)]
    assert np.mean(ours) <= 1.02 * np.mean(theirs)


def test_kmeans_plusplus_returns_rows_of_x(photo):
    X, w, _ = histogram_points(photo("rocket", 48), "rgb")
    centers, indices = kmeans_plusplus(X, 7, sample_weight=w, seed=3)
    np.testing.assert_array_equal(centers, X[indices])
    assert len(np.unique(centers, axis=0)) == 7
    assert (w[indices] > 0).all()


def test_kmeans_plusplus_extends_given_centres_into_the_uncovered_blob():
    rng = np.random.default_rng(4)
    blobs = np.array([[0.0, 0.0], [50.0, 0.0], [0.0, 50.0]])
    X = np.vstack([c + rng.normal(scale=1.0, size=(40, 2)) for c in blobs])
    given = np.array([[0.3, 0.2], [49.5, 0.4]])  # not rows of X
    for seed in range(5):
        centers, indices = kmeans_plusplus(X, 3, seed=seed, centers=given)
        np.testing.assert_array_equal(centers[:2], given)
        np.testing.assert_array_equal(centers[2:], X[indices])
        assert indices.shape == (1,) and 80 <= indices[0] < 120  # in the third blob
    again, _ = kmeans_plusplus(X, 3, seed=2, centers=given)
    np.testing.assert_array_equal(again, kmeans_plusplus(X, 3, seed=2, centers=given)[0])
    np.testing.assert_array_equal(kmeans_plusplus(X, 2, seed=0, centers=given)[0], given)


# --- the slow reference -----------------------------------------------------


@pytest.fixture(scope="module")
def small_weighted(photo):
    """300 Lab colours of a real photo with their pixel counts."""
    X, w, _ = histogram_points(photo("coffee", 64), "lab")
    pick = np.random.default_rng(0).choice(len(X), 300, replace=False)
    return X[pick], w[pick]


@pytest.mark.parametrize("tol", [1e-4, 0.0])
@pytest.mark.parametrize("k", [3, 7])
def test_agrees_with_reference(small_weighted, k, tol):
    X, w = small_weighted
    init, _ = kmeans_plusplus(X, k, sample_weight=w, seed=k)
    ours = kmeans(X, k, sample_weight=w, init=init, tol=tol)
    centers, labels, inertia, n_iter = reference.lloyd(X, init, sample_weight=w, tol=tol)
    np.testing.assert_array_equal(ours.labels, labels)
    np.testing.assert_allclose(ours.centers, centers, rtol=0, atol=1e-10)
    assert rel(ours.inertia, inertia) <= 1e-12
    assert ours.n_iter == n_iter
    assert rel(ours.inertia, reference.inertia(X, ours.centers, ours.labels, w)) <= 1e-12


def test_nearest_centers_agrees_with_reference(small_weighted):
    X, _ = small_weighted
    centers = X[:9] + 0.5
    labels, sq = nearest_centers(X, centers)
    np.testing.assert_array_equal(labels, reference.assign(X, centers))
    np.testing.assert_allclose(sq, np.sum((X - centers[labels]) ** 2, axis=1), rtol=1e-9, atol=1e-9)


# --- dtypes and initializers ------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.uint8])
@pytest.mark.parametrize("init", INITS)
def test_dtypes_give_the_float64_result(photo, dtype, init):
    pixels = photo("rocket", 48).reshape(-1, 3)
    X = pixels.astype(dtype)
    result = kmeans(X, 5, init=init, seed=1)
    expected = kmeans(X.astype(np.float64), 5, init=init, seed=1)
    assert result.centers.dtype == np.float64
    np.testing.assert_array_equal(result.centers, expected.centers)
    np.testing.assert_array_equal(result.labels, expected.labels)
    assert result.inertia == expected.inertia


@pytest.mark.parametrize("init", INITS)
def test_result_is_a_local_minimum(photo, init):
    X, w, _ = histogram_points(photo("astronaut", 64), "lab")
    result = kmeans(X, 6, sample_weight=w, init=init, seed=2, tol=0)
    assert result.converged
    # Every point is with its nearest centre, and every centre is its cluster's weighted mean.
    np.testing.assert_array_equal(result.labels, nearest_centers(X, result.centers)[0])
    for j in range(6):
        members = result.labels == j
        np.testing.assert_allclose(result.centers[j], np.average(X[members], axis=0, weights=w[members]), atol=1e-9)


@pytest.mark.parametrize("init", INITS)
def test_more_initializations_never_do_worse(photo, init):
    X, w, _ = histogram_points(photo("chelsea", 64), "lab")
    single = [kmeans(X, 8, sample_weight=w, init=init, seed=np.random.default_rng(s)).inertia for s in range(1)]
    several = kmeans(X, 8, sample_weight=w, init=init, n_init=4, seed=np.random.default_rng(0))
    assert several.inertia <= single[0]


def test_k_equals_one_is_the_weighted_mean():
    X = np.array([[0.0, 0.0], [4.0, 0.0], [0.0, 8.0]])
    w = np.array([2.0, 1.0, 1.0])
    result = kmeans(X, 1, sample_weight=w)
    np.testing.assert_allclose(result.centers, [[1.0, 2.0]])
    assert result.inertia == pytest.approx(2 * 5 + 1 * 13 + 1 * 37)


def test_zero_weight_points_do_not_pull():
    X = np.array([[0.0], [1.0], [100.0], [10.0], [11.0]])
    w = np.array([1.0, 1.0, 0.0, 1.0, 1.0])
    result = kmeans(X, 2, sample_weight=w, init=np.array([[0.0], [10.0]]))
    np.testing.assert_allclose(result.centers, [[0.5], [10.5]])
    assert result.inertia == pytest.approx(1.0)


# --- determinism --------------------------------------------------------------


@pytest.mark.parametrize("init", INITS)
def test_same_seed_same_result(photo, init):
    X, w, _ = histogram_points(photo("coffee", 64), "lab")
    first = kmeans(X, 8, sample_weight=w, init=init, n_init=3, seed=42)
    second = kmeans(X, 8, sample_weight=w, init=init, n_init=3, seed=42)
    np.testing.assert_array_equal(first.centers, second.centers)
    np.testing.assert_array_equal(first.labels, second.labels)
    other = kmeans(X, 8, sample_weight=w, init=init, n_init=3, seed=43)
    assert not np.array_equal(first.centers, other.centers)


# --- empty clusters -----------------------------------------------------------


def test_empty_cluster_takes_the_farthest_point():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1], [10, 10], [10, 11], [11, 10], [11, 11], [30, 30]], float)
    init = np.array([[0.5, 0.5], [10.0, 10.0], [-1000.0, -1000.0]])  # the third gets no point
    result = kmeans(X, 3, init=init)
    np.testing.assert_allclose(result.centers, [[0.5, 0.5], [10.5, 10.5], [30.0, 30.0]])
    np.testing.assert_array_equal(result.labels, [0, 0, 0, 0, 1, 1, 1, 1, 2])
    assert result.inertia == pytest.approx(4.0)


def test_empty_clusters_on_a_photo_end_distinct_and_filled(photo):
    X, w, _ = histogram_points(photo("astronaut", 24), "rgb")
    # Five seeds far outside the data: no point is nearest to them at first.
    init = np.vstack([X[[0, len(X) // 2, len(X) - 1]], np.full((5, 3), 1e4) + np.arange(5)[:, None]])
    result = kmeans(X, 8, sample_weight=w, init=init)
    assert (np.bincount(result.labels, weights=w, minlength=8) > 0).all()
    assert len(np.unique(result.centers, axis=0)) == 8
    assert (result.centers <= 255).all()
    centers, labels, inertia, _ = reference.lloyd(X, init, sample_weight=w)
    np.testing.assert_array_equal(result.labels, labels)
    assert rel(result.inertia, inertia) <= 1e-12


# --- the public boundary --------------------------------------------------------

X5 = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [5.0, 5.0]])


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((X5, 0), {}, r"k=0 must be an integer >= 1"),
        ((X5, -3), {}, r"k=-3 must be an integer >= 1"),
        ((X5, 2.5), {}, r"k=2\.5 must be an integer"),
        ((X5, "3"), {}, r"k='3' must be an integer"),
        ((X5, True), {}, r"k=True must be an integer"),
        ((X5, 12), {}, r"k=12 but X has only 5 distinct points with positive weight"),
        ((np.repeat(X5, 3, axis=0), 12), {}, r"k=12 but X has only 5 distinct points"),
        ((X5, 5), {"sample_weight": [1, 1, 1, 0, 1]}, r"k=5 but X has only 4 distinct points"),
        ((X5, 2), {"init": np.zeros((3, 2))}, r"init has shape \(3, 2\) but k=2 .* expected \(2, 2\)"),
        ((X5, 2), {"init": np.zeros((2, 3))}, r"init has shape \(2, 3\)"),
        ((X5, 2), {"init": np.zeros(2)}, r"init has shape \(2,\)"),
        ((X5, 2), {"init": "kmeans++"}, r"init='kmeans\+\+' must be one of"),
        ((X5, 2), {"init": [[0, np.nan], [1, 1]]}, r"init contains NaN"),
        ((X5, 2), {"init": [["a", "b"], ["c", "d"]]}, r"must be one of"),
        ((np.array([[0.0, np.nan], [1.0, 1.0]]), 1), {}, r"X contains 1 NaN or infinite values"),
        ((np.array([[0.0, np.inf], [1.0, -np.inf]]), 1), {}, r"X contains 2 NaN or infinite values"),
        ((np.zeros(5), 1), {}, r"X must be 2-D"),
        ((np.zeros((0, 3)), 1), {}, r"X is empty"),
        (([["a", "b"]], 1), {}, r"X must be a numeric array"),
        (
            (X5, 2),
            {"sample_weight": [1, 1, -1, 1, 1]},
            r"sample_weight must be finite and >= 0; the smallest is -1\.0 \(1 negative value\)",
        ),
        ((X5, 2), {"sample_weight": np.zeros(5)}, r"sample_weight sums to 0"),
        ((X5, 2), {"sample_weight": [1, 1, 1]}, r"sample_weight has shape \(3,\) but X has 5 samples"),
        ((X5, 2), {"sample_weight": [1, 1, np.nan, 1, 1]}, r"sample_weight contains NaN"),
        ((X5, 2), {"init": X5[:2], "n_init": 3}, r"n_init=3 but manual initial centres give one start"),
        ((X5, 2), {"n_init": 0}, r"n_init=0 must be an integer >= 1"),
        ((X5, 2), {"max_iter": 0}, r"max_iter=0 must be an integer >= 1"),
        ((X5, 2), {"max_iter": 1.5}, r"max_iter=1\.5 must be an integer >= 1"),
        ((X5, 2), {"tol": -1e-4}, r"tol=-0\.0001 must be a finite number >= 0"),
        ((X5, 2), {"tol": np.nan}, r"tol=nan must be a finite number >= 0"),
    ],
)
def test_kmeans_rejects(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        kmeans(*args, **kwargs)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((X5, 0), {}, r"k=0 must be an integer >= 1"),
        ((X5, 6), {}, r"k=6 but X has only 5 distinct points"),
        ((X5, 2), {"sample_weight": -np.ones(5)}, r"negative values"),
    ],
)
def test_kmeans_plusplus_rejects(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        kmeans_plusplus(*args, **kwargs)


def test_nearest_centers_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"X of shape \(5, 2\) and centers of shape \(2, 3\) do not match"):
        nearest_centers(X5, np.zeros((2, 3)))


def test_max_iter_is_honoured(photo):
    X, w, _ = histogram_points(photo("astronaut", 64), "lab")
    result = kmeans(X, 8, sample_weight=w, seed=0, max_iter=2, tol=0)
    assert result.n_iter == 2 and not result.converged
    np.testing.assert_array_equal(result.labels, nearest_centers(X, result.centers)[0])


@pytest.mark.parametrize("k", [4, 16])
def test_thread_count_does_not_change_the_result(photo, monkeypatch, k):
    """At k=4 every run is compiled whole on one thread; at k=16 two or three threads take
    the loop driven from Python, its blocks in the pool: the same numbers either way."""
    module = importlib.import_module("kmeans_core.threads")
    lloyd = importlib.import_module("kmeans_core.lloyd")

    X, w, _ = histogram_points(photo("astronaut", 400), "lab")
    assert len(X) > 2 * module._PARALLEL_MIN_ROWS  # large enough to be split
    assert (len(X) * k > lloyd._LLOYD_ONE_THREAD_WORK) == (k == 16)
    results = {}
    for threads in (1, 2, 3):
        monkeypatch.setattr(module, "_THREADS", threads)
        results[threads] = kmeans(X, k, sample_weight=w, n_init=2, seed=7)
    for threads in (2, 3):
        np.testing.assert_array_equal(results[threads].centers, results[1].centers)
        np.testing.assert_array_equal(results[threads].labels, results[1].labels)
        assert results[threads].inertia == results[1].inertia


def test_kmeans_plusplus_on_many_points_is_the_same_on_one_thread_and_in_the_pool(monkeypatch):
    """Above 2^18 points k-means++ hands its passes to the pool; on one thread it runs compiled whole."""
    module = importlib.import_module("kmeans_core.threads")
    lloyd = importlib.import_module("kmeans_core.lloyd")
    rng = np.random.default_rng(5)
    X = rng.normal(size=(lloyd._PLUSPLUS_ONE_THREAD_ROWS + 40_000, 3)) * [30.0, 20.0, 20.0]
    w = rng.integers(0, 9, len(X)).astype(np.float64)  # some points weigh nothing
    chosen = {}
    for threads in (1, 2):
        monkeypatch.setattr(module, "_THREADS", threads)
        chosen[threads] = kmeans_plusplus(X, 9, sample_weight=w, seed=3)
    np.testing.assert_array_equal(chosen[2][1], chosen[1][1])
    np.testing.assert_array_equal(chosen[2][0], chosen[1][0])
    assert (w[chosen[1][1]] > 0).all()


def test_a_fit_on_prepared_points_is_the_public_fit_bit_for_bit():
    """The sweep fits prepared points at every k without checking them again; the results are kmeans' own."""
    from kmeans_core.lloyd import Prepared, extend_prepared, fit_prepared

    rng = np.random.default_rng(11)
    X = rng.normal(size=(3000, 3)) * [40.0, 20.0, 20.0]
    w = rng.integers(1, 50, len(X)).astype(np.float64)
    data = Prepared(X, w)
    for k in (2, 5, 9):
        public = kmeans(X, k, sample_weight=w, n_init=3, seed=np.random.default_rng(k), tol=1e-4)
        prepared = fit_prepared(
            data, k, init="k-means++", n_init=3, rng=np.random.default_rng(k), max_iter=300, tol=1e-4
        )
        assert prepared.inertia == public.inertia
        np.testing.assert_array_equal(prepared.centers, public.centers)
        np.testing.assert_array_equal(prepared.labels, public.labels)
        grown, _ = kmeans_plusplus(X, k + 3, sample_weight=w, seed=np.random.default_rng(1), centers=public.centers)
        np.testing.assert_array_equal(extend_prepared(data, k + 3, np.random.default_rng(1), public.centers), grown)
        given = kmeans(X, k + 3, sample_weight=w, init=grown)
        again = fit_prepared(data, k + 3, init=grown, n_init=1, rng=None, max_iter=300, tol=1e-4)
        assert again.inertia == given.inertia and again.n_iter == given.n_iter
