"""The palette LUT: its pull, its defaults, its .cube file, and the tools colourists use.

The .cube file is read back by colour-science (``colour.read_LUT``) and
applied by OpenColorIO (a ``FileTransform`` on the written file), and both
must agree with :func:`kmeans_core.apply_lut`. Nothing here reads our file
with our own code.
"""

from __future__ import annotations

import locale
import re
import warnings

import numpy as np
import PyOpenColorIO as OCIO
import pytest
from skimage.color import rgb2lab

from bench.lut_defaults import RATIO_BOUND, STEP_BOUND, gradient_still, lut_figures, sample_stills
from kmeans_core import (
    DEFAULT_SMOOTHNESS,
    LUT_SIZES,
    Palette,
    apply_lut,
    export_palette,
    extract_palette,
    identity_lut,
    palette_cube,
    palette_lut,
    to_cube,
)
from kmeans_core.lut import MAX_SMOOTHNESS
from tests.colour_science import colour, table_interpolation_tetrahedral, table_interpolation_trilinear

DATA_LINE = re.compile(r"[01]\.\d{6} [01]\.\d{6} [01]\.\d{6}")


@pytest.fixture(scope="module")
def stills():
    return sample_stills()


@pytest.fixture(scope="module")
def palettes(stills):
    return {name: extract_palette(still, 8) for name, still in stills.items()}


@pytest.fixture(scope="module")
def chelsea(stills, palettes):
    return stills["chelsea"], palettes["chelsea"]


def _nodes_lab(lut: np.ndarray) -> np.ndarray:
    return rgb2lab(lut.reshape(-1, 3))


# --------------------------------------------------------------------------- the defaults


@pytest.mark.parametrize("k", [6, 8])
def test_default_meets_both_bounds_on_photos_and_gradients(stills, k):
    for name, still in stills.items():
        palette = extract_palette(still, k)
        ratio, step = lut_figures(still, palette)
        assert ratio <= RATIO_BOUND, (name, k, ratio)
        assert step <= STEP_BOUND, (name, k, step)


def test_snapping_to_the_nearest_colour_misses_the_smoothness_bound(stills, palettes):
    # The bound can fail: smoothness 0 is nearest-colour snapping, which bands.
    steps = [lut_figures(still, palettes[name], smoothness=0.0)[1] for name, still in stills.items()]
    assert max(steps) > 0.3


def test_a_graded_gradient_stays_a_gradient(palettes):
    still = gradient_still()
    palette = extract_palette(still, 6)
    jumps = {}
    for smoothness in (0.0, DEFAULT_SMOOTHNESS):
        graded = apply_lut(still.pixels, palette_lut(palette, smoothness=smoothness)).astype(int)
        jumps[smoothness] = np.abs(np.diff(graded, axis=1)).max()
    assert jumps[0.0] >= 20  # snapping cuts bands into the ramps, even between the LUT's nodes
    assert jumps[DEFAULT_SMOOTHNESS] <= 4  # the soft pull keeps them ramps (each input step is ~1 level)


# --------------------------------------------------------------------------- strength, smoothness, lightness


@pytest.mark.parametrize("size", LUT_SIZES)
def test_strength_zero_is_exactly_the_identity(chelsea, size):
    still, palette = chelsea
    lut = palette_lut(palette, size=size, strength=0.0)
    axis = np.arange(size) / (size - 1)
    assert lut.shape == (size, size, size, 3)
    np.testing.assert_array_equal(lut[:, 0, 0, 0], axis)
    np.testing.assert_array_equal(lut[3, :, 0, 1], axis)
    np.testing.assert_array_equal(lut[0, 5, :, 2], axis)
    np.testing.assert_array_equal(lut, identity_lut(size))
    for method in ("tetrahedral", "trilinear"):
        np.testing.assert_array_equal(apply_lut(still.pixels, lut, method=method), still.pixels)


