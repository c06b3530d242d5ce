"""Compiled loops of the colour histogram (Numba, no GIL).

The colours present are marked in a table of 2^24 bits (2 MB, which stays in
cache, unlike a table of 2^24 counts). A colour's index among the colours
present is its rank in that table: the number of marked bits before it, the
sum of whole 64-bit words before its own (a prefix table of 2^18 entries)
plus the marked bits below it in its own word. Every kernel works on one
range of pixels; counts are integers, so their partial sums add up to the
same totals whatever the ranges.

A film's frames are added to a running sum instead (:func:`add_region`):
2^24 counts, one per colour, with the same bit tables to find the colours
counted. A still's colours are spread over the whole table, but a shot's
frames show the same few colours again and again, so the counts they touch
stay in cache.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from kmeans_core._jit import KERNEL, PER_ITEM

__all__ = [
    "SUMMARY_WORDS",
    "WORDS",
    "add_region",
    "compile_kernels",
    "count_cells",
    "index_and_count",
    "mark_colors",
    "pool_cells",
    "present_codes",
    "take_counts",
]

#: 64-bit words of the table of 2^24 colours.
WORDS = 1 << 18

#: 64-bit words of a table with one bit per word of the colour table (which words hold a colour).
SUMMARY_WORDS = WORDS >> 6


@njit(**PER_ITEM)
def _popcount(x):
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@njit(**PER_ITEM)
def _lowest(value):
    """The index of the lowest set bit of a non-zero word, and the word without that bit."""
    low = value & (~value + np.uint64(1))
    return np.int32(_popcount(low - np.uint64(1))), value ^ low


@njit(**PER_ITEM)
def _code(pixels, i):
    return (np.int32(pixels[i, 0]) << 16) | (np.int32(pixels[i, 1]) << 8) | np.int32(pixels[i, 2])


@njit(**PER_ITEM)
def _rank(code, bits, prefix):
    """A marked colour's index among the marked ones."""
    word = code >> 6
    below = bits[word] & ((np.uint64(1) << np.uint64(code & 63)) - np.uint64(1))
    return prefix[word] + np.int32(_popcount(below))


@njit(**KERNEL)
def mark_colors(pixels, mask, start, stop, bits):
    """Set the bit of every counted pixel's colour among rows ``start:stop``
    (``mask`` of length 0: every pixel counts)."""
    masked = mask.shape[0] > 0
    for i in range(start, stop):
        if masked and not mask[i]:
            continue
        code = _code(pixels, i)
        bits[code >> 6] |= np.uint64(1) << np.uint64(code & 63)


@njit(**KERNEL)
def present_codes(bits):
    """The marked codes in increasing order, and the rank of each marked word's first bit."""
    summary = np.zeros(bits.shape[0] >> 6, dtype=np.uint64)
    for word in range(bits.shape[0]):
        if bits[word]:
            summary[word >> 6] |= np.uint64(1) << np.uint64(word & 63)
    prefix = np.empty(bits.shape[0], dtype=np.int32)
    return _marked_in_order(bits, summary, prefix), prefix


#: Pixels per chunk of :func:`index_and_count`: its indices stay in the first-level cache.
_CHUNK = 4096


@njit(**KERNEL)
def index_and_count(pixels, mask, start, stop, bits, prefix, inverse, counts):
    """For rows ``start:stop``: each pixel's index among the colours present (-1 if
    not counted) into ``inverse``, and how many pixels each colour has added to ``counts``.

    Chunk by chunk, the indices first and then the counts: the two in one
    loop took about 40% longer (measured on a 4K frame).
    """
    masked = mask.shape[0] > 0
    for a in range(start, stop, _CHUNK):
        b = min(a + _CHUNK, stop)
        for i in range(a, b):
            inverse[i] = _rank(_code(pixels, i), bits, prefix)
        for i in range(a, b):
            if masked and not mask[i]:
                inverse[i] = -1
            else:
                counts[inverse[i]] += 1


@njit(**KERNEL)
def pool_cells(colors, X, weights, bits):
    """Each cell's total weight and weighted sums of X, the cells the colours' top ``bits``
    bits a channel (``2**(3 * bits)`` of them), the colours added in order."""
    size = 1 << (3 * bits)
    shift = 8 - bits
    total = np.zeros(size)
    sums = np.zeros((size, X.shape[1]))
    for i in range(colors.shape[0]):
        cell = (
            ((np.int64(colors[i, 0]) >> shift) << (2 * bits))
            | ((np.int64(colors[i, 1]) >> shift) << bits)
            | (np.int64(colors[i, 2]) >> shift)
        )
        wi = weights[i]
        total[cell] += wi
        for f in range(X.shape[1]):
            sums[cell, f] += wi * X[i, f]
    return total, sums


@njit(**PER_ITEM)
def _code_at(pixels, y, x):
    return (np.int32(pixels[y, x, 0]) << 16) | (np.int32(pixels[y, x, 1]) << 8) | np.int32(pixels[y, x, 2])


@njit(**PER_ITEM)
def _mark(code, bits, summary):
    """Mark a colour in ``bits``, and its word in ``summary``."""
    word = code >> 6
    bits[word] |= np.uint64(1) << np.uint64(code & 63)
    summary[word >> 6] |= np.uint64(1) << np.uint64(word & 63)


