"""Decoding a still: from untrusted bytes to 8-bit sRGB pixels and their histogram.

Everything that can go wrong with a file a director drops in (not an image,
truncated, too large, a decompression bomb, fully transparent) raises
:class:`StillError` with a message that says why in plain words. No other
exception leaves :func:`load_still`.

How a file is read, in order:

1. Cheap checks on the raw bytes: empty, and for PNG, GIF, JPEG and WebP the
   frame size declared in the header (and, for JPEG, the number of scans).
   A file that declares too many pixels is refused here, before Pillow sees
   it, so nothing is allocated for it.
2. The file is identified with Pillow's plugins for the accepted formats
   only (exotic format parsers never run on uploaded bytes). This calls the
   plugins directly rather than :func:`PIL.Image.open`, so Pillow's global
   decompression-bomb check, which warns through the process-wide
   ``warnings`` machinery, is not involved; our own check replaces it.
3. The size Pillow read is checked again against the limit, and only then are
   pixels decoded.
4. EXIF orientation, then conversion to 8-bit sRGB with an alpha mask.

Thread safety: nothing here changes global state (not ``warnings`` filters,
not ``PIL.Image.MAX_IMAGE_PIXELS``), so stills can be decoded from several
Streamlit sessions at once.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import operator
import re
import struct
from dataclasses import dataclass

import numpy as np
from PIL import BmpImagePlugin, GifImagePlugin, Image, ImageCms, JpegImagePlugin, PngImagePlugin, TiffImagePlugin

from kmeans_core.histogram import ColorHistogram, color_histogram

try:  # Registers the WEBP opener; absent when Pillow was built without libwebp.
    from PIL import WebPImagePlugin  # noqa: F401
except ImportError:  # pragma: no cover - depends on the Pillow build
    pass

try:  # iPhone photos: HEIC/HEIF through the maintained libheif binding.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - depends on the install
    HEIF_SUPPORTED = False

# The plugins imported above register themselves with Pillow; the names keep
# linters from calling the imports unused.
_PLUGINS = (BmpImagePlugin, GifImagePlugin, JpegImagePlugin, PngImagePlugin, TiffImagePlugin)

__all__ = [
    "ACCEPTED_FORMATS",
    "DEFAULT_MAX_PIXELS",
    "HEIF_SUPPORTED",
    "Still",
    "StillError",
    "load_still",
    "still_from_pixels",
]

#: The largest frame we decode: 64 megapixels, above any common camera.
DEFAULT_MAX_PIXELS = 64_000_000

#: Pillow format names we accept, and the names a person knows them by.
ACCEPTED_FORMATS = {
    "JPEG": "JPEG",
    "MPO": "JPEG",
    "PNG": "PNG",
    "WEBP": "WebP",
    "TIFF": "TIFF",
    "BMP": "BMP",
    "GIF": "GIF",
    "HEIF": "HEIC/HEIF",
}

# Pillow plugins tried on uploaded bytes, in this order. The JPEG opener also
# returns MPO files (JPEGs with a second picture, from some cameras).
_OPENERS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP") + (("HEIF",) if HEIF_SUPPORTED else ())

_FORMAT_LIST = "JPEG, PNG, WebP, TIFF, BMP, GIF" + (" or HEIC" if HEIF_SUPPORTED else "")
_ACCEPTED = f"Accepted formats: {_FORMAT_LIST}."

# A file that declares more than this many pixels per byte, and more than
# four times the limit, is called a decompression bomb rather than just large.
_BOMB_PIXELS_PER_BYTE = 100

# Progressive JPEGs decode one pass per scan, and every pass walks the whole
# frame. Encoders write about 10; a file with thousands is a denial of service.
_MAX_JPEG_SCANS = 100

# Bounds on the header walkers, so that hostile padding cannot keep them (or
# Pillow, which walks the same structures in Python) busy.
_MAX_HEADER_STEPS = 1_000_000
_MAX_PNG_CHUNKS = 1_000_000
_MAX_JPEG_SEGMENTS = 10_000
_MAX_JUNK_BYTES = 4096

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

_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_GREY_MODES = frozenset({"1", "L", "LA", "La"})


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
        sha = hashlib.sha256(f"{height}x{width}:{'rgba' if alpha is not None else 'rgb'}:".encode())
        sha.update(pixels.data)
        if alpha is not None:
            sha.update(alpha.data)
        digest = sha.hexdigest()
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
    limit = _effective_limit(max_pixels)
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


def _effective_limit(max_pixels: object) -> int:
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


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


# --------------------------------------------------------------------------
# The pipeline.


def _decode(data: bytes, limit: int) -> Still:
    header = _header_check(data)
    if header is not None:
        kind, width, height = header
        _check_size(kind, width, height, len(data), limit)
    opened = _open_accepted(data)
    if opened is None:
        raise StillError(_describe_unreadable(data))
    image, kind = opened
    with image:
        return _still_from_image(image, kind, data, limit)


def _check_size(kind: str, width: int, height: int, n_bytes: int, limit: int) -> None:
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
    looks_like = _sniff_document(data)
    if looks_like is not None:
        raise StillError(looks_like)
    kind, exc = failure
    raise StillError(f"This {kind} file is damaged or truncated and cannot be read ({_reason(exc)}).")


def _still_from_image(image: Image.Image, kind: str, data: bytes, limit: int) -> Still:
    width, height = image.size
    _check_size(kind, width, height, len(data), limit)
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
    _check_size(kind, *image.size, len(data), limit)  # a HEIC's decoded size may differ from its header
    remaining = _orientation(image)
    if remaining in _ORIENTATION:
        image = image.transpose(_ORIENTATION[remaining])
    if orientation in _ORIENTATION:
        notes.append(f"Turned upright to follow its EXIF orientation (tag value {orientation}).")
    if wide and not image.mode.startswith("I;16"):
        notes.append("16 bits per channel, reduced to 8 bits.")
    pixels, alpha = _to_srgb(image, notes)
    if alpha is not None:
        hidden = int(np.count_nonzero(alpha == 0))
        if 0 < hidden < alpha.size:
            pixel_word = "pixel is" if hidden == 1 else "pixels are"
            notes.append(f"{hidden:,} fully transparent {pixel_word} left out of the palette.")
    digest = hashlib.sha256(data).hexdigest()
    return still_from_pixels(pixels, alpha=alpha, format=kind, notes=tuple(notes), digest=digest)


def _frame_note(image: Image.Image, kind: str, data: bytes) -> str | None:
    """A note when the file holds more than one frame; only the first is used.

    GIF and TIFF frames are counted by walking the file, so they are counted
    with a bound (GIF) or not at all (TIFF) to keep hostile files quick.
    """
    count: int | None
    try:
        if kind == "GIF":
            count = _gif_frame_count(data)
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


# --------------------------------------------------------------------------
# Colour conversion.


def _to_srgb(image: Image.Image, notes: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """Convert any Pillow mode to (uint8 RGB pixels, uint8 alpha or None)."""
    mode = image.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        return _wide_grey_to_srgb(image, notes)
    has_alpha = mode in _ALPHA_MODES or "transparency" in image.info
    profile, description = _embedded_profile(image, notes)
    space = _profile_space(profile)
    if mode == "CMYK":
        if space == "CMYK":
            converted = _apply_profile(image, profile, "RGB")
            if converted is not None:
                notes.append(f"CMYK, converted to sRGB with its colour profile ({description}).")
                return np.asarray(converted), None
            notes.append("Its CMYK colour profile could not be applied and was ignored.")
        elif profile is not None:
            notes.append(f"Its colour profile ({description}) does not fit a CMYK image and was ignored.")
        notes.append(
            "CMYK without a usable colour profile, converted to sRGB with a simple formula; colours may be off."
        )
        return np.asarray(image.convert("RGB")), None
    if mode in _GREY_MODES:
        notes.append("Greyscale.")
    elif mode == "LAB":
        notes.append("CIELAB, converted to sRGB.")
    target = "RGBA" if has_alpha else "RGB"
    if mode != target:
        image = image.convert(target)
    if space == "RGB":
        if "srgb" not in description.lower():
            converted = _apply_profile(image, profile, target)
            if converted is None:
                notes.append(f"Its colour profile ({description}) could not be applied and was ignored.")
            else:
                notes.append(f"Converted from its colour profile ({description}) to sRGB.")
                image = converted
    elif profile is not None and not (space == "GRAY" and mode in _GREY_MODES):
        notes.append(f"Its colour profile ({description}) does not fit its colours and was ignored.")
    array = np.asarray(image)
    if target == "RGBA":
        return array[:, :, :3], array[:, :, 3]
    return array, None


def _wide_grey_to_srgb(image: Image.Image, notes: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """16-bit, 32-bit integer and floating-point greyscale to 8-bit grey RGB."""
    mode = image.mode
    try:
        values = np.asarray(image)
    except Exception:  # a mode NumPy has no view for
        values = np.asarray(image.convert("I"))
        mode = "I"
    alpha = None
    transparent = image.info.get("transparency")
    if isinstance(transparent, int) and not isinstance(transparent, bool):
        alpha = np.where(values == transparent, 0, 255).astype(np.uint8)
    values = values.astype(np.float64)
    if mode.startswith("I;16"):
        grey = values / 257.0
        notes.append("16-bit greyscale, reduced to 8 bits.")
    else:
        finite = values[np.isfinite(values)]
        low = float(finite.min()) if finite.size else 0.0
        high = float(finite.max()) if finite.size else 0.0
        if mode == "F" and low >= 0.0 and high <= 1.0:
            grey = values * 255.0
            notes.append("Floating-point greyscale (0 to 1), reduced to 8 bits.")
        elif low >= 0.0 and high <= 255.0:
            grey = values
            notes.append("Greyscale stored in wide numbers, read as 8 bits.")
        elif low >= 0.0 and high <= 65535.0:
            grey = values / 257.0
            notes.append("16-bit greyscale, reduced to 8 bits.")
        elif high > low:
            grey = (values - low) * (255.0 / (high - low))
            notes.append(f"Greyscale with values from {low:g} to {high:g}, stretched to 8 bits.")
        else:
            grey = np.zeros_like(values)
            notes.append(f"Greyscale with the single value {low:g}, shown as black.")
    grey = np.clip(np.rint(np.nan_to_num(grey, nan=0.0, posinf=255.0, neginf=0.0)), 0, 255).astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2), alpha


def _tile_bits(image: Image.Image) -> int:
    """Bits per channel in the file, as far as the decoder's raw mode tells."""
    try:
        args = image.tile[0].args if image.tile else None
    except Exception:
        return 8
    rawmode = args if isinstance(args, str) else (args[0] if isinstance(args, tuple) and args else "")
    return 16 if isinstance(rawmode, str) and ";16" in rawmode else 8


