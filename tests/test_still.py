"""Tests for ``kmeans_core.still``: decoding untrusted bytes into a Still.

Every input is built inside the test (Pillow, NumPy or a few hand-written
bytes), and every refusal is checked with ``pytest.raises(StillError,
match=...)``: the message must say what is wrong in plain words, with the
numbers a director needs (sizes and limits).
"""

from __future__ import annotations

import hashlib
import io
import struct
import threading
import time
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image, ImageCms, ImageFile

from kmeans_core.still import (
    ACCEPTED_FORMATS,
    DEFAULT_MAX_PIXELS,
    HEIF_SUPPORTED,
    Still,
    StillError,
    load_still,
    still_from_pixels,
)
from kmeans_core.still import decode as still_module

ACCEPTED_LIST = r"Accepted formats: JPEG, PNG, WebP, TIFF, BMP, GIF"
RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)


# --------------------------------------------------------------------------
# Helpers that build files in memory.


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    """Save ``image`` as ``fmt`` into bytes."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """One PNG chunk with its length and CRC."""
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def handmade_png(width: int, height: int, bit_depth: int, colour_type: int, raw: bytes) -> bytes:
    """A PNG written by hand, so that its IHDR can say anything."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(raw))
        + png_chunk(b"IEND", b"")
    )


def patch_tiff_size(data: bytes, width: int, height: int) -> bytes:
    """Rewrite the ImageWidth and ImageLength tags of a little-endian TIFF."""
    out = bytearray(data)
    assert out[:4] == b"II*\x00"
    (ifd,) = struct.unpack("<I", out[4:8])
    (count,) = struct.unpack("<H", out[ifd : ifd + 2])
    for i in range(count):
        entry = ifd + 2 + 12 * i
        tag = struct.unpack("<H", out[entry : entry + 2])[0]
        if tag in (256, 257):
            value = width if tag == 256 else height
            out[entry + 2 : entry + 12] = struct.pack("<HII", 4, 1, value)  # LONG, count 1
    return bytes(out)


def s15(x: float) -> bytes:
    """An ICC s15Fixed16Number."""
    return struct.pack(">i", round(x * 65536))


def icc_xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)


def icc_desc(text: str) -> bytes:
    """An ICC v2 textDescriptionType."""
    ascii_text = text.encode("ascii") + b"\x00"
    return b"desc" + bytes(4) + struct.pack(">I", len(ascii_text)) + ascii_text + bytes(4 + 4 + 2 + 1 + 67)


def icc_profile(profile_class: bytes, space: bytes, pcs: bytes, tags: list[tuple[bytes, bytes]]) -> bytes:
    """A version 2.1 ICC profile: a 128-byte header, the tag table, the tags."""
    offset = 128 + 4 + 12 * len(tags)
    table, blob = b"", b""
    for signature, payload in tags:
        payload += bytes(-len(payload) % 4)
        table += signature + struct.pack(">II", offset + len(blob), len(payload))
        blob += payload
    header = (
        struct.pack(">I", offset + len(blob))
        + bytes(4)  # preferred CMM
        + struct.pack(">I", 0x02100000)
        + profile_class
        + space
        + pcs
        + bytes(12)  # date
        + b"acsp"
        + bytes(4 + 4 + 4 + 4 + 8 + 4)  # platform, flags, maker, model, attributes, intent
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)  # D50 illuminant
        + bytes(4 + 16 + 28)  # creator, profile id, reserved
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + blob


D50 = (0.9642, 1.0, 0.8249)


def linear_rgb_profile() -> bytes:
    """A matrix/TRC RGB profile: sRGB primaries with a linear (gamma 1.0) curve.

    A mid grey of 128 in this space is about 188 in sRGB, so whether the
    profile was applied shows plainly in the pixels.
    """
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, 256) + bytes(2)  # gamma 1.0
    return icc_profile(
        b"mntr",
        b"RGB ",
        b"XYZ ",
        [
            (b"desc", icc_desc("Linear RGB test")),
            (b"wtpt", icc_xyz(*D50)),
            (b"rXYZ", icc_xyz(0.4360747, 0.2225045, 0.0139322)),
            (b"gXYZ", icc_xyz(0.3850649, 0.7168786, 0.0971045)),
            (b"bXYZ", icc_xyz(0.1430804, 0.0606169, 0.7141733)),
            (b"rTRC", curve),
            (b"gTRC", curve),
            (b"bTRC", curve),
        ],
    )


def grey_ink_cmyk_profile() -> bytes:
    """A CMYK printer profile (lut16, Lab PCS) in which every ink but black prints mid grey.

    Paper is white (L* 100), any black ink is black (L* 0), and any other ink
    is a neutral L* 50 (about 119 in sRGB), so cyan ink comes out grey where
    the plain formula would make it cyan.
    """
    lut = b"mft2" + bytes(4) + bytes([4, 3, 2, 0])  # 4 inputs, 3 outputs, 2 grid points
    lut += b"".join(s15(1.0 if row == col else 0.0) for row in range(3) for col in range(3))
    lut += struct.pack(">HH", 2, 2) + struct.pack(">HH", 0, 0xFFFF) * 4
    for c in (0, 1):
        for m in (0, 1):
            for y in (0, 1):
                for k in (0, 1):
                    lightness = 0 if k else (0xFF00 if (c, m, y) == (0, 0, 0) else 0x7F80)
                    lut += struct.pack(">HHH", lightness, 0x8000, 0x8000)
    lut += struct.pack(">HH", 0, 0xFFFF) * 3
    return icc_profile(
        b"prtr",
        b"CMYK",
        b"Lab ",
        [(b"desc", icc_desc("Grey ink test")), (b"wtpt", icc_xyz(*D50)), (b"A2B0", lut)],
    )


