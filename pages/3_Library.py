"""Library: the project's saved palettes, found by name or by colour, opened, shared, renamed, removed."""

import streamlit as st

from studio import project
from studio.library_page import backup_section, import_section, palette_search, saved_palette_list
from studio.shell import page_shell

page_shell("Library", ":material/collections_bookmark:")

if project.current() is None:
    st.info(
        "Saved palettes live in a project. Save a palette on the Palette page (or upload a still) "
        "and the project begins; its link then opens the same work again."
    )
else:
    saved_palette_list(palette_search())
import_section()
backup_section()
