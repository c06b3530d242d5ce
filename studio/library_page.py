"""The parts of the Library page: the search, the list of saved palettes, imports and the backup.

Search by name (text the name holds) and by colour: the palettes holding a
colour within a CIEDE2000 distance of a hex code, nearest first. The backup
downloads the whole project as one ZIP file, and restores such a file as a
new project; a file that is not a backup gets a plain error and changes
nothing. Imports read our JSON, ``.gpl``, ``.ase`` (and the other formats
:func:`kmeans_core.read_palette` knows), a list of hex codes or a Coolors URL,
and keep each as a saved palette whose colours can seed the working still.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from store import PaletteMatch
from studio import project
from studio.saved_palettes import import_palette, palette_row
from studio.state import read_only
from studio.text import escape_markdown

__all__ = ["PaletteSearch", "backup_section", "import_section", "palette_search", "saved_palette_list"]

#: The colour a colour search starts from.
DEFAULT_SEARCH_COLOUR = "#C04020"
#: The file types the palette import accepts.
PALETTE_FILE_EXTENSIONS = frozenset({"json", "gpl", "ase", "aco", "swatches", "csv", "txt", "hex"})
#: The largest ΔE2000 the colour search's slider offers.
MAX_SEARCH_DELTA_E = 30.0


@dataclass(frozen=True)
class PaletteSearch:
    """What to look for: text in the name, and a colour within a distance (or ``None``)."""

    name: str | None = None
    near_hex: str | None = None
    within: float = 5.0


def palette_search() -> PaletteSearch:
    """The search fields: by name, and (when switched on) by colour."""
    name_column, colour_column = st.columns([3, 2])
    name = name_column.text_input("Search by name", key="w_search_name", placeholder="night, warm, scene 12…")
    by_colour = colour_column.toggle("Search by colour", key="w_search_by_colour")
    near_hex, within = None, 5.0
    if by_colour:
        code, distance = st.columns([1, 2])
        near_hex = code.text_input("Colour (hex)", value=DEFAULT_SEARCH_COLOUR, key="w_search_hex", max_chars=7)
        within = distance.slider(
            "Within ΔE2000",
            0.0,
            MAX_SEARCH_DELTA_E,
            5.0,
            step=0.5,
            key="w_search_within",
            help="CIEDE2000 from this colour to the palette's nearest colour: about 1 is barely visible, "
            "5 a clear but close match.",
        )
    return PaletteSearch(name=name.strip() or None, near_hex=(near_hex or "").strip() or None, within=within)


def saved_palette_list(search: PaletteSearch) -> None:
    """The project's saved palettes that match ``search``, one row each."""
    handle = project.current()
    try:
        total = len(handle.list_palettes())
        matches: list[PaletteMatch] = handle.search_palettes(
            name=search.name, near_hex=search.near_hex, within=search.within
        )
    except ValueError as error:  # StoreError: a colour that is not a hex code, a database that broke
        st.error(escape_markdown(str(error)))
        return
    if total == 0:
        st.info("No saved palettes yet: use “Save palette” on the Palette page.")
        return
    searched = search.name is not None or search.near_hex is not None
    st.caption(f"{len(matches)} of {total} saved palettes" if searched else f"{total} saved palettes")
    for match in matches:
        palette_row(match)


def _import_files() -> None:
    state = st.session_state
    for upload in state.get(f"w_import_palettes_{state.import_round}") or []:
        import_palette(upload.getvalue(), filename=upload.name)
    state.import_round += 1  # a new, empty uploader: the files are in the library now


def _import_text() -> None:
    state = st.session_state
    if import_palette(state.w_import_text):
        state.w_import_text = ""


def import_section() -> None:
    """Palettes from files, hex codes or a Coolors URL, each kept as a saved palette."""
    if project.problem() is not None or read_only():
        return
    state = st.session_state
    state.setdefault("import_round", 0)
    st.subheader("Import palettes")
    files, text = st.columns(2)
    files.file_uploader(
        "Palette files",
        type=sorted(PALETTE_FILE_EXTENSIONS),
        accept_multiple_files=True,
        key=f"w_import_palettes_{state.import_round}",
        on_change=_import_files,
        help="Our JSON, GIMP .gpl, Adobe .ase and .aco, Procreate .swatches, CSV or a text file of hex codes.",
    )
    with text:
        st.text_area(
            "Or paste hex codes or a Coolors URL",
            key="w_import_text",
            height=80,
            placeholder="#1A2B3C #FFEEDD #C04020  or  https://coolors.co/1a2b3c-ffeedd-c04020",
        )
        st.button("Import the pasted colours", key="import_text", on_click=_import_text)


def _restore() -> None:
    upload = st.session_state.get("w_restore_backup")
    if upload is not None:
        project.restore_backup(upload.getvalue())


def backup_section() -> None:
    """Download the project as a ZIP; restore a ZIP as a new project."""
    if project.problem() is not None or read_only():
        return
    st.subheader("Backup")
    handle = project.current()
    if handle is not None:
        st.download_button(  # made when clicked: the ZIP holds every still
            "Download the whole project (.zip)",
            data=handle.export_zip,
            file_name="palette_studio_project.zip",
            mime="application/zip",
            key="download_backup",
            on_click="ignore",
            help="Its stills as uploaded, a project JSON, and every saved palette's files.",
        )
    st.file_uploader(
        "Restore a backup as a new project",
        type=["zip"],
        key="w_restore_backup",
        on_change=_restore,
        help="A ZIP file downloaded here. It becomes a new project; the one open now stays as it is.",
    )