def _embedded_profile(image: Image.Image, notes: list[str]) -> tuple[ImageCms.ImageCmsProfile | None, str]:
    icc = image.info.get("icc_profile")
    if not icc or not isinstance(icc, bytes):
        return None, ""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = " ".join((ImageCms.getProfileDescription(profile) or "").split())
    except Exception:  # a damaged profile: keep the values as they are
        notes.append("Its colour profile could not be read and was ignored.")
        return None, ""
    return profile, (description[:80] or "embedded")


def _profile_space(profile: ImageCms.ImageCmsProfile | None) -> str | None:
    if profile is None:
        return None
    try:
        return str(profile.profile.xcolor_space).strip().upper()
    except Exception:  # pragma: no cover - lcms always reports a colour space
        return None


def _apply_profile(image: Image.Image, profile: ImageCms.ImageCmsProfile, output_mode: str) -> Image.Image | None:
    """Convert to sRGB with lcms, or None when the profile does not work."""
    try:
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))  # per call: lcms handles are not shared
        return ImageCms.profileToProfile(image, profile, srgb, outputMode=output_mode)
    except Exception:
        return None


# --------------------------------------------------------------------------
# Header checks on the raw bytes, before any decoder runs.


def _header_check(data: bytes) -> tuple[str, int, int] | None:
    """The frame size a PNG, GIF, JPEG or WebP header declares, or None.

    Raises StillError for a JPEG with too many scans or a GIF whose header
    cannot be walked. Returns None for other formats and for headers too
    short to say; the size Pillow reads is checked again in any case.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png_size(data)
    if data.startswith((b"GIF87a", b"GIF89a")):
        return _gif_size(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg_size(data)
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return _webp_size(data)
    return None


def _png_size(data: bytes) -> tuple[str, int, int] | None:
    """The size in a PNG's IHDR, after checking that its chunks can be walked quickly."""
    if len(data) < 24 or data[8:16] != b"\x00\x00\x00\x0dIHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    pos, n, chunks = 8, len(data), 0
    while pos + 8 <= n:
        chunks += 1
        if chunks > _MAX_PNG_CHUNKS:
            raise StillError(
                f"This PNG file is damaged: it is cut into more than {_MAX_PNG_CHUNKS:,} pieces (chunks), "
                "far more than any image needs."
            )
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IEND":
            break
        pos += 12 + length
    return "PNG", width, height


