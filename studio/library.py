"""The still library in the sidebar: upload stills, see them listed, choose, rename or remove one.

The library's list is the one truth: the uploader hands its files over and
is emptied, so no file stays as a chip that the list does not show. An
upload is decoded once (through the cache); a file that fails shows its
plain reason with ``st.error`` until the person dismisses it or uploads
again, and changes nothing else. A still that decodes is kept in the
session's project (see :mod:`studio.project`), by content; a user's file
name is only ever shown as escaped text, never used as a path. Through a
read-only link there is no uploader and no rename or remove.
"""

from __future__ import annotations

import streamlit as st

import kmeans_core as kc
from kmeans_core.still import ACCEPTED_EXTENSIONS, ACCEPTED_FORMAT_NAMES
from studio import cache, project
from studio.settings import MAX_PIXELS, StillEntry
from studio.state import bind, current_still, read_only, stills
from studio.text import escape_markdown

#: The most megabytes a still's file may have. The server accepts larger
#: uploads (``server.maxUploadSize`` is set for films), so this is checked here too.
MAX_STILL_MB = 100


def _uploader_key() -> str:
    return f"w_uploads_{st.session_state.uploader_round}"


def _take_uploads() -> None:
    """Decode the uploader's files into the library, then empty the uploader."""
    state = st.session_state
    state.upload_errors = []
    for upload in state.get(_uploader_key()) or []:
        problem = add_file(upload.name, upload.getvalue())
        if problem is not None:
            state.upload_errors.append(f"{escape_markdown(upload.name, limit=120)}: {escape_markdown(problem)}")
    state.uploader_round += 1  # a new, empty uploader on the next run


def add_file(name: str, data: bytes) -> str | None:
    """Decode a still's file and keep it in the project (or the session) as the working still.

    Returns why it was refused (nothing changes then), or None.
    """
    if len(data) > MAX_STILL_MB * 2**20:
        return f"the file has {len(data) / 2**20:.0f} MB; a still may have at most {MAX_STILL_MB} MB"
    entry = StillEntry.from_bytes(name, data)
    try:
        cache.still(entry.digest, entry.data)
    except kc.StillError as error:
        return str(error)
    project.add_still(entry)
    return None


def _dismiss_errors() -> None:
    st.session_state.upload_errors = []


def _uploader_help() -> str:
    kept = (
        "Files stay in this browser session only: the project database cannot be used."
        if project.problem()
        else "Each file is kept in the project (its original bytes, in the studio's database), once."
    )
    return f"{ACCEPTED_FORMAT_NAMES}, up to {MAX_STILL_MB} MB and {MAX_PIXELS / 1e6:.0f} megapixels each. {kept}"


def _rename_working_still(digest: str) -> None:
    project.rename_still(digest, st.session_state[f"w_still_name_{digest}"])


def _ask_to_remove(digest: str | None) -> None:
    st.session_state.confirm_remove = digest


def _remove(digest: str) -> None:
    st.session_state.confirm_remove = None
    project.remove_still(digest)


def _still_actions(entry: StillEntry) -> None:
    """Rename the working still, or remove it after a confirm."""
    state = st.session_state
    with st.popover("Rename or remove", icon=":material/edit:"):
        st.text_input("Name of the working still", value=entry.name, max_chars=200, key=f"w_still_name_{entry.digest}")
        st.button("Rename", key="rename_still", on_click=_rename_working_still, args=(entry.digest,))
        st.button("Remove from the project…", key="ask_remove_still", on_click=_ask_to_remove, args=(entry.digest,))
    if state.confirm_remove == entry.digest:
        st.warning(f"Remove {escape_markdown(entry.name, limit=120)}? Its bytes leave the project.")
        yes, no = st.columns(2)
        yes.button("Remove", key="remove_still", type="primary", on_click=_remove, args=(entry.digest,))
        no.button("Keep it", key="keep_still", on_click=_ask_to_remove, args=(None,))


def still_library() -> StillEntry | None:
    """Draw the library in the sidebar and return the chosen still."""
    state = st.session_state
    with st.sidebar:
        st.header("Stills")
        if not read_only():
            st.file_uploader(
                "Add reference stills",
                type=list(ACCEPTED_EXTENSIONS),
                accept_multiple_files=True,
                key=_uploader_key(),
                on_change=_take_uploads,
                max_upload_size=MAX_STILL_MB,
                help=_uploader_help(),
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
        entry = current_still()
        if entry is not None and not read_only():
            _still_actions(entry)
    return entry
