"""The still library in the sidebar: upload stills, see them listed, choose one.

The library's list is the one truth: the uploader hands its files over and
is emptied, so no file stays as a chip that the list does not show. An
upload is decoded once (through the cache); a file that fails shows its
plain reason with ``st.error`` until the person dismisses it or uploads
again, and changes nothing else. Nothing is written to disk, and a user's
file name is only ever shown as escaped text.
"""

from __future__ import annotations

import streamlit as st

import kmeans_core as kc
from kmeans_core.still import ACCEPTED_EXTENSIONS, ACCEPTED_FORMAT_NAMES
from studio import cache
from studio.settings import MAX_PIXELS, StillEntry
from studio.state import add_still, bind, current_still, stills
from studio.text import escape_markdown


def _uploader_key() -> str:
    return f"w_uploads_{st.session_state.uploader_round}"


def _take_uploads() -> None:
    """Decode the uploader's files into the library, then empty the uploader."""
    state = st.session_state
    state.upload_errors = []
    for upload in state.get(_uploader_key()) or []:
        entry = StillEntry.from_bytes(upload.name, upload.getvalue())
        try:
            cache.still(entry.digest, entry.data)
        except kc.StillError as error:
            state.upload_errors.append(f"{escape_markdown(upload.name, limit=120)}: {escape_markdown(str(error))}")
            continue
        add_still(entry)
    state.uploader_round += 1  # a new, empty uploader on the next run


def _dismiss_errors() -> None:
    st.session_state.upload_errors = []


def still_library() -> StillEntry | None:
    """Draw the library in the sidebar and return the chosen still."""
    state = st.session_state
    with st.sidebar:
        st.header("Stills")
        st.file_uploader(
            "Add reference stills",
            type=list(ACCEPTED_EXTENSIONS),
            accept_multiple_files=True,
            key=_uploader_key(),
            on_change=_take_uploads,
            help=(
                f"{ACCEPTED_FORMAT_NAMES}, up to {MAX_PIXELS / 1e6:.0f} megapixels each. "
                "Files stay in this browser session only; nothing is stored on the server's disk."
            ),
        )
        if state.upload_errors:
            for message in state.upload_errors:
                st.error(message)
            st.button("Dismiss", key="dismiss_upload_errors", on_click=_dismiss_errors)
        entries = stills()
        if not entries:
            st.info("Upload a still to begin.")
            return None
        st.radio(
            "Working still",
            list(entries),
            format_func=lambda digest: escape_markdown(entries[digest].name, limit=120),
            **bind("current"),
        )
    return current_still()
