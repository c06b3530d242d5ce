"""A palette as a look: a 3D LUT that pulls every colour towards the palette.

:func:`palette_lut` builds the LUT, a grid of sRGB colours indexed
``[r, g, b]``; :func:`apply_lut` applies one to an 8-bit frame (trilinear or
tetrahedral interpolation), for previews. Writing the ``.cube`` file is
:func:`kmeans_core.exports.to_cube`.

The pull
--------
Every grid colour ``x`` is moved in CIELAB. With ``d_i`` the CIELAB
distance (ΔE76) from ``x`` to palette colour ``c_i``, the palette colours
get softmax weights ``w_i ∝ exp(-d_i / τ)`` and the target is their
weighted mean ``t = Σ w_i c_i``. The colour moves towards it by its
*confidence* ``a = (max w - 1/k) / (1 - 1/k)``: the whole way deep inside
one palette colour's region, hardly at all where palette colours compete
(between regions, where snapping to the nearest colour would cut a band).
So the pulled colour is ``x + a (t - x)``.

The scale ``τ`` is ``smoothness`` times the palette's spacing: the mean,
over its colours, of the CIELAB distance to the nearest other colour. The
LUT's steepest slope goes as the jump between neighbouring palette colours
over ``τ``, so a relative scale keeps gradients smooth for a palette of
far-apart colours and still pulls hard for one of close colours; one
default fits both (``bench/lut_defaults.py``).

- As ``smoothness`` goes to 0, the weights become one-hot and ``a`` 1:
  every colour goes to its nearest palette colour (``smoothness=0`` is
  exactly that).
- As it grows, the weights even out and ``a`` goes to 0: colours barely
  move. (A one-colour palette has no competition: every colour goes to it.)
- ``strength`` blends the identity (0, exactly) with the pulled grid (1),
  in sRGB, like a LUT's opacity in a grading application.
- ``preserve_lightness`` keeps each colour's L* and pulls only a* and b*;
  where that leaves sRGB, the pull is shortened until it fits.
"""

from __future__ import annotations

import numbers

import numpy as np
from skimage.color import lab2rgb, rgb2lab

from kmeans_core._docs import LUT, fill_doc
from kmeans_core.colorspace import rgb_to_space
from kmeans_core.palette import Palette, check_frame, check_palette

__all__ = [
    "DEFAULT_LUT_SIZE",
    "DEFAULT_SMOOTHNESS",
    "INTERPOLATIONS",
    "LUT_SIZES",
    "MAX_SMOOTHNESS",
    "apply_lut",
    "identity_lut",
    "palette_lut",
]

#: The grid sizes offered: 17, 33 and 65 nodes per axis, as grading tools expect.
LUT_SIZES = (17, 33, 65)
DEFAULT_LUT_SIZE = 33

#: The default smoothness: the pull's scale τ over the palette's spacing,
#: chosen by measuring (bench/lut_defaults.py): at k from 4 to 12 on the
#: sample photos and on synthetic gradients, the graded still's mean
#: CIEDE2000 to the quantized one is at most 0.69 of the original's, and
#: neighbouring nodes of a 33³ LUT differ by at most 0.19.
DEFAULT_SMOOTHNESS = 0.25
#: The softest pull accepted; there colours barely move.
MAX_SMOOTHNESS = 100.0

INTERPOLATIONS = ("tetrahedral", "trilinear")

# Pixels interpolated per step of apply_lut, to bound memory.
_CHUNK = 1 << 16
# Halvings of the a*b* pull when preserve_lightness leaves the sRGB gamut.
_GAMUT_STEPS = 12
_GAMUT_TOLERANCE = 0.1  # CIELAB units


