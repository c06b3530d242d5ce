"""How many pixels a still may have, and how a frame that has too many is refused.

The size is checked twice before any pixel is decoded: from the header bytes
(:mod:`kmeans_core.still.headers`), and as Pillow read it. A file that
declares far more pixels than its size in bytes can hold is called a
decompression bomb rather than just large.
"""

from __future__ import annotations

import operator

from PIL import Image

from kmeans_core.still.frame import StillError

__all__ = ["DEFAULT_MAX_PIXELS", "check_size", "effective_limit"]

#: The largest frame we decode: 64 megapixels, above any common camera.
DEFAULT_MAX_PIXELS = 64_000_000

# A file that declares more than this many pixels per byte, and more than
# four times the limit, is called a decompression bomb rather than just large.
_BOMB_PIXELS_PER_BYTE = 100


def effective_limit(max_pixels: object) -> int:
    """The lower of ``max_pixels`` and ``PIL.Image.MAX_IMAGE_PIXELS``, after checking ``max_pixels``."""
    if isinstance(max_pixels, bool):
        raise StillError(f"max_pixels must be a positive whole number, got {max_pixels!r}")
    try:
        limit = operator.index(max_pixels)
    except TypeError:
        raise StillError(f"max_pixels must be a positive whole number, got {max_pixels!r}") from None
    if limit < 1:
        raise StillError(f"max_pixels must be a positive whole number, got {limit}")
    try:  # read, never written: other code may rely on Pillow's global
        pillow_limit = int(Image.MAX_IMAGE_PIXELS) if Image.MAX_IMAGE_PIXELS is not None else None
    except (TypeError, ValueError, OverflowError):
        pillow_limit = None
    if pillow_limit is not None:
        limit = min(limit, max(1, pillow_limit))
    return limit


def check_size(kind: str, width: int, height: int, n_bytes: int, limit: int) -> None:
    """Refuse a frame with no pixels or more pixels than ``limit``."""
    if width <= 0 or height <= 0:
        raise StillError(f"The {kind} image is empty ({width} x {height} pixels).")
    n_pixels = width * height
    if n_pixels <= limit:
        return
    if n_pixels > 4 * limit and n_pixels > _BOMB_PIXELS_PER_BYTE * n_bytes:
        raise StillError(
            f"Refused as a possible decompression bomb: the file is only {n_bytes:,} bytes but declares "
            f"{width:,} x {height:,} = {n_pixels:,} pixels, and the limit is {limit:,} pixels."
        )
    raise StillError(
        f"The image is too large: {width:,} x {height:,} = {n_pixels:,} pixels, and the limit is {limit:,} pixels."
    )
