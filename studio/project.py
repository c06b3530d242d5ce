"""The session's project: the store behind it, its token in the URL, and every change kept.

A fresh visit works on the built-in samples and writes nothing. The first
change worth keeping (an upload, a saved palette, a rename, a removal) makes a
project that holds the stills on screen (samples included, by content) and the
working settings, puts its edit token in the URL as ``?project=<token>`` and
says so. From then on every change goes to the store first and to the session
after, and the working settings are kept whenever they change, so a reload, a
bookmark or a server restart opens the same work.

``?project=<view token>`` opens a project read-only (see
:func:`studio.state.read_only`): the pages hide or disable every control that
would change it, and the store refuses such a change anyway.

The database is opened once per server and URL (``st.cache_resource``). When it
cannot be used (not a database, locked, read-only, unreachable), the session
says so plainly and works on in memory, as before projects existed.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import streamlit as st

from store import ProjectHandle, Store, StoreError, open_store
from store.database import database_url
from studio.recipes import recipe_settings
from studio.settings import StillEntry
from studio.state import (
    SETTING_KEYS,
    assign,
    notify,
    replace_stills,
    report_problem,
    reset_settings,
    sample_stills,
    stills,
    use_settings,
)

__all__ = [
    "DEFAULT_NAME",
    "add_still",
    "clear_stores",
    "current",
    "ensure_project",
    "keep_settings",
    "project_name",
    "new_project",
    "open_from_url",
    "open_link",
    "problem",
    "project_store",
    "remove_still",
    "rename_project",
    "rename_still",
    "restore_backup",
    "sync_url",
    "url_query",
]

#: The name of a project made without one.
DEFAULT_NAME = "Untitled project"
#: The query parameter that carries a project's token.
PROJECT_PARAM = "project"


@st.cache_resource(show_spinner=False, on_release=Store.close)
def _store_at(url: str) -> Store:
    """The store at ``url``, opened (and upgraded) once per server; closed when the cache lets it go."""
    return open_store(url)


def project_store() -> Store | None:
    """The project database, or ``None`` when this session cannot use it (see :func:`problem`)."""
    state = st.session_state
    if state.store_problem is not None:
        return None
    try:
        return _store_at(database_url().render_as_string(hide_password=False))
    except StoreError as error:
        state.store_problem = str(error)
        return None


def problem() -> str | None:
    """Why projects cannot be kept in this session, or ``None``."""
    return st.session_state.store_problem


def current() -> ProjectHandle | None:
    """The project this session works on, or ``None`` (the samples, in memory)."""
    return st.session_state.project


def _failed(error: StoreError) -> None:
    """A change the store refused: say why; a database that broke sends the session to memory."""
    message = str(error)
    if message.startswith("the project database"):
        st.session_state.store_problem = message
    report_problem(message)


# ---------------------------------------------------------------------------- opening


_RECIPE_KEYS = ("k", "init", "space", "method", "random_seed", "order", "seed_colors")


def _kept_values() -> dict:
    state = st.session_state
    values = {key: state[key] for key in SETTING_KEYS}
    values["seed_colors"] = list(values["seed_colors"])
    values["current"] = state.current
    return values


def _restore_settings(values: dict) -> None:
    """Take a project's kept settings into the session, if this studio can use them."""
    try:
        working = recipe_settings({key: values[key] for key in _RECIPE_KEYS if key in values})
    except ValueError as error:
        notify(f"The project's settings could not be used ({error}); the defaults are in use.")
        return
    use_settings(working, seed_text=values.get("seed_text"))


def _load(handle: ProjectHandle) -> None:
    """Make ``handle`` the session's project: its stills, working still and settings."""
    state = st.session_state
    project = handle.project()
    entries = [
        StillEntry(name=record.name, data=handle.still_bytes(record.digest), digest=record.digest)
        for record in handle.list_stills()
    ]
    state.project = handle
    state.project_name = project.name
    reset_settings()
    _restore_settings(project.settings)
    replace_stills(entries, project.settings.get("current"))
    state.kept_settings = _kept_values()
    state.opened_palette = None
    sync_url()


def open_from_url() -> None:
    """On a session's first run, open the project that ``?project=`` names (once)."""
    state = st.session_state
    if state.project_checked:
        return
    state.project_checked = True
    token = st.query_params.get(PROJECT_PARAM)
    if token is None:
        project_store()  # a broken database is said at once, before any work is lost to it
        return
    found = _open(token)
    if found is None:
        del st.query_params[PROJECT_PARAM]


def _open(token: str) -> ProjectHandle | None:
    database = project_store()
    if database is None:
        report_problem("This project cannot be opened while the project database cannot be used.")
        return None
    try:
        handle = database.open_project(token)
        if handle is not None:
            _load(handle)
    except StoreError as error:
        _failed(error)
        return None
    if handle is None:
        report_problem("There is no such project: the link may be mistyped or the project removed.")
    return handle


def token_in(text: str) -> str:
    """The project token in a pasted link (``...?project=TOKEN``) or the text itself."""
    text = text.strip()
    if "?" in text or "://" in text:
        values = parse_qs(urlsplit(text).query).get(PROJECT_PARAM)
        return values[0] if values else ""
    return text


def open_link(text: str) -> None:
    """Open the project of a pasted link or token (a callback)."""
    token = token_in(text)
    if not token:
        report_problem("There is no such project: paste a link with ?project= or a project's token.")
        return
    if _open(token) is not None:
        notify(f"Opened the project “{project_name()}”.")


