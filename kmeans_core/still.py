"""Decoding a still: from untrusted bytes to 8-bit sRGB pixels and their histogram.

Everything that can go wrong with a file a director drops in (not an image,
truncated, too large, a decompression bomb, fully transparent) raises
:class:`StillError` with a message that says why in plain words. No other
exception leaves :func:`load_still`.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from kmeans_core.histogram import ColorHistogram, color_histogram

try:  # iPhone photos: HEIC/HEIF through the maintained libheif binding.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - depends on the install
    HEIF_SUPPORTED = False

__all__ = ["DEFAULT_MAX_PIXELS", "ACCEPTED_FORMATS", "Still", "StillError", "load_still", "still_from_pixels"]

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

_FORMAT_LIST = "JPEG, PNG, WebP, TIFF, BMP, GIF" + (" or HEIC" if HEIF_SUPPORTED else "")
_SRGB_PROFILE = ImageCms.createProfile("sRGB")


class StillError(ValueError):
    """A file that cannot be used as a still; the message says why."""


@dataclass(frozen=True, eq=False)
class Still:
    """A decoded still in 8-bit sRGB, with its colour histogram.

    Attributes
    ----------
    pixels : ndarray of shape (h, w, 3), uint8
        The frame in sRGB, upright (EXIF orientation applied).
    alpha : ndarray of shape (h, w), uint8, or None
        The alpha channel where the file had one. Fully transparent pixels
        are left out of the histogram.
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
    alpha : ndarray of shape (h, w), uint8, optional
    format, notes
        Descriptive only.
    digest : str, optional
        The content digest; by default the SHA-256 of the pixels and alpha.

    Raises
    ------
    StillError
        If the array is not ``(h, w, 3)`` uint8, is empty, or every pixel
        is fully transparent.
    """
    pixels = np.asarray(pixels)
    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise StillError(f"pixels must be an (h, w, 3) uint8 array, got shape {pixels.shape} and dtype {pixels.dtype}")
    if pixels.shape[0] == 0 or pixels.shape[1] == 0:
        raise StillError(f"The image is empty ({pixels.shape[1]}x{pixels.shape[0]} pixels).")
    pixels = np.ascontiguousarray(pixels)
    mask = None
    if alpha is not None:
        alpha = np.ascontiguousarray(alpha, dtype=np.uint8)
        if alpha.shape != pixels.shape[:2]:
            raise StillError(f"alpha has shape {alpha.shape} but the pixels are {pixels.shape[:2]}")
        if alpha.min() == 255:
            alpha = None
        else:
            mask = alpha > 0
            if not mask.any():
                raise StillError("Every pixel of this image is fully transparent, so it has no colour to cluster.")
    if digest is None:
        digest = hashlib.sha256(pixels.tobytes() + (b"" if alpha is None else alpha.tobytes())).hexdigest()
    return Still(
        pixels=pixels,
        alpha=alpha,
        histogram=color_histogram(pixels, mask),
        digest=digest,
        format=format,
        notes=notes,
    )


def load_still(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> Still:
    """Decode the bytes of an image file into a :class:`Still`.

    Applies the EXIF orientation, converts palette, greyscale, CMYK, 16-bit
    and ICC-tagged images to 8-bit sRGB, takes the first frame of an
    animation, and keeps alpha as a mask.

    Parameters
    ----------
    data : bytes
        The whole file, as uploaded. Nothing is written to disk.
    max_pixels : int, default 64_000_000
        The largest frame accepted, in pixels (width times height). The size
        is read from the header, before anything is decoded.

    Returns
    -------
    Still

    Raises
    ------
    StillError
        With a plain message, for anything that is not a usable still.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise StillError(f"Expected the bytes of an image file, got {type(data).__name__}.")
    data = bytes(data)
    if len(data) == 0:
        raise StillError("The file is empty (0 bytes).")
    try:
        return _decode(data, max_pixels)
    except StillError:
        raise
    except Image.DecompressionBombError as exc:
        raise StillError(f"Refused as a decompression bomb: {exc}") from None
    except MemoryError:
        raise StillError("The image is too large to decode in the memory available.") from None
    except Exception as exc:  # Pillow's decoders raise many kinds; none may escape.
        raise StillError(f"The file is damaged or truncated and cannot be decoded ({_reason(exc)}).") from None


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _sniff_non_image(data: bytes) -> str | None:
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return "This is an SVG drawing, not a photograph; export it as PNG or JPEG first."
    if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
        return "This is a web page (HTML), not an image."
    if head.startswith(b"%pdf"):
        return "This is a PDF document, not an image; export the frame as PNG or JPEG."
    return None


