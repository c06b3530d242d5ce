"""Compiled conversion of 8-bit sRGB colours to CIELAB and OKLab (Numba, no GIL).

One pass per colour: its three linear values from a 256-entry table, a 3 x 3
matrix, and the non-linear step of the target space. A matrix product of
n x 3 by 3 x 3 is too small for BLAS to be worth its threads (under load
they spin), and the masked element-wise steps of scikit-image's ``xyz2lab``
make several passes; here it is one.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from kmeans_core._jit import KERNEL, PER_ITEM

__all__ = ["compile_kernels", "srgb8_to_lab", "srgb8_to_oklab"]


#: CIELAB's threshold between the cube root and the straight segment, and that segment.
_EPSILON = 0.008856
_SLOPE = 7.787
_OFFSET = 16.0 / 116.0


@njit(**PER_ITEM)
def _linear_times(rgb, i, linear, matrix, out):
    """``out = matrix @ linear[rgb[i]]`` (the matrix given row by row)."""
    r, g, b = linear[rgb[i, 0]], linear[rgb[i, 1]], linear[rgb[i, 2]]
    for row in range(3):
        out[row] = matrix[row, 0] * r + matrix[row, 1] * g + matrix[row, 2] * b


@njit(**KERNEL)
def srgb8_to_lab(rgb, linear, xyz_from_linear, white, out):
    """CIELAB of ``(n, 3)`` uint8 colours into ``out``: linear values from ``linear`` (256
    entries), XYZ by ``xyz_from_linear``, then CIE 1976 against the ``white`` point."""
    f = np.empty(3)
    for i in range(rgb.shape[0]):
        _linear_times(rgb, i, linear, xyz_from_linear, f)
        for c in range(3):
            t = f[c] / white[c]
            f[c] = np.cbrt(t) if t > _EPSILON else _SLOPE * t + _OFFSET
        out[i, 0] = 116.0 * f[1] - 16.0
        out[i, 1] = 500.0 * (f[0] - f[1])
        out[i, 2] = 200.0 * (f[1] - f[2])


@njit(**KERNEL)
def srgb8_to_oklab(rgb, linear, lms_from_linear, lab_from_lms, out):
    """OKLab of ``(n, 3)`` uint8 colours into ``out``: linear values, the cone responses,
    their cube roots, then L, a and b."""
    lms = np.empty(3)
    for i in range(rgb.shape[0]):
        _linear_times(rgb, i, linear, lms_from_linear, lms)
        for c in range(3):
            lms[c] = np.cbrt(lms[c])
        for row in range(3):
            out[i, row] = lab_from_lms[row, 0] * lms[0] + lab_from_lms[row, 1] * lms[1] + lab_from_lms[row, 2] * lms[2]


def compile_kernels() -> None:
    """Compile (or load from the on-disk cache) every kernel, on a tiny problem."""
    rgb = np.zeros((1, 3), dtype=np.uint8)
    linear, matrix, out = np.zeros(256), np.eye(3), np.zeros((1, 3))
    srgb8_to_lab(rgb, linear, matrix, np.ones(3), out)
    srgb8_to_oklab(rgb, linear, matrix, matrix, out)
