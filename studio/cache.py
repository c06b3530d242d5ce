"""Streamlit cache wrappers around kmeans_core.

Every wrapper is keyed by the still's content digest and plain settings. The
bytes travel as ``_data``, which Streamlit does not hash (a leading
underscore), so no large array or file is ever hashed by sampling.

Decoded stills, previews and redrawn frames, the large arrays, are shared by
all sessions in one store bounded in bytes (:data:`FRAME_BUDGET_BYTES`, see
:mod:`studio.bounded_store`); small results (palettes, quality figures,
export files) are held with ``cache_data``, bounded by entry count and age.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import time

import numpy as np
import streamlit as st
from PIL import Image

import kmeans_core as kc
from kmeans_core import exports
from kmeans_core.choose_k import KSweep, sweep_k
from studio.bounded_store import BoundedStore
from studio.settings import FIXED, KMEANS, MAX_PIXELS, Settings

_TTL = 3600
#: The longest side of a frame as drawn on the page: twice the width of a
#: frame of the two-column pairs and card grids on a 1400 px laptop screen
#: (about 520 px), so that a 2x display still gets a pixel per device pixel.
#: Measured in the browser against 1400 (loaded): a tenth to a seventh less
#: CPU, server and browser, for an upload and for Compare k; the lightbox of
#: a large screen shows the frame enlarged.
PREVIEW_SIDE = 1024


#: The byte budget of the decoded stills and frames that all sessions share.
FRAME_BUDGET_BYTES = 512 * 2**20


@st.cache_resource(show_spinner=False)
def _frames() -> BoundedStore:
    """Decoded stills, previews and redrawn frames, bounded in bytes."""
    return BoundedStore(max_entries=256, max_bytes=FRAME_BUDGET_BYTES)


def still(digest: str, _data: bytes) -> kc.Still:
    """The decoded still. Raises :class:`kmeans_core.StillError`, never cached."""
    return _frames().get_or_compute(("still", digest), lambda: kc.load_still(_data, max_pixels=MAX_PIXELS))


def framed(digest: str, _data: bytes, settings: Settings) -> kc.Still:
    """The still with its bars (unless kept) and everything outside the crop left out of the histogram."""
    key = ("framed", digest, settings.keep_borders, settings.crop)
    decoded = still(digest, _data)
    return _frames().get_or_compute(
        key,
        lambda: kc.frame_region(decoded, keep_borders=settings.keep_borders, crop=settings.crop_pixels(decoded.shape)),
    )


def _by_share(settings: Settings) -> Settings:
    """The settings with order left out: order only presents a palette."""
    return dataclasses.replace(settings, order="share")


@st.cache_data(max_entries=512, ttl=_TTL, show_spinner=False)
def _palette_by_share(digest: str, _data: bytes, settings: Settings) -> tuple[kc.Palette, float]:
    """The palette and the seconds its computation took (measured once, when computed)."""
    region = framed(digest, _data, settings)
    started = time.perf_counter()
    if settings.init == FIXED:
        found = kc.apply_palette(region, settings.seed_colors, space=settings.space)
    else:
        found = kc.extract_palette(
            region,
            settings.k,
            init=settings.kmeans_init,
            order="share",
            locked=settings.locked or None,
            accents=settings.accents,
            **settings.clustering,
        )
    return found, time.perf_counter() - started


def palette(digest: str, _data: bytes, settings: Settings) -> kc.Palette:
    """The palette of a still for the given settings.

    A change of order only reorders the cached palette; it never clusters again.
    """
    return _palette_by_share(digest, _data, _by_share(settings))[0].sorted(settings.order)


def palette_seconds(digest: str, _data: bytes, settings: Settings) -> float:
    """How long the palette of :func:`palette` took to compute, in seconds (the still already decoded)."""
    return _palette_by_share(digest, _data, _by_share(settings))[1]


def quantized(digest: str, _data: bytes, settings: Settings) -> np.ndarray:
    """The full-size frame redrawn with the palette's colours (for exports)."""
    settings = _by_share(settings)
    return _frames().get_or_compute(
        ("quantized", digest, settings),
        lambda: kc.quantize(framed(digest, _data, settings), palette(digest, _data, settings)),
    )


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False)
def _trace(digest: str, _data: bytes, settings: Settings) -> kc.KMeansTrace:
    return kc.kmeans_trace(
        framed(digest, _data, settings),
        settings.k,
        space=settings.space,
        init=settings.kmeans_init,
        seed=settings.random_seed,
    )


