"""Palettes: extract_palette's results and errors, ordering, and quantize."""

from __future__ import annotations

import re

import numpy as np
import pytest
from skimage.color import rgb2hsv, rgb2lab

from kmeans_core import (
    DEFAULT_N_INIT,
    Palette,
    extract_palette,
    kmeans,
    load_still,
    quantize,
    rgb_to_space,
    still_from_pixels,
)


def palette_distances(pixels: np.ndarray, palette: Palette) -> np.ndarray:
    """Brute force: squared distance of each pixel to each palette colour,
    one pixel at a time, in the palette's space (CIELAB straight from
    scikit-image), shape (n_pixels, k)."""
    flat = pixels.reshape(-1, 3)
    if palette.space == "lab":
        points = rgb2lab(flat.reshape(-1, 1, 3)).reshape(-1, 3)
        centres = rgb2lab(palette.rgb.reshape(-1, 1, 3)).reshape(-1, 3)
    else:
        points, centres = flat.astype(float), palette.rgb.astype(float)
    return np.array([np.sum((centres - p) ** 2, axis=1) for p in points])


def nearest_palette_colour(pixels: np.ndarray, palette: Palette) -> np.ndarray:
    """Each pixel's nearest palette colour (the first one on a tie)."""
    return palette_distances(pixels, palette).argmin(axis=1)


def tied(distances: np.ndarray) -> np.ndarray:
    """Pixels exactly (to rounding) halfway between two palette colours:
    either answer is right for them."""
    ordered = np.sort(distances, axis=1)
    return (
        ordered[:, 1] - ordered[:, 0] <= 1e-9 * (1 + ordered[:, 1])
        if distances.shape[1] > 1
        else np.zeros(len(distances), bool)
    )


@pytest.fixture(scope="module")
def stills(still_bytes):
    """Each sample photo at 48 px, decoded from JPEG bytes."""
    return {name: load_still(still_bytes(name, "JPEG", 48)) for name in ("astronaut", "coffee", "chelsea", "rocket")}


# --- what a palette holds ---------------------------------------------------


@pytest.mark.parametrize("space", ["lab", "rgb"])
@pytest.mark.parametrize("k", [1, 3, 8])
def test_palette_shares_hex_and_counts(stills, photo_name, space, k):
    still = stills[photo_name]
    palette = extract_palette(still, k, space=space)
    assert palette.rgb.shape == (k, 3) and palette.rgb.dtype == np.uint8
    assert palette.shares.sum() == pytest.approx(1.0, abs=1e-12)
    assert (palette.shares > 0).all()
    assert len(palette.hex) == k
    for code, (r, g, b) in zip(palette.hex, palette.rgb.tolist()):
        assert re.fullmatch(r"#[0-9A-F]{6}", code)
        assert code == f"#{r:02X}{g:02X}{b:02X}"
    # Each share is the fraction of pixels whose nearest palette colour it is
    # (give or take the pixels exactly halfway between two colours).
    distances = palette_distances(still.pixels, palette)
    nearest = distances.argmin(axis=1)
    slack = tied(distances).sum() / nearest.size
    np.testing.assert_allclose(palette.shares, np.bincount(nearest, minlength=k) / nearest.size, atol=1e-12 + slack)
    assert (palette.space, palette.init, palette.seed, palette.order) == (space, "k-means++", 0, "share")


def test_palette_is_kmeans_on_the_histogram(small_still):
    hist = small_still.histogram
    X = rgb_to_space(hist.colors, "lab")
    palette = extract_palette(small_still, 6, seed=5, refine="none")
    assert palette.inertia == kmeans(X, 6, sample_weight=hist.counts, n_init=DEFAULT_N_INIT, seed=5).inertia
    # More initializations from the same seed include the first: never worse.
    several = extract_palette(small_still, 6, seed=5, n_init=4, refine="none")
    assert several.inertia == kmeans(X, 6, sample_weight=hist.counts, n_init=4, seed=5).inertia
    assert several.inertia <= extract_palette(small_still, 6, seed=5, n_init=1, refine="none").inertia


def test_same_seed_same_hex(small_still):
    for init in ("k-means++", "random"):
        first = extract_palette(small_still, 7, init=init, seed=11)
        second = extract_palette(small_still, 7, init=init, seed=11)
        assert first.hex == second.hex
        np.testing.assert_array_equal(first.shares, second.shares)
        assert first.inertia == second.inertia


