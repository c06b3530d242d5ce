"""The compiled kernels: all compiled by warm_up, and the conversions and medians they feed."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from numba.core.registry import CPUDispatcher
from skimage import data
from skimage.color import rgb2lab

from kmeans_core import (
    _border_kernels,
    _color_kernels,
    _histogram_kernels,
    _lloyd_loop,
    _plusplus_loop,
    _point_kernels,
    color_histogram,
    kmeans,
    kmeans_plusplus,
    lloyd,
    refine_to_medians,
    rgb_to_space,
    srgb_to_oklab,
    threads,
)

_UNCOMPILED_AFTER_WARM_UP = """
from numba.core.registry import CPUDispatcher
from kmeans_core import _border_kernels, _color_kernels, _histogram_kernels, _lloyd_loop, _plusplus_loop
from kmeans_core import _point_kernels, warm_up
warm_up()
modules = (_point_kernels, _lloyd_loop, _plusplus_loop, _histogram_kernels, _color_kernels, _border_kernels)
for module in modules:
    for name in module.__all__:
        kernel = getattr(module, name)
        if isinstance(kernel, CPUDispatcher):
            print(module.__name__, name, len(kernel.signatures))
"""


def test_warm_up_compiles_every_kernel_of_both_modules_in_a_fresh_process():
    run = subprocess.run([sys.executable, "-c", _UNCOMPILED_AFTER_WARM_UP], capture_output=True, text=True, check=True)
    rows = [line.split() for line in run.stdout.splitlines()]
    expected = {
        (module.__name__, name)
        for module in (_point_kernels, _lloyd_loop, _plusplus_loop, _histogram_kernels, _color_kernels, _border_kernels)
        for name in module.__all__
        if isinstance(getattr(module, name), CPUDispatcher)
    }
    assert {(module, name) for module, name, _ in rows} == expected and len(expected) >= 10
    assert all(int(count) >= 1 for _, _, count in rows), rows


def test_lab_from_the_table_matches_scikit_image_on_a_million_colours():
    rgb = np.random.default_rng(1).integers(0, 256, (1_000_000, 3)).astype(np.uint8)
    rgb[:256] = np.arange(256)[:, None]  # every grey
    expected = rgb2lab(rgb.reshape(-1, 1, 3) / 255.0).reshape(-1, 3)
    np.testing.assert_allclose(rgb_to_space(rgb, "lab"), expected, rtol=0, atol=1e-10)


def test_oklab_from_the_table_matches_the_formula():
    rgb = np.random.default_rng(2).integers(0, 256, (100_000, 3)).astype(np.uint8)
    np.testing.assert_allclose(rgb_to_space(rgb, "oklab"), srgb_to_oklab(rgb / 255.0), rtol=0, atol=1e-14)


def test_median_steps_are_the_same_whatever_the_threads(monkeypatch):
    hist = color_histogram(np.tile(data.coffee(), (2, 1, 1)))
    X, w = rgb_to_space(hist.colors, "lab"), hist.counts.astype(float)
    assert len(X) > 2 * threads._PARALLEL_MIN_ROWS
    start = kmeans(X, 6, sample_weight=w, seed=0).centers
    results = []
    for n_threads in (1, 2, 3):
        monkeypatch.setattr(threads, "_THREADS", n_threads)
        results.append(refine_to_medians(X, start, sample_weight=w, n_iter=4))
    for other in results[1:]:
        np.testing.assert_array_equal(other, results[0])


@pytest.mark.parametrize("k", [1, 5])
def test_nearest_centre_kernel_breaks_ties_to_the_lower_index(k):
    from kmeans_core import nearest_centers

    centers = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0], [1.0, 1.0]])[:k]
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [3.0, 3.0]])
    labels, sq = nearest_centers(X, centers)
    expected = np.argmin(((X[:, None] - centers[None]) ** 2).sum(-1), axis=1)
    np.testing.assert_array_equal(labels, expected)
    np.testing.assert_allclose(sq, ((X - centers[expected]) ** 2).sum(-1))


def test_the_compiled_loops_and_the_parallel_loops_give_the_same_numbers(monkeypatch):
    """One thread runs Lloyd's loop and k-means++ whole in compiled code; more threads run
    Python's loops over blocks in the pool (k-means++ only above 2**18 points). Both must
    agree to the last bit."""
    hist = color_histogram(np.tile(data.astronaut(), (2, 1, 1)))
    X, w = rgb_to_space(hist.colors, "lab"), hist.counts.astype(float)
    assert len(X) > 2 * threads._PARALLEL_MIN_ROWS
    noise = np.random.default_rng(8).integers(0, 256, (300_000, 3)).astype(np.uint8)
    many = color_histogram(noise)
    Y, v = rgb_to_space(many.colors, "lab"), many.counts.astype(float)
    assert len(Y) > lloyd._PLUSPLUS_ONE_THREAD_ROWS
    results = {}
    for n_threads in (1, 2, 3):
        monkeypatch.setattr(threads, "_THREADS", n_threads)
        start, indices = kmeans_plusplus(Y, 9, sample_weight=v, seed=4)
        extended, _ = kmeans_plusplus(Y, 12, sample_weight=v, seed=5, centers=start)
        fit = kmeans(X, 9, sample_weight=w, init=kmeans_plusplus(X, 9, sample_weight=w, seed=4)[0], tol=0)
        results[n_threads] = (indices, extended, fit)
    for n_threads in (2, 3):
        indices, extended, fit = results[n_threads]
        np.testing.assert_array_equal(indices, results[1][0])
        np.testing.assert_array_equal(extended, results[1][1])
        np.testing.assert_array_equal(fit.centers, results[1][2].centers)
        np.testing.assert_array_equal(fit.labels, results[1][2].labels)
        assert fit.inertia == results[1][2].inertia and fit.n_iter == results[1][2].n_iter
