"""Conversions between 8-bit sRGB colours and the spaces we cluster in.

Three spaces are offered:

``"lab"``
    CIELAB (D65), as :func:`skimage.color.rgb2lab` computes it. Euclidean
    distance here tracks perceived difference far better than in sRGB.
    The linear values of 8-bit colours come from a table of 256 entries (the
    sRGB curve's power, the slow part, is taken once per code value), then
    one compiled pass per colour (:mod:`kmeans_core._color_kernels`) does the
    matrix to XYZ and CIE 1976 with scikit-image's white point and constants;
    OKLab uses the same table.
``"oklab"``
    OKLab (:mod:`kmeans_core.oklab`): perceptual like CIELAB, with straighter
    lines of constant hue. Its units are about 1/100 of CIELAB's (L runs
    from 0 to 1).
``"rgb"``
    The 8-bit sRGB code values themselves, 0 to 255, as floats.

Dtype policy: every function takes colours as an ``(n, 3)`` array of
``uint8`` sRGB values and returns ``float64`` points, and back.
"""

from __future__ import annotations

import numpy as np
from skimage.color import lab2rgb, xyz_tristimulus_values
from skimage.color.colorconv import xyz_from_rgb

from kmeans_core import _color_kernels as kernels
from kmeans_core.linear_rgb import srgb_to_linear
from kmeans_core.oklab import LMS_TO_LAB, RGB_TO_LMS, oklab_to_srgb
from kmeans_core.threads import in_parallel

__all__ = ["SPACES", "SPACE_UNITS", "check_space", "rgb_to_space", "space_to_rgb"]

SPACES = ("lab", "oklab", "rgb")

#: About how long one unit of CIELAB is in each space, for thresholds given
#: in CIELAB units (OKLab's lightness runs 0 to 1, CIELAB's 0 to 100).
SPACE_UNITS = {"lab": 1.0, "oklab": 0.01, "rgb": 1.0}


def check_space(space: str) -> str:
    """Return ``space`` if it names a colour space we cluster in.

    Raises
    ------
    ValueError
        If ``space`` is not one of :data:`SPACES`.
    """
    if space not in SPACES:
        raise ValueError(f"space={space!r} is not supported; use one of {SPACES}")
    return space


def rgb_to_space(rgb: np.ndarray, space: str) -> np.ndarray:
    """Convert ``(n, 3)`` uint8 sRGB colours into points of ``space``.

    Parameters
    ----------
    rgb : ndarray of shape (n, 3), uint8
        sRGB code values.
    space : {"lab", "oklab", "rgb"}
        The target space.

    Returns
    -------
    ndarray of shape (n, 3), float64
    """
    rgb = np.asarray(rgb)
    if space == "rgb":
        return rgb.astype(np.float64)
    if len(rgb) == 0:
        return np.zeros((0, 3))
    rgb = np.ascontiguousarray(rgb.reshape(-1, 3), dtype=np.uint8)
    out = np.empty(rgb.shape)

    def part(a: int, b: int) -> None:  # each colour on its own: any split gives the same values
        if space == "oklab":
            kernels.srgb8_to_oklab(rgb[a:b], _LINEAR, RGB_TO_LMS, LMS_TO_LAB, out[a:b])
        else:
            kernels.srgb8_to_lab(rgb[a:b], _LINEAR, _XYZ_FROM_LINEAR, _WHITE, out[a:b])

    in_parallel(part, len(rgb))
    return out


#: The linear value of each 8-bit sRGB code value; linear sRGB to XYZ, row by row; the D65 white.
_LINEAR = srgb_to_linear(np.arange(256) / 255.0)
_XYZ_FROM_LINEAR = np.ascontiguousarray(xyz_from_rgb, dtype=np.float64)
_WHITE = np.asarray(xyz_tristimulus_values(illuminant="D65", observer="2"), dtype=np.float64)


def space_to_rgb(points: np.ndarray, space: str) -> np.ndarray:
    """Convert points of ``space`` back to the nearest ``uint8`` sRGB colours.

    Colours outside the sRGB gamut are clipped to it.

    Parameters
    ----------
    points : ndarray of shape (n, 3)
        Points in ``space``.
    space : {"lab", "oklab", "rgb"}

    Returns
    -------
    ndarray of shape (n, 3), uint8
    """
    points = np.asarray(points, dtype=np.float64)
    if space == "lab":
        unit = lab2rgb(points.reshape(-1, 1, 3)).reshape(-1, 3)
        values = unit * 255.0
    elif space == "oklab":
        values = oklab_to_srgb(points.reshape(-1, 3)) * 255.0
    else:
        values = points
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)
