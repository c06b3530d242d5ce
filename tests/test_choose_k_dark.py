"""Choosing k on dark, low-contrast frames: every suggestion holds over random seeds.

The frames are scikit-image's photos graded as a dusk exterior would be:
darkened, their contrast lowered, tinted blue, with sensor noise (issue 13:
on a real dusk exterior five seeds gave gap suggestions of 6, 7, 6, 10 and 6).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from skimage import data

from kmeans_core import elbow_k, silhouette_k, still_from_pixels, sweep_k, sweep_points
from kmeans_core.choose_k import recommend_k
from kmeans_core.choose_k.fits import DEFAULT_FITS
from kmeans_core.choose_k.gap import gap_from_log_w, reference_log_w

#: (gain, contrast, lift, tint, noise) of each grade, on values from 0 to 1.
GRADES = {
    "dusk": (0.2, 0.5, 0.02, (0.8, 0.9, 1.2), 0.01),
    "night": (0.12, 0.6, 0.03, (0.75, 0.9, 1.25), 0.02),
}


def graded(pixels: np.ndarray, grade: str) -> np.ndarray:
    """The photo darkened, with its contrast lowered about its mean, tinted, and with Gaussian noise."""
    gain, contrast, lift, tint, noise = GRADES[grade]
    x = pixels[..., :3].astype(np.float64) / 255.0
    x = (x - x.mean()) * contrast + x.mean()
    x = x * gain * np.array(tint) + lift
    x += np.random.default_rng(0).normal(0.0, noise, x.shape)
    return np.clip(np.rint(x * 255.0), 0, 255).astype(np.uint8)


@pytest.mark.parametrize(("photo", "grade"), [("coffee", "dusk"), ("rocket", "night"), ("chelsea", "dusk")])
def test_every_suggestion_and_the_recommendation_hold_over_five_seeds(photo, grade):
    pixels = graded(getattr(data, photo)(), grade)
    assert pixels.mean() < 45, "a dark frame"
    still = still_from_pixels(pixels)
    sweeps = [sweep_k(still, range(2, 13), seed=seed) for seed in range(5)]
    picks = {rule: [getattr(s.suggested, rule) for s in sweeps] for rule in ("elbow", "silhouette", "gap")}
    picks["recommended"] = [recommend_k(s.suggested).k for s in sweeps]
    for rule, ks in picks.items():
        assert len(set(ks)) == 1, (rule, ks)


def test_the_reference_sets_cover_their_box_evenly_and_s_is_that_of_independent_points():
    """Latin hypercube sets barely vary from set to set; s(k) stays the spread that the log W of
    n independent uniform points has: on a segment, var(log W) = 0.8 / n for every k."""
    X = np.linspace(0.0, 120.0, 2000)[:, None]
    sweep = sweep_points(X, [1, 2, 3, 4], gap_refs=10, gap_reference="box", gap_ref_size=500, seed=2)
    independent = np.sqrt(0.8 / 500)
    assert (sweep.ref_log_w_sets.std(axis=0) < 0.3 * independent).all(), sweep.ref_log_w_sets.std(axis=0)
    np.testing.assert_allclose(sweep.gap_se, independent * np.sqrt(1 + 1 / 10), rtol=0.1)
    expected = np.log(120.0**2 / (12 * np.array([1, 2, 3, 4]) ** 2))
    np.testing.assert_allclose(sweep.ref_log_w, expected, atol=0.01)


def test_s_varies_little_from_one_draw_of_the_reference_sets_to_the_next():
    X = np.random.default_rng(4).normal(size=(300, 3)) * [30.0, 12.0, 5.0]
    ks = np.array([2, 3, 4])
    fits = dataclasses.replace(DEFAULT_FITS, n_init=2, backward=False)  # as a sweep fits its reference sets
    se = []
    for draw in range(8):
        rngs = np.random.default_rng(draw).spawn(10)
        sets, variances = reference_log_w(X, np.ones(len(X)), ks, rngs, reference="pca", ref_size=300, settings=fits)
        se.append(gap_from_log_w(np.zeros(len(ks)), sets, variances)[1])
    se = np.array(se)
    # Tibshirani's spread over 10 sets varies by about a quarter from draw to draw.
    assert (se.std(axis=0) / se.mean(axis=0) < 0.05).all(), se


def test_the_reference_sets_are_the_same_whatever_the_seed():
    X = np.random.default_rng(4).normal(size=(400, 3)) * [30.0, 12.0, 5.0]
    one, other = (sweep_points(X, [2, 3, 4], gap_refs=5, gap_ref_size=200, seed=seed) for seed in (0, 1))
    np.testing.assert_array_equal(one.ref_log_w_sets, other.ref_log_w_sets)
    np.testing.assert_array_equal(one.ref_log_w_var, other.ref_log_w_var)
    assert not np.array_equal(one.silhouette, other.silhouette)  # the seed still draws the silhouette's sample


@pytest.mark.parametrize(
    ("values", "tolerance", "expected"),
    [
        ([0.42, 0.506, 0.51, 0.49], 0.01, 3),  # 0.506 is within 0.01 of the best: the smaller k
        ([0.42, 0.506, 0.51, 0.49], 0.0, 4),  # no tolerance: the plain maximum
        ([0.42, 0.49, 0.51, 0.49], 0.01, 4),  # 0.49 is not near enough
        ([np.nan, 0.5, 0.505, 0.3], 0.01, 3),
    ],
)
def test_a_near_tie_of_silhouettes_goes_to_the_smaller_k(values, tolerance, expected):
    assert silhouette_k([2, 3, 4, 5], values, tolerance=tolerance) == expected


def test_a_near_tie_below_the_chord_goes_to_the_smaller_k():
    # Scaled, the points at k=4 and k=5 lie 0.4265 and 0.4270 below the chord (rocket, graded dark).
    ks = np.arange(2, 13)
    below = np.array([0.0, 0.3476, 0.4265, 0.4270, 0.4003, 0.3609, 0.3108, 0.2398, 0.1662, 0.0821, 0.0])
    chord = 1.0 - (ks - 2) / 10
    inertia = chord - below  # the curve whose points lie that far below the chord from (2, 1) to (12, 0)
    assert elbow_k(ks, inertia, tolerance=0.0) == 5
    assert elbow_k(ks, inertia) == 4
    with pytest.raises(ValueError, match="tolerance=-0.1 must be a finite number >= 0"):
        elbow_k(ks, inertia, tolerance=-0.1)