def corner_frame(width: int = 40, height: int = 20) -> np.ndarray:
    """A blue frame with a red block in the top-left corner."""
    frame = np.zeros((height, width, 3), np.uint8)
    frame[:] = BLUE
    frame[:6, :6] = RED
    return frame


def assert_colour(actual: np.ndarray, expected: tuple[int, int, int], tolerance: int = 0) -> None:
    difference = np.abs(np.asarray(actual, dtype=int) - np.asarray(expected))
    assert difference.max() <= tolerance, f"{tuple(actual)} is not within {tolerance} of {expected}"


def assert_valid(still: Still) -> None:
    """The invariants every decoded still keeps."""
    h, w = still.shape
    assert still.pixels.dtype == np.uint8 and still.pixels.shape == (h, w, 3)
    assert not still.pixels.flags.writeable
    assert still.histogram.inverse.shape == (h * w,)
    counted = h * w if still.alpha is None else int(np.count_nonzero(still.alpha))
    assert still.histogram.n_pixels == counted
    assert still.format in set(ACCEPTED_FORMATS.values()) | {"array"}


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    """A small real photograph (scikit-image's astronaut, 64 x 64)."""
    from skimage import data

    return np.ascontiguousarray(data.astronaut()[::8, ::8])


@pytest.fixture
def forbid_decoding(monkeypatch):
    """A switch that makes any pixel decoding or image allocation fail loudly.

    Build the test file first, then call the switch. A bomb must be refused
    from its header: if anything reaches a decoder, load_still turns the
    AssertionError into a "damaged" StillError and the test's
    ``match="decompression bomb"`` fails.
    """

    def refuse(*args, **kwargs):
        raise AssertionError("pixels were decoded or allocated")

    def switch() -> None:
        from PIL import WebPImagePlugin

        monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
        monkeypatch.setattr(Image.Image, "load", refuse)
        monkeypatch.setattr(Image.core, "new", refuse)
        monkeypatch.setattr(WebPImagePlugin._webp, "WebPAnimDecoder", refuse)

    return switch


# --------------------------------------------------------------------------
# Files that are not images.


def test_zero_bytes():
    with pytest.raises(StillError, match=r"^The file is empty \(0 bytes\)\.$"):
        load_still(b"")


@pytest.mark.parametrize("data", [b"", bytearray(), memoryview(b"")])
def test_zero_bytes_in_any_buffer(data):
    with pytest.raises(StillError, match="empty"):
        load_still(data)


@pytest.mark.parametrize("value", ["picture.jpg", None, 42, [1, 2, 3]])
def test_not_bytes(value):
    with pytest.raises(StillError, match=r"Expected the bytes of an image file, got"):
        load_still(value)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_random_bytes(seed):
    data = np.random.default_rng(seed).bytes(4096)
    with pytest.raises(StillError, match=rf"^This file is not an image that can be read\. {ACCEPTED_LIST}"):
        load_still(data)


@pytest.mark.parametrize(
    "text",
    [
        "INT. KITCHEN - NIGHT\nShe opens the fridge. Cold light.\n",
        "\ufeffCall sheet, day 12: Unit base at 06:00\n",
        "Plan de travail, journée 3 : équipe réduite, café à 7 h\n" * 30,
        "BMW 3 series, blue, for scene 42",  # starts with "BM", like a BMP
    ],
)
def test_text_file(text):
    with pytest.raises(StillError, match=rf"^This is a text file, not an image\. {ACCEPTED_LIST}"):
        load_still(text.encode("utf-8"))


@pytest.mark.parametrize(
    "html",
    [
        b"<!DOCTYPE html><html><head><title>Stills</title></head><body>x</body></html>",
        b"\n\n  <html lang='en'><body><img src='still.png'></body></html>",
        b"\xef\xbb\xbf<!doctype HTML>\n<meta charset=utf-8>",
        b"<!-- saved from url=(0040)https://example.com --><html></html>",
    ],
)
def test_html(html):
    with pytest.raises(StillError, match=rf"^This is a web page \(HTML\), not an image\. {ACCEPTED_LIST}"):
        load_still(html)


@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
        b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b"<!-- Generator: Illustrator -->\n<svg version='1.1'></svg>",
    ],
)
def test_svg(svg):
    with pytest.raises(StillError, match=r"^This is an SVG drawing, not a photograph; export it as PNG or JPEG"):
        load_still(svg)


def test_pdf_header():
    data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    with pytest.raises(StillError, match=r"^This is a PDF document, not an image; export the frame as PNG or JPEG"):
        load_still(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(100), r"ZIP archive"),
        (b"\x1f\x8b\x08\x00" + bytes(100), r"compressed archive"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(100), r"video file"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + bytes(100), r"video file"),
        (b"<?xml version='1.0'?><note>call time</note>", r"XML document"),
    ],
)
def test_other_documents(data, message):
    with pytest.raises(StillError, match=message):
        load_still(data)


# --------------------------------------------------------------------------
# Damaged files.


