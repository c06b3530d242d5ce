"""Property-based tests: ``load_still`` on random and mutated bytes.

Whatever the bytes, ``load_still`` either returns a valid :class:`Still`
(uint8 ``(h, w, 3)`` pixels within the pixel limit, a consistent histogram)
or raises :class:`StillError` with a one-line message. Any other exception,
a Pillow DecompressionBombWarning, or an example slower than the deadline
fails the test.

The runs are derandomized (and use no example database), so CI sees the same
examples every time.
"""

from __future__ import annotations

import io
import struct
import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from kmeans_core.still import ACCEPTED_FORMATS, Still, StillError, load_still

#: A low limit, so that a mutated header asking for a huge frame is refused
#: (or decoded) quickly, and memory stays small on a shared CI machine.
FUZZ_MAX_PIXELS = 1 << 20

FUZZ_SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=2000,  # milliseconds, per example
    suppress_health_check=[HealthCheck.too_slow],
)


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _seed_files() -> dict[str, bytes]:
    """Real encodings of a small photograph, the material for mutations."""
    from skimage import data

    photo = np.ascontiguousarray(data.astronaut()[::16, ::16])  # 32 x 32
    image = Image.fromarray(photo)
    rgba = np.dstack([photo, np.where(np.arange(32)[None, :] < 8, 0, 255).repeat(32, axis=0).astype(np.uint8)])
    exif = Image.Exif()
    exif[0x0112] = 6
    frames = [image.convert("P"), image.transpose(Image.Transpose.FLIP_LEFT_RIGHT).convert("P")]
    return {
        "jpeg": _encode(image, "JPEG", quality=80),
        "jpeg-progressive-exif": _encode(image, "JPEG", quality=80, progressive=True, exif=exif),
        "png": _encode(image, "PNG"),
        "png-rgba": _encode(Image.fromarray(rgba), "PNG"),
        "png-16-bit-grey": _encode(Image.fromarray(photo[:, :, 0].astype(np.uint16) * 257), "PNG"),
        "gif": _encode(image.convert("P"), "GIF"),
        "gif-animated": _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50),
        "tiff": _encode(image, "TIFF"),
        "tiff-lzw-exif": _encode(image, "TIFF", compression="tiff_lzw", exif=exif),
        "webp": _encode(image, "WEBP", quality=80),
        "webp-lossless-rgba": _encode(Image.fromarray(rgba), "WEBP", lossless=True),
        "bmp": _encode(image, "BMP"),
    }


SEEDS = _seed_files()
SEED_NAMES = sorted(SEEDS)

# First bytes of accepted (and some refused) formats, to steer random bytes
# into each parser rather than the "not an image" branch.
SIGNATURES = [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
    b"\xff\xd8\xff\xe0",
    b"\xff\xd8\xff\xc0",
    b"GIF89a",
    b"GIF87a",
    b"II*\x00",
    b"MM\x00*",
    b"BM",
    b"RIFF\x00\x01\x00\x00WEBPVP8 ",
    b"RIFF\x00\x01\x00\x00WEBPVP8L",
    b"RIFF\x00\x01\x00\x00WEBPVP8X",
    b"\x00\x00\x00\x18ftypheic",
    b"\x00\x00\x00\x18ftypmif1",
    b"<svg",
    b"%PDF-",
    b"P6\n",
]

INTERESTING = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]


@st.composite
def positions(draw, size: int) -> int:
    """A position in a file of ``size`` bytes, often in its first 64 (the header)."""
    if size == 0:
        return 0
    return draw(st.one_of(st.integers(0, min(64, size - 1)), st.integers(0, size - 1)))


@st.composite
def mutate(draw, data: bytes) -> bytes:
    """Apply 1 to 4 random mutations to ``data``."""
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not buffer:
            break
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "field", "splice"]))
        pos = draw(positions(len(buffer)))
        if kind == "truncate":
            del buffer[pos:]
        elif kind == "flip":
            buffer[pos] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            buffer[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "delete":
            del buffer[pos : pos + draw(st.integers(1, 64))]
        elif kind == "field":  # overwrite a header field with a boundary value
            width = draw(st.sampled_from([1, 2, 4]))
            value = draw(st.sampled_from(INTERESTING)) & ((1 << (8 * width)) - 1)
            order = draw(st.sampled_from(["<", ">"]))
            packed = struct.pack(order + {1: "B", 2: "H", 4: "I"}[width], value)
            buffer[pos : pos + width] = packed
        else:  # splice: copy a run of the file somewhere else, as a broken writer might
            start = draw(positions(len(buffer)))
            buffer[pos:pos] = buffer[start : start + draw(st.integers(1, 256))]
    return bytes(buffer)


@st.composite
def mutated_images(draw) -> bytes:
    return draw(mutate(SEEDS[draw(st.sampled_from(SEED_NAMES))]))


def check_load(data: bytes) -> None:
    """Decode ``data``: a valid Still or a StillError, nothing else."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            still = load_still(data, max_pixels=FUZZ_MAX_PIXELS)
        except StillError as exc:
            message = str(exc)
            assert message and "\n" not in message and len(message) < 400, message
            still = None
    bombs = [w for w in caught if issubclass(w.category, Image.DecompressionBombWarning)]
    assert not bombs, bombs
    if still is not None:
        check_still(still)


def check_still(still: Still) -> None:
    h, w = still.shape
    assert isinstance(still, Still)
    assert still.pixels.dtype == np.uint8 and still.pixels.shape == (h, w, 3)
    assert 0 < h * w <= FUZZ_MAX_PIXELS
    assert still.format in set(ACCEPTED_FORMATS.values())
    hist = still.histogram
    assert hist.inverse.shape == (h * w,)
    assert hist.inverse.max() < len(hist.colors)
    if still.alpha is None:
        assert hist.n_pixels == h * w and hist.inverse.min() >= 0
    else:
        assert still.alpha.dtype == np.uint8 and still.alpha.shape == (h, w)
        assert hist.n_pixels == np.count_nonzero(still.alpha) > 0
    assert len(hist.colors) >= 1 and (hist.counts > 0).all()


@settings(FUZZ_SETTINGS, max_examples=150)
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    check_load(data)


@settings(FUZZ_SETTINGS, max_examples=150)
@given(st.sampled_from(SIGNATURES), st.binary(max_size=2048))
def test_random_bytes_behind_a_signature(signature, tail):
    check_load(signature + tail)


@settings(FUZZ_SETTINGS, max_examples=300)
@given(mutated_images())
def test_mutated_images(data):
    check_load(data)


def test_seed_files_decode():
    """The unmutated seeds are good stills, so mutations start from real files."""
    for name in SEED_NAMES:
        still = load_still(SEEDS[name], max_pixels=FUZZ_MAX_PIXELS)
        check_still(still)
        assert still.shape in ((32, 32),), name
