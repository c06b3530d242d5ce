"""Saved palettes on the pages: save the one shown, open one again, list them in the Library.

A palette is saved with its name, a note, the colours and shares as shown, and
the recipe that computes it again (:mod:`studio.recipes`). Opening it makes
its still the working still and its recipe the working settings, so the
Palette page recomputes it through the cache wrappers; the page then says
whether the colours came out as saved. Names and notes are shown only as
escaped text. Through a read-only link nothing here changes anything: there
is no save, rename or remove.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import kmeans_core as kc
from store import PaletteMatch, PaletteRecord
from store.limits import MAX_COLOURS
from studio import cache, project, views
from studio.links import app_link
from studio.recipes import RECIPE_VERSION, palette_recipe, recipe_settings
from studio.settings import K_MAX, K_MIN, Settings, StillEntry
from studio.state import assign, notify, read_only, report_problem, stills, use_settings
from studio.text import escape_markdown

__all__ = ["import_palette", "open_saved", "palette_row", "record_palette", "save_palette_box"]

#: The query parameter of a saved palette's read-only link.
PALETTE_VIEW_PARAM = "palette_view"
#: The query parameter of a link that carries the palette itself.
PALETTE_PARAM = "palette"


def record_palette(record: PaletteRecord) -> kc.Palette:
    """A saved palette's colours as a :class:`kmeans_core.Palette` (equal shares when none were kept)."""
    rgb = kc.parse_hex_colors(" ".join(record.hex_codes))
    shares = np.full(len(rgb), 1 / len(rgb)) if record.shares is None else np.asarray(record.shares, dtype=float)
    return kc.Palette(rgb=rgb, shares=shares, inertia=float("nan"))


def _opened(record: PaletteRecord, working: Settings) -> dict:
    return {
        "id": record.id,
        "name": record.name,
        "digest": record.still_digest,
        "settings": working,
        "hex": tuple(record.hex_codes),
    }


# ---------------------------------------------------------------------------- saving


def _save(digest: str, working: Settings, hex_codes: tuple[str, ...], shares: tuple[float, ...]) -> None:
    state = st.session_state
    handle = project.ensure_project()
    if handle is None:
        if project.problem() is None:
            report_problem("This palette cannot be saved through a read-only link.")
        return
    try:
        record = handle.save_palette(
            name=state.w_palette_name,
            note=state.w_palette_note,
            recipe=palette_recipe(working, still_digest=digest),
            hex_codes=hex_codes,
            shares=shares,
            still_digest=digest,
        )
    except ValueError as error:  # StoreError: a bad name, a limit, a database that broke
        report_problem(str(error))
        return
    state.opened_palette = _opened(record, working)
    state.w_palette_note = ""
    notify(f"Saved the palette “{record.name}”. The Library page lists it.")


def _default_name(entry: StillEntry, working: Settings) -> str:
    return f"{entry.name.rsplit('.', 1)[0]} · k={working.k}"


def _said_if_opened(entry: StillEntry, working: Settings, palette: kc.Palette) -> None:
    """Say that the palette shown is an opened saved one, and whether it came out the same."""
    opened = st.session_state.opened_palette
    if not opened or opened["digest"] != entry.digest or opened["settings"] != working:
        return
    name = escape_markdown(opened["name"], limit=120)
    if tuple(palette.hex) == opened["hex"]:
        st.caption(f"The saved palette “{name}”, computed again from its recipe: the same colours.")
    else:
        st.warning(
            f"Computed again from its recipe, “{name}” differs from the colours saved: "
            f"saved {' '.join(opened['hex'])}, now {' '.join(palette.hex)}."
        )


def save_palette_box(entry: StillEntry, working: Settings, palette: kc.Palette) -> None:
    """The "Save palette" form (a name and a note) for the palette shown, and what it is if opened."""
    _said_if_opened(entry, working, palette)
    if read_only() or project.problem() is not None:
        return
    state = st.session_state
    default = _default_name(entry, working)
    if state.get("palette_name_default") != default:  # a new still or k: a new suggestion
        state.w_palette_name = state.palette_name_default = default
    state.setdefault("w_palette_note", "")
    with st.popover("Save palette", icon=":material/bookmark_add:"):
        with st.form("save_palette", border=False):
            st.text_input("Palette name", key="w_palette_name", max_chars=200)
            st.text_area(
                "Note", key="w_palette_note", max_chars=4000, placeholder="For the colourist: the night exteriors…"
            )
            st.form_submit_button(
                "Save",
                type="primary",
                on_click=_save,
                args=(entry.digest, working, tuple(palette.hex), tuple(float(share) for share in palette.shares)),
            )


def import_palette(data: bytes | str, *, filename: str | None = None) -> bool:
    """Save the palette of a file, hex codes or a Coolors URL; return whether it was saved.

    The input is read in full first (:func:`kmeans_core.read_palette`): one that
    does not read is said plainly and changes nothing, not even making a project.
    """
    try:
        imported = kc.read_palette(data, filename=filename)
    except ValueError as error:
        report_problem(f"Nothing was imported: {error}")
        return False
    if imported.k > MAX_COLOURS:
        report_problem(
            f"Nothing was imported: {imported.name} has {imported.k} colours; "
            f"a saved palette holds at most {MAX_COLOURS}."
        )
        return False
    handle = project.ensure_project()
    if handle is None:
        return False
    source = filename or ("a Coolors link" if imported.format == "coolors" else "pasted colours")
    try:
        record = handle.save_palette(
            name=imported.name,
            note=f"Imported from {source} ({imported.format}).",
            recipe={"version": RECIPE_VERSION, "method": "imported", "format": imported.format},
            hex_codes=kc.to_hex(imported.rgb),
            shares=None if imported.shares is None else [float(share) for share in imported.shares],
        )
    except ValueError as error:  # StoreError: too many colours, a limit, a database that broke
        report_problem(f"Nothing was imported: {error}")
        return False
    notify(f"Imported “{record.name}” ({len(record.hex_codes)} colours) as a saved palette.")
    return True


