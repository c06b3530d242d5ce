"""The public boundary, checked alike everywhere: one table of bad calls and the message each gets."""

from __future__ import annotations

import re

import numpy as np
import pytest

from kmeans_core import (
    gap_statistic,
    kmeans,
    kmeans_plusplus,
    nearest_centers,
    refine_to_medians,
    sweep_points,
    weighted_silhouette,
)
from kmeans_core.choose_k import SweepOptions

X5 = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [5.0, 5.0]])
NAN = np.array([[0.0, 0.0], [np.nan, 1.0], [2.0, np.inf], [1.0, 1.0], [5.0, 5.0]])
C2 = np.array([[0.0, 0.0], [5.0, 5.0]])
LABELS = np.array([0, 0, 1, 1, 1])
KS = [1, 2]

#: What each function takes after X: arguments that are good for five points such as X5.
REST = {
    kmeans: (2,),
    kmeans_plusplus: (2,),
    nearest_centers: (C2,),
    refine_to_medians: (C2,),
    sweep_points: (KS,),
    gap_statistic: (KS,),
    weighted_silhouette: (LABELS,),
}


def calls(functions, X, kwargs: dict, message: str) -> list[tuple]:
    """The same bad call, ``f(X, *REST[f], **kwargs)``, of each function, and the message each gets."""
    return [(f, (X, *REST[f]), kwargs, message) for f in functions]


#: (function, positional arguments, keyword arguments, the message, escaped for a regex unless it starts with ^).
BAD_CALLS = [
    # X: the same message from every function
    *calls(REST, NAN, {}, "X contains 2 NaN or infinite values"),
    *calls(
        [kmeans, nearest_centers, refine_to_medians, sweep_points, gap_statistic, weighted_silhouette],
        np.zeros(5),
        {},
        "X must be 2-D (n_samples, n_features), got shape (5,)",
    ),
    *calls([kmeans, refine_to_medians, sweep_points], [["a", "b"]], {}, "X must be a numeric array"),
    (kmeans, (np.zeros((0, 2)), 1), {}, "X must be a non-empty 2-D array (n_samples, n_features), but X is empty"),
    (sweep_points, (np.zeros((0, 2)), KS), {}, "but X is empty: shape (0, 2)"),
    # sample_weight
    *calls(
        [kmeans, kmeans_plusplus, refine_to_medians, sweep_points, gap_statistic, weighted_silhouette],
        X5,
        {"sample_weight": [1, 1, -2, 1, -1]},
        "sample_weight must be finite and >= 0; the smallest is -2.0 (2 negative values)",
    ),
    *calls(
        [kmeans, refine_to_medians, sweep_points, weighted_silhouette],
        X5,
        {"sample_weight": [1, 1, 1]},
        "sample_weight has shape (3,) but X has 5 samples",
    ),
    *calls(
        [kmeans, refine_to_medians, gap_statistic],
        X5,
        {"sample_weight": [1, np.nan, 1, 1, 1]},
        "sample_weight contains NaN or infinite values: 1 of 5",
    ),
    *calls(
        [kmeans, kmeans_plusplus, refine_to_medians, sweep_points],
        X5,
        {"sample_weight": np.zeros(5)},
        "sample_weight sums to 0",
    ),
    # k, and k against the distinct points
    *[
        (f, (X5, k), {}, f"k={k!r} must be an integer >= 1")
        for f in (kmeans, kmeans_plusplus)
        for k in (True, False, 0, -3, 2.0, "3")
    ],
    *[
        (f, (np.repeat(X5, 2, axis=0), 6), {}, "k=6 but X has only 5 distinct points with positive weight")
        for f in (kmeans, kmeans_plusplus)
    ],
    (sweep_points, (X5, [1, 6]), {}, "ks contains k=6 but X has only 5 distinct points with positive weight"),
    (gap_statistic, (X5, [1, 5]), {"sample_weight": [1, 1, 1, 0, 1]}, "ks contains k=5 but X has only 4 distinct"),
    (sweep_points, (X5, [True, 2]), {}, "ks contains True, which is not an integer"),
    # centres
    *[
        (f, (X5, *rest), {}, "X of shape (5, 2) and centers of shape (2, 3) do not match")
        for f, rest in [(nearest_centers, (np.zeros((2, 3)),)), (refine_to_medians, (np.zeros((2, 3)),))]
    ],
    (nearest_centers, (X5, np.zeros((0, 2))), {}, "centers of shape (0, 2) do not match"),
    (refine_to_medians, (X5, [[0.0, np.nan]]), {}, "centers contains 1 NaN or infinite values"),
    (kmeans_plusplus, (X5, 2), {"centers": np.zeros((3, 2))}, "centers has 3 rows but k=2; give at most k centres"),
    (kmeans_plusplus, (X5, 3), {"centers": np.zeros((1, 3))}, "centers of shape (1, 3) do not match"),
    # integers >= low, never a bool
    *[
        call
        for f, name, low in [
            (kmeans, "n_init", 1),
            (kmeans, "max_iter", 1),
            (refine_to_medians, "n_iter", 0),
            (sweep_points, "n_init", 1),
            (sweep_points, "max_iter", 1),
            (sweep_points, "gap_refs", 0),
            (sweep_points, "gap_ref_size", 2),
            (sweep_points, "gap_n_init", 1),
            (sweep_points, "silhouette_sample", 2),
            (gap_statistic, "n_refs", 1),
            (gap_statistic, "ref_size", 2),
            (gap_statistic, "n_init", 1),
            (gap_statistic, "ref_n_init", 1),
            (gap_statistic, "max_iter", 1),
        ]
        for value in (True, low - 1, 2.5)
        for call in calls([f], X5, {name: value}, f"{name}={value!r} must be an integer >= {low}")
    ],
    (
        sweep_points,
        (X5, KS),
        {"silhouette_sample": 1},
        "silhouette_sample=1 must be an integer >= 2, or None for every point",
    ),
    # finite numbers >= 0, never a bool
    *[
        call
        for value in (True, -1e-4, np.nan, np.inf, "0.1")
        for call in calls(
            [kmeans, sweep_points, gap_statistic], X5, {"tol": value}, f"tol={value!r} must be a finite number >= 0"
        )
    ],
    (sweep_points, (X5, KS), {"bin_width": 0.0}, "bin_width=0.0 must be a positive number or None"),
    (sweep_points, (X5, KS), {"bin_width": True}, "bin_width=True must be a positive number or None"),
    # seeds
    *[
        call
        for seed in (-1, True, 1.5, "abc")
        for call in calls(
            [kmeans, kmeans_plusplus, sweep_points, gap_statistic],
            X5,
            {"seed": seed},
            f"seed={seed!r} must be None, an integer >= 0 or a numpy.random.Generator",
        )
    ],
    # choices
    (kmeans, (X5, 2), {"init": "kmeans++"}, "init='kmeans++' must be one of ('k-means++', 'random') or an array"),
    (sweep_points, (X5, KS), {"init": "kmeans++"}, "init='kmeans++' must be one of ('k-means++', 'random')"),
    (sweep_points, (X5, KS), {"init": C2}, "must be one of ('k-means++', 'random')"),
    (gap_statistic, (X5, KS), {"init": "kmeans++"}, "init='kmeans++' must be one of ('k-means++', 'random')"),
    (sweep_points, (X5, KS), {"gap_reference": "cube"}, "gap_reference='cube' must be one of ('box', 'pca')"),
    (gap_statistic, (X5, KS), {"reference": "cube"}, "^reference='cube' must be one of \\('box', 'pca'\\)$"),
    # callables
    (
        sweep_points,
        (X5, KS),
        {"progress": "bar"},
        "progress='bar' must be a callable progress(fraction, message) or None",
    ),
    # labels of the silhouette
    (weighted_silhouette, (X5, [0, 1]), {}, "labels has shape (2,) but X has 5 samples"),
    (weighted_silhouette, (X5, [0.0, 1, 1, 1, 1]), {}, "labels must be integers, got dtype float64"),
    (weighted_silhouette, (X5, LABELS), {"sample_weight": [1, 1, 0, 0, 0]}, "at least 2 clusters with weight; got 1"),
]