def test_truncated_jpeg(photo):
    data = encode(Image.fromarray(photo), "JPEG", quality=90)
    with pytest.raises(StillError, match=r"^This JPEG file is damaged or truncated and cannot be decoded \("):
        load_still(data[: len(data) // 2])


def test_truncated_png(photo):
    data = encode(Image.fromarray(photo), "PNG")
    with pytest.raises(StillError, match=r"^This PNG file is damaged or truncated and cannot be decoded \("):
        load_still(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("fmt", "kind", "options"),
    [
        ("GIF", "GIF", {}),
        ("WEBP", "WebP", {}),
        ("WEBP", "WebP", {"lossless": True}),
        ("TIFF", "TIFF", {}),
        ("TIFF", "TIFF", {"compression": "tiff_lzw"}),
        ("BMP", "BMP", {}),
        ("HEIF", "HEIC/HEIF", {}),
    ],
)
def test_truncated_other_formats(photo, fmt, kind, options):
    if fmt == "HEIF" and not HEIF_SUPPORTED:
        pytest.skip("pillow-heif is not installed")
    data = encode(Image.fromarray(photo), fmt, **options)
    with pytest.raises(StillError, match=rf"^This {kind} file is damaged or truncated"):
        load_still(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", b"\x00" * 5), "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00", "GIF"),
        (b"II*\x00\x08\x00\x00\x00\x00\x00", "TIFF"),
        (b"BM" + bytes(60), "BMP"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 " + bytes(20), "WebP"),
    ],
)
def test_header_only(data, kind):
    with pytest.raises(StillError, match=rf"^This {kind} file is damaged or truncated"):
        load_still(data)


def test_png_with_empty_size():
    with pytest.raises(StillError, match=r"^The PNG image is empty \(0 x 0 pixels\)\.$"):
        load_still(handmade_png(0, 0, 8, 2, b""))


def test_png_cut_into_a_million_chunks():
    chunk = png_chunk(b"teXt", b"")
    data = handmade_png(1, 1, 8, 2, b"\x00\x00\x00\x00")
    data = data[:33] + chunk * 1_000_001 + data[33:]
    start = time.perf_counter()
    with pytest.raises(StillError, match=r"^This PNG file is damaged: it is cut into more than 1,000,000 pieces"):
        load_still(data)
    assert time.perf_counter() - start < 5


def test_gif_full_of_junk():
    data = encode(Image.new("P", (4, 4)), "GIF")
    data = data[: 13 + 6] + b"\x07" * 10_000 + data[13 + 6 :]  # stray bytes before the first frame
    with pytest.raises(StillError, match=r"^This GIF file is damaged"):
        load_still(data)


def test_jpeg_with_a_header_of_ten_thousand_segments():
    data = encode(Image.new("RGB", (8, 8), RED), "JPEG")
    comment = b"\xff\xfe\x00\x03x"  # a one-letter COM segment
    start = time.perf_counter()
    with pytest.raises(StillError, match=r"^This JPEG file is damaged: its header has more than 10,000 pieces"):
        load_still(data[:2] + comment * 10_001 + data[2:])
    assert time.perf_counter() - start < 2
    assert load_still(data[:2] + comment * 50 + data[2:]).shape == (8, 8)


def test_jpeg_with_too_many_scans(photo):
    # The scan count is read from the bytes: SOS markers after the header.
    data = encode(Image.fromarray(photo), "JPEG") + b"\xff\xda\x00\x02" * 200
    with pytest.raises(StillError, match=r"built from 201 scans .* the limit is 100\.$"):
        load_still(data)


def test_progressive_jpeg_decodes(photo):
    still = load_still(encode(Image.fromarray(photo), "JPEG", progressive=True, quality=95))
    assert still.shape == (64, 64)
    assert np.abs(still.pixels.astype(int) - photo).mean() < 6


# --------------------------------------------------------------------------
# Size limits and decompression bombs.


def test_decompression_bomb_png(forbid_decoding):
    data = handmade_png(50_000, 50_000, 1, 0, b"\x00" * 64)  # 1-bit greyscale, a few rows of data
    assert len(data) < 200
    forbid_decoding()
    start = time.perf_counter()
    with pytest.raises(
        StillError,
        match=r"^Refused as a possible decompression bomb: the file is only \d+ bytes but declares "
        r"50,000 x 50,000 = 2,500,000,000 pixels, and the limit is 64,000,000 pixels\.$",
    ):
        load_still(data)
    assert time.perf_counter() - start < 0.5


def _bomb_jpeg() -> bytes:
    data = bytearray(encode(Image.new("RGB", (8, 8), RED), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 60_000, 60_000)
    return bytes(data)


def _bomb_gif() -> bytes:
    data = bytearray(encode(Image.new("P", (8, 8)), "GIF"))
    data[6:10] = struct.pack("<HH", 65_535, 65_535)
    return bytes(data)


def _bomb_webp() -> bytes:
    frames = [Image.new("RGBA", (8, 8), (1, 2, 3, 255)), Image.new("RGBA", (8, 8), (9, 9, 9, 255))]
    data = bytearray(encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=50))
    assert data[12:16] == b"VP8X"
    data[24:30] = (16_383).to_bytes(3, "little") * 2  # canvas 16,384 x 16,384
    return bytes(data)


def _bomb_bmp() -> bytes:
    data = bytearray(encode(Image.new("RGB", (8, 8), RED), "BMP"))
    data[18:26] = struct.pack("<ii", 50_000, 50_000)
    return bytes(data)


def _bomb_tiff() -> bytes:
    return patch_tiff_size(encode(Image.new("RGB", (8, 8), RED), "TIFF"), 100_000, 100_000)


@pytest.mark.parametrize(
    ("make", "declared"),
    [
        (_bomb_jpeg, "60,000 x 60,000 = 3,600,000,000"),
        (_bomb_gif, "65,535 x 65,535 = 4,294,836,225"),
        (_bomb_webp, "16,384 x 16,384 = 268,435,456"),
        (_bomb_bmp, "50,000 x 50,000 = 2,500,000,000"),
        (_bomb_tiff, "100,000 x 100,000 = 10,000,000,000"),
    ],
    ids=["jpeg", "gif", "webp", "bmp", "tiff"],
)
def test_decompression_bomb_other_formats(forbid_decoding, make, declared):
    data = make()
    forbid_decoding()
    start = time.perf_counter()
    expected = rf"decompression bomb: .* declares {declared} pixels, and the limit is 64,000,000"
    with pytest.raises(StillError, match=expected):
        load_still(data)
    assert time.perf_counter() - start < 0.5


def test_still_over_max_pixels(photo):
    data = encode(Image.fromarray(np.tile(photo, (8, 8, 1))), "JPEG")  # 512 x 512
    with pytest.raises(
        StillError,
        match=r"^The image is too large: 512 x 512 = 262,144 pixels, and the limit is 100,000 pixels\.$",
    ):
        load_still(data, max_pixels=100_000)


def test_max_pixels_is_inclusive():
    data = encode(Image.new("RGB", (10, 10), RED), "PNG")
    assert load_still(data, max_pixels=100).shape == (10, 10)
    with pytest.raises(StillError, match=r"10 x 10 = 100 pixels, and the limit is 99 pixels"):
        load_still(data, max_pixels=99)


@pytest.mark.parametrize("value", [0, -5, 1.5, "big", None, True])
def test_max_pixels_must_be_a_positive_whole_number(value):
    with pytest.raises(StillError, match=r"^max_pixels must be a positive whole number, got"):
        load_still(b"\x89PNG", max_pixels=value)


def test_max_pixels_accepts_numpy_integers():
    data = encode(Image.new("RGB", (4, 4), RED), "PNG")
    assert load_still(data, max_pixels=np.int64(16)).shape == (4, 4)


def _gif_with_wide_first_frame() -> bytes:
    # The screen is 8 x 8, but the first frame claims 10,000 x 10,000: Pillow
    # widens the image to the frame and would warn (above its 89 MP limit).
    data = bytearray(encode(Image.new("P", (8, 8)), "GIF"))
    frame = data.index(b",")
    data[frame + 5 : frame + 9] = struct.pack("<HH", 10_000, 10_000)
    return bytes(data)


@pytest.mark.parametrize("max_pixels", [DEFAULT_MAX_PIXELS, 10**12])
def test_pillow_bomb_warning_never_escapes(forbid_decoding, max_pixels):
    limit = min(max_pixels, Image.MAX_IMAGE_PIXELS)
    wide_gif, bomb_webp = _gif_with_wide_first_frame(), _bomb_webp()
    forbid_decoding()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(StillError, match=rf"10,000 x 10,000 = 100,000,000 pixels, and the limit is {limit:,}"):
            load_still(wide_gif, max_pixels=max_pixels)
        with pytest.raises(StillError, match=rf"16,384 x 16,384 = 268,435,456 pixels, and the limit is {limit:,}"):
            load_still(bomb_webp, max_pixels=max_pixels)
    assert not [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]


def test_limit_follows_a_lowered_pillow_limit(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    data = encode(Image.new("RGB", (40, 40), RED), "PNG")
    with pytest.raises(StillError, match=r"40 x 40 = 1,600 pixels, and the limit is 1,000 pixels"):
        load_still(data)


def test_global_state_is_left_alone(photo):
    before_limit, before_filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)
    load_still(encode(Image.fromarray(photo), "PNG"))
    with pytest.raises(StillError):
        load_still(_bomb_gif())
    assert Image.MAX_IMAGE_PIXELS == before_limit
    assert list(warnings.filters) == before_filters


# --------------------------------------------------------------------------
# Tiny, flat and transparent frames.


def test_one_pixel():
    still = load_still(encode(Image.new("RGB", (1, 1), (12, 34, 56)), "PNG"))
    assert still.shape == (1, 1)
    assert still.n_colors == 1
    assert_colour(still.pixels[0, 0], (12, 34, 56))
    assert_valid(still)


def test_single_colour_frame():
    still = load_still(encode(Image.new("RGB", (64, 48), (200, 120, 40)), "PNG"))
    assert still.n_colors == 1
    np.testing.assert_array_equal(still.histogram.colors, [[200, 120, 40]])
    np.testing.assert_array_equal(still.histogram.counts, [64 * 48])
    assert still.alpha is None
    assert_valid(still)


def test_fully_transparent_png():
    data = encode(Image.new("RGBA", (16, 16), (255, 0, 0, 0)), "PNG")
    with pytest.raises(StillError, match=r"^Every pixel of this image is fully transparent, so it has no colour"):
        load_still(data)


def test_partially_transparent_png():
    rgba = np.zeros((10, 20, 4), np.uint8)
    rgba[:, :10] = (255, 0, 0, 255)  # opaque red on the left
    rgba[:, 10:] = (0, 0, 255, 0)  # invisible blue on the right
    rgba[0, 0] = (0, 255, 0, 1)  # an almost invisible green pixel still counts
    still = load_still(encode(Image.fromarray(rgba), "PNG"))
    hidden = rgba[:, :, 3].reshape(-1) == 0
    assert still.alpha is not None
    np.testing.assert_array_equal(still.alpha, rgba[:, :, 3])
    assert still.histogram.n_pixels == 100
    np.testing.assert_array_equal(still.histogram.inverse[hidden], -1)
    assert (still.histogram.inverse[~hidden] >= 0).all()
    colours = {tuple(c) for c in still.histogram.colors}
    assert colours == {RED, GREEN}
    assert "100 fully transparent pixels are left out of the palette." in still.notes
    assert_valid(still)


def test_opaque_alpha_channel_is_dropped():
    still = load_still(encode(Image.new("RGBA", (4, 4), (9, 8, 7, 255)), "PNG"))
    assert still.alpha is None
    assert still.mask is None


# --------------------------------------------------------------------------
# Modes and bit depths.


def test_greyscale_l():
    grey = np.arange(48, dtype=np.uint8).reshape(6, 8) * 5
    still = load_still(encode(Image.fromarray(grey, "L"), "PNG"))
    np.testing.assert_array_equal(still.pixels, np.repeat(grey[:, :, None], 3, axis=2))
    assert "Greyscale." in still.notes


def test_greyscale_la():
    la = Image.new("LA", (6, 4), (90, 255))
    la.putpixel((0, 0), (10, 0))
    still = load_still(encode(la, "PNG"))
    assert_colour(still.pixels[1, 1], (90, 90, 90))
    assert still.alpha[0, 0] == 0 and still.histogram.inverse[0] == -1
    assert still.histogram.n_pixels == 23


def test_one_bit():
    bits = Image.new("1", (8, 4), 0)
    bits.putpixel((1, 1), 1)
    still = load_still(encode(bits, "PNG"))
    assert_colour(still.pixels[1, 1], WHITE)
    assert_colour(still.pixels[0, 0], (0, 0, 0))
    assert still.n_colors == 2


def _palette_image() -> Image.Image:
    image = Image.new("P", (6, 4), 0)
    image.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * (768 - 9))
    image.putpixel((1, 0), 1)
    image.putpixel((2, 0), 2)
    return image


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "BMP", "TIFF"])
def test_palette_without_transparency(fmt):
    still = load_still(encode(_palette_image(), fmt))
    assert still.alpha is None
    assert_colour(still.pixels[0, 0], RED)
    assert_colour(still.pixels[0, 1], GREEN)
    assert_colour(still.pixels[0, 2], BLUE)
    assert still.n_colors == 3


