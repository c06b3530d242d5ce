"""Content digests: the SHA-256 names stills are cached and compared by.

A still decoded from a file is named by the digest of the file's bytes
(:func:`content_digest`); a still made from an array, by the digest of its
shape, pixels and alpha (:func:`pixels_digest`).
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["content_digest", "pixels_digest"]


def content_digest(data: bytes) -> str:
    """The SHA-256 of ``data``, as 64 lower-case hex digits.

    Parameters
    ----------
    data : bytes
        The whole file (``bytearray`` and ``memoryview`` work too).

    Returns
    -------
    str
        The same digest as ``hashlib.sha256(data).hexdigest()``.

    Raises
    ------
    TypeError
        If ``data`` is not bytes-like.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"content_digest needs the bytes of a file, got {type(data).__name__}")
    return hashlib.sha256(data).hexdigest()


def pixels_digest(pixels: np.ndarray, alpha: np.ndarray | None) -> str:
    """The SHA-256 of a frame's shape, its C-contiguous uint8 pixels and its alpha (or None)."""
    height, width = pixels.shape[:2]
    sha = hashlib.sha256(f"{height}x{width}:{'rgba' if alpha is not None else 'rgb'}:".encode())
    sha.update(pixels.data)
    if alpha is not None:
        sha.update(alpha.data)
    return sha.hexdigest()
