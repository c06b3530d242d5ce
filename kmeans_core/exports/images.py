"""Image exports: the swatch strip, the redrawn frame and the mood board, as PNG.

Every function returns the PNG file's ``bytes``; nothing touches the disk.
"""

from __future__ import annotations

import io
import numbers
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from kmeans_core.exports.names import clean_name, share_label
from kmeans_core.palette import Palette, check_frame, check_palette

__all__ = ["swatch_widths", "to_frame_png", "to_mood_board", "to_swatch_png"]

#: The largest swatch strip we draw, in pixels (a 48 MB array at most).
_MAX_SWATCH_WIDTH = 8192
_MAX_SWATCH_HEIGHT = 2048

#: The mood board's width range, in pixels.
_MOOD_BOARD_WIDTHS = (400, 4096)
# Swatches per row on the mood board.
_MOOD_BOARD_COLUMNS = 8
_BACKGROUND = (250, 250, 250)
_INK = (24, 24, 24)
_OUTLINE = (190, 190, 190)


def _check_size(label: str, value, low: int, high: int) -> None:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{label}={value!r} must be an integer from {low} to {high}")


def swatch_widths(shares, width: int) -> np.ndarray:
    """Integer bar widths proportional to ``shares`` that sum to ``width``.

    Uses the largest-remainder method: each bar gets the floor of its exact
    width ``share * width``, and the pixels left over go to the bars with
    the largest fractional parts (ties to the earlier bar). Every bar is
    then at least 1 pixel wide, a pixel taken from the bar furthest above
    its exact width. So each width is within 1 pixel of its exact width
    whenever every share is at least ``1 / width``.

    Parameters
    ----------
    shares : array-like of shape (k,)
        Non-negative, not all zero; normalised to sum to 1.
    width : int
        At least k.

    Returns
    -------
    ndarray of shape (k,), int64

    Raises
    ------
    ValueError
        For negative or non-finite shares, or ``width < k``.
    """
    shares = np.asarray(shares, dtype=np.float64).reshape(-1)
    k = len(shares)
    if k == 0 or not np.all(np.isfinite(shares)) or np.any(shares < 0) or shares.sum() <= 0:
        raise ValueError(f"shares={shares.tolist()!r} must be finite, non-negative and not all zero")
    if not isinstance(width, numbers.Integral) or isinstance(width, bool) or width < k:
        raise ValueError(f"width={width!r} must be an integer >= {k}, one pixel per colour")
    exact = shares / shares.sum() * int(width)
    widths = np.floor(exact).astype(np.int64)
    left = int(width) - int(widths.sum())
    if left > 0:
        by_remainder = np.argsort(-(exact - widths), kind="stable")
        widths[by_remainder[:left]] += 1
    for i in np.flatnonzero(widths == 0):
        surplus = np.where(widths > 1, widths - exact, -np.inf)
        widths[int(np.argmax(surplus))] -= 1
        widths[i] = 1
    return widths


def to_swatch_png(palette: Palette, *, width: int = 1200, height: int = 160) -> bytes:
    """The palette as a PNG strip of bars whose widths follow the shares.

    Parameters
    ----------
    palette : Palette
    width : int, default 1200
        From k (one pixel per colour) to 8192.
    height : int, default 160
        From 1 to 2048.

    Returns
    -------
    bytes
        An 8-bit RGB PNG, ``width`` by ``height``. Bars run left to right
        in the palette's order; their widths are :func:`swatch_widths`.

    Raises
    ------
    ValueError
        For a size out of range, echoing it.
    """
    check_palette(palette)
    _check_size("width", width, palette.k, _MAX_SWATCH_WIDTH)
    _check_size("height", height, 1, _MAX_SWATCH_HEIGHT)
    row = np.repeat(palette.rgb, swatch_widths(palette.shares, int(width)), axis=0)
    strip = np.broadcast_to(row, (int(height), int(width), 3))
    return _png_bytes(np.ascontiguousarray(strip))


def to_frame_png(frame: np.ndarray) -> bytes:
    """Encode a quantized frame (from :func:`kmeans_core.quantize`) as PNG.

    Parameters
    ----------
    frame : ndarray of shape (h, w, 3) or (h, w, 4), uint8
        RGB, or RGBA when the still had alpha.

    Returns
    -------
    bytes
        An RGB or RGBA PNG.

    Raises
    ------
    ValueError
        If ``frame`` is not a non-empty uint8 array of that shape.
    """
    return _png_bytes(np.ascontiguousarray(check_frame(frame)))


