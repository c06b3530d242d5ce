"""frame_quality: CIEDE2000 and PSNR against a brute-force per-pixel computation."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.color import deltaE_ciede2000, rgb2lab

from kmeans_core import delta_e, extract_palette, frame_quality, load_still, quantize


def brute_force(original: np.ndarray, recoloured: np.ndarray, counted: np.ndarray | None = None):
    """(mean, p95, psnr) straight from scikit-image, one pixel at a time."""
    de = deltaE_ciede2000(rgb2lab(original), rgb2lab(recoloured))
    diff = original.astype(np.float64) - recoloured.astype(np.float64)
    if counted is not None:
        de, diff = de[counted], diff[counted]
    de = de.reshape(-1)
    mse = np.mean(diff**2)
    psnr = np.inf if mse == 0 else 10 * np.log10(255.0**2 / mse)
    # The 95th percentile: the smallest difference that at least 95% of the pixels do not exceed.
    return de.mean(), np.percentile(de, 95, method="inverted_cdf"), psnr


@pytest.fixture(scope="module")
def still(still_bytes):
    return load_still(still_bytes("chelsea", "JPEG", 40))


def check(quality, expected):
    mean, p95, psnr = expected
    assert quality.mean == pytest.approx(mean, rel=1e-9, abs=1e-12)
    assert quality.p95 == pytest.approx(p95, rel=1e-9, abs=1e-12)
    assert quality.psnr == pytest.approx(psnr, rel=1e-9)


@pytest.mark.parametrize("k", [2, 6])
def test_fast_path_matches_per_pixel(still, k):
    frame = quantize(still, extract_palette(still, k))
    quality = frame_quality(still, frame)
    check(quality, brute_force(still.pixels, frame))
    assert 0 < quality.mean < quality.p95 and quality.psnr > 10


def test_general_path_matches_per_pixel(still):
    frame = quantize(still, extract_palette(still, 4)).copy()
    # Two pixels of one colour now differ in the recoloured frame: the
    # recoloured frame is no longer a function of the original colour.
    counts = still.histogram.counts
    colour = int(np.flatnonzero(counts >= 2)[0])
    pixel = int(np.flatnonzero(still.histogram.inverse == colour)[0])
    frame.reshape(-1, 3)[pixel] = [255, 0, 255]
    check(frame_quality(still, frame), brute_force(still.pixels, frame))


def test_unrelated_frame_matches_per_pixel(still):
    noise = np.random.default_rng(0).integers(0, 256, still.pixels.shape, dtype=np.uint8)
    check(frame_quality(still, noise), brute_force(still.pixels, noise))


def test_only_counted_pixels_are_compared(alpha_still):
    frame = quantize(alpha_still, extract_palette(alpha_still, 3))
    assert frame.shape[2] == 4
    counted = alpha_still.alpha > 0
    expected = brute_force(alpha_still.pixels, frame[:, :, :3], counted)
    check(frame_quality(alpha_still, frame), expected)
    # What happens under the transparent pixels does not matter.
    scribbled = frame.copy()
    scribbled[~counted] = [0, 255, 0, 0]
    check(frame_quality(alpha_still, scribbled), expected)


def test_identical_frame_is_perfect(still):
    quality = frame_quality(still, still.pixels)
    assert (quality.mean, quality.p95, quality.psnr) == (0.0, 0.0, float("inf"))


def test_psnr_of_a_known_offset(still):
    shifted = np.clip(still.pixels.astype(int) + 1, 0, 255).astype(np.uint8)
    mse = np.mean((shifted.astype(float) - still.pixels) ** 2)
    assert frame_quality(still, shifted).psnr == pytest.approx(10 * np.log10(255**2 / mse), rel=1e-12)


@pytest.mark.parametrize(
    "make_frame, match",
    [
        (lambda h, w: np.zeros((h, w, 3), np.float64), r"quantized must be a \(\d+, \d+, 3\) uint8 frame"),
        (lambda h, w: np.zeros((3, 3, 3), np.uint8), r"got \(3, 3, 3\) uint8"),
        (lambda h, w: np.zeros((h, w), np.uint8), r"quantized must be"),
    ],
    ids=["float-frame", "wrong-size", "no-channels"],
)
def test_frame_quality_rejects(still, make_frame, match):
    with pytest.raises(ValueError, match=match):
        frame_quality(still, make_frame(*still.shape))


def test_delta_e_is_the_former_name_of_frame_quality(still):
    frame = quantize(still, extract_palette(still, 3))
    assert delta_e is frame_quality
    assert delta_e(still, frame) == frame_quality(still, frame)
