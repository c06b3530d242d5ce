"""Shared test fixtures: real photographs from scikit-image, as arrays, as
encoded file bytes, and as decoded stills.

The photos ship inside scikit-image (no download). Everything here is
deterministic and cached for the session; the arrays handed out are
read-only, so a test cannot spoil them for the next one.

Fixtures
--------
photo
    Factory ``photo(name="astronaut", max_side=None) -> (h, w, 3) uint8``:
    one of :data:`SAMPLE_PHOTOS`, optionally downscaled (Lanczos, aspect
    kept) so that its longer side is at most ``max_side``.
encode_image
    Factory ``encode_image(pixels, fmt="PNG", alpha=None, **save_kwargs)
    -> bytes``: any ``(h, w, 3)`` uint8 array as the bytes of an image file
    (PNG, JPEG, WEBP, ...), with an optional ``(h, w)`` uint8 alpha channel
    (not for JPEG).
photo_name
    Parametrized over :data:`SAMPLE_PHOTOS`: a test that takes it runs once
    per photo.
still_bytes
    Factory ``still_bytes(name="astronaut", fmt="PNG", max_side=128) ->
    bytes``: a sample photo as an uploaded file would be.
small_still
    A :class:`kmeans_core.Still` decoded from the PNG bytes of the
    astronaut at 64 px.
alpha_still
    A still from an RGBA PNG (coffee at 64 px) whose left quarter is fully
    transparent and whose next column is half transparent.
"""

from __future__ import annotations

import functools
import io

import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata

#: The colour photographs of scikit-image used across the tests.
SAMPLE_PHOTOS = ("astronaut", "coffee", "chelsea", "rocket")


@functools.cache
def _photo(name: str, max_side: int | None) -> np.ndarray:
    if name not in SAMPLE_PHOTOS:
        raise ValueError(f"unknown sample photo {name!r}; use one of {SAMPLE_PHOTOS}")
    pixels = getattr(skdata, name)()
    if max_side is not None and max(pixels.shape[:2]) > max_side:
        h, w = pixels.shape[:2]
        scale = max_side / max(h, w)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        pixels = np.asarray(Image.fromarray(pixels).resize(size, Image.Resampling.LANCZOS))
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    pixels.setflags(write=False)
    return pixels


def _encode(pixels: np.ndarray, fmt: str = "PNG", alpha: np.ndarray | None = None, **save_kwargs) -> bytes:
    image = Image.fromarray(np.asarray(pixels, dtype=np.uint8), "RGB")
    if alpha is not None:
        image.putalpha(Image.fromarray(np.asarray(alpha, dtype=np.uint8), "L"))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


@functools.cache
def _still_bytes(name: str, fmt: str, max_side: int | None) -> bytes:
    return _encode(_photo(name, max_side), fmt)


@pytest.fixture(scope="session")
def photo():
    """Factory: ``photo(name="astronaut", max_side=None)`` -> read-only (h, w, 3) uint8."""
    return lambda name="astronaut", max_side=None: _photo(name, max_side)


@pytest.fixture(scope="session")
def encode_image():
    """Factory: ``encode_image(pixels, fmt="PNG", alpha=None, **save_kwargs)`` -> bytes."""
    return _encode


@pytest.fixture(scope="session", params=SAMPLE_PHOTOS)
def photo_name(request) -> str:
    """Each name in SAMPLE_PHOTOS in turn."""
    return request.param


@pytest.fixture(scope="session")
def still_bytes():
    """Factory: ``still_bytes(name="astronaut", fmt="PNG", max_side=128)`` -> file bytes."""
    return lambda name="astronaut", fmt="PNG", max_side=128: _still_bytes(name, fmt, max_side)


@pytest.fixture(scope="session")
def small_still():
    """The astronaut at 64 px, decoded from PNG bytes by load_still."""
    from kmeans_core import load_still

    return load_still(_still_bytes("astronaut", "PNG", 64))


@pytest.fixture(scope="session")
def alpha_still():
    """Coffee at 64 px from an RGBA PNG: left quarter fully transparent,
    the next column half transparent (it still counts)."""
    from kmeans_core import load_still

    pixels = _photo("coffee", 64)
    alpha = np.full(pixels.shape[:2], 255, dtype=np.uint8)
    quarter = pixels.shape[1] // 4
    alpha[:, :quarter] = 0
    alpha[:, quarter] = 128
    return load_still(_encode(pixels, "PNG", alpha=alpha))
