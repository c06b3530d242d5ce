"""A decoded still: 8-bit sRGB pixels, an optional alpha mask and their histogram.

:class:`Still` is what :func:`~kmeans_core.still.load_still` returns, and
:func:`still_from_pixels` makes one from an array. :class:`StillError` is the
one exception either raises, with a message that says why in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kmeans_core.histogram import ColorHistogram, color_histogram
from kmeans_core.still.digest import pixels_digest

__all__ = ["Still", "StillError", "still_from_pixels"]


class StillError(ValueError):
    """A file that cannot be used as a still; the message says why."""


@dataclass(frozen=True, eq=False)
class Still:
    """A decoded still in 8-bit sRGB, with its colour histogram.

    Attributes
    ----------
    pixels : ndarray of shape (h, w, 3), uint8
        The frame in sRGB, upright (EXIF orientation applied). Read-only.
    alpha : ndarray of shape (h, w), uint8, or None
        The alpha channel where the file had one and used it. Fully
        transparent pixels are left out of the histogram. Read-only.
    histogram : ColorHistogram
        The distinct colours of the counted pixels and their counts.
    digest : str
        SHA-256 of the bytes the still was decoded from (or of the pixels).
    format : str
        The file format, as a person knows it ("JPEG", "PNG", ...).
    notes : tuple of str
        What decoding did to the file, in plain words (for the page).
    """

    pixels: np.ndarray
    alpha: np.ndarray | None
    histogram: ColorHistogram
    digest: str
    format: str
    notes: tuple[str, ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        """``(height, width)`` in pixels."""
        return self.pixels.shape[:2]

    @property
    def mask(self) -> np.ndarray | None:
        """True where a pixel counts, or None when every pixel counts."""
        return None if self.alpha is None else self.alpha > 0

    @property
    def n_colors(self) -> int:
        """The number of distinct colours among the counted pixels."""
        return len(self.histogram.colors)


def still_from_pixels(
    pixels: np.ndarray,
    *,
    alpha: np.ndarray | None = None,
    format: str = "array",
    notes: tuple[str, ...] = (),
    digest: str | None = None,
) -> Still:
    """Make a :class:`Still` from an ``(h, w, 3)`` uint8 sRGB array.

    Parameters
    ----------
    pixels : ndarray of shape (h, w, 3), uint8
        The frame in sRGB.
    alpha : ndarray of shape (h, w), uint8 or bool, optional
        Opacity; 0 (or False) marks a fully transparent pixel, which is left
        out of the histogram. An alpha that is 255 everywhere is dropped.
    format : str, default "array"
        Descriptive only.
    notes : tuple of str, default ()
        Descriptive only.
    digest : str, optional
        The content digest; by default the SHA-256 of the shape, the pixels
        and the alpha.

    Returns
    -------
    Still
        Its ``pixels`` and ``alpha`` are read-only views.

    Raises
    ------
    StillError
        If the array is not ``(h, w, 3)`` uint8, is empty, the alpha does not
        fit, or every pixel is fully transparent.
    """
    try:
        pixels = np.asarray(pixels)
    except Exception as exc:  # ragged lists and other things that are no array
        raise StillError(f"pixels must be an (h, w, 3) uint8 array, got {type(pixels).__name__} ({exc})") from None
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise StillError(f"pixels must be an (h, w, 3) uint8 array, got shape {pixels.shape} and dtype {pixels.dtype}")
    height, width = pixels.shape[:2]
    if height == 0 or width == 0:
        raise StillError(f"The image is empty ({width} x {height} pixels).")
    if digest is not None and not isinstance(digest, str):
        raise StillError(f"digest must be a str, got {type(digest).__name__}")
    pixels = _read_only(np.ascontiguousarray(pixels))
    mask = None
    if alpha is not None:
        alpha = _check_alpha(alpha, (height, width))
        if alpha.min() == 255:
            alpha = None
        else:
            mask = alpha > 0
            if not mask.any():
                raise StillError("Every pixel of this image is fully transparent, so it has no colour to cluster.")
            alpha = _read_only(alpha)
    if digest is None:
        digest = pixels_digest(pixels, alpha)
    return Still(
        pixels=pixels,
        alpha=alpha,
        histogram=color_histogram(pixels, mask),
        digest=digest,
        format=format,
        notes=tuple(notes),
    )


def _check_alpha(alpha: object, shape: tuple[int, int]) -> np.ndarray:
    try:
        alpha = np.asarray(alpha)
    except Exception as exc:
        raise StillError(f"alpha must be an (h, w) uint8 or bool array, got {type(alpha).__name__} ({exc})") from None
    if alpha.dtype == np.bool_:
        alpha = alpha.astype(np.uint8) * np.uint8(255)
    elif alpha.dtype != np.uint8:
        raise StillError(f"alpha must be an (h, w) uint8 or bool array, got dtype {alpha.dtype}")
    if alpha.shape != shape:
        raise StillError(f"alpha has shape {alpha.shape} but the pixels are {shape}")
    return np.ascontiguousarray(alpha)


def _read_only(array: np.ndarray) -> np.ndarray:
    """A read-only view, so that a cached still cannot be changed in place."""
    view = array.view()
    view.flags.writeable = False
    return view
