"""The Film page's work: analysing an uploaded clip once, and its shots as stills.

A clip reaches the server as bytes in memory (Streamlit's uploader). PyAV
reads films from a path, so the bytes are written to one temporary file
(:data:`TEMP_PREFIX`, in the system's temporary folder) for the length of the
analysis and removed as it ends, whether it succeeds or fails; the clip is
never kept on disk otherwise.

An analysis is kept by the clip's content digest and its
:class:`~kmeans_core.film.FilmSettings` in one store shared by all sessions
and bounded in bytes (:data:`FILM_BUDGET_BYTES`; a result holds every shot's
still), so a rerun or another session with the same clip takes it from there.
It runs on the core's default engine (``"threads"``: one in-process Dask
worker, a thread per core); the app starts no process cluster and connects to
none.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import PurePath

import numpy as np
import streamlit as st

import kmeans_core as kc
from kmeans_core.exports import to_frame_png
from kmeans_core.film import FilmError, FilmResult, FilmSettings, analyse_film
from studio.bounded_store import BoundedStore
from studio.library import add_file
from studio.state import notify, report_problem

__all__ = [
    "FILM_BUDGET_BYTES",
    "FILM_EXTENSIONS",
    "MAX_FILM_MB",
    "TEMP_PREFIX",
    "BARCODE_SCREEN_WIDTH",
    "add_shots",
    "analyse_clip",
    "barcode_on_screen",
    "clip_digest",
    "clip_stem",
    "clip_errors",
    "shot_still_files",
]

#: The containers the uploader takes.
FILM_EXTENSIONS = ("mp4", "mov", "mkv", "webm")
#: The most megabytes a clip may have (``server.maxUploadSize`` is set to it).
MAX_FILM_MB = 500
#: The name every temporary copy of a clip starts with.
TEMP_PREFIX = "palette-studio-clip-"
#: The byte budget of the analyses all sessions share.
FILM_BUDGET_BYTES = 256 * 2**20
#: The width, in pixels, the barcode is drawn at on the page (its height stays).
BARCODE_SCREEN_WIDTH = 1200
#: The engine the app runs analyses on (see :mod:`kmeans_core.film.engine`).
ENGINE = "threads"


@st.cache_resource(show_spinner=False)
def _films() -> BoundedStore:
    """Film analyses by (content digest, settings), bounded in bytes."""
    return BoundedStore(max_entries=16, max_bytes=FILM_BUDGET_BYTES)


def clip_digest(upload) -> str:
    """The content digest of an uploaded clip, hashed once per upload (a 500 MB clip takes a second)."""
    state = st.session_state
    known = state.film_digest
    if known is None or known[0] != upload.file_id:
        known = state.film_digest = (upload.file_id, kc.content_digest(upload.getbuffer()))
    return known[1]


def _suffix(name: str) -> str:
    extension = PurePath(name).suffix.lower().lstrip(".")
    return f".{extension}" if extension in FILM_EXTENSIONS else ""


def _analyse_bytes(name: str, data, settings: FilmSettings, progress: Callable | None) -> FilmResult:
    with tempfile.NamedTemporaryFile(prefix=TEMP_PREFIX, suffix=_suffix(name)) as handle:
        handle.write(data)
        handle.flush()
        try:
            return analyse_film(handle.name, settings, scheduler=ENGINE, progress=progress)
        except FilmError as error:  # name the clip as the person knows it, not the temporary file
            raise FilmError(str(error).replace(handle.name, name)) from None


def analyse_clip(
    name: str, digest: str, _data, settings: FilmSettings, *, progress: Callable | None = None
) -> FilmResult:
    """The analysis of a clip's bytes, computed once per content and settings.

    ``progress`` is called as :func:`~kmeans_core.film.analyse_film` calls it,
    only when the analysis runs. The result's ``info.path`` is the temporary
    file's, gone by then: :func:`clip_errors` names the clip as the person does.

    Raises
    ------
    FilmError
        If the bytes are not a video that can be opened (nothing is kept).
    """

    return _films().get_or_compute((digest, settings), lambda: _analyse_bytes(name, _data, settings, progress))


def clip_errors(film: FilmResult, name: str) -> list[str]:
    """Why parts of the clip could not be read, naming it ``name``."""
    return [error.replace(film.info.path, name) for error in film.errors]


def barcode_on_screen(strip: np.ndarray, width: int = BARCODE_SCREEN_WIDTH) -> np.ndarray:
    """The barcode resampled (nearest column) to ``width`` columns, so that the page draws it as a strip.

    Shown at the page's width as it is, a clip's few columns would stretch into a tall block.
    """
    columns = np.arange(width) * strip.shape[1] // width
    return np.ascontiguousarray(strip[:, columns])


def clip_stem(name: str) -> str:
    """The clip's file name without its extension, to name the files made from it."""
    return PurePath(name).stem or "clip"


def shot_still_files(film: FilmResult, clip_name: str) -> list[tuple[str, bytes]]:
    """Each shot's representative still as ``(name, PNG bytes)``, named ``<clip>_shot_003.png``."""
    stem = clip_stem(clip_name)
    return [(f"{stem}_shot_{shot.number:03d}.png", to_frame_png(shot.still)) for shot in film.shots]


def add_shots(film: FilmResult, clip_name: str) -> None:
    """Add every shot's still to the project (or the session), as an upload would (a callback)."""
    added = 0
    for name, data in shot_still_files(film, clip_name):
        problem = add_file(name, data)
        if problem is None:
            added += 1
        else:
            report_problem(f"{name}: {problem}")
    if added:
        noun = "still" if added == 1 else "stills"
        notify(f"Added {added} {noun} from the clip's shots; the last one is the working still.")