def _decode(data: bytes, max_pixels: int) -> Still:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            message = _sniff_non_image(data)
            if message is None:
                if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc", b"ftypmsf1"):
                    message = "This HEIC/HEIF photo cannot be read here; export it from Photos as JPEG or PNG."
                else:
                    message = f"This file is not an image that can be read (use {_FORMAT_LIST})."
            raise StillError(message) from None
        except Image.DecompressionBombWarning as exc:
            raise StillError(f"Refused as a decompression bomb: {exc}") from None
        with image:
            return _still_from_image(image, data, max_pixels)


def _still_from_image(image: Image.Image, data: bytes, max_pixels: int) -> Still:
    kind = ACCEPTED_FORMATS.get(image.format or "")
    if kind is None:
        raise StillError(f"{image.format} files are not accepted; use {_FORMAT_LIST}.")
    width, height = image.size
    if width == 0 or height == 0:
        raise StillError(f"The image is empty ({width}x{height} pixels).")
    n_pixels = width * height
    if n_pixels > max_pixels:
        if n_pixels > 100 * len(data) and n_pixels > 4 * max_pixels:
            raise StillError(
                f"Refused as a decompression bomb: the file is {len(data):,} bytes but declares "
                f"{width:,}x{height:,} = {n_pixels:,} pixels (the limit is {max_pixels:,})."
            )
        raise StillError(
            f"The image is too large: {width:,}x{height:,} = {n_pixels:,} pixels; the limit is {max_pixels:,} pixels."
        )
    notes: list[str] = []
    n_frames = getattr(image, "n_frames", 1)
    if n_frames > 1:
        image.seek(0)
        notes.append(f"Animated file: the first of its {n_frames} frames is used.")
    image.load()
    upright = ImageOps.exif_transpose(image)
    if upright is not image and upright is not None:
        notes.append("Rotated to match its EXIF orientation.")
        image = upright
    pixels, alpha = _to_srgb(image, notes)
    digest = hashlib.sha256(data).hexdigest()
    return still_from_pixels(pixels, alpha=alpha, format=kind, notes=tuple(notes), digest=digest)


def _to_srgb(image: Image.Image, notes: list[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """Convert any Pillow mode to (uint8 RGB pixels, uint8 alpha or None)."""
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        values = np.asarray(image, dtype=np.float64)
        grey = np.clip(np.rint(values / 257.0), 0, 255).astype(np.uint8)
        notes.append("16-bit greyscale, reduced to 8 bits.")
        return np.repeat(grey[:, :, None], 3, axis=2), None
    if mode == "F":
        values = np.asarray(image, dtype=np.float64)
        scale = 255.0 if np.nanmax(values) <= 1.0 else 1.0
        grey = np.clip(np.rint(np.nan_to_num(values) * scale), 0, 255).astype(np.uint8)
        notes.append("Floating-point greyscale, reduced to 8 bits.")
        return np.repeat(grey[:, :, None], 3, axis=2), None
    icc = image.info.get("icc_profile")
    if icc and mode in ("RGB", "RGBA", "CMYK"):
        image = _apply_icc(image, icc, notes)
        mode = image.mode
    if mode == "CMYK":
        notes.append("CMYK without a colour profile, converted to sRGB naively.")
        image = image.convert("RGB")
    elif mode in ("L", "1"):
        notes.append("Greyscale.")
        image = image.convert("RGB")
    elif mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if ("A" in mode or "a" in mode) else "RGB")
    array = np.asarray(image)
    if image.mode == "RGBA":
        return array[:, :, :3], array[:, :, 3]
    return array, None


def _apply_icc(image: Image.Image, icc: bytes, notes: list[str]) -> Image.Image:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = (ImageCms.getProfileDescription(source) or "").strip()
        if image.mode in ("RGB", "RGBA") and "srgb" in description.lower():
            return image
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, _SRGB_PROFILE, outputMode=output_mode)
    except Exception:  # a broken profile: keep the values as they are
        notes.append("Its colour profile could not be read and was ignored.")
        return image
    notes.append(f"Converted from its colour profile ({description or 'embedded'}) to sRGB.")
    return converted
