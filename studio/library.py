"""The still library in the sidebar: upload stills, see them listed, choose one.

An upload is decoded once (through the cache); a file that fails shows its
plain reason with ``st.error`` and changes nothing else. Nothing is written to
disk, and a user's file name is only ever shown as escaped text.
"""

from __future__ import annotations

import streamlit as st

import kmeans_core as kc
from kmeans_core.still import ACCEPTED_EXTENSIONS, ACCEPTED_FORMAT_NAMES
from studio import cache
from studio.state import MAX_PIXELS, StillEntry, add_still, bind, current_still, stills
from studio.text import plain


def _take_uploads() -> None:
    """Decode new files from the uploader into our own state."""
    state = st.session_state
    for upload in state.get("w_uploads") or []:
        if upload.file_id in state.seen_uploads:
            continue
        state.seen_uploads.add(upload.file_id)
        data = upload.getvalue()
        digest = cache.digest_of(data)
        try:
            cache.still(digest, data)
        except kc.StillError as error:
            state.upload_errors.append(f"{plain(upload.name, limit=120)}: {plain(str(error))}")
            continue
        add_still(StillEntry(name=upload.name, data=data, digest=digest))


def still_library() -> StillEntry | None:
    """Draw the library in the sidebar and return the chosen still."""
    state = st.session_state
    with st.sidebar:
        st.header("Stills")
        st.file_uploader(
            "Add reference stills",
            type=list(ACCEPTED_EXTENSIONS),
            accept_multiple_files=True,
            key="w_uploads",
            on_change=_take_uploads,
            help=(
                f"{ACCEPTED_FORMAT_NAMES}, up to {MAX_PIXELS / 1e6:.0f} megapixels. "
                "Files stay in this browser session only; nothing is stored on the server's disk."
            ),
        )
        st.caption(f"Up to {MAX_PIXELS / 1e6:.0f} megapixels per still.")
        for message in state.upload_errors:
            st.error(message)
        state.upload_errors = []
        entries = stills()
        if not entries:
            st.info("Upload a still to begin.")
            return None
        st.radio(
            "Working still",
            list(entries),
            format_func=lambda digest: plain(entries[digest].name, limit=120),
            **bind("current"),
        )
    return current_still()
