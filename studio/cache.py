"""Streamlit cache wrappers around kmeans_core.

Every wrapper is keyed by the still's content digest and plain settings. The
bytes travel as ``_data``, which Streamlit does not hash (a leading
underscore), so no large array or file is ever hashed by sampling. Caches are
bounded by entry count and age, so a long-running server's memory stays
bounded.

Decoded stills and full-size frames are held with ``cache_resource`` (one
shared, read-only object, no copy per rerun); small results (palettes,
figures, export files) with ``cache_data``.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict

import numpy as np
import streamlit as st
from PIL import Image

import kmeans_core as kc
from kmeans_core.choose_k import KSweep, sweep_k
from kmeans_core import exports
from studio.settings import MAX_PIXELS, Settings

_TTL = 3600
#: The longest side of a frame as drawn on the page.
PREVIEW_SIDE = 1400


@st.cache_resource(max_entries=8, ttl=_TTL, show_spinner=False)
def still(digest: str, _data: bytes) -> kc.Still:
    """The decoded still. Raises :class:`kmeans_core.StillError`, never cached."""
    return kc.load_still(_data, max_pixels=MAX_PIXELS)


def _by_share(settings: Settings) -> Settings:
    """The settings with order left out: order only presents a palette."""
    return dataclasses.replace(settings, order="share")


@st.cache_data(max_entries=512, ttl=_TTL, show_spinner=False)
def _palette_by_share(digest: str, _data: bytes, settings: Settings) -> kc.Palette:
    return kc.extract_palette(
        still(digest, _data),
        settings.k,
        space=settings.space,
        init=settings.kmeans_init,
        seed=settings.random_seed,
        order="share",
    )


def palette(digest: str, _data: bytes, settings: Settings) -> kc.Palette:
    """The palette of a still for the given settings.

    A change of order only reorders the cached palette; it never clusters again.
    """
    return _palette_by_share(digest, _data, _by_share(settings)).sorted(settings.order)


@st.cache_resource(max_entries=8, ttl=_TTL, show_spinner=False)
def _quantized(digest: str, _data: bytes, settings: Settings) -> np.ndarray:
    return kc.quantize(still(digest, _data), palette(digest, _data, settings))


def quantized(digest: str, _data: bytes, settings: Settings) -> np.ndarray:
    """The full-size frame redrawn with the palette's colours (for exports)."""
    return _quantized(digest, _data, _by_share(settings))


def _fit_to_screen(frame: np.ndarray) -> np.ndarray:
    h, w = frame.shape[:2]
    scale = PREVIEW_SIDE / max(h, w)
    if scale >= 1:
        return frame
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    # Nearest neighbour keeps every pixel one of the frame's own colours.
    return np.asarray(Image.fromarray(frame).resize(size, Image.Resampling.NEAREST))


@st.cache_resource(max_entries=32, ttl=_TTL, show_spinner=False)
def preview_still(digest: str, _data: bytes) -> kc.Still:
    """The still at the size the page shows it (the longest side at most
    :data:`PREVIEW_SIDE`), sampled by nearest neighbour so that its pixels
    are pixels of the still."""
    decoded = still(digest, _data)
    if max(decoded.shape) <= PREVIEW_SIDE:
        return decoded
    alpha = None if decoded.alpha is None else _fit_to_screen(decoded.alpha)
    try:
        return kc.still_from_pixels(_fit_to_screen(decoded.pixels), alpha=alpha, format=decoded.format)
    except kc.StillError:  # the sample missed every opaque pixel: show the still itself
        return decoded


def original_preview(digest: str, _data: bytes) -> np.ndarray:
    """The original frame at the size it is shown."""
    shown = preview_still(digest, _data)
    return shown.pixels if shown.alpha is None else np.dstack([shown.pixels, shown.alpha])


@st.cache_resource(max_entries=64, ttl=_TTL, show_spinner=False)
def _quantized_preview(digest: str, _data: bytes, settings: Settings) -> np.ndarray:
    return kc.quantize(preview_still(digest, _data), palette(digest, _data, settings))


def quantized_preview(digest: str, _data: bytes, settings: Settings) -> np.ndarray:
    """The frame redrawn with the palette, at the size it is shown."""
    return _quantized_preview(digest, _data, _by_share(settings))


@st.cache_data(max_entries=512, ttl=_TTL, show_spinner=False)
def _quality(digest: str, _data: bytes, settings: Settings) -> kc.Quality:
    return kc.frame_quality(preview_still(digest, _data), quantized_preview(digest, _data, settings))


def quality(digest: str, _data: bytes, settings: Settings) -> kc.Quality:
    """Mean and 95th-percentile CIEDE2000 and PSNR of the redrawn frame as
    shown (measured on the pixels of the preview)."""
    return _quality(digest, _data, _by_share(settings))


@st.cache_data(max_entries=256, ttl=_TTL, show_spinner=False)
def export_file(digest: str, _data: bytes, settings: Settings, fmt: str, name: str) -> bytes | str:
    """The palette (or, for ``"frame"``, the quantized frame) as a file."""
    if fmt == "frame":
        return exports.to_frame_png(quantized(digest, _data, settings))
    return exports.export_palette(palette(digest, _data, settings), fmt, name=name)


class _BoundedStore:
    """A small thread-safe LRU map, for results computed with live progress."""

    def __init__(self, max_entries: int) -> None:
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._max_entries:
                self._items.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _sweep_store() -> _BoundedStore:
    return _BoundedStore(max_entries=64)


def sweep(
    digest: str, data: bytes, ks: tuple[int, ...], *, space: str, init: str, seed: int, gap_refs: int, gap_reference: str,
    progress=None,
) -> KSweep:
    """Elbow, silhouette and gap over ``ks``, cached per still and settings.

    A sweep takes seconds, so it reports ``progress(fraction, message)`` while
    it runs. Streamlit's own caches cannot replay updates to a progress bar
    drawn outside them, so sweeps are kept in a bounded LRU store of their own
    (shared by all sessions, like ``cache_resource``).
    """
    key = (digest, tuple(ks), space, init, seed, gap_refs, gap_reference)
    store = _sweep_store()
    result = store.get(key)
    if result is None:
        result = sweep_k(
            still(digest, data),
            list(ks),
            space=space,
            init=init,
            seed=seed,
            gap_refs=gap_refs,
            gap_reference=gap_reference,
            progress=progress,
        )
        store.put(key, result)
    return result