def _gif_blocks(data: bytes):
    """Walk a GIF's blocks, yielding ``(pos, kind)`` with kind "frame" or "end".

    Extensions and image data are skipped through their sub-block lengths,
    the way Pillow reads them. Raises StillError when the walk would take
    more than ``_MAX_HEADER_STEPS`` steps or meets a run of junk bytes.
    """
    flags = data[10]
    pos = 13 + ((3 << ((flags & 7) + 1)) if flags & 128 else 0)
    n, steps, junk = len(data), 0, 0

    def skip_sub_blocks(pos: int) -> int:
        nonlocal steps
        while pos < n and data[pos]:
            pos += data[pos] + 1
            steps += 1
            if steps > _MAX_HEADER_STEPS:
                raise StillError("This GIF file is damaged: it is cut into far more pieces than any image needs.")
        return pos + 1

    while pos < n:
        steps += 1
        if steps > _MAX_HEADER_STEPS:
            raise StillError("This GIF file is damaged: it is cut into far more pieces than any image needs.")
        byte = data[pos]
        if byte == 0x3B:  # trailer
            break
        if byte == 0x21:  # extension: a label, then sub-blocks up to an empty one
            pos = skip_sub_blocks(pos + 2)
        elif byte == 0x2C:  # image descriptor, local colour table, LZW code size, data
            yield pos, "frame"
            if pos + 10 > n:
                break
            local = data[pos + 9]
            pos += 10 + ((3 << ((local & 7) + 1)) if local & 128 else 0)
            pos = skip_sub_blocks(pos + 1)
        else:  # Pillow skips stray bytes one at a time
            junk += 1
            if junk > _MAX_JUNK_BYTES:
                raise StillError("This GIF file is damaged: there is no frame where one should be.")
            pos += 1
    yield pos, "end"