def test_strength_blends_linearly(chelsea):
    _, palette = chelsea
    full, half = palette_lut(palette, strength=1.0), palette_lut(palette, strength=0.5)
    np.testing.assert_allclose(half, 0.5 * (identity_lut(33) + full), atol=1e-12)
    assert np.abs(full - identity_lut(33)).max() > 0.2


def test_sharpest_sends_every_colour_to_its_nearest_palette_colour(chelsea):
    _, palette = chelsea
    lut = palette_lut(palette, size=17, smoothness=0.0)
    nodes = identity_lut(17).reshape(-1, 3)
    palette_lab = rgb2lab(palette.rgb.reshape(-1, 1, 3) / 255.0).reshape(-1, 3)
    distances = ((rgb2lab(nodes)[:, None, :] - palette_lab[None]) ** 2).sum(axis=2)
    nearest = palette.rgb[np.argmin(distances, axis=1)] / 255.0
    np.testing.assert_allclose(lut.reshape(-1, 3), nearest, atol=1e-5)


def test_softest_barely_moves(chelsea):
    _, palette = chelsea
    moved = [np.abs(palette_lut(palette, smoothness=s) - identity_lut(33)).mean() for s in (0.1, 0.25, 1.0, 10.0)]
    assert moved == sorted(moved, reverse=True)  # softer, less
    softest = palette_lut(palette, smoothness=MAX_SMOOTHNESS)
    assert np.abs(softest - identity_lut(33)).max() < 0.02


def test_preserve_lightness_keeps_l_and_moves_hue(chelsea):
    _, palette = chelsea
    lut = palette_lut(palette, preserve_lightness=True)
    before, after = _nodes_lab(identity_lut(33)), _nodes_lab(lut)
    assert np.abs(after[:, 0] - before[:, 0]).max() < 0.2
    moved_ab = np.hypot(*(after[:, 1:] - before[:, 1:]).T)
    assert moved_ab.mean() > 5.0  # the pull is still there, in a* and b*
    plain = _nodes_lab(palette_lut(palette))
    assert np.abs(plain[:, 0] - before[:, 0]).mean() > 5.0  # and without the option L* moves


def test_one_colour_palette_pulls_everything_to_it():
    grey = Palette(rgb=np.array([[128, 128, 128]], dtype=np.uint8), shares=np.array([1.0]), inertia=0.0)
    np.testing.assert_allclose(palette_lut(grey, size=17).reshape(-1, 3), 128 / 255, atol=1e-5)


@pytest.mark.parametrize(
    "options, match",
    [
        ({"size": 32}, r"size=32 must be one of \(17, 33, 65\)"),
        ({"size": 33.0}, r"size=33\.0 must be one of"),
        ({"size": True}, r"size=True"),
        ({"strength": -0.1}, r"strength=-0\.1 must be a number from 0 to 1"),
        ({"strength": 1.5}, r"strength=1\.5"),
        ({"strength": float("nan")}, r"strength=nan"),
        ({"strength": "1"}, r"strength='1'"),
        ({"strength": True}, r"strength=True"),
        ({"smoothness": -1}, r"smoothness=-1 must be a number from 0 to 100"),
        ({"smoothness": 101}, r"smoothness=101"),
        ({"smoothness": float("inf")}, r"smoothness=inf"),
        ({"smoothness": None}, r"smoothness=None"),
        ({"preserve_lightness": "yes"}, r"preserve_lightness='yes' must be True or False"),
    ],
)
def test_palette_lut_rejects_bad_options(chelsea, options, match):
    with pytest.raises(ValueError, match=match):
        palette_lut(chelsea[1], **options)


def test_palette_lut_rejects_something_that_is_not_a_palette():
    with pytest.raises(ValueError, match=r"palette must be a Palette from extract_palette, got ndarray"):
        palette_lut(np.zeros((3, 3), dtype=np.uint8))


# --------------------------------------------------------------------------- apply_lut