def trace(digest: str, _data: bytes, settings: Settings) -> kc.KMeansTrace:
    """k-means at work on the still (:func:`kmeans_core.kmeans_trace`) with the settings' k, space, start and seed.

    The method, locks and accents are left out of it (the trace is plain
    k-means); not for fixed colours.
    """
    plain = dataclasses.replace(settings, order="share", method=KMEANS, locked=(), accents=False)
    return _trace(digest, _data, plain)


def _fit_to_screen(frame: np.ndarray) -> np.ndarray:
    h, w = frame.shape[:2]
    scale = PREVIEW_SIDE / max(h, w)
    if scale >= 1:
        return frame
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    # Nearest neighbour keeps every pixel one of the frame's own colours.
    return np.asarray(Image.fromarray(frame).resize(size, Image.Resampling.NEAREST))


def preview_still(digest: str, _data: bytes) -> kc.Still:
    """The still at the size the page shows it (the longest side at most
    :data:`PREVIEW_SIDE`), sampled by nearest neighbour so that its pixels
    are pixels of the still."""
    return _frames().get_or_compute(("preview", digest), lambda: _shrink(still(digest, _data)))


def _shrink(decoded: kc.Still) -> kc.Still:
    if max(decoded.shape) <= PREVIEW_SIDE:
        return decoded
    alpha = None if decoded.alpha is None else _fit_to_screen(decoded.alpha)
    try:
        return kc.still_from_pixels(_fit_to_screen(decoded.pixels), alpha=alpha, format=decoded.format)
    except kc.StillError:  # the sample missed every opaque pixel: show the still itself
        return decoded


def framed_preview(digest: str, _data: bytes, settings: Settings) -> kc.Still:
    """The framed still (:func:`framed`) at the size the page shows it."""
    key = ("framed preview", digest, settings.keep_borders, settings.crop)
    return _frames().get_or_compute(key, lambda: _shrink(framed(digest, _data, settings)))


def original_preview(digest: str, _data: bytes) -> np.ndarray:
    """The original frame at the size it is shown."""
    shown = preview_still(digest, _data)
    return shown.pixels if shown.alpha is None else np.dstack([shown.pixels, shown.alpha])


def quantized_preview(digest: str, _data: bytes, settings: Settings) -> np.ndarray:
    """The frame redrawn with the palette, at the size it is shown."""
    settings = _by_share(settings)
    return _frames().get_or_compute(
        ("quantized preview", digest, settings),
        lambda: kc.quantize(framed_preview(digest, _data, settings), palette(digest, _data, settings)),
    )


#: The zlib level of the frames' PNGs. Level 1 encodes a 1400 px photo in
#: about half the time of Pillow's default 6, for a file about a tenth larger;
#: the colours are exact at every level.
PNG_LEVEL = 1


def png(pixels: np.ndarray) -> bytes:
    """A frame as PNG bytes (its exact colours), encoded once per content.

    The bytes are kept by a digest of the pixels, so the same frame on the
    next rerun or on another page is not encoded again; Streamlit then serves
    the same file under the same address, and the browser has nothing new to
    load or decode.
    """
    pixels = np.ascontiguousarray(pixels)
    digest = hashlib.blake2b(pixels.data, digest_size=16)
    digest.update(f"{pixels.shape}{pixels.dtype.str}".encode())

    def encode() -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="PNG", compress_level=PNG_LEVEL)
        return buffer.getvalue()

    return _frames().get_or_compute(("png", digest.hexdigest()), encode)


#: The longest side of a still's thumbnail in the Library.
THUMBNAIL_SIDE = 240


def thumbnail(digest: str, _data: bytes) -> np.ndarray:
    """A small picture of the still (the longest side at most :data:`THUMBNAIL_SIDE`)."""

    def shrink() -> np.ndarray:
        image = Image.fromarray(still(digest, _data).pixels)
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.BILINEAR)
        return np.asarray(image)

    return _frames().get_or_compute(("thumbnail", digest), shrink)


@st.cache_data(max_entries=512, ttl=_TTL, show_spinner=False)
def _quality(digest: str, _data: bytes, settings: Settings) -> kc.Quality:
    return kc.frame_quality(framed_preview(digest, _data, settings), quantized_preview(digest, _data, settings))


def quality(digest: str, _data: bytes, settings: Settings) -> kc.Quality:
    """Mean and 95th-percentile CIEDE2000 and PSNR of the redrawn frame as
    shown (measured on the pixels of the preview)."""
    return _quality(digest, _data, _by_share(settings))