@pytest.mark.parametrize("fmt", ["PNG", "GIF"])
def test_palette_with_transparency(fmt):
    still = load_still(encode(_palette_image(), fmt, transparency=1))  # green is the see-through index
    assert still.alpha is not None and still.alpha[0, 1] == 0
    assert still.histogram.inverse[1] == -1
    assert {tuple(c) for c in still.histogram.colors} == {RED, BLUE}
    assert "1 fully transparent pixel is left out of the palette." in still.notes


def test_rgb_png_with_transparent_colour():
    image = Image.new("RGB", (4, 4), RED)
    image.putpixel((3, 3), BLUE)
    still = load_still(encode(image, "PNG", transparency=BLUE))
    assert still.alpha is not None and still.alpha[3, 3] == 0
    assert {tuple(c) for c in still.histogram.colors} == {RED}


@pytest.mark.parametrize("fmt", ["JPEG", "TIFF"])
def test_cmyk_without_profile(fmt):
    still = load_still(encode(Image.new("CMYK", (8, 8), (255, 0, 0, 0)), fmt))  # pure cyan ink
    assert_colour(still.pixels[4, 4], (0, 255, 255), tolerance=3)
    assert any(note.startswith("CMYK without a usable colour profile") for note in still.notes)


@pytest.mark.parametrize(("fmt", "tolerance"), [("JPEG", 6), ("TIFF", 2)])
def test_cmyk_with_profile(fmt, tolerance):
    inks = np.zeros((16, 16, 4), np.uint8)
    inks[:, :] = (255, 0, 0, 0)  # cyan ink
    inks[:8, :8] = (0, 0, 0, 0)  # bare paper, top left
    inks[8:, 8:] = (0, 0, 0, 255)  # black ink, bottom right
    still = load_still(encode(Image.fromarray(inks, "CMYK"), fmt, icc_profile=grey_ink_cmyk_profile()))
    assert_colour(still.pixels[4, 12], (119, 119, 119), tolerance)  # grey by the profile, not cyan
    assert_colour(still.pixels[4, 4], WHITE, tolerance)
    assert_colour(still.pixels[12, 12], (0, 0, 0), tolerance)
    assert "CMYK, converted to sRGB with its colour profile (Grey ink test)." in still.notes