def test_apply_lut_keeps_alpha(chelsea):
    still, palette = chelsea
    alpha = np.full(still.shape, 7, dtype=np.uint8)
    frame = np.dstack([still.pixels, alpha])
    lut = palette_lut(palette)
    out = apply_lut(frame, lut)
    assert out.shape == frame.shape and out.dtype == np.uint8
    np.testing.assert_array_equal(out[:, :, 3], alpha)
    np.testing.assert_array_equal(out[:, :, :3], apply_lut(still.pixels, lut))


@pytest.mark.parametrize("method, interpolator", [("tetrahedral", None), ("trilinear", None)])
def test_apply_lut_matches_colour_science(chelsea, method, interpolator):
    still, palette = chelsea
    lut = palette_lut(palette, size=17)
    table = {"tetrahedral": table_interpolation_tetrahedral, "trilinear": table_interpolation_trilinear}[method]
    reference = colour.LUT3D(table=lut).apply(still.pixels / 255.0, interpolator=table)
    ours = apply_lut(still.pixels, lut, method=method) / 255.0
    assert np.abs(ours - reference).max() <= 0.5 / 255 + 1e-6


@pytest.mark.parametrize(
    "frame, lut, method, match",
    [
        (
            np.zeros((2, 2, 3)),
            identity_lut(3),
            "tetrahedral",
            r"frame must be .* got shape \(2, 2, 3\) and dtype float64",
        ),
        (np.zeros((2, 2), np.uint8), identity_lut(3), "tetrahedral", r"got shape \(2, 2\)"),
        (
            np.zeros((2, 2, 3), np.uint8),
            np.zeros((3, 3, 4, 3)),
            "tetrahedral",
            r"lut must be .* got shape \(3, 3, 4, 3\)",
        ),
        (np.zeros((2, 2, 3), np.uint8), np.full((2, 2, 2, 3), np.nan), "tetrahedral", r"lut must be a finite"),
        (np.zeros((2, 2, 3), np.uint8), identity_lut(3), "cubic", r"method='cubic' must be one of"),
    ],
)
def test_apply_lut_rejects_bad_input(frame, lut, method, match):
    with pytest.raises(ValueError, match=match):
        apply_lut(frame, lut, method=method)


# --------------------------------------------------------------------------- the .cube text


def _data_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and (line[0].isdigit() or line[0] == "-")]


def test_cube_layout_red_fastest_six_decimals_clamped():
    rng = np.random.default_rng(3)
    n = 17
    lut = rng.uniform(-0.3, 1.3, size=(n, n, n, 3))
    lut[2, 0, 0] = (-0.0, 0.5, 1.0)
    text = to_cube(lut, title='My "look"\nTITLE "x"', comments=["first", "second\nline"])
    lines = text.splitlines()
    assert lines[:4] == ["# first", "# second line", "TITLE \"My 'look' TITLE 'x'\"", f"LUT_3D_SIZE {n}"]
    data = lines[4:]
    assert len(data) == n**3 and text.endswith("\n")
    assert all(DATA_LINE.fullmatch(line) for line in data)
    assert "-0.000000" not in text and "," not in text
    values = np.array([[float(v) for v in line.split()] for line in data])
    assert values.min() == 0.0 and values.max() == 1.0
    for r, g, b in [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (5, 7, 11), (16, 16, 16), (2, 0, 0)]:
        index = r + n * g + n * n * b
        np.testing.assert_allclose(values[index], np.clip(lut[r, g, b], 0, 1), atol=5e-7)
    assert data[2] == "0.000000 0.500000 1.000000"