def test_manual_seeds(small_still):
    seeds = "#000000, #ffffff, #C04020"
    palette = extract_palette(small_still, 3, init=seeds)
    assert palette.init == "manual"
    assert palette.seed_colors == ("#000000", "#FFFFFF", "#C04020")
    hist = small_still.histogram
    start = rgb_to_space(np.array([[0, 0, 0], [255, 255, 255], [192, 64, 32]], np.uint8), "lab")
    expected = kmeans(rgb_to_space(hist.colors, "lab"), 3, sample_weight=hist.counts, init=start)
    assert extract_palette(small_still, 3, init=seeds, refine="none").inertia == expected.inertia
    # The same seeds as a list of codes and as an array give the same palette.
    as_list = extract_palette(small_still, 3, init=["#000000", "#FFFFFF", "#C04020"])
    as_array = extract_palette(small_still, 3, init=[[0, 0, 0], [255, 255, 255], [192, 64, 32]])
    assert palette.hex == as_list.hex == as_array.hex


def test_more_colours_fit_better(small_still):
    inertias = [extract_palette(small_still, k).inertia for k in (2, 4, 8)]
    assert inertias[0] > inertias[1] > inertias[2]


# --- ordering ------------------------------------------------------------------


def test_orders(stills):
    palette = extract_palette(stills["coffee"], 8)
    by_share = palette.sorted("share")
    assert (np.diff(by_share.shares) <= 0).all()

    by_lightness = palette.sorted("lightness")
    lightness = rgb2lab(by_lightness.rgb.reshape(-1, 1, 3)).reshape(-1, 3)[:, 0]
    assert (np.diff(lightness) >= 0).all()
    assert by_lightness.order == "lightness"

    by_hue = palette.sorted("hue")
    hsv = rgb2hsv(by_hue.rgb.reshape(-1, 1, 3)).reshape(-1, 3)
    grey = hsv[:, 1] < 0.08
    assert not (grey[:-1] & ~grey[1:]).any()  # the greys come last
    assert (np.diff(hsv[~grey, 0]) >= 0).all()
    assert (np.diff(rgb2lab(by_hue.rgb[grey].reshape(-1, 1, 3)).reshape(-1, 3)[:, 0]) >= 0).all()

    # Reordering keeps each colour with its share.
    for other in (by_lightness, by_hue, extract_palette(stills["coffee"], 8, order="hue")):
        assert sorted(zip(other.hex, other.shares.tolist())) == sorted(zip(palette.hex, palette.shares.tolist()))


def test_hue_order_on_known_colours():
    rgb = np.array([[0, 0, 255], [128, 128, 128], [255, 0, 0], [0, 255, 0], [20, 20, 20], [255, 255, 0]], np.uint8)
    palette = Palette(rgb=rgb, shares=np.full(6, 1 / 6), inertia=0.0)
    assert palette.sorted("hue").hex == ("#FF0000", "#FFFF00", "#00FF00", "#0000FF", "#141414", "#808080")
    assert palette.sorted("lightness").hex[0] == "#141414"


# --- quantize --------------------------------------------------------------------


@pytest.mark.parametrize("space", ["lab", "rgb"])
def test_quantize_is_the_nearest_palette_colour_of_each_pixel(stills, space):
    still = stills["rocket"]
    palette = extract_palette(still, 5, space=space)
    frame = quantize(still, palette)
    assert frame.shape == still.pixels.shape and frame.dtype == np.uint8
    assert {tuple(c) for c in frame.reshape(-1, 3).tolist()} <= {tuple(c) for c in palette.rgb.tolist()}
    distances = palette_distances(still.pixels, palette)
    expected = palette.rgb[distances.argmin(axis=1)]
    clear = ~tied(distances)
    assert clear.mean() > 0.95
    np.testing.assert_array_equal(frame.reshape(-1, 3)[clear], expected[clear])
    # On a tie, the colour taken is one of the nearest.
    index = np.array([palette.hex.index(f"#{r:02X}{g:02X}{b:02X}") for r, g, b in frame.reshape(-1, 3).tolist()])
    taken = distances[np.arange(len(index)), index]
    np.testing.assert_allclose(taken, distances.min(axis=1), rtol=1e-9, atol=1e-9)