# ---------------------------------------------------------------------------- opening


def open_saved(palette_id: int) -> None:
    """Open a saved palette on the Palette page: its still and recipe become the working ones (a callback)."""
    handle = project.current()
    record = handle.palette(palette_id) if handle is not None else None
    if record is None:
        report_problem("That saved palette is no longer in the project.")
        return
    if record.still_digest is None:  # imported colours: they start the clustering of the working still
        _use_as_seeds(record)
        return
    try:
        working = recipe_settings(record.recipe)
    except ValueError as error:
        report_problem(f"“{record.name}” cannot be computed again: {error}")
        return
    if record.still_digest not in stills():
        report_problem(f"The still of “{record.name}” is no longer in this session; reload the page.")
        return
    use_settings(working, seed_text=None)
    assign("current", record.still_digest)
    st.session_state.opened_palette = _opened(record, working)
    notify(f"Opened the saved palette “{record.name}”.")
    st.session_state.switch_to_palette = True


def _use_as_seeds(record: PaletteRecord) -> None:
    codes = tuple(record.hex_codes)
    if not K_MIN <= len(codes) <= K_MAX:
        report_problem(f"“{record.name}” has {len(codes)} colours; seed colours are {K_MIN} to {K_MAX}.")
        return
    use_settings(
        Settings.working(
            k=len(codes),
            init="manual",
            space=st.session_state.space,
            random_seed=st.session_state.random_seed,
            order=st.session_state.order,
            seed_colors=codes,
        )
    )
    notify(f"The colours of “{record.name}” are now your seed colours.")
    st.session_state.switch_to_palette = True


# ---------------------------------------------------------------------------- the Library's rows


def _rename(palette_id: int) -> None:
    state = st.session_state
    handle = project.current()
    try:
        handle.rename_palette(
            palette_id, state[f"w_palette_name_{palette_id}"], note=state[f"w_palette_note_{palette_id}"]
        )
    except ValueError as error:
        report_problem(str(error))


def _remove(palette_id: int, name: str) -> None:
    try:
        project.current().remove_palette(palette_id)
    except ValueError as error:
        report_problem(str(error))
        return
    notify(f"Removed the saved palette “{name}”.")


def _thumbnail(digest: str | None) -> None:
    entry = stills().get(digest) if digest is not None else None
    if entry is None:
        st.caption("Imported colours" if digest is None else "Its still is not loaded")
        return
    st.image(cache.thumbnail(entry.digest, entry.data), caption=escape_markdown(entry.name, limit=60))


def _share_links(record: PaletteRecord, palette: kc.Palette) -> None:
    st.caption("Read-only link to this saved palette:")
    st.code(app_link(**{PALETTE_VIEW_PARAM: record.view_token}), language=None)
    st.caption("The colours alone, a link that opens on any server:")
    st.code(app_link(**{PALETTE_PARAM: kc.palette_link(palette, shares=record.shares is not None)}), language=None)


def palette_row(match: PaletteMatch) -> None:
    """One saved palette: thumbnail, name, note, strip, and Open, Share, Rename and Remove."""
    record = match.palette
    palette = record_palette(record)
    editable = not read_only()
    with st.container(border=True, key=f"saved_palette_{record.id}"):
        picture, body, actions = st.columns([1, 4, 1.4])
        with picture:
            _thumbnail(record.still_digest)
        with body:
            st.markdown(f"**{escape_markdown(record.name, limit=200)}**")
            if record.note:
                st.caption(escape_markdown(record.note, limit=600))
            views.swatch_strip(palette, labels=True)
            recipe = record.recipe
            details = f"k={len(record.hex_codes)}"
            if record.still_digest is not None:
                seed = f"seed {recipe.get('random_seed')}"
                parts = (recipe.get("method"), recipe.get("init"), seed, recipe.get("space"))
                details += "".join(f" · {part}" for part in parts)
            if match.delta_e is not None:
                details += f" · nearest {match.nearest}: ΔE2000 {match.delta_e:.1f}"
            st.caption(details)
        with actions:
            label = "Open" if record.still_digest is not None else "Use as my seeds"
            st.button(label, key=f"open_palette_{record.id}", on_click=open_saved, args=(record.id,), width="stretch")
            with st.popover("Share", width="stretch"):
                _share_links(record, palette)
            if editable:
                with st.popover("Rename", width="stretch"):
                    st.text_input("Palette name", value=record.name, max_chars=200, key=f"w_palette_name_{record.id}")
                    st.text_area("Note", value=record.note, max_chars=4000, key=f"w_palette_note_{record.id}")
                    st.button(
                        "Save name and note", key=f"rename_palette_{record.id}", on_click=_rename, args=(record.id,)
                    )
                with st.popover("Remove", width="stretch"):
                    st.caption("Its read-only link stops working.")
                    st.button(
                        "Remove for good",
                        key=f"remove_palette_{record.id}",
                        type="primary",
                        on_click=_remove,
                        args=(record.id, record.name),
                    )
