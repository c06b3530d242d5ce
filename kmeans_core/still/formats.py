"""The image formats a still may come in, from one table.

Uploaded bytes are identified with Pillow's plugins for these formats only,
so exotic format parsers never run on them. Importing this module registers
the plugins with Pillow, and HEIC/HEIF through pillow-heif where it is
installed (:data:`HEIF_SUPPORTED`).

Everything else is derived from the table: the Pillow format names and what
a person calls them (:data:`ACCEPTED_FORMATS`), the file extensions an upload
field offers (:data:`ACCEPTED_EXTENSIONS`), the list that messages show
(:data:`ACCEPTED_FORMAT_NAMES`) and the plugins tried on uploaded bytes
(:data:`OPENERS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import BmpImagePlugin, GifImagePlugin, JpegImagePlugin, PngImagePlugin, TiffImagePlugin

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

__all__ = ["ACCEPTED_EXTENSIONS", "ACCEPTED_FORMATS", "ACCEPTED_FORMAT_NAMES", "HEIF_SUPPORTED", "OPENERS"]


@dataclass(frozen=True)
class _Format:
    """One accepted format.

    Attributes
    ----------
    name : str
        What a person calls it; in messages and as ``Still.format``.
    pillow : tuple of str
        Pillow's format names for it. The plugin of the first opens all of
        them (the JPEG opener also returns MPO files: JPEGs with a second
        picture, from some cameras).
    extensions : tuple of str
        File extensions, lower case, without the dot.
    listed : str
        How it appears in the list of accepted formats (default ``name``).
    needs_pillow_heif : bool
        Read only where pillow-heif is installed.
    """

    name: str
    pillow: tuple[str, ...]
    extensions: tuple[str, ...]
    listed: str = ""
    needs_pillow_heif: bool = False

    @property
    def shown(self) -> str:
        """Its name in the list of accepted formats."""
        return self.listed or self.name

    @property
    def readable(self) -> bool:
        """Whether this install reads it."""
        return HEIF_SUPPORTED or not self.needs_pillow_heif


# In the order they are listed, which is also the order their plugins are
# tried in. The signatures of the first six start with different bytes, so
# only HEIF's (bytes 4 to 12) can match a file another plugin also accepts,
# and being last, it never comes first.
_FORMATS = (
    _Format("JPEG", ("JPEG", "MPO"), ("jpg", "jpeg")),
    _Format("PNG", ("PNG",), ("png",)),
    _Format("WebP", ("WEBP",), ("webp",)),
    _Format("TIFF", ("TIFF",), ("tif", "tiff")),
    _Format("BMP", ("BMP",), ("bmp",)),
    _Format("GIF", ("GIF",), ("gif",)),
    _Format("HEIC/HEIF", ("HEIF",), ("heic", "heif"), listed="HEIC", needs_pillow_heif=True),
)

#: Pillow format names we accept, and the names a person knows them by.
ACCEPTED_FORMATS = {pillow: entry.name for entry in _FORMATS for pillow in entry.pillow}

#: File extensions of the formats read here, lower case and without the dot.
ACCEPTED_EXTENSIONS = tuple(ext for entry in _FORMATS if entry.readable for ext in entry.extensions)

#: The formats read here, for people: "JPEG, PNG, WebP, TIFF, BMP, GIF or HEIC".
#: Formats read through pillow-heif come after "or", and only where it is installed.
ACCEPTED_FORMAT_NAMES = ", ".join(entry.shown for entry in _FORMATS if not entry.needs_pillow_heif) + "".join(
    f" or {entry.shown}" for entry in _FORMATS if entry.needs_pillow_heif and entry.readable
)

#: Pillow plugins tried on uploaded bytes, in this order.
OPENERS = tuple(entry.pillow[0] for entry in _FORMATS if entry.readable)