def test_cmyk_with_a_profile_that_does_not_fit():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new("CMYK", (8, 8), (0, 255, 0, 0)), "JPEG", icc_profile=srgb)
    still = load_still(data)
    assert_colour(still.pixels[4, 4], (255, 0, 255), tolerance=3)
    assert any("does not fit a CMYK image and was ignored" in note for note in still.notes)


def test_greyscale_16_bit_png():
    values = (np.arange(24, dtype=np.uint16).reshape(4, 6) * 2_800).astype(np.uint16)
    image = Image.fromarray(values)
    assert image.mode == "I;16"
    still = load_still(encode(image, "PNG"))
    expected = np.rint(values / 257).astype(np.uint8)
    np.testing.assert_array_equal(still.pixels[:, :, 0], expected)
    np.testing.assert_array_equal(still.pixels[:, :, 2], expected)
    assert "16-bit greyscale, reduced to 8 bits." in still.notes


def test_rgb_16_bit_png():
    # Pillow cannot write 16-bit RGB PNGs, so this one is written by hand.
    rgb = np.zeros((2, 3, 3), np.uint16)
    rgb[0, 0] = (0xFFFF, 0x0000, 0x8080)
    rgb[1, 2] = (0x1234, 0xABCD, 0xFF00)
    raw = b"".join(b"\x00" + row.astype(">u2").tobytes() for row in rgb)
    still = load_still(handmade_png(3, 2, 16, 2, raw))
    assert still.shape == (2, 3)
    assert_colour(still.pixels[0, 0], (255, 0, 128), tolerance=1)
    assert_colour(still.pixels[1, 2], (0x12, 0xAB, 0xFF), tolerance=1)
    assert "16 bits per channel, reduced to 8 bits." in still.notes


