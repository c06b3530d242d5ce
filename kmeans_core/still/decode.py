"""Decoding a still: :func:`load_still`, from the bytes of a file to a :class:`Still`.

How a file is read, in order:

1. Cheap checks on the raw bytes: empty, and for PNG, GIF, JPEG and WebP the
   frame size declared in the header (and, for JPEG, the number of scans).
   A file that declares too many pixels is refused here, before Pillow sees
   it, so nothing is allocated for it (:mod:`kmeans_core.still.headers`).
2. The file is identified with Pillow's plugins for the accepted formats
   only (:mod:`kmeans_core.still.formats`). This calls the plugins directly
   rather than :func:`PIL.Image.open`, so Pillow's global
   decompression-bomb check, which warns through the process-wide
   ``warnings`` machinery, is not involved; our own check replaces it
   (:mod:`kmeans_core.still.limits`). A file no accepted plugin reads is
   described in plain words (:mod:`kmeans_core.still.unreadable`).
3. The size Pillow read is checked again against the limit, and only then are
   pixels decoded.
4. EXIF orientation, then conversion to 8-bit sRGB with an alpha mask
   (:mod:`kmeans_core.still.to_srgb`).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from kmeans_core.still.digest import content_digest
from kmeans_core.still.formats import ACCEPTED_FORMATS
from kmeans_core.still.formats import OPENERS as _OPENERS  # a module global, looked up at each call
from kmeans_core.still.frame import Still, StillError, still_from_pixels
from kmeans_core.still.headers import declared_size, gif_frame_count
from kmeans_core.still.limits import DEFAULT_MAX_PIXELS, check_size, effective_limit
from kmeans_core.still.to_srgb import to_srgb
from kmeans_core.still.unreadable import describe_unreadable, sniff_document

__all__ = ["load_still"]

# EXIF orientation -> the transpose that makes the frame upright.
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def load_still(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> Still:
    """Decode the bytes of an image file into a :class:`Still`.

    Applies the EXIF orientation, converts palette, greyscale, CMYK, 16-bit
    and ICC-tagged images to 8-bit sRGB, takes the first frame of an
    animation, and keeps alpha as a mask.

    Parameters
    ----------
    data : bytes
        The whole file, as uploaded (``bytearray`` and ``memoryview`` work
        too). Nothing is written to disk.
    max_pixels : int, default 64_000_000
        The largest frame accepted, in pixels (width times height). The size
        is read from the header, before any pixel is decoded. The limit used
        is the lower of this and ``PIL.Image.MAX_IMAGE_PIXELS`` (about 89
        megapixels unless changed), so that Pillow's own decompression-bomb
        check never has to fire; raise both to accept larger frames.

    Returns
    -------
    Still
        With ``digest`` the SHA-256 of ``data``.

    Raises
    ------
    StillError
        With a plain message, for anything that is not a usable still: not
        an image, a format that is not accepted, a damaged or truncated
        file, too many pixels, a decompression bomb, or an image with no
        visible pixel. Also for a ``max_pixels`` that is not a positive
        whole number.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise StillError(f"Expected the bytes of an image file, got {type(data).__name__}.")
    limit = effective_limit(max_pixels)
    data = bytes(data)
    if len(data) == 0:
        raise StillError("The file is empty (0 bytes).")
    try:
        return _decode(data, limit)
    except StillError:
        raise
    except Image.DecompressionBombError:
        raise StillError(
            f"Refused as a possible decompression bomb: the image declares more pixels than the limit "
            f"of {limit:,} pixels."
        ) from None
    except MemoryError:
        raise StillError("The image is too large to decode in the memory available.") from None
    except Exception as exc:  # Pillow's decoders raise many kinds; none may escape.
        raise StillError(f"The file is damaged or truncated and cannot be decoded ({_reason(exc)}).") from None


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _decode(data: bytes, limit: int) -> Still:
    header = declared_size(data)
    if header is not None:
        kind, width, height = header
        check_size(kind, width, height, len(data), limit)
    opened = _open_accepted(data)
    if opened is None:
        raise StillError(describe_unreadable(data))
    image, kind = opened
    with image:
        return _still_from_image(image, kind, data, limit)