def test_quantize_keeps_alpha(alpha_still):
    palette = extract_palette(alpha_still, 4)
    frame = quantize(alpha_still, palette)
    h, w = alpha_still.shape
    assert frame.shape == (h, w, 4)
    np.testing.assert_array_equal(frame[:, :, 3], alpha_still.alpha)
    clear = alpha_still.alpha == 0
    counted = ~clear
    # Transparent pixels keep their values; the others take palette colours.
    np.testing.assert_array_equal(frame[:, :, :3][clear], alpha_still.pixels[clear])
    expected = palette.rgb[nearest_palette_colour(alpha_still.pixels[counted], palette)]
    np.testing.assert_array_equal(frame[:, :, :3][counted], expected)
    # Transparent pixels do not vote: the shares count only the others.
    nearest = nearest_palette_colour(alpha_still.pixels[counted], palette)
    np.testing.assert_allclose(palette.shares, np.bincount(nearest, minlength=4) / counted.sum(), atol=1e-12)


def test_a_palette_applies_to_another_still(stills):
    palette = extract_palette(stills["coffee"], 6)
    frame = quantize(stills["chelsea"], palette)
    expected = palette.rgb[nearest_palette_colour(stills["chelsea"].pixels, palette)]
    np.testing.assert_array_equal(frame.reshape(-1, 3), expected)


# --- the public boundary -----------------------------------------------------------


@pytest.fixture(scope="module")
def one_colour():
    return still_from_pixels(np.full((6, 6, 3), 7, np.uint8))


@pytest.fixture(scope="module")
def five_colours():
    pixels = np.zeros((5, 4, 3), np.uint8)
    pixels[:, :, 0] = np.arange(5)[:, None] * 40
    return still_from_pixels(pixels)


@pytest.mark.parametrize(
    "still_name, k, kwargs, match",
    [
        ("one", 8, {}, r"^k=8 but this still has only 1 distinct colour$"),
        ("five", 12, {}, r"^k=12 but this still has only 5 distinct colours$"),
        ("five", 0, {}, r"k=0 must be an integer >= 1"),
        ("five", -1, {}, r"k=-1 must be an integer >= 1"),
        ("five", 2.0, {}, r"k=2\.0 must be an integer >= 1"),
        ("five", True, {}, r"k=True must be an integer >= 1"),
        ("five", 2, {"init": "#12345G, #000000"}, r"'#12345G' is not a hex colour code"),
        ("five", 2, {"init": "#000000, #00000"}, r"'#00000' is not a hex colour code"),
        ("five", 2, {"init": "#112233, #112233"}, r"seed colour #112233 is given twice"),
        ("five", 2, {"init": ["#abc", "#AABBCC"]}, r"seed colour #AABBCC is given twice"),
        ("five", 2, {"init": [[0, 0, 300], [1, 1, 1]]}, r"seed colour \[0\.0, 0\.0, 300\.0\] is outside sRGB"),
        ("five", 2, {"init": [[0, 0, -1], [1, 1, 1]]}, r"outside sRGB"),
        ("five", 2, {"init": [[0, 0, 0.5], [1, 1, 1]]}, r"outside sRGB"),
        ("five", 2, {"init": [[0, 0], [1, 1]]}, r"seed colours must have shape \(n, 3\)"),
        ("five", 3, {"init": "#000000, #FFFFFF"}, r"2 seed colours were given but k=3"),
        ("five", 1, {"init": "#000000, #FFFFFF"}, r"2 seed colours were given but k=1"),
        ("five", 2, {"init": ""}, r"no seed colours were given"),
        ("five", 2, {"space": "hsv"}, r"space='hsv' is not supported"),
        ("five", 2, {"order": "size"}, r"order='size' must be one of \('share', 'hue', 'lightness'\)"),
        ("five", 2, {"n_init": 0}, r"n_init=0 must be an integer >= 1"),
        ("five", 2, {"init": "#000000, #FFFFFF", "n_init": 2}, r"n_init=2 but manual initial centres"),
    ],
)
def test_extract_palette_rejects(one_colour, five_colours, still_name, k, kwargs, match):
    still = {"one": one_colour, "five": five_colours}[still_name]
    with pytest.raises(ValueError, match=match):
        extract_palette(still, k, **kwargs)


def test_extract_palette_needs_a_still():
    with pytest.raises(ValueError, match=r"still must be a Still from load_still, got ndarray"):
        extract_palette(np.zeros((4, 4, 3), np.uint8), 2)


def test_sorted_rejects_unknown_order(small_still):
    with pytest.raises(ValueError, match=r"order='size' must be one of"):
        extract_palette(small_still, 3).sorted("size")


def test_k_equal_to_the_distinct_colours_gives_them_back(five_colours):
    palette = extract_palette(five_colours, 5, space="rgb", order="lightness")
    assert palette.hex == ("#000000", "#280000", "#500000", "#780000", "#A00000")
    np.testing.assert_allclose(palette.shares, np.full(5, 0.2))
    assert palette.inertia == 0.0