def test_greyscale_16_bit_png_with_transparent_value():
    raw = b"".join(b"\x00" + np.array([1000, 40000], ">u2").tobytes() for _ in range(2))
    ihdr_and_trns = handmade_png(2, 2, 16, 0, raw)
    trns = png_chunk(b"tRNS", struct.pack(">H", 1000))
    data = ihdr_and_trns[:33] + trns + ihdr_and_trns[33:]
    still = load_still(data)
    np.testing.assert_array_equal(still.alpha, [[0, 255], [0, 255]])
    assert still.n_colors == 1 and still.histogram.n_pixels == 2


def test_greyscale_16_bit_tiff():
    values = np.full((5, 7), 40_000, np.uint16)
    still = load_still(encode(Image.fromarray(values), "TIFF"))
    assert_colour(still.pixels[2, 3], (156, 156, 156))
    assert "16-bit greyscale, reduced to 8 bits." in still.notes


def test_rgb_16_bit_tiff():
    tifffile = pytest.importorskip("tifffile")
    rgb = np.zeros((4, 6, 3), np.uint16)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = 65535, 32896, 257
    buffer = io.BytesIO()
    tifffile.imwrite(buffer, rgb, photometric="rgb")
    still = load_still(buffer.getvalue())
    assert still.shape == (4, 6)
    assert_colour(still.pixels[3, 5], (255, 128, 1), tolerance=1)
    assert "16 bits per channel, reduced to 8 bits." in still.notes


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (np.full((3, 4), 0.5, np.float32), 128),  # floats from 0 to 1
        (np.full((3, 4), 200.0, np.float32), 200),  # floats from 0 to 255
    ],
)
def test_floating_point_tiff(values, expected):
    still = load_still(encode(Image.fromarray(values, "F"), "TIFF"))
    assert_colour(still.pixels[1, 1], (expected,) * 3)


def test_lab_tiff():
    lab = Image.new("LAB", (4, 4), (255, 128, 128))  # L = 100, a = b = 0: white
    still = load_still(encode(lab, "TIFF"))
    assert_colour(still.pixels[0, 0], WHITE, tolerance=2)
    assert "CIELAB, converted to sRGB." in still.notes


def test_icc_tagged_non_srgb_image_is_converted():
    profile = linear_rgb_profile()
    image = Image.new("RGB", (6, 4), (128, 128, 128))
    image.putpixel((0, 0), RED)
    still = load_still(encode(image, "PNG", icc_profile=profile))
    assert_colour(still.pixels[2, 2], (188, 188, 188), tolerance=2)  # linear 0.5 is sRGB 188
    assert_colour(still.pixels[0, 0], RED, tolerance=2)  # same primaries
    assert "Converted from its colour profile (Linear RGB test) to sRGB." in still.notes


def test_icc_conversion_keeps_alpha():
    image = Image.new("RGBA", (4, 4), (128, 128, 128, 255))
    image.putpixel((0, 0), (128, 128, 128, 0))
    still = load_still(encode(image, "PNG", icc_profile=linear_rgb_profile()))
    assert still.alpha[0, 0] == 0 and still.histogram.inverse[0] == -1
    assert_colour(still.pixels[1, 1], (188, 188, 188), tolerance=2)


def test_srgb_profile_leaves_pixels_alone():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    still = load_still(encode(Image.new("RGB", (4, 4), (128, 64, 32)), "PNG", icc_profile=srgb))
    assert_colour(still.pixels[0, 0], (128, 64, 32))
    assert not any("colour profile" in note for note in still.notes)


def test_damaged_profile_is_ignored():
    still = load_still(encode(Image.new("RGB", (4, 4), (128, 64, 32)), "PNG", icc_profile=b"not a profile" * 10))
    assert_colour(still.pixels[0, 0], (128, 64, 32))
    assert "Its colour profile could not be read and was ignored." in still.notes


# --------------------------------------------------------------------------
# Animation, orientation, formats.


def _three_frames() -> list[Image.Image]:
    return [Image.new("RGB", (8, 6), colour) for colour in (RED, GREEN, BLUE)]


@pytest.mark.parametrize(
    ("fmt", "kind", "options"),
    [
        ("GIF", "GIF", {"duration": 100, "loop": 0}),
        ("WEBP", "WebP", {"duration": 100, "lossless": True}),
        ("PNG", "PNG", {"duration": 100}),  # APNG
        ("MPO", "JPEG", {}),
    ],
)
def test_animated_file_uses_first_frame(fmt, kind, options):
    first, *rest = _three_frames()
    still = load_still(encode(first, fmt, save_all=True, append_images=rest, **options))
    assert still.format == kind
    assert_colour(still.pixels[3, 4], RED, tolerance=3)
    assert still.n_colors <= 3
    assert "Animated or multi-picture file: only the first of its 3 frames is used." in still.notes


def test_multi_page_tiff_uses_first_page():
    first, *rest = _three_frames()
    still = load_still(encode(first, "TIFF", save_all=True, append_images=rest))
    assert_colour(still.pixels[0, 0], RED)
    assert "The file holds more than one page; only the first is used." in still.notes


def test_gif_with_damaged_later_frame_keeps_first():
    first, *rest = _three_frames()
    data = encode(first, "GIF", save_all=True, append_images=rest, duration=100)
    still = load_still(data[:-20])  # the last frame is cut short
    assert_colour(still.pixels[0, 0], RED)


