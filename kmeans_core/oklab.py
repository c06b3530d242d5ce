"""OKLab: Björn Ottosson's perceptual colour space (2020), from sRGB and back.

OKLab predicts lightness, chroma and hue as well as CIELAB does for small
differences, and its lines of constant hue are much straighter (a blue
lightened in OKLab stays blue instead of turning purple). Its lightness L runs
from 0 (black) to 1 (white): distances are about 1/100 of CIELAB's.

The conversion follows Ottosson's published definition: linear sRGB to an
LMS-like cone response by one matrix, a cube root, and a second matrix. The
inverses are the exact inverses of the two matrices, so a round trip returns
the colour to within rounding.
"""

from __future__ import annotations

import numpy as np

from kmeans_core.linear_rgb import linear_to_srgb, srgb_to_linear

__all__ = ["LMS_TO_LAB", "RGB_TO_LMS", "linear_to_oklab", "oklab_to_srgb", "srgb_to_oklab"]

#: Linear sRGB (D65) to the cone responses l, m, s.
RGB_TO_LMS = np.array(
    [
        [0.4122214708, 0.5363325363, 0.0514459929],
        [0.2119034982, 0.6806995451, 0.1073969566],
        [0.0883024619, 0.2817188376, 0.6299787005],
    ]
)

#: The cube roots of l, m, s to L, a, b.
LMS_TO_LAB = np.array(
    [
        [0.2104542553, 0.7936177850, -0.0040720468],
        [1.9779984951, -2.4285922050, 0.4505937099],
        [0.0259040371, 0.7827717662, -0.8086757660],
    ]
)

_LMS_TO_RGB = np.linalg.inv(RGB_TO_LMS)
_LAB_TO_LMS = np.linalg.inv(LMS_TO_LAB)


def srgb_to_oklab(rgb) -> np.ndarray:
    """Convert sRGB colours (floats in [0, 1]) to OKLab.

    Parameters
    ----------
    rgb : array-like of shape (n, 3)
        Encoded sRGB, code values divided by 255.

    Returns
    -------
    ndarray of shape (n, 3), float64
        L (0 to 1), a and b (about -0.4 to 0.4).
    """
    return linear_to_oklab(srgb_to_linear(rgb))


def linear_to_oklab(linear) -> np.ndarray:
    """Convert linear-light sRGB colours to OKLab.

    Parameters
    ----------
    linear : array-like of shape (n, 3)
        Linear sRGB (D65), 0 to 1 within the gamut.

    Returns
    -------
    ndarray of shape (n, 3), float64
    """
    lms = np.asarray(linear, dtype=np.float64) @ RGB_TO_LMS.T
    return np.cbrt(lms) @ LMS_TO_LAB.T


def oklab_to_srgb(lab) -> np.ndarray:
    """Convert OKLab colours to sRGB floats (the inverse of :func:`srgb_to_oklab`).

    Parameters
    ----------
    lab : array-like of shape (n, 3)

    Returns
    -------
    ndarray of shape (n, 3), float64
        Encoded sRGB in [0, 1] for colours inside the gamut; not clipped.
    """
    lms = (np.asarray(lab, dtype=np.float64) @ _LAB_TO_LMS.T) ** 3
    return linear_to_srgb(lms @ _LMS_TO_RGB.T)