def url_query() -> dict[str, str]:
    """The query that names the session's project (``{"project": token}``), or ``{}``."""
    handle = current()
    if handle is None:
        return {}
    return {PROJECT_PARAM: handle.opened.edit_token if handle.can_edit else handle.opened.view_token}


def sync_url() -> None:
    """Keep ``?project=`` in the URL equal to the session's project token."""
    token = url_query().get(PROJECT_PARAM)
    if token is not None and st.query_params.get(PROJECT_PARAM) != token:
        st.query_params[PROJECT_PARAM] = token


# ---------------------------------------------------------------------------- making one


def _create(name: str, entries: list[StillEntry]) -> ProjectHandle | None:
    database = project_store()
    if database is None:
        return None
    try:
        made = database.create_project(name)
        handle = database.open_project(made.edit_token)
        for entry in entries:
            handle.add_still(entry.name, entry.data)
        handle.save_settings(_kept_values())
    except StoreError as error:
        _failed(error)
        return None
    state = st.session_state
    state.project = handle
    state.project_name = made.name
    state.kept_settings = _kept_values()
    sync_url()
    return handle


def ensure_project(name: str = DEFAULT_NAME) -> ProjectHandle | None:
    """The session's project, made now (with the stills on screen) if there is none.

    Returns ``None`` when there is no database to keep it in (the session
    works in memory) or through a read-only link (nothing may change).
    """
    handle = current()
    if handle is not None:
        return handle if handle.can_edit else None
    handle = _create(name, list(stills().values()))
    if handle is not None:
        notify(
            f"Your work is now kept in the project “{name}”. The address bar holds its link "
            "(?project=…): bookmark it to come back to the same stills, settings and palettes."
        )
    return handle


def new_project() -> None:
    """Start a new project with the samples and the default settings (a callback)."""
    reset_settings()
    samples = sample_stills()
    replace_stills(samples)
    st.session_state.project = None
    st.session_state.opened_palette = None
    if _create(DEFAULT_NAME, samples) is not None:
        notify(f"A new project “{DEFAULT_NAME}” holds the samples; its link is in the address bar.")


def rename_project(name: str) -> None:
    """Rename the session's project, making one if there is none (a callback)."""
    handle = ensure_project(name)
    if handle is None:
        return
    try:
        renamed = handle.rename(name)
    except StoreError as error:
        _failed(error)
        return
    st.session_state.project_name = renamed.name
    notify(f"The project is now called “{renamed.name}”.")


# ---------------------------------------------------------------------------- stills


def add_still(entry: StillEntry) -> None:
    """Keep an uploaded still in the project (or the session) and make it the working still.

    Bytes already present keep their name, and a notice says so.
    """
    known = stills().get(entry.digest)
    handle = ensure_project()
    if handle is not None:
        try:
            record, present = handle.add_still(entry.name, entry.data)
        except StoreError as error:
            _failed(error)
            return
        if present:
            notify(f"{entry.name} is already in the project as {record.name}.")
        entry = StillEntry(name=record.name, data=entry.data, digest=entry.digest)
    elif known is not None:
        notify(f"{entry.name} is already in the library as {known.name}.")
        entry = known
    stills()[entry.digest] = entry
    assign("current", entry.digest)


def rename_still(digest: str, name: str) -> None:
    """Rename a still (a callback)."""
    entry = stills().get(digest)
    if entry is None:
        return
    handle = ensure_project()
    if handle is not None:
        try:
            name = handle.rename_still(digest, name).name
        except StoreError as error:
            _failed(error)
            return
    elif not name.strip():
        report_problem("A still's name cannot be empty.")
        return
    stills()[digest] = StillEntry(name=name, data=entry.data, digest=digest)


def remove_still(digest: str) -> None:
    """Remove a still; the store refuses while saved palettes are made from it (a callback)."""
    entries = stills()
    if digest not in entries:
        return
    handle = ensure_project()
    if handle is not None:
        try:
            handle.remove_still(digest)
        except StoreError as error:
            _failed(error)
            return
    name = entries.pop(digest).name
    state = st.session_state
    if state.current == digest:
        assign("current", next(iter(entries), None))
    notify(f"Removed {name}.")


# ---------------------------------------------------------------------------- settings


def keep_settings() -> None:
    """Save the working settings (and working still) to the project when they changed."""
    handle = current()
    state = st.session_state
    if handle is None or not handle.can_edit:
        return
    values = _kept_values()
    if values == state.kept_settings:
        return
    try:
        handle.save_settings(values)
    except StoreError as error:
        _failed(error)
        return
    state.kept_settings = values


def project_name() -> str | None:
    """The name of the session's project (``None`` without one)."""
    return st.session_state.project_name if current() is not None else None


# ---------------------------------------------------------------------------- backup


def restore_backup(data: bytes) -> None:
    """Make a new project from a backup ZIP and open it; a file that is not a backup changes nothing."""
    database = project_store()
    if database is None:
        report_problem("A backup cannot be restored while the project database cannot be used.")
        return
    try:
        made = database.import_project_zip(data)
        _load(database.open_project(made.edit_token))
    except StoreError as error:
        _failed(error)
        return
    notify(f"Restored the backup as a new project “{made.name}”; its link is in the address bar.")


def clear_stores() -> None:
    """Close every store this server opened and forget them (tests that change ``PALETTE_STUDIO_DB``)."""
    _store_at.clear()
