"""Header checks on the raw bytes, before any decoder runs.

For PNG, GIF, JPEG and WebP the frame size declared in the header (and, for
JPEG, the number of scans) is read from the bytes, so that a file that
declares too many pixels is refused before Pillow sees it and nothing is
allocated for it. The walkers are bounded, so that hostile padding cannot
keep them (or Pillow, which walks the same structures in Python) busy.
"""

from __future__ import annotations

import struct

from kmeans_core.still.frame import StillError

__all__ = ["declared_size", "gif_frame_count"]

# Progressive JPEGs decode one pass per scan, and every pass walks the whole
# frame. Encoders write about 10; a file with thousands is a denial of service.
_MAX_JPEG_SCANS = 100

# Bounds on the header walkers, so that hostile padding cannot keep them (or
# Pillow, which walks the same structures in Python) busy.
_MAX_HEADER_STEPS = 1_000_000
_MAX_PNG_CHUNKS = 1_000_000
_MAX_JPEG_SEGMENTS = 10_000
_MAX_JUNK_BYTES = 4096


def declared_size(data: bytes) -> tuple[str, int, int] | None:
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


def gif_frame_count(data: bytes) -> int | None:
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