@pytest.mark.parametrize(
    ("orientation", "shape", "red_corner"),
    [
        (1, (20, 40), (0, 0)),
        (3, (20, 40), (-1, -1)),  # turned half way: red ends bottom-right
        (6, (40, 20), (0, -1)),  # the camera was turned clockwise: red ends top-right
        (8, (40, 20), (-1, 0)),  # the camera was turned anticlockwise: red ends bottom-left
    ],
)
@pytest.mark.parametrize("fmt", ["JPEG", "TIFF", "WEBP"])
def test_exif_orientation(fmt, orientation, shape, red_corner):
    exif = Image.Exif()
    exif[0x0112] = orientation
    options = {"quality": 95} if fmt == "JPEG" else {"lossless": True} if fmt == "WEBP" else {}
    still = load_still(encode(Image.fromarray(corner_frame()), fmt, exif=exif, **options))
    assert still.shape == shape
    row, col = red_corner
    assert_colour(still.pixels[row, col], RED, tolerance=40)
    assert_colour(still.pixels[shape[0] // 2, shape[1] // 2], BLUE, tolerance=40)
    upright_note = f"Turned upright to follow its EXIF orientation (tag value {orientation})."
    assert (upright_note in still.notes) == (orientation != 1)


def test_damaged_exif_is_ignored():
    data = bytearray(encode(Image.fromarray(corner_frame()), "JPEG", exif=b"Exif\x00\x00II*\x00\xff\xff\xff\x7f"))
    still = load_still(bytes(data))
    assert still.shape == (20, 40)


@pytest.mark.parametrize(
    ("fmt", "kind", "options", "exact"),
    [
        ("PNG", "PNG", {}, True),
        ("BMP", "BMP", {}, True),
        ("TIFF", "TIFF", {}, True),
        ("TIFF", "TIFF", {"compression": "tiff_lzw"}, True),
        ("WEBP", "WebP", {"lossless": True}, True),
        ("WEBP", "WebP", {"quality": 90}, False),
        ("JPEG", "JPEG", {"quality": 95}, False),
    ],
)
def test_accepted_formats_decode(photo, fmt, kind, options, exact):
    data = encode(Image.fromarray(photo), fmt, **options)
    still = load_still(data)
    assert still.format == kind
    assert still.shape == (64, 64)
    if exact:
        np.testing.assert_array_equal(still.pixels, photo)
    else:
        assert np.abs(still.pixels.astype(int) - photo).mean() < 6
    assert_valid(still)


def test_gif_decodes_its_palette_exactly():
    colours = np.array([RED, GREEN, BLUE, WHITE], np.uint8)
    frame = colours[np.arange(64).reshape(8, 8) % 4]
    still = load_still(encode(Image.fromarray(frame), "GIF"))
    np.testing.assert_array_equal(still.pixels, frame)
    assert still.format == "GIF"


@pytest.mark.skipif(not HEIF_SUPPORTED, reason="pillow-heif is not installed")
def test_heic_decodes(photo):
    data = encode(Image.fromarray(photo), "HEIF", quality=95)
    assert data[4:12] == b"ftypheic"
    still = load_still(data)
    assert still.format == "HEIC/HEIF"
    assert still.shape == (64, 64)
    assert np.abs(still.pixels.astype(int) - photo).mean() < 8
    assert_valid(still)


@pytest.mark.parametrize("brand", [b"heic", b"mif1"])
def test_garbage_that_looks_like_heic(brand):
    data = b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x00\x00" + np.random.default_rng(5).bytes(600)
    expected = r"^This HEIC/HEIF file is damaged or truncated" if HEIF_SUPPORTED else r"HEIC/HEIF photos cannot be read"
    with pytest.raises(StillError, match=expected):
        load_still(data)


def test_heic_without_the_plugin_says_what_to_do(monkeypatch, photo):
    if not HEIF_SUPPORTED:
        pytest.skip("pillow-heif is not installed")
    data = encode(Image.fromarray(photo), "HEIF")
    monkeypatch.setattr(still_module, "_OPENERS", tuple(n for n in still_module._OPENERS if n != "HEIF"))
    with pytest.raises(StillError, match=r"^HEIC/HEIF photos cannot be read here; export it from Photos as JPEG"):
        load_still(data)


@pytest.mark.parametrize(
    ("fmt", "name", "mode"),
    [
        ("ICO", r"ICO \(Windows icon\)", "RGB"),
        ("PPM", r"Netpbm \(PPM/PGM/PBM\)", "RGB"),
        ("PCX", r"PCX", "RGB"),
        ("TGA", r"TGA \(Targa\)", "RGB"),
        ("QOI", r"QOI", "RGB"),
        ("SGI", r"SGI", "RGB"),
        ("JPEG2000", r"JPEG 2000", "RGB"),
        ("DDS", r"DDS \(texture\)", "RGB"),
        ("AVIF", r"AVIF", "RGB"),
        ("EPS", r"PostScript \(EPS\)", "RGB"),
        ("ICNS", r"ICNS \(macOS icon\)", "RGB"),
        ("IM", r"IM", "RGB"),
        ("XBM", r"XBM", "1"),
        ("MSP", r"MSP", "1"),
    ],
)
def test_unsupported_formats_name_the_accepted_ones(fmt, name, mode):
    try:
        data = encode(Image.new(mode, (16, 16), 1 if mode == "1" else RED), fmt)
    except (OSError, KeyError, ValueError) as exc:  # pragma: no cover - depends on the Pillow build
        pytest.skip(f"Pillow cannot write {fmt} here: {exc}")
    expected = rf"^{name} files are not accepted; save the frame as JPEG or PNG\. {ACCEPTED_LIST}"
    with pytest.raises(StillError, match=expected):
        load_still(data)


def test_unsupported_format_without_a_signature():
    data = encode(Image.new("RGB", (16, 16), RED), "SPIDER")  # a raw float format with no magic number
    with pytest.raises(StillError, match=rf"^This file is not an image that can be read\. {ACCEPTED_LIST}"):
        load_still(data)


# --------------------------------------------------------------------------
# still_from_pixels and the digest.


@pytest.mark.parametrize(
    ("pixels", "message"),
    [
        (np.zeros((4, 4), np.uint8), r"pixels must be an \(h, w, 3\) uint8 array, got shape \(4, 4\) and dtype uint8"),
        (np.zeros((4, 4, 4), np.uint8), r"got shape \(4, 4, 4\) and dtype uint8"),
        (np.zeros((4, 4, 3), np.float64), r"got shape \(4, 4, 3\) and dtype float64"),
        (np.zeros((4, 4, 3), np.uint16), r"dtype uint16"),
        ([[[1, 2, 3]]], r"dtype int64"),
        ([[[1, 2, 3]], [[1, 2]]], r"pixels must be an \(h, w, 3\) uint8 array, got list"),
        (np.zeros((0, 5, 3), np.uint8), r"^The image is empty \(5 x 0 pixels\)\.$"),
        (np.zeros((5, 0, 3), np.uint8), r"^The image is empty \(0 x 5 pixels\)\.$"),
    ],
)
def test_still_from_pixels_rejects_bad_pixels(pixels, message):
    with pytest.raises(StillError, match=message):
        still_from_pixels(pixels)


@pytest.mark.parametrize(
    ("alpha", "message"),
    [
        (np.zeros((3, 4), np.uint8), r"alpha has shape \(3, 4\) but the pixels are \(4, 4\)"),
        (np.zeros((4, 4), np.float32), r"alpha must be an \(h, w\) uint8 or bool array, got dtype float32"),
        (np.full((4, 4), 300, np.int32), r"got dtype int32"),
        (np.zeros((4, 4), np.uint8), r"^Every pixel of this image is fully transparent"),
        (np.zeros((4, 4), bool), r"^Every pixel of this image is fully transparent"),
    ],
)
def test_still_from_pixels_rejects_bad_alpha(alpha, message):
    with pytest.raises(StillError, match=message):
        still_from_pixels(np.zeros((4, 4, 3), np.uint8), alpha=alpha)


def test_still_from_pixels_rejects_a_digest_that_is_not_text():
    with pytest.raises(StillError, match=r"digest must be a str, got bytes"):
        still_from_pixels(np.zeros((2, 2, 3), np.uint8), digest=b"abc")


def test_still_from_pixels_with_bool_alpha():
    pixels = np.zeros((2, 2, 3), np.uint8)
    pixels[0, 0] = RED
    still = still_from_pixels(pixels, alpha=np.array([[True, False], [False, False]]))
    np.testing.assert_array_equal(still.alpha, [[255, 0], [0, 0]])
    np.testing.assert_array_equal(still.histogram.inverse, [0, -1, -1, -1])
    assert still.n_colors == 1


def test_still_arrays_are_read_only_and_caller_array_is_untouched():
    pixels = np.zeros((2, 2, 3), np.uint8)
    still = still_from_pixels(pixels)
    with pytest.raises(ValueError):
        still.pixels[0, 0, 0] = 1
    assert pixels.flags.writeable
    rgba = Image.new("RGBA", (2, 2), (1, 2, 3, 255))
    rgba.putpixel((0, 0), (1, 2, 3, 0))
    loaded = load_still(encode(rgba, "PNG"))
    assert not loaded.pixels.flags.writeable and not loaded.alpha.flags.writeable


def test_digest_of_bytes():
    image = Image.fromarray(corner_frame())
    data = encode(image, "PNG", compress_level=9)
    other = encode(image, "PNG", compress_level=1)  # same pixels, different bytes
    assert data != other
    first, again, different = load_still(data), load_still(bytes(data)), load_still(other)
    assert first.digest == again.digest == hashlib.sha256(data).hexdigest()
    assert first.digest != different.digest
    np.testing.assert_array_equal(first.pixels, different.pixels)


def test_digest_of_pixels():
    a = np.arange(18, dtype=np.uint8).reshape(2, 3, 3)
    b = a.reshape(3, 2, 3)  # the same bytes in another shape
    assert still_from_pixels(a).digest == still_from_pixels(a.copy()).digest
    assert still_from_pixels(a).digest != still_from_pixels(b).digest
    assert still_from_pixels(a).digest != still_from_pixels(a, alpha=np.full((2, 3), 7, np.uint8)).digest
    assert still_from_pixels(a, digest="given").digest == "given"


@pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview])
def test_accepts_any_bytes_like(wrap):
    data = encode(Image.new("RGB", (3, 2), RED), "PNG")
    still = load_still(wrap(data))
    assert still.shape == (2, 3)
    assert still.digest == hashlib.sha256(data).hexdigest()


def test_stills_decode_at_once_in_threads(photo):
    """Streamlit sessions decode in threads: nothing shared may trip them up."""
    formats = ["PNG", "JPEG", "WEBP", "TIFF"] * 2
    inputs = [encode(Image.fromarray(np.roll(photo, i, axis=1)), fmt) for i, fmt in enumerate(formats)]
    inputs.append(_bomb_gif())
    results: list[object] = [None] * len(inputs)

    def work(i: int) -> None:
        try:
            results[i] = load_still(inputs[i]).digest
        except StillError as exc:
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r for r in results[:-1]] == [hashlib.sha256(d).hexdigest() for d in inputs[:-1]]
    assert isinstance(results[-1], StillError) and "decompression bomb" in str(results[-1])