def _gif_size(data: bytes) -> tuple[str, int, int] | None:
    """The size Pillow will give a GIF: its screen, widened by the first frame."""
    if len(data) < 13:
        return None
    width, height = struct.unpack("<HH", data[6:10])
    for pos, kind in _gif_blocks(data):
        if kind == "frame" and pos + 9 <= len(data):
            x0, y0, w, h = struct.unpack("<HHHH", data[pos + 1 : pos + 9])
            return "GIF", max(width, x0 + w), max(height, y0 + h)
        break
    return "GIF", width, height


def _gif_frame_count(data: bytes) -> int | None:
    """How many frames a GIF holds, or None when there are too many to count quickly."""
    try:
        return sum(1 for _, kind in _gif_blocks(data) if kind == "frame")
    except StillError:
        return None


_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(data: bytes) -> tuple[str, int, int] | None:
    """The largest frame size a JPEG header declares, and a check on its scans."""
    pos, n = 2, len(data)
    size: tuple[int, int] | None = None
    junk = steps = 0
    while pos + 1 < n:
        steps += 1
        if steps > _MAX_JPEG_SEGMENTS:
            raise StillError(
                f"This JPEG file is damaged: its header has more than {_MAX_JPEG_SEGMENTS:,} pieces "
                "(markers), far more than any image needs."
            )
        if data[pos] != 0xFF or data[pos + 1] == 0xFF:  # junk, or fill bytes: Pillow steps over them one by one
            junk += 1
            if junk > _MAX_JUNK_BYTES:
                raise StillError("This JPEG file is damaged: its header is followed by a long run of stray bytes.")
            pos += 1
            continue
        marker = data[pos + 1]
        if marker == 0x00 or 0xD0 <= marker <= 0xD9 or marker == 0x01:
            pos += 2
            continue
        if pos + 4 > n:
            break
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF_MARKERS and pos + 9 <= n:
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            if size is None or width * height > size[0] * size[1]:
                size = (width, height)
        if marker == 0xDA:  # start of the first scan: the header is over
            scans = 1 + data.count(b"\xff\xda", pos + 2)
            if scans > _MAX_JPEG_SCANS:
                raise StillError(
                    f"This JPEG is built from {scans:,} scans (progressive passes); it would take too long to "
                    f"decode. Cameras and editors write about 10, and the limit is {_MAX_JPEG_SCANS}."
                )
            break
        pos += 2 + max(length, 2)
    if size is None or size[1] == 0:  # height 0 means "given later" (DNL): Pillow decides
        return None
    return "JPEG", size[0], size[1]