@st.cache_data(max_entries=256, ttl=_TTL, show_spinner=False)
def export_file(digest: str, _data: bytes, settings: Settings, fmt: str, name: str) -> bytes | str:
    """The palette as a file of an :data:`kmeans_core.exports.EXPORTS` format
    (the mood board is drawn on the still itself)."""
    frame = still(digest, _data).pixels if exports.EXPORTS[fmt].needs_frame else None
    return exports.export_palette(palette(digest, _data, settings), fmt, name=name, frame=frame)


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False)
def frame_file(digest: str, _data: bytes, settings: Settings) -> bytes:
    """The full-size redrawn frame as a file (:data:`kmeans_core.exports.FRAME_EXPORT`)."""
    return exports.FRAME_EXPORT.function(quantized(digest, _data, settings))


@st.cache_resource(show_spinner=False)
def _sweep_store() -> BoundedStore:
    return BoundedStore(max_entries=64)


def sweep(
    digest: str,
    data: bytes,
    ks: tuple[int, ...],
    *,
    space: str,
    init: str,
    seed: int,
    gap_refs: int,
    gap_reference: str,
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


@dataclasses.dataclass(frozen=True)
class GradeSettings:
    """How the palette's LUT is made: plain hashable values."""

    size: int = kc.DEFAULT_LUT_SIZE
    strength: float = 1.0
    smoothness: float = kc.DEFAULT_SMOOTHNESS
    preserve_lightness: bool = False


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def lut(digest: str, _data: bytes, settings: Settings, grade: GradeSettings) -> np.ndarray:
    """The 3D LUT that pulls colours towards the still's palette."""
    return kc.palette_lut(palette(digest, _data, settings), **dataclasses.asdict(grade))


def graded_preview(digest: str, _data: bytes, settings: Settings, grade: GradeSettings, *, of: str, _of_data: bytes):
    """The still ``of`` graded by the LUT of ``digest``'s palette, at the size it is shown."""
    key = ("graded", digest, _by_share(settings), grade, of)
    return _frames().get_or_compute(
        key, lambda: kc.apply_lut(original_preview(of, _of_data), lut(digest, _data, settings, grade))
    )


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def cube_file(digest: str, _data: bytes, settings: Settings, grade: GradeSettings, name: str) -> str:
    """The LUT as an Adobe ``.cube`` file, its header naming what made it."""
    return kc.palette_cube(palette(digest, _data, settings), name=name, **dataclasses.asdict(grade))


# --- scenes ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SceneSettings:
    """How a scene's palette is found and its drift judged: plain hashable values."""

    k: int
    weighting: str = "equal"
    threshold: float = kc.DRIFT_THRESHOLD


def _histograms(digests: tuple[str, ...], datas: tuple[bytes, ...], settings: Settings) -> list:
    return [framed(digest, data, settings).histogram for digest, data in zip(digests, datas, strict=True)]


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False)
def scene(digests: tuple[str, ...], _datas: tuple[bytes, ...], settings: Settings, scene_settings: SceneSettings):
    """The scene's palette (ordered as ``settings`` asks) and every still's drift from it."""
    histograms = _histograms(digests, _datas, settings)
    palette = kc.scene_palette(
        histograms,
        scene_settings.k,
        weighting=scene_settings.weighting,
        init=settings.sweep_init,
        order=settings.order,
        **settings.clustering,
    )
    return palette, kc.scene_drift(histograms, palette, threshold=scene_settings.threshold)


def redrawn_preview(digest: str, _data: bytes, settings: Settings, palette: kc.Palette) -> np.ndarray:
    """The still, as shown, redrawn with another palette (a scene's)."""
    key = ("redrawn", digest, settings.keep_borders, settings.crop, palette.space, palette.hex)
    return _frames().get_or_compute(key, lambda: kc.quantize(framed_preview(digest, _data, settings), palette))


@st.cache_data(max_entries=128, ttl=_TTL, show_spinner=False)
def tonal(digests: tuple[str, ...], _datas: tuple[bytes, ...], settings: Settings, bands: tuple) -> tuple:
    """The tonal ranges of one still (one digest) or of a scene (its equal-weighted histogram)."""
    histograms = _histograms(digests, _datas, settings)
    source = histograms[0] if len(histograms) == 1 else kc.scene_histogram(histograms)
    return kc.tonal_ranges(source, bands=bands, order="lightness", **settings.clustering)
