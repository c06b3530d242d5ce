"""Tests for the one table of accepted formats, and for ``content_digest``.

Every extension in ``ACCEPTED_EXTENSIONS`` must be one that ``load_still``
really decodes: a small frame saved by Pillow under that extension comes back
with the same pixels (or, for lossy formats, close to them).
"""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pytest
from PIL import Image

from kmeans_core.still import (
    ACCEPTED_EXTENSIONS,
    ACCEPTED_FORMAT_NAMES,
    ACCEPTED_FORMATS,
    HEIF_SUPPORTED,
    StillError,
    content_digest,
    load_still,
)

# Four flat 16 x 16 blocks, so that even a lossy encoder keeps the colours close.
FRAME = np.zeros((32, 32, 3), np.uint8)
FRAME[:16, :16] = (200, 30, 40)
FRAME[:16, 16:] = (20, 160, 60)
FRAME[16:, :16] = (30, 60, 190)
FRAME[16:, 16:] = (240, 240, 230)

LOSSY = {"JPEG", "HEIF"}
SAVE_OPTIONS = {"WEBP": {"lossless": True}, "JPEG": {"quality": 95}, "HEIF": {"quality": 95}}


def saved(extension: str) -> tuple[bytes, str]:
    """FRAME saved by Pillow in the format it associates with ``extension``, and that format."""
    pillow_format = Image.registered_extensions()[f".{extension}"]
    buffer = io.BytesIO()
    Image.fromarray(FRAME).save(buffer, format=pillow_format, **SAVE_OPTIONS.get(pillow_format, {}))
    return buffer.getvalue(), pillow_format


@pytest.mark.parametrize("extension", ACCEPTED_EXTENSIONS)
def test_every_accepted_extension_decodes(extension):
    data, pillow_format = saved(extension)
    still = load_still(data)
    assert still.format == ACCEPTED_FORMATS[pillow_format]
    assert still.shape == (32, 32)
    if pillow_format in LOSSY:  # chroma is subsampled, so only the middle of each block is close
        middles = np.ix_([4, 12, 20, 28], [4, 12, 20, 28])
        assert np.abs(still.pixels[middles].astype(int) - FRAME[middles]).max() <= 4
    else:
        np.testing.assert_array_equal(still.pixels, FRAME)


def test_extensions_are_lower_case_without_a_dot_and_unique():
    assert all(ext == ext.lower() and ext.isalnum() for ext in ACCEPTED_EXTENSIONS)
    assert len(set(ACCEPTED_EXTENSIONS)) == len(ACCEPTED_EXTENSIONS)


def test_extensions_and_names_cover_the_same_formats():
    expected = ("jpg", "jpeg", "png", "webp", "tif", "tiff", "bmp", "gif")
    assert ACCEPTED_EXTENSIONS == expected + (("heic", "heif") if HEIF_SUPPORTED else ())
    names = "JPEG, PNG, WebP, TIFF, BMP, GIF" + (" or HEIC" if HEIF_SUPPORTED else "")
    assert ACCEPTED_FORMAT_NAMES == names


def test_heic_is_offered_only_where_it_is_read():
    assert ("heic" in ACCEPTED_EXTENSIONS) is HEIF_SUPPORTED
    assert ACCEPTED_FORMAT_NAMES.endswith(" or HEIC") is HEIF_SUPPORTED


def test_an_unreadable_file_lists_the_accepted_format_names():
    with pytest.raises(StillError, match=rf"Accepted formats: {ACCEPTED_FORMAT_NAMES}\.$"):
        load_still(b"just some words in a file renamed to .png\n")


@pytest.mark.parametrize("data", [b"", b"abc", bytes(range(256)) * 40])
def test_content_digest_is_sha256_hex(data):
    assert content_digest(data) == hashlib.sha256(data).hexdigest()
    assert content_digest(bytearray(data)) == content_digest(memoryview(data)) == content_digest(data)


def test_content_digest_of_abc_is_the_published_value():
    # FIPS 180-2, appendix B.1.
    assert content_digest(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_a_loaded_still_is_named_by_the_content_digest_of_its_file():
    data, _ = saved("png")
    assert load_still(data).digest == content_digest(data)


def test_content_digest_refuses_text():
    with pytest.raises(TypeError, match=r"got str"):
        content_digest("abc")