def _check_number(label: str, value, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= float(value) <= high:
        raise ValueError(f"{label}={value!r} must be a number from {low:g} to {high:g}")
    return float(value)


def identity_lut(size: int = DEFAULT_LUT_SIZE) -> np.ndarray:
    """The LUT that changes nothing: node ``[r, g, b]`` holds ``(r, g, b) / (size - 1)``.

    Parameters
    ----------
    size : int, default 33
        Nodes per axis, at least 2.

    Returns
    -------
    ndarray of shape (size, size, size, 3), float64
    """
    if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 2:
        raise ValueError(f"size={size!r} must be an integer >= 2")
    axis = np.linspace(0.0, 1.0, int(size))
    r, g, b = np.meshgrid(axis, axis, axis, indexing="ij")
    return np.stack([r, g, b], axis=-1)


@fill_doc(LUT)
def palette_lut(
    palette: Palette,
    *,
    size: int = DEFAULT_LUT_SIZE,
    strength: float = 1.0,
    smoothness: float = DEFAULT_SMOOTHNESS,
    preserve_lightness: bool = False,
) -> np.ndarray:
    """A 3D LUT that pulls colours softly towards the palette, in CIELAB.

    Parameters
    ----------
    palette : Palette
    {{size, strength, smoothness, preserve_lightness}}

    Returns
    -------
    ndarray of shape (size, size, size, 3), float64
        sRGB values in [0, 1], indexed ``[r, g, b]``: node ``[i, j, l]`` is
        where the colour ``(i, j, l) / (size - 1)`` goes.

    Raises
    ------
    ValueError
        For a bad parameter, echoing it.
    """
    check_palette(palette)
    if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size not in LUT_SIZES:
        raise ValueError(f"size={size!r} must be one of {LUT_SIZES}")
    strength = _check_number("strength", strength, 0.0, 1.0)
    smoothness = _check_number("smoothness", smoothness, 0.0, MAX_SMOOTHNESS)
    if not isinstance(preserve_lightness, bool):
        raise ValueError(f"preserve_lightness={preserve_lightness!r} must be True or False")
    identity = identity_lut(int(size))
    if strength == 0.0:
        return identity
    grid = identity.reshape(-1, 3)
    pulled = _pull(grid, rgb_to_space(palette.rgb, "lab"), smoothness, preserve_lightness)
    lut = grid + strength * (pulled - grid) if strength < 1.0 else pulled
    return np.clip(lut, 0.0, 1.0).reshape(identity.shape)


def _pull(rgb: np.ndarray, centers: np.ndarray, smoothness: float, preserve_lightness: bool) -> np.ndarray:
    """The fully pulled sRGB colours (strength 1) of ``(n, 3)`` sRGB colours in [0, 1]."""
    lab = rgb2lab(rgb)
    weights = _weights(lab, centers, smoothness)
    k = len(centers)
    confidence = np.ones(len(lab)) if k == 1 else (weights.max(axis=1) - 1.0 / k) / (1.0 - 1.0 / k)
    shift = confidence[:, None] * (weights @ centers - lab)
    if not preserve_lightness:
        return np.clip(lab2rgb(lab + shift), 0.0, 1.0)
    shift[:, 0] = 0.0
    return _pull_into_gamut(lab, shift)


def _spacing(centers: np.ndarray) -> float:
    """The mean CIELAB distance from each palette colour to its nearest other one (1 for k=1)."""
    if len(centers) == 1:
        return 1.0
    between = np.sqrt(((centers[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(between, np.inf)
    return max(float(between.min(axis=1).mean()), 1e-6)


def _weights(lab: np.ndarray, centers: np.ndarray, smoothness: float) -> np.ndarray:
    """Softmax weights of the palette colours for each point, rows summing to 1."""
    sq_dist = (lab**2).sum(axis=1)[:, None] - 2.0 * lab @ centers.T + (centers**2).sum(axis=1)[None, :]
    if smoothness == 0.0:
        weights = np.zeros_like(sq_dist)
        weights[np.arange(len(lab)), np.argmin(sq_dist, axis=1)] = 1.0
        return weights
    logits = np.sqrt(np.maximum(sq_dist, 0.0)) / (-smoothness * _spacing(centers))
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=1, keepdims=True)


def _pull_into_gamut(lab: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """sRGB of ``lab + shift``, with the shift shortened where the result leaves sRGB.

    The colour itself (shift 0) is in gamut, so bisection on the shift's
    length finds the longest fraction of it that stays in (to within
    2^-12 of the shift).
    """
    out = lab2rgb(lab + shift)
    outside = np.flatnonzero(_out_of_gamut(lab + shift, out))
    if len(outside):
        base, step = lab[outside], shift[outside]
        low, high = np.zeros(len(outside)), np.ones(len(outside))
        for _ in range(_GAMUT_STEPS):
            mid = 0.5 * (low + high)
            trial = base + mid[:, None] * step
            bad = _out_of_gamut(trial, lab2rgb(trial))
            high = np.where(bad, mid, high)
            low = np.where(bad, low, mid)
        out[outside] = lab2rgb(base + low[:, None] * step)
    return np.clip(out, 0.0, 1.0)


def _out_of_gamut(lab: np.ndarray, rgb: np.ndarray) -> np.ndarray:
    """Where ``rgb`` (lab2rgb of ``lab``, which clips) does not convert back to ``lab``."""
    return np.abs(rgb2lab(rgb) - lab).max(axis=1) > _GAMUT_TOLERANCE


def apply_lut(frame: np.ndarray, lut: np.ndarray, *, method: str = "tetrahedral") -> np.ndarray:
    """Apply a 3D LUT to an 8-bit frame.

    Parameters
    ----------
    frame : ndarray of shape (h, w, 3) or (h, w, 4), uint8
        sRGB; a fourth (alpha) channel is kept as it is.
    lut : ndarray of shape (n, n, n, 3)
        Values in [0, 1] indexed ``[r, g, b]``, as from :func:`palette_lut`;
        ``n`` at least 2.
    method : {"tetrahedral", "trilinear"}, default "tetrahedral"
        Tetrahedral interpolation (what grading tools use, and OpenColorIO's
        best) splits each grid cell into six tetrahedra and keeps the grey
        axis exact; trilinear blends the cell's eight corners.

    Returns
    -------
    ndarray of the frame's shape, uint8
        Rounded to the nearest 8-bit value, after clamping to [0, 1].

    Raises
    ------
    ValueError
        For a bad frame, LUT or method, echoing it.
    """
    frame = check_frame(frame)
    lut = np.asarray(lut)
    n = lut.shape[0] if lut.ndim == 4 else 0
    if lut.shape != (n, n, n, 3) or n < 2 or not np.issubdtype(lut.dtype, np.floating) or not np.isfinite(lut).all():
        raise ValueError(f"lut must be a finite float array of shape (n, n, n, 3) with n >= 2, got shape {lut.shape}")
    if method not in INTERPOLATIONS:
        raise ValueError(f"method={method!r} must be one of {INTERPOLATIONS}")
    interpolate = _tetrahedral if method == "tetrahedral" else _trilinear
    channels = _node_channels(lut)
    position = np.arange(256, dtype=np.float64) * ((n - 1) / 255.0)
    cell = np.minimum(np.floor(position), n - 2).astype(np.intp)
    tables = (cell * (n * n), cell * n, cell, (position - cell).astype(np.float32))
    pixels = frame.reshape(-1, frame.shape[2])
    out = np.empty((len(pixels), 3), dtype=np.uint8)
    for start in range(0, len(pixels), _CHUNK):
        chunk = pixels[start : start + _CHUNK]
        values = interpolate(channels, n, tables, chunk[:, 0], chunk[:, 1], chunk[:, 2])
        np.clip(values, 0.0, 1.0, out=values)
        values *= 255.0
        out[start : start + _CHUNK] = np.rint(values)
    result = out.reshape(*frame.shape[:2], 3)
    return np.dstack([result, frame[:, :, 3]]) if frame.shape[2] == 4 else result


def _node_channels(lut: np.ndarray) -> tuple[np.ndarray, ...]:
    """The LUT's red, green and blue node values, each flat in ``[r, g, b]`` order, float32.

    One channel at a time, gathers and products run over contiguous 1-D
    arrays, about twice as fast as over the rows of an ``(n³, 3)`` array.
    """
    flat = lut.reshape(-1, 3).astype(np.float32)
    return tuple(np.ascontiguousarray(flat[:, channel]) for channel in range(3))


def _blend(channels, corners, weights) -> np.ndarray:
    """``Σ weight * node`` over the corners, per channel, as ``(p, 3)`` float32."""
    out = np.empty((len(corners[0]), 3), dtype=np.float32)
    for c, values in enumerate(channels):
        total = np.take(values, corners[0]) * weights[0]
        for index, weight in zip(corners[1:], weights[1:]):
            total += np.take(values, index) * weight
        out[:, c] = total
    return out


def _corners(r, g, b, tables):
    """Each pixel's cell: the flat index of its lower corner and its fractions."""
    r_index, g_index, b_index, fraction = tables
    base = np.take(r_index, r) + np.take(g_index, g) + np.take(b_index, b)
    return base, np.take(fraction, r), np.take(fraction, g), np.take(fraction, b)


def _tetrahedral_steps(n: int) -> tuple[np.ndarray, np.ndarray]:
    """By comparison code, the index steps to a tetrahedron's second and third corners.

    The code is ``4 (fr >= fg) + 2 (fr >= fb) + (fg >= fb)``. With the
    fractions sorted ``f1 >= f2 >= f3`` along axes ``a1, a2, a3``, the
    corners are 000, ``e_a1``, ``e_a1 + e_a2`` and 111. Codes 2 and 5 cannot
    happen (they contradict themselves) and are given harmless steps.
    """
    sr, sg, sb = n * n, n, 1
    # code: (largest axis, smallest axis)
    order = {0: (sb, sr), 1: (sg, sr), 2: (sb, sr), 3: (sg, sb), 4: (sb, sg), 5: (sr, sg), 6: (sr, sg), 7: (sr, sb)}
    first = np.array([order[code][0] for code in range(8)], dtype=np.intp)
    second = np.array([sr + sg + sb - order[code][1] for code in range(8)], dtype=np.intp)
    return first, second


def _tetrahedral(channels, n, tables, r, g, b) -> np.ndarray:
    base, fr, fg, fb = _corners(r, g, b, tables)
    # Sorted fractions f1 >= f2 >= f3: the corners 000, e_a1, e_a1 + e_a2 and
    # 111 weigh 1 - f1, f1 - f2, f2 - f3 and f3. On ties either order gives
    # the same value, since the corner in question then weighs 0.
    code = (fr >= fg).view(np.uint8) * np.uint8(4) + (fr >= fb).view(np.uint8) * np.uint8(2) + (fg >= fb).view(np.uint8)
    first, second = _tetrahedral_steps(n)
    high = np.maximum(np.maximum(fr, fg), fb)
    low = np.minimum(np.minimum(fr, fg), fb)
    mid = fr + fg + fb - high - low
    corners = (base, base + np.take(first, code), base + np.take(second, code), base + (n * n + n + 1))
    return _blend(channels, corners, (1.0 - high, high - mid, mid - low, low))


def _trilinear(channels, n, tables, r, g, b) -> np.ndarray:
    base, fr, fg, fb = _corners(r, g, b, tables)
    corners, weights = [], []
    for dr, wr in ((0, 1.0 - fr), (n * n, fr)):
        for dg, wg in ((0, 1.0 - fg), (n, fg)):
            weight_rg = wr * wg
            for db, wb in ((0, 1.0 - fb), (1, fb)):
                corners.append(base + (dr + dg + db))
                weights.append(weight_rg * wb)
    return _blend(channels, corners, weights)
