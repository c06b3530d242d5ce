"""The frame every page shares: page config, session state, the project and the sidebar.

A link to a shared palette (``?palette=`` or ``?palette_view=``) shows that
palette instead of the page; ``?project=`` opens a project on a session's
first run, and the page links carry it on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from kmeans_core import warm_up_in_background
from studio import project
from studio.controls import palette_settings
from studio.library import still_library
from studio.project_panel import project_panel
from studio.settings import StillEntry
from studio.shared_palette import shared_palette_view
from studio.state import enter_page, init_state, take_notices, take_problems
from studio.text import escape_markdown

# The kernels compile (or load from their cache) while the first page draws.
warm_up_in_background()

_STYLE = (Path(__file__).resolve().parent.parent / "assets" / "studio.css").read_text(encoding="utf-8")

#: (script, label, icon) of every page, in the order of the navigation.
PAGES = (
    ("app.py", "Palette", ":material/palette:"),
    ("pages/1_Compare_k.py", "Compare k", ":material/view_column:"),
    ("pages/2_Choose_k.py", "Choose k", ":material/insights:"),
    ("pages/3_Library.py", "Library", ":material/collections_bookmark:"),
    ("pages/4_Grade.py", "Grade", ":material/tune:"),
    ("pages/5_Scene.py", "Scene", ":material/movie:"),
    ("pages/6_Film.py", "Film", ":material/theaters:"),
    ("pages/7_Friends.py", "Friends", ":material/groups:"),
)


def _show_messages() -> None:
    for message in take_problems():
        st.error(escape_markdown(message))
    for notice in take_notices():
        st.info(escape_markdown(notice))


def page_shell(title: str, icon: str, *, order_in_sidebar: bool = True) -> StillEntry | None:
    """Set up a page and draw the shared sidebar; return the working still.

    A shared palette's link shows that palette and stops the page here. A
    page that shows the colour order beside its swatches
    (:func:`studio.controls.order_control`) passes ``order_in_sidebar=False``.
    """
    st.set_page_config(page_title=f"{title} · Palette studio", page_icon=icon, layout="wide")
    st.html(f"<style>{_STYLE}</style>")
    init_state()
    if st.session_state.pop("switch_to_palette", False):  # set by work_with_k and by opening a saved palette
        st.switch_page("app.py", query_params=project.url_query())
    enter_page(title)
    if shared_palette_view():
        st.stop()
    project.open_from_url()
    project.sync_url()
    with st.sidebar:
        for path, label, page_icon in PAGES:
            st.page_link(path, label=label, icon=page_icon, query_params=project.url_query())
    project_panel()
    entry = still_library()
    palette_settings(order=order_in_sidebar)
    project.keep_settings()
    st.title(title)
    # However many messages there are, they take one place on the page, so that what follows keeps its
    # place from one run to the next (an element that moves leaves its old copy on screen until the run ends).
    with st.container():
        _show_messages()
    return entry


#: The session keys the sidebar and the top of a page show: a change to any of them from a widget of a
#: page's body (a saved palette that makes a project, seed colours taken from the palette, a notice)
#: redraws the whole page, not the body alone. The colour order is not among them: a page drawn with
#: :func:`page_body` shows it in its body.
_SHELL_KEYS = (
    "project_name",
    "store_problem",
    "current",
    "upload_errors",
    "notices",
    "problems",
    "method",
    "init",
    "space",
    "random_seed",
    "seed_text",
    "seed_colors",
    "seed_error",
    "fixed_text",
    "fixed_colors",
    "fixed_error",
    "locked",
    "opened_palette",
)


def _shell_view() -> tuple:
    """What the sidebar and the top of the page show, as a value to compare."""
    state = st.session_state
    names = tuple((digest, entry.name) for digest, entry in state.stills.items())
    return (names, id(state.project), *(repr(state.get(key)) for key in _SHELL_KEYS))


def page_body(draw: Callable[[StillEntry], None], entry: StillEntry) -> None:
    """Draw the page's body, ``draw(entry)``, so that its own widgets redraw only it.

    A new k, for one, then reruns the palette and its frames without the
    sidebar. A widget of the body that changes what the sidebar or the top of
    the page shows (:data:`_SHELL_KEYS`) redraws the whole page instead.
    """
    state = st.session_state
    state.shell_view = _shell_view()
    state.whole_page_run = True  # the settings were kept by page_shell on this run
    try:
        _body(draw, entry)
    finally:
        state.whole_page_run = False
        # The body's widgets are drawn: on its own reruns they are not new (see studio.state.bind), or the
        # app would push its values back onto them while a person moves them.
        state.page_changed = False


@st.fragment
def _body(draw: Callable[[StillEntry], None], entry: StillEntry) -> None:
    if st.session_state.shell_view != _shell_view():  # a callback changed what the sidebar shows
        st.rerun()
    draw(entry)
    if st.session_state.whole_page_run:
        return
    # On the body's own reruns its settings (k, the order) are kept as page_shell keeps the sidebar's,
    # once the page is drawn: the database's write is not on the way to the swatches. A problem keeping
    # them redraws the whole page, which shows it (and keeps them, or fails, once more: no loop).
    project.keep_settings()
    if st.session_state.shell_view != _shell_view():
        st.rerun()
