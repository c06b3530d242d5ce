"""The project in the sidebar: its name, and New, Open and Rename.

Without a project the panel says that the samples are not kept yet; with a
broken database it says why nothing can be kept. Through a read-only link it
says so and offers no rename.
"""

from __future__ import annotations

import streamlit as st

from studio import project
from studio.state import read_only
from studio.text import escape_markdown

__all__ = ["project_panel"]


def _open_pasted() -> None:
    project.open_link(st.session_state.w_open_link)
    st.session_state.w_open_link = ""


def _rename() -> None:
    project.rename_project(st.session_state.w_project_name)


def project_panel() -> None:
    """Draw the project's part of the sidebar."""
    state = st.session_state
    with st.sidebar:
        st.header("Project")
        why = project.problem()
        if why is not None:
            st.error(
                f"Projects cannot be kept: {escape_markdown(why)}  \nThe studio works on in this browser session only."
            )
            return
        name = project.project_name()
        if name is None:
            st.caption("The samples, not kept yet. Upload a still, save a palette or rename to start a project.")
        else:
            st.markdown(f"**{escape_markdown(name, limit=120)}**")
            if read_only():
                st.caption("Read-only link: you can look at this project but not change it.")
        row = st.container(horizontal=True, gap="small")  # buttons at their own width, wrapping if need be
        row.button("New", key="new_project", on_click=project.new_project, help="A new project with the samples.")
        with row.popover("Open"):
            st.text_input("Project link or token", key="w_open_link", placeholder="http://…/?project=…")
            st.button("Open project", key="open_project", on_click=_open_pasted)
        if not read_only():
            if "w_project_name" not in state or state.get("project_name_shown") != name:
                state.w_project_name = name or project.DEFAULT_NAME
                state.project_name_shown = name
            with row.popover("Rename"):
                st.text_input("Project name", key="w_project_name", max_chars=200)
                st.button("Rename project", key="rename_project", on_click=_rename)