def test_cube_numbers_ignore_the_locale():
    lut = palette_lut(
        Palette(rgb=np.array([[10, 200, 30], [240, 20, 90]], np.uint8), shares=np.array([0.5, 0.5]), inertia=0), size=17
    )
    expected = to_cube(lut)
    previous = locale.setlocale(locale.LC_ALL)
    tried = []
    try:
        for name in ("de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "C.UTF-8"):
            try:
                locale.setlocale(locale.LC_ALL, name)
            except locale.Error:
                continue
            tried.append(name)
            assert to_cube(lut) == expected
    finally:
        locale.setlocale(locale.LC_ALL, previous)
    assert all(DATA_LINE.fullmatch(line) for line in _data_lines(expected))
    assert "," not in expected


def test_palette_cube_says_what_made_it(chelsea):
    _, palette = chelsea
    text = palette_cube(palette, size=17, strength=0.75, smoothness=0.3, name="Chelsea.jpg")
    head = text.splitlines()[:6]
    comments = [line for line in head if line.startswith("#")]
    title = next(line for line in head if line.startswith("TITLE"))
    assert head[len(comments)] == title and head[len(comments) + 1] == "LUT_3D_SIZE 17"
    for needle in (*palette.hex, "k=8", "strength 0.75", "smoothness 0.3"):
        assert needle in title, needle
        assert any(needle in line for line in comments), needle
    assert "Chelsea.jpg" in title
    assert any("Rec.709/sRGB" in line and "not for log" in line for line in comments)
    assert len(_data_lines(text)) == 17**3
    assert export_palette(palette, "cube", name="Chelsea.jpg", size=17, strength=0.75, smoothness=0.3) == text


def test_to_cube_rejects_bad_luts():
    with pytest.raises(ValueError, match=r"got shape \(4, 4, 4\)"):
        to_cube(np.zeros((4, 4, 4)))
    with pytest.raises(ValueError, match=r"not finite"):
        to_cube(np.full((2, 2, 2, 3), np.inf))


# --------------------------------------------------------------------------- colour-science and OpenColorIO


@pytest.fixture(scope="module")
def cube_file(tmp_path_factory, chelsea):
    _, palette = chelsea
    path = tmp_path_factory.mktemp("cube") / "look.cube"
    path.write_text(palette_cube(palette, name="chelsea.jpg"), encoding="ascii")
    return path, palette_lut(palette)


def test_cube_parses_in_colour_science(cube_file):
    path, lut = cube_file
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = colour.read_LUT(str(path))
    assert isinstance(read, colour.LUT3D)
    assert read.size == 33 and read.table.shape == (33, 33, 33, 3)
    np.testing.assert_allclose(read.table, lut, atol=5e-7)
    np.testing.assert_array_equal(read.domain, [[0, 0, 0], [1, 1, 1]])
    assert "#" in read.name and "k=8" in read.name


def _ocio_apply(path, pixels: np.ndarray, interpolation) -> np.ndarray:
    config = OCIO.Config.CreateRaw()
    transform = OCIO.FileTransform(src=str(path), interpolation=interpolation, direction=OCIO.TRANSFORM_DIR_FORWARD)
    processor = config.getProcessor(transform).getDefaultCPUProcessor()
    image = np.ascontiguousarray(pixels, dtype=np.float32) / np.float32(255.0)
    processor.applyRGB(image)
    return image


@pytest.mark.parametrize(
    "method, interpolation", [("tetrahedral", OCIO.INTERP_TETRAHEDRAL), ("trilinear", OCIO.INTERP_LINEAR)]
)
def test_opencolorio_matches_apply_lut_on_every_pixel(cube_file, chelsea, method, interpolation):
    path, lut = cube_file
    still, _ = chelsea
    by_ocio = _ocio_apply(path, still.pixels, interpolation)
    ours = apply_lut(still.pixels, lut, method=method).astype(np.float32) / 255.0
    assert np.abs(by_ocio - ours).max() <= 1.0 / 255.0
    assert np.abs(by_ocio - still.pixels / 255.0).max() > 0.1  # the LUT does something


def test_opencolorio_returns_the_input_at_strength_zero(tmp_path, chelsea):
    still, palette = chelsea
    path = tmp_path / "identity.cube"
    path.write_text(palette_cube(palette, strength=0.0), encoding="ascii")
    by_ocio = _ocio_apply(path, still.pixels, OCIO.INTERP_TETRAHEDRAL)
    np.testing.assert_allclose(by_ocio, still.pixels / 255.0, atol=1e-6)
