"""A palette opened from a link: ``?palette=<colours>`` or ``?palette_view=<token>``.

``?palette=1A2B3C.40-FFEEDD.60`` carries the palette itself (see
:mod:`kmeans_core.palette_links`), so it opens on any server with no stored
state. ``?palette_view=<token>`` shows one saved palette, read-only, with its
still. Either view offers the palette's files and a way into the studio; it
changes nothing stored. A link that does not parse, or names no saved
palette, is said plainly and the studio opens as usual.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import kmeans_core as kc
from kmeans_core import exports
from studio import cache, project, views
from studio.controls import use_palette_as_seeds
from studio.saved_palettes import PALETTE_PARAM, PALETTE_VIEW_PARAM, record_palette
from studio.settings import K_MAX, K_MIN
from studio.state import report_problem
from studio.text import escape_markdown

__all__ = ["shared_palette_view"]

#: (label, export format) offered for a shared palette; the share-dependent ones only with shares.
_FILES = (
    ("Hex codes (.txt)", "hex"),
    ("GIMP palette (.gpl)", "gpl"),
    ("Adobe swatches (.ase)", "ase"),
    ("CSS variables (.css)", "css"),
)
_FILES_WITH_SHARES = (("JSON (.json)", "json"), ("Swatch strip (.png)", "png"))


def _leave() -> None:
    for key in (PALETTE_PARAM, PALETTE_VIEW_PARAM):
        if key in st.query_params:
            del st.query_params[key]


def _leave_with_seeds(hex_codes: tuple[str, ...]) -> None:
    _leave()
    use_palette_as_seeds(hex_codes)


def _linked() -> tuple[str, kc.Palette, bool, str, bytes | None] | None:
    """(title, palette, shares known, note, still bytes) that the URL asks for, or ``None``."""
    params = st.query_params
    if PALETTE_PARAM in params:
        try:
            rgb, shares = kc.parse_palette_link(params[PALETTE_PARAM])
        except ValueError as error:
            report_problem(f"This palette link does not parse: {error}.")
            _leave()
            return None
        known = shares is not None
        shares = shares if known else np.full(len(rgb), 1 / len(rgb))
        return "Shared palette", kc.Palette(rgb=rgb, shares=shares, inertia=float("nan")), known, "", None
    if PALETTE_VIEW_PARAM in params:
        database = project.project_store()
        token = params[PALETTE_VIEW_PARAM]
        try:
            record = None if database is None else database.palette_by_view_token(token)
            still = None if record is None else database.shared_still_bytes(token)
        except ValueError as error:
            report_problem(str(error))
            record = None
        if record is None:
            report_problem("There is no such saved palette: the link may be mistyped, or the palette removed.")
            _leave()
            return None
        return record.name, record_palette(record), record.shares is not None, record.note, still
    return None


def shared_palette_view() -> bool:
    """Draw the palette a link carries or names, if the URL asks for one; return whether it did."""
    linked = _linked()
    if linked is None:
        return False
    name, palette, known, note, still = linked
    st.title("Shared palette")
    st.caption("A read-only view: nothing here changes any project.")
    if name != "Shared palette":
        st.subheader(escape_markdown(name, limit=200))
    if note:
        st.caption(escape_markdown(note))
    if still is not None:
        digest = kc.content_digest(still)
        try:
            st.image(cache.thumbnail(digest, still), caption="The still it was taken from")
        except kc.StillError as error:
            st.caption(escape_markdown(str(error)))
    views.swatches(palette, shares=known)
    views.swatch_strip(palette)
    if not known:
        st.caption("The link gives no shares of the frame: the strip shows equal widths.")
    views.hex_block(palette)
    columns = st.columns(3)
    for index, (label, fmt) in enumerate(_FILES + (_FILES_WITH_SHARES if known else ())):
        spec = exports.EXPORTS[fmt]
        columns[index % 3].download_button(
            label,
            data=exports.export_palette(palette, fmt, name=name),
            file_name=exports.export_filename(name, palette.k, spec.extension),
            mime=spec.mime,
            key=f"shared_download_{fmt}",
            on_click="ignore",
            width="stretch",
        )
    studio, seeds = st.columns(2)
    studio.button("Open the studio", key="leave_shared", on_click=_leave, width="stretch")
    if K_MIN <= palette.k <= K_MAX:
        seeds.button(
            "Open the studio with these as my seed colours",
            key="leave_shared_with_seeds",
            on_click=_leave_with_seeds,
            args=(palette.hex,),
            width="stretch",
        )
    return True