def _webp_size(data: bytes) -> tuple[str, int, int] | None:
    """The canvas size of a WebP: the decoder allocates it when the file is opened."""
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return "WebP", width, height
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return "WebP", width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return "WebP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


# --------------------------------------------------------------------------
# Saying what a file is when it is not an image we read.

# (first bytes, what a person calls it). Checked in order.
_OTHER_IMAGE_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"8BPS", "PSD (Photoshop)"),
    (b"qoif", "QOI"),
    (b"\x01\xda", "SGI"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "JPEG XL"),
    (b"\xff\x0a", "JPEG XL"),
    (b"%!PS", "PostScript (EPS)"),
    (b"\xc5\xd0\xd3\xc6", "PostScript (EPS)"),
    (b"DDS ", "DDS (texture)"),
    (b"icns", "ICNS (macOS icon)"),
    (b"gimp xcf", "XCF (GIMP)"),
    (b"v/1\x01", "OpenEXR"),
    (b"#?RADIANCE", "Radiance HDR"),
    (b"#?RGBE", "Radiance HDR"),
    (b"farbfeld", "farbfeld"),
    (b"DanM", "MSP"),
    (b"LinS", "MSP"),
    (b"BLP1", "BLP (texture)"),
    (b"BLP2", "BLP (texture)"),
    (b"FUJIFILMCCD-RAW", "RAF (Fujifilm raw)"),
    (b"Image type:", "IM"),
    (b"/* XPM */", "XPM"),
    (b"#define ", "XBM"),
)

_ISO_BRANDS = {
    b"avif": "AVIF",
    b"avis": "AVIF",
    b"crx ": "CR3 (Canon raw)",
}
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"})
_VIDEO_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"qt  ", b"M4V ", b"M4VH", b"3gp4", b"3gp5",
     b"3g2a", b"avc1", b"dash", b"MSNV"}
)  # fmt: skip

_NETPBM = re.compile(rb"P[1-7][\s#]")