@njit(**PER_ITEM)
def _marked_in_order(bits, summary, prefix):
    """The marked codes, increasing, found from ``summary`` (no scan of the whole table); for each
    marked word, the rank of its first bit into ``prefix``."""
    total = np.int64(0)
    for high in range(summary.shape[0]):
        value = summary[high]
        while value:
            low, value = _lowest(value)
            word = (high << 6) + low
            prefix[word] = total
            total += np.int64(_popcount(bits[word]))
    codes = np.empty(total, dtype=np.int32)
    filled = 0
    for high in range(summary.shape[0]):
        value = summary[high]
        while value:
            low, value = _lowest(value)
            word = (high << 6) + low
            marked = bits[word]
            while marked:
                bit, marked = _lowest(marked)
                codes[filled] = (word << 6) + bit
                filled += 1
    return codes


@njit(**PER_ITEM)
def _clear(codes, bits, summary):
    """Unmark ``codes`` (all the marked ones), leaving both tables clear."""
    for i in range(codes.shape[0]):
        bits[codes[i] >> 6] = 0
        summary[codes[i] >> 12] = 0


@njit(**PER_ITEM)
def _cell(code):
    """The cell of the 8 x 8 x 8 grid over sRGB that a packed colour falls in."""
    return ((code >> 21) << 6) | (((code >> 13) & 7) << 3) | ((code >> 5) & 7)


@njit(**KERNEL)
def count_cells(pixels, top, bottom, left, right, cells):
    """Add each pixel of ``pixels[top:bottom, left:right]`` (an ``(h, w, 3)`` uint8 frame) to
    its cell of the 8 x 8 x 8 grid in ``cells`` (512 counts, cell
    ``(r >> 5) * 64 + (g >> 5) * 8 + (b >> 5)``)."""
    for y in range(top, bottom):
        for x in range(left, right):
            cells[_cell(_code_at(pixels, y, x))] += 1


@njit(**KERNEL)
def add_region(pixels, top, bottom, left, right, bits, summary, running):
    """Add the pixels of ``pixels[top:bottom, left:right]`` to a running sum of colours.

    ``running`` holds 2^24 counts (int32), one per packed code; a colour seen
    for the first time since the last :func:`take_counts` is marked in
    ``bits`` and its word in ``summary``. The colours of a shot's frames
    are few of the 2^24, so the counts they touch stay in cache.
    """
    for y in range(top, bottom):
        for x in range(left, right):
            code = _code_at(pixels, y, x)
            if running[code] == 0:
                _mark(code, bits, summary)
            running[code] += 1


@njit(**KERNEL)
def take_counts(bits, summary, prefix, running):
    """The running sum of :func:`add_region`: the codes counted, increasing (int32), and their
    counts (int64). Leaves the tables and the sum clear; ``prefix`` is scratch."""
    codes = _marked_in_order(bits, summary, prefix)
    counts = np.empty(codes.shape[0], dtype=np.int64)
    for i in range(codes.shape[0]):
        counts[i] = running[codes[i]]
        running[codes[i]] = 0
    _clear(codes, bits, summary)
    return codes, counts


@njit(**KERNEL)
def sum_codes(codes, counts, bits, summary, prefix):
    """Add up histograms given as packed codes and counts, concatenated (a code may repeat).

    The same tables as :func:`add_region` (clear on entry, left clear).
    Returns the distinct codes, increasing (int32), and their summed counts
    (int64): the sum of the counts of every entry with that code.
    """
    for i in range(codes.shape[0]):
        _mark(codes[i], bits, summary)
    present = _marked_in_order(bits, summary, prefix)
    sums = np.zeros(present.shape[0], dtype=np.int64)
    for i in range(codes.shape[0]):
        sums[_rank(codes[i], bits, prefix)] += counts[i]
    _clear(present, bits, summary)
    return present, sums


def compile_kernels() -> None:
    """Compile (or load from the on-disk cache) every kernel, on a tiny problem."""
    pixels = np.zeros((2, 3), dtype=np.uint8)
    no_mask = np.zeros(0, dtype=np.bool_)
    bits = np.zeros(WORDS, dtype=np.uint64)
    mark_colors(pixels, no_mask, 0, 2, bits)
    codes, prefix = present_codes(bits)
    index_and_count(pixels, no_mask, 0, 2, bits, prefix, np.empty(2, dtype=np.int32), np.zeros(1, dtype=np.int64))
    pool_cells(pixels, np.zeros((2, 3)), np.ones(2), 5)
    frame, clear = np.zeros((2, 2, 3), dtype=np.uint8), np.zeros(WORDS, dtype=np.uint64)
    summary = np.zeros(SUMMARY_WORDS, dtype=np.uint64)
    count_cells(frame, 0, 2, 0, 2, np.zeros(512, dtype=np.int64))
    running = np.zeros(1, dtype=np.int32)  # the type of the 2^24 counts; the black frame counts only code 0
    add_region(frame, 0, 2, 0, 2, clear, summary, running)
    take_counts(clear, summary, np.empty(WORDS, dtype=np.int32), running)
    sum_codes(np.zeros(1, np.int32), np.ones(1, np.int64), clear, summary, np.empty(WORDS, dtype=np.int32))
