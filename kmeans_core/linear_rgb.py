"""The sRGB transfer curve: sRGB code values to linear light and back.

Both functions work on floats in [0, 1] (sRGB divided by 255), element-wise,
with the piecewise curve of IEC 61966-2-1: a straight segment near black and
a 2.4 power above it. Values outside [0, 1] pass through the same formulas
(mirrored for negatives), so out-of-gamut colours survive a round trip.
"""

from __future__ import annotations

import numpy as np

__all__ = ["linear_to_srgb", "srgb_to_linear"]

#: Where the straight segment ends, in encoded and in linear values.
_ENCODED_KNEE = 0.04045
_LINEAR_KNEE = 0.0031308


def srgb_to_linear(values) -> np.ndarray:
    """Decode sRGB values in [0, 1] to linear light.

    Parameters
    ----------
    values : array-like of float
        Encoded sRGB, code values divided by 255.

    Returns
    -------
    ndarray of float64, the same shape
    """
    values = np.asarray(values, dtype=np.float64)
    magnitude = np.abs(values)
    curve = np.where(magnitude <= _ENCODED_KNEE, magnitude / 12.92, ((magnitude + 0.055) / 1.055) ** 2.4)
    return np.copysign(curve, values)


def linear_to_srgb(values) -> np.ndarray:
    """Encode linear light as sRGB values in [0, 1] (the inverse of :func:`srgb_to_linear`).

    Parameters
    ----------
    values : array-like of float
        Linear light.

    Returns
    -------
    ndarray of float64, the same shape
    """
    values = np.asarray(values, dtype=np.float64)
    magnitude = np.abs(values)
    curve = np.where(magnitude <= _LINEAR_KNEE, magnitude * 12.92, 1.055 * magnitude ** (1 / 2.4) - 0.055)
    return np.copysign(curve, values)
