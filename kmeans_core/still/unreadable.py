"""Saying what a file is when it is not an image we read.

A director drops in all sorts: PSD, RAW, SVG, a PDF, a video, a ZIP, a text
file renamed to ``.png``. The first bytes say what most of them are, and the
message names the thing and what to do, then lists the accepted formats.
"""

from __future__ import annotations

import codecs
import re
import struct

from kmeans_core.still.formats import ACCEPTED_FORMAT_NAMES

__all__ = ["describe_unreadable", "sniff_document"]

_ACCEPTED = f"Accepted formats: {ACCEPTED_FORMAT_NAMES}."

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


def describe_unreadable(data: bytes) -> str:
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
    document = sniff_document(data)
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


def sniff_document(data: bytes) -> str | None:
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
