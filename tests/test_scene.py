"""Scenes: the scene palette, drift between stills, tonal ranges (issue 9)."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.color import deltaE_ciede2000

import kmeans_core as kc
from kmeans_core.colorspace import rgb_to_space


def reframings(photo, name: str, n: int, side: int = 140) -> list[kc.Still]:
    """n crops of one photo, each shifted 2 pixels from the last: frames of one shot."""
    pixels = photo(name, 160)
    return [
        kc.still_from_pixels(np.ascontiguousarray(pixels[2 * i : 2 * i + side, 2 * i : 2 * i + side])) for i in range(n)
    ]


def test_pixels_weighting_equals_the_palette_of_the_tiled_still(photo):
    stills = [
        kc.still_from_pixels(np.ascontiguousarray(photo(name, 100)[:60, :90]))
        for name in ("astronaut", "coffee", "chelsea")
    ]
    tiled = kc.still_from_pixels(np.concatenate([s.pixels for s in stills], axis=0))
    expected = kc.extract_palette(tiled, 6)
    got = kc.scene_palette(stills, 6, weighting="pixels")
    assert np.array_equal(got.rgb, expected.rgb)
    np.testing.assert_allclose(got.shares, expected.shares, rtol=0, atol=1e-12)
    assert got.inertia == pytest.approx(expected.inertia, rel=1e-12)


def test_equal_weighting_gives_a_small_still_the_weight_of_a_large_one():
    red = kc.still_from_pixels(np.full((10, 10, 3), (220, 20, 20), np.uint8))
    blue = kc.still_from_pixels(np.full((100, 100, 3), (20, 20, 220), np.uint8))
    equal = kc.scene_palette([red, blue], 2, weighting="equal")
    np.testing.assert_allclose(sorted(equal.shares), [0.5, 0.5])
    pixels = kc.scene_palette([red, blue], 2, weighting="pixels")
    np.testing.assert_allclose(sorted(pixels.shares), [100 / 10100, 10000 / 10100])
    merged = kc.scene_histogram([red, blue])
    assert merged.n_pixels == pytest.approx(2 * 5050)


def test_a_scene_needs_a_still_and_a_known_weighting(small_still):
    with pytest.raises(ValueError, match="at least one still"):
        kc.scene_palette([], 3)
    with pytest.raises(ValueError, match=r"weighting='frames' must be one of \('equal', 'pixels'\)"):
        kc.scene_palette([small_still], 3, weighting="frames")


def test_the_odd_frame_is_flagged_and_no_other(photo):
    scene = reframings(photo, "chelsea", 6) + reframings(photo, "coffee", 1)
    palette = kc.scene_palette(scene, 8)
    result = kc.scene_drift(scene, palette)
    assert result.flagged.tolist() == [False] * 6 + [True]
    same = np.where(np.array([s.shares for s in result.stills[:6]]) >= 0.02, result.drift[:6], 0)
    assert np.nanmax(same) < 4.5  # as measured on reframings of one film frame
    odd = result.stills[-1]
    for i in odd.flagged:  # each colour named covers >= 2% and drifts > 5
        assert odd.shares[i] >= 0.02 and odd.drift[i] > 5
    assert result.flagged_hex(6) == tuple(palette.hex[i] for i in odd.flagged)
    # A tighter threshold flags more; a looser one none.
    assert not kc.scene_drift(scene, palette, threshold=1000).flagged.any()


def test_drift_figures_are_those_of_the_redrawn_stills_and_of_histogram_drift(photo):
    scene = reframings(photo, "chelsea", 2) + reframings(photo, "rocket", 1)
    palette = kc.scene_palette(scene, 5, weighting="pixels")
    result = kc.scene_drift(scene, palette)
    for still, row in zip(scene, result.stills, strict=True):
        quality = kc.frame_quality(still, kc.quantize(still, palette))
        assert row.delta_e_mean == pytest.approx(quality.mean, rel=1e-12)
        assert row.delta_e_p95 == pytest.approx(quality.p95, rel=1e-12)
        own = kc.histogram_drift(still.histogram.colors, still.histogram.counts, palette)
        np.testing.assert_allclose(row.drift, own.drift, rtol=1e-12, equal_nan=True)
        np.testing.assert_allclose(row.shares, own.shares, rtol=1e-12)
    assert result.drift.shape == (3, 5)


def test_locked_colours_never_move_and_are_all_in_the_palette(photo):
    still = kc.still_from_pixels(np.ascontiguousarray(photo("coffee", 120)))
    locked = ["#1A2B3C", "#F0E0D0"]
    for refine in ("median", "none"):
        palette = kc.extract_palette(still, 6, locked=locked, refine=refine)
        assert palette.k == 6
        assert set(locked) <= set(palette.hex)
        assert palette.locked == tuple(locked)


def test_no_lock_is_todays_palette_and_every_lock_is_the_fixed_palette(photo):
    still = kc.still_from_pixels(np.ascontiguousarray(photo("chelsea", 120)))
    today = kc.extract_palette(still, 5)
    none_locked = kc.extract_palette(still, 5, locked=[])
    assert np.array_equal(today.rgb, none_locked.rgb) and np.array_equal(today.shares, none_locked.shares)
    assert today.inertia == none_locked.inertia
    colors = ["#202020", "#806040", "#C0A080", "#405060", "#E0E0E0"]
    every = kc.extract_palette(still, 5, locked=colors)
    fixed = kc.apply_palette(still, colors)
    assert every.hex == fixed.hex and np.array_equal(every.shares, fixed.shares)
    assert every.inertia == fixed.inertia and every.init == "fixed"


def test_free_colours_are_a_fixed_point_of_lloyd_given_the_locked_ones():
    rng = np.random.default_rng(3)
    X = np.concatenate([rng.normal(c, 4.0, (40, 3)) for c in ((20, 0, 0), (60, 30, -20), (80, -30, 30), (40, 40, 40))])
    w = rng.integers(1, 5, len(X)).astype(float)
    locked = np.array([[50.0, 0.0, 0.0], [70.0, 10.0, 10.0]])
    result = kc.kmeans(X, 5, sample_weight=w, locked=locked, seed=1, tol=0)
    assert np.array_equal(result.centers[:2], locked)
    # Brute force: assign every point to its nearest centre, recompute the free centroids.
    sq = ((X[:, None, :] - result.centers[None]) ** 2).sum(axis=2)
    labels = sq.argmin(axis=1)
    assert np.array_equal(labels, result.labels)
    for j in range(2, 5):
        members = labels == j
        assert members.any()
        np.testing.assert_allclose(result.centers[j], (w[members] @ X[members]) / w[members].sum(), atol=1e-9)
    assert result.inertia == pytest.approx(float(w @ sq[np.arange(len(X)), labels]), rel=1e-12)


def test_locked_colours_are_checked(small_still):
    with pytest.raises(ValueError, match="3 locked colours were given but k=2"):
        kc.extract_palette(small_still, 2, locked=["#000000", "#FFFFFF", "#FF0000"])
    with pytest.raises(ValueError, match="'#12345' is not a hex colour"):
        kc.extract_palette(small_still, 4, locked="#12345")
    with pytest.raises(ValueError, match="2 seed colours were given but k=4 with 1 locked; give 3"):
        kc.extract_palette(small_still, 4, locked="#000000", init=["#111111", "#222222"])


def grey_street(red_fraction: float = 0.007) -> kc.Still:
    """Greys of a street, with noise, and a small red coat."""
    rng = np.random.default_rng(0)
    h, w = 120, 200
    base = np.repeat(np.linspace(0, 255, w)[None, :], h, axis=0)
    grey = np.clip(base[..., None] + rng.normal(0, 3, (h, w, 1)), 0, 255)
    pixels = np.repeat(grey, 3, axis=2)
    side = int(round(np.sqrt(red_fraction * h * w)))
    pixels[50 : 50 + side, 90 : 90 + side] = np.clip(rng.normal((200, 30, 35), 4, (side, side, 3)), 0, 255)
    return kc.still_from_pixels(pixels.astype(np.uint8))


def is_red(rgb) -> bool:
    r, g, b = (int(v) for v in rgb)
    return r > 150 and g < 80 and b < 80


def test_accents_keep_the_red_coat_that_k_means_loses():
    still = grey_street()
    plain = kc.extract_palette(still, 3)
    assert not any(is_red(c) for c in plain.rgb)
    kept = kc.extract_palette(still, 3, accents=True)
    assert kept.k == 4 and sum(kept.accents) == 1
    accent = kept.rgb[list(kept.accents).index(True)]
    assert is_red(accent)
    assert kept.shares[list(kept.accents).index(True)] == pytest.approx(0.007, abs=0.002)
    # Too small for the share asked: no accent.
    assert kc.extract_palette(still, 3, accents=True, accent_share=0.05).k == 3
    # Accents survive the JSON round trip.
    again = kc.palette_from_json(kc.to_json(kept))
    assert again.accents == kept.accents and again.hex == kept.hex


def test_two_accents_far_apart_are_two_and_one_coat_is_one():
    assert sum(kc.extract_palette(grey_street(0.012), 3, accents=True).accents) == 1
    still = grey_street()
    pixels = np.array(still.pixels)
    pixels[10:24, 10:24] = (30, 60, 210)  # a blue sign too
    two = kc.extract_palette(kc.still_from_pixels(pixels), 3, accents=True)
    assert sum(two.accents) == 2


def test_tonal_ranges_split_by_lightness_with_shares(photo):
    still = kc.still_from_pixels(np.ascontiguousarray(photo("astronaut", 120)))
    ranges = kc.tonal_ranges(still)
    assert [r.band.name for r in ranges] == ["Shadows", "Midtones", "Highlights"]
    lightness = rgb_to_space(still.histogram.colors, "lab")[:, 0]
    counts = still.histogram.counts
    expected = [
        counts[lightness < 33].sum(),
        counts[(lightness >= 33) & (lightness < 66)].sum(),
        counts[lightness >= 66].sum(),
    ]
    np.testing.assert_allclose([r.share for r in ranges], np.array(expected) / counts.sum())
    for r in ranges:
        assert r.palette.k == 3
        colour_l = rgb_to_space(r.palette.rgb, "lab")[:, 0]
        assert (colour_l >= r.band.low - 1).all() and (colour_l <= r.band.high + 1).all()
    custom = kc.tonal_ranges(still, bands=[kc.TonalBand("Dark", 0, 50, 2), kc.TonalBand("Light", 50, 100, 4)])
    assert [r.palette.k for r in custom] == [2, 4]
    assert sum(r.share for r in custom) == pytest.approx(1.0)


def test_an_empty_band_has_no_palette_and_bad_bands_are_refused():
    still = kc.still_from_pixels(np.full((8, 8, 3), 250, np.uint8))
    shadows, midtones, highlights = kc.tonal_ranges(still)
    assert shadows.palette is None and shadows.share == 0 and highlights.share == 1
    assert highlights.palette.k == 1
    with pytest.raises(ValueError, match="L\\* 60 to 40 must run upwards"):
        kc.tonal_ranges(still, bands=[kc.TonalBand("Odd", 60, 40)])


def test_scene_tonal_ranges_use_the_scene_histogram(photo):
    scene = reframings(photo, "rocket", 3)
    merged = kc.scene_histogram(scene)
    ranges = kc.tonal_ranges(merged)
    assert sum(r.share for r in ranges) == pytest.approx(1.0)


def test_fixed_palette_on_a_histogram_measures_its_shares(photo):
    scene = reframings(photo, "coffee", 2)
    merged = kc.scene_histogram(scene, weighting="pixels")
    colors = ["#402010", "#C0A080", "#F0F0F0"]
    fixed = kc.apply_palette_to_histogram(merged.colors, merged.counts, colors)
    tiled = kc.still_from_pixels(np.concatenate([s.pixels for s in scene]))
    expected = kc.apply_palette(tiled, colors)
    assert fixed.hex == expected.hex
    np.testing.assert_allclose(fixed.shares, expected.shares, rtol=1e-12)
    de = deltaE_ciede2000(rgb_to_space(fixed.rgb, "lab")[:1], rgb_to_space(fixed.rgb, "lab")[:1])
    assert de[0] == 0