def _describe_unreadable(data: bytes) -> str:
    """A plain sentence on what ``data`` is, for a file no accepted plugin read."""
    head = data[:32]
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "HEIC/HEIF photos cannot be read here; export it from Photos as JPEG or PNG. " + _ACCEPTED
        if brand in _ISO_BRANDS:
            return f"{_ISO_BRANDS[brand]} files are not accepted; save the frame as JPEG or PNG. {_ACCEPTED}"
        if brand in _VIDEO_BRANDS:
            return "This is a video file, not a still; export a frame as PNG or JPEG. " + _ACCEPTED
    if data.endswith(b"TRUEVISION-XFILE.\x00"):
        return f"TGA (Targa) files are not accepted; save the frame as JPEG or PNG. {_ACCEPTED}"
    if head[:4] in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00") and head[4:6] != b"\x00\x00":
        name = "ICO (Windows icon)" if head[2] == 1 else "CUR (Windows cursor)"
        return f"{name} files are not accepted; save the frame as JPEG or PNG. {_ACCEPTED}"
    for magic, name in _OTHER_IMAGE_FORMATS:
        if data.startswith(magic):
            return f"{name} files are not accepted; save the frame as JPEG or PNG. {_ACCEPTED}"
    if _NETPBM.match(head):
        return f"Netpbm (PPM/PGM/PBM) files are not accepted; save the frame as JPEG or PNG. {_ACCEPTED}"
    if _looks_like_pcx(head):
        return f"PCX files are not accepted; save the frame as JPEG or PNG. {_ACCEPTED}"
    if _looks_like_tga(head):
        return f"TGA (Targa) files are not accepted; save the frame as JPEG or PNG. {_ACCEPTED}"
    document = _sniff_document(data)
    if document is not None:
        return document
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "This is a video file, not a still; export a frame as PNG or JPEG. " + _ACCEPTED
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "This is a video file (WebM or MKV), not a still; export a frame as PNG or JPEG. " + _ACCEPTED
    if head.startswith(b"PK\x03\x04"):
        return "This is a ZIP archive (or an Office document), not an image. " + _ACCEPTED
    if head.startswith((b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf\x27\x1c")):
        return "This is a compressed archive, not an image. " + _ACCEPTED
    if _looks_like_text(data):
        return "This is a text file, not an image. " + _ACCEPTED
    return "This file is not an image that can be read. " + _ACCEPTED


def _sniff_document(data: bytes) -> str | None:
    """SVG, HTML, PDF and plain text, which people rename to .png or .jpg."""
    text = _text_head(data)
    if text is not None:
        lowered = text.lstrip().lower()
        if "<svg" in lowered and lowered.startswith(("<svg", "<?xml", "<!--", "<!doctype svg")):
            return "This is an SVG drawing, not a photograph; export it as PNG or JPEG first. " + _ACCEPTED
        if lowered.startswith(("<!doctype html", "<html", "<head", "<body", "<meta", "<script", "<!--")) or (
            lowered.startswith("<") and "<html" in lowered
        ):
            return "This is a web page (HTML), not an image. " + _ACCEPTED
        if lowered.startswith("<?xml"):
            return "This is an XML document, not an image. " + _ACCEPTED
    if data.lstrip()[:5].lower() == b"%pdf-":
        return "This is a PDF document, not an image; export the frame as PNG or JPEG. " + _ACCEPTED
    if text is not None and _looks_like_text(data):
        return "This is a text file, not an image. " + _ACCEPTED
    return None


def _text_head(data: bytes) -> str | None:
    """The first 4 KB as text, when they decode as UTF-8 or UTF-16 with no NUL."""
    head = data[:4096]
    boms = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
    for bom, encoding in boms:
        if head.startswith(bom):
            head, chosen = head[len(bom) :], encoding
            break
    else:
        chosen = "utf-8"
    if chosen == "utf-8" and b"\x00" in head:
        return None
    try:
        text = codecs.getincrementaldecoder(chosen)().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _looks_like_text(data: bytes) -> bool:
    text = _text_head(data)
    if not text:
        return False
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r\f")
    return printable >= 0.95 * len(text)


def _looks_like_pcx(head: bytes) -> bool:
    if len(head) < 4 or head[0] != 0x0A:
        return False
    return head[1] in (0, 2, 3, 4, 5) and head[2] in (0, 1) and head[3] in (1, 2, 4, 8)


def _looks_like_tga(head: bytes) -> bool:
    if len(head) < 18:
        return False
    colormap, kind, depth = head[1], head[2], head[16]
    width, height = struct.unpack("<HH", head[12:16])
    return colormap in (0, 1) and kind in (1, 2, 3, 9, 10, 11) and depth in (8, 15, 16, 24, 32) and width > 0 < height