def _open_accepted(data: bytes) -> tuple[Image.Image, str] | None:
    """Open ``data`` with the plugin of an accepted format, without decoding.

    Returns None when no accepted format recognises the first bytes. Raises
    StillError when one does but cannot read the header.
    """
    prefix = data[:16]
    failure: tuple[str, BaseException] | None = None
    for name in _OPENERS:
        entry = Image.OPEN.get(name)
        if entry is None:  # pragma: no cover - depends on the Pillow build
            continue
        factory, accept = entry
        if accept is not None:
            try:
                verdict = accept(prefix)
            except Exception:
                continue
            if isinstance(verdict, str) or not verdict:
                continue
        try:
            image = factory(io.BytesIO(data), "")
        except Image.DecompressionBombError:
            raise
        except Exception as exc:  # a header this plugin cannot read
            if failure is None:
                failure = (ACCEPTED_FORMATS.get(name, name), exc)
            continue
        kind = ACCEPTED_FORMATS.get(image.format or "")
        if kind is None:  # pragma: no cover - an accepted plugin returning another format
            image.close()
            continue
        return image, kind
    if failure is None:
        return None
    looks_like = sniff_document(data)
    if looks_like is not None:
        raise StillError(looks_like)
    kind, exc = failure
    raise StillError(f"This {kind} file is damaged or truncated and cannot be read ({_reason(exc)}).")


def _still_from_image(image: Image.Image, kind: str, data: bytes, limit: int) -> Still:
    width, height = image.size
    check_size(kind, width, height, len(data), limit)
    notes: list[str] = []
    wide = _tile_bits(image) > 8  # first: reading a PNG's EXIF loads it, and the tiles go
    frames = _frame_note(image, kind, data)
    if frames is not None:
        notes.append(frames)
    orientation = _orientation(image)  # before load: Pillow applies a TIFF's while loading
    try:
        image.load()
    except (StillError, Image.DecompressionBombError, MemoryError):
        raise
    except Exception as exc:
        raise StillError(f"This {kind} file is damaged or truncated and cannot be decoded ({_reason(exc)}).") from None
    check_size(kind, *image.size, len(data), limit)  # a HEIC's decoded size may differ from its header
    remaining = _orientation(image)
    if remaining in _ORIENTATION:
        image = image.transpose(_ORIENTATION[remaining])
    if orientation in _ORIENTATION:
        notes.append(f"Turned upright to follow its EXIF orientation (tag value {orientation}).")
    if wide and not image.mode.startswith("I;16"):
        notes.append("16 bits per channel, reduced to 8 bits.")
    pixels, alpha = to_srgb(image, notes)
    if alpha is not None:
        hidden = int(np.count_nonzero(alpha == 0))
        if 0 < hidden < alpha.size:
            pixel_word = "pixel is" if hidden == 1 else "pixels are"
            notes.append(f"{hidden:,} fully transparent {pixel_word} left out of the palette.")
    digest = content_digest(data)
    return still_from_pixels(pixels, alpha=alpha, format=kind, notes=tuple(notes), digest=digest)


def _frame_note(image: Image.Image, kind: str, data: bytes) -> str | None:
    """A note when the file holds more than one frame; only the first is used.

    GIF and TIFF frames are counted by walking the file, so they are counted
    with a bound (GIF) or not at all (TIFF) to keep hostile files quick.
    """
    count: int | None
    try:
        if kind == "GIF":
            count = gif_frame_count(data)
        elif kind == "TIFF":
            count = None if getattr(image, "is_animated", False) else 1
        else:
            count = int(getattr(image, "n_frames", 1))
    except Exception:  # damaged later frames: the first may still be fine
        count = 1
    if image.tell() != 0:
        image.seek(0)
    if count == 1 or (count is not None and count < 1):
        return None
    if kind == "TIFF":
        return "The file holds more than one page; only the first is used."
    if count is None:
        return "Animated file: only its first frame is used."
    return f"Animated or multi-picture file: only the first of its {count} frames is used."


def _orientation(image: Image.Image) -> int | None:
    """The EXIF orientation (1-8), or None when absent or unreadable."""
    try:
        value = image.getexif().get(0x0112)
    except Exception:  # damaged EXIF: show the frame as stored
        return None
    return value if isinstance(value, int) and 1 <= value <= 8 else None


def _tile_bits(image: Image.Image) -> int:
    """Bits per channel in the file, as far as the decoder's raw mode tells."""
    try:
        args = image.tile[0].args if image.tile else None
    except Exception:
        return 8
    rawmode = args if isinstance(args, str) else (args[0] if isinstance(args, tuple) and args else "")
    return 16 if isinstance(rawmode, str) and ";16" in rawmode else 8
