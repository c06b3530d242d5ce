"""The frame every page shares: page config, session state and the sidebar."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from studio.controls import palette_settings
from studio.library import still_library
from studio.settings import StillEntry
from studio.state import enter_page, init_state, take_notices
from studio.text import escape_markdown


_STYLE = (Path(__file__).resolve().parent.parent / "assets" / "studio.css").read_text(encoding="utf-8")

#: (script, label, icon) of every page, in the order of the navigation.
PAGES = (
    ("app.py", "Palette", ":material/palette:"),
    ("pages/1_Compare_k.py", "Compare k", ":material/view_column:"),
    ("pages/2_Choose_k.py", "Choose k", ":material/insights:"),
    ("pages/4_Grade.py", "Grade", ":material/tune:"),
    ("pages/5_Scene.py", "Scene", ":material/movie:"),
)


def page_shell(title: str, icon: str) -> StillEntry | None:
    """Set up a page and draw the shared sidebar; return the working still."""
    st.set_page_config(page_title=f"{title} · Palette studio", page_icon=icon, layout="wide")
    st.html(f"<style>{_STYLE}</style>")
    init_state()
    if st.session_state.pop("switch_to_palette", False):  # set by work_with_k
        st.switch_page("app.py")
    enter_page(title)
    with st.sidebar:
        for path, label, page_icon in PAGES:
            st.page_link(path, label=label, icon=page_icon)
    entry = still_library()
    palette_settings()
    st.title(title)
    for notice in take_notices():
        st.info(escape_markdown(notice))
    return entry