def _id(row):
    function, _, kwargs, message = row
    return f"{function.__name__}-{message[:40]}-{list(kwargs.items())!r}"[:90]


@pytest.mark.parametrize("function, args, kwargs, message", BAD_CALLS, ids=[_id(row) for row in BAD_CALLS])
def test_bad_calls_are_refused_with_the_value_in_the_message(function, args, kwargs, message):
    pattern = message if message.startswith("^") else re.escape(message)
    with pytest.raises(ValueError, match=pattern):
        function(*args, **kwargs)


def test_the_options_object_checks_the_same_as_the_sweep():
    with pytest.raises(ValueError, match=re.escape("tol=True must be a finite number >= 0")):
        SweepOptions(tol=True)
    options = SweepOptions(seed=np.int64(3), n_init=np.int64(2), tol=0)
    assert (type(options.seed), options.n_init, options.tol) == (np.int64, 2, 0.0)
    assert type(options.n_init) is int and type(options.tol) is float


def test_an_unknown_sweep_keyword_is_a_type_error_naming_it():
    message = "sweep_points() got an unexpected keyword argument 'n_refs'; the sweep options are init, seed, n_init"
    with pytest.raises(TypeError, match=re.escape(message)):
        sweep_points(X5, KS, n_refs=3)


def test_options_built_once_give_the_same_sweep_as_keywords():
    X = np.random.default_rng(0).normal(size=(60, 2))
    options = SweepOptions(seed=4, gap_refs=2, gap_ref_size=50, silhouette_sample=None)
    by_keywords = sweep_points(X, [1, 2, 3], seed=4, gap_refs=2, gap_ref_size=50, silhouette_sample=None)
    by_options = sweep_points(X, [1, 2, 3], **vars(options))
    for field in ("inertia", "silhouette", "gap", "gap_se"):
        np.testing.assert_array_equal(getattr(by_options, field), getattr(by_keywords, field))
    assert by_options.suggested == by_keywords.suggested