class _MoodBoardLayout(NamedTuple):
    """Where :func:`to_mood_board` draws things, in pixels of the board.

    Attributes
    ----------
    size : (int, int)
        The board's width and height.
    frame_box : (int, int, int, int)
        The frame's left, top, right and bottom (right and bottom excluded).
    swatch_boxes : tuple of (int, int, int, int)
        Each colour's swatch, in the palette's order, inside its outline.
    """

    size: tuple[int, int]
    frame_box: tuple[int, int, int, int]
    swatch_boxes: tuple[tuple[int, int, int, int], ...]


def _mood_board_layout(frame_shape: tuple[int, int], k: int, *, width: int = 1200) -> _MoodBoardLayout:
    """The layout of a mood board: the name, the frame, then rows of swatches.

    Parameters
    ----------
    frame_shape : (int, int)
        The frame's height and width.
    k : int
        The number of colours; :data:`_MOOD_BOARD_COLUMNS` swatches per row.
    width : int, default 1200
        The board's width.

    Returns
    -------
    _MoodBoardLayout
    """
    margin = max(12, width // 40)
    inner = width - 2 * margin
    line = _line_height(width)
    h, w = frame_shape
    scale = min(inner / w, inner / h)  # no taller than it is wide
    frame_w, frame_h = max(1, round(w * scale)), max(1, round(h * scale))
    left = margin + (inner - frame_w) // 2
    top = margin + round(1.5 * line)
    frame_box = (left, top, left + frame_w, top + frame_h)
    columns = min(k, _MOOD_BOARD_COLUMNS)
    gap = max(6, margin // 2)
    cell = (inner - (columns - 1) * gap) // columns
    swatch_h = max(8, round(cell * 0.6))
    row_h = swatch_h + round(3.4 * line) + gap
    y0 = frame_box[3] + margin
    boxes = []
    for i in range(k):
        row, col = divmod(i, columns)
        x = margin + col * (cell + gap)
        y = y0 + row * row_h
        boxes.append((x + 1, y + 1, x + cell - 1, y + swatch_h - 1))  # inside a 1-pixel outline
    n_rows = -(-k // columns)
    height = y0 + n_rows * row_h + margin - gap
    return _MoodBoardLayout(size=(width, height), frame_box=frame_box, swatch_boxes=tuple(boxes))


def _line_height(width: int) -> int:
    return max(12, width // 60)


def to_mood_board(palette: Palette, *, frame: np.ndarray, name: str | None = None, width: int = 1200) -> bytes:
    """A labelled mood board as PNG: the still's name, the frame and the swatches.

    Under each swatch go its hex code, its RGB values and its share of the
    frame. Text is drawn in Pillow's default font; a transparent frame is
    shown over the board's light grey.

    Parameters
    ----------
    palette : Palette
    frame : ndarray of shape (h, w, 3) or (h, w, 4), uint8
        The still (or its quantized frame); it is scaled to fit the board.
    name : str, optional
        The still's name, written at the top (cleaned like :func:`to_gpl`'s);
        ``"Still"`` without it.
    width : int, default 1200
        The board's width, from 400 to 4096 pixels.

    Returns
    -------
    bytes
        An 8-bit RGB PNG.

    Raises
    ------
    ValueError
        For a bad frame or width, echoing it.
    """
    check_palette(palette)
    frame = check_frame(frame)
    _check_size("width", width, *_MOOD_BOARD_WIDTHS)
    name = clean_name(name, default="Still")
    layout = _mood_board_layout(frame.shape[:2], palette.k, width=int(width))
    board = Image.new("RGB", layout.size, _BACKGROUND)
    draw = ImageDraw.Draw(board)
    line = _line_height(int(width))
    font = ImageFont.load_default(size=line)
    title_font = ImageFont.load_default(size=round(1.2 * line))
    margin = layout.frame_box[1] - round(1.5 * line)
    draw.text((margin, margin // 2), f"{name}  -  k={palette.k}", fill=_INK, font=title_font)

    left, top, right, bottom = layout.frame_box
    picture = Image.fromarray(np.ascontiguousarray(frame)).resize(
        (right - left, bottom - top), Image.Resampling.LANCZOS
    )
    if picture.mode == "RGBA":
        board.paste(picture.convert("RGB"), (left, top), mask=picture.getchannel("A"))
    else:
        board.paste(picture, (left, top))

    for box, code, (r, g, b), share in zip(
        layout.swatch_boxes, palette.hex, palette.rgb.tolist(), palette.shares.tolist()
    ):
        x0, y0, x1, y1 = box
        draw.rectangle((x0 - 1, y0 - 1, x1, y1), outline=_OUTLINE)
        draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=(r, g, b))
        text_y = y1 + round(0.4 * line)
        for i, text in enumerate((code, f"RGB {r} {g} {b}", share_label(share))):
            draw.text((x0, text_y + round(i * 1.1 * line)), text, fill=_INK, font=font)
    return _png_bytes(np.asarray(board))


def _png_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()
