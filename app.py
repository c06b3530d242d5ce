"""Palette: the home page. A still, its palette, the redrawn frame, the exports."""

import streamlit as st

from studio import cache, figures, views
from studio.controls import k_slider, lock_controls, order_control, region_controls, use_palette_as_seeds
from studio.saved_palettes import save_palette_box
from studio.settings import StillEntry
from studio.shell import page_body, page_shell
from studio.state import settings
from studio.text import escape_markdown


def palette_page(entry: StillEntry) -> None:
    """k, the palette of the working still, its frames beside it, the hex codes and the exports."""
    st.caption("Drop your own stills in the sidebar, or try the samples.")
    k = k_slider()
    # What is said about the still (a lowered k, decoding notes) goes in one container, however many
    # lines it takes, so that the swatches keep their place on the page from one still to the next.
    notes = st.container()
    try:
        still = cache.still(entry.digest, entry.data)
        with notes:
            working = views.fit_k_to_still(settings(k=k), still)
        with st.spinner("Finding the palette…"):
            palette = cache.palette(entry.digest, entry.data, working)
    except ValueError as error:
        notes.error(escape_markdown(str(error)))
        return

    with notes:
        views.still_notes(cache.framed(entry.digest, entry.data, working), entry)
        views.method_note(working)
    if views.is_portrait(still):
        # A tall frame would push the palette out of view: the palette stands beside it.
        # The swatches are drawn first, the redrawn frame and its quality (which need it) after.
        frames, side = st.columns([2, 1])
        with side:
            order_control(horizontal=True)
            views.swatches(palette)
            views.swatch_strip(palette)
            lock_controls(palette)
        with frames:
            views.frame_pair(entry, working)
        with side:
            views.quality_metrics(cache.quality(entry.digest, entry.data, working), columns=False)
    else:
        order_control(horizontal=True)
        views.swatches(palette)
        views.swatch_strip(palette)
        lock_controls(palette)
        views.frame_pair(entry, working)
        views.quality_metrics(cache.quality(entry.digest, entry.data, working))
    region_controls(still)

    st.subheader("Hex codes")
    views.hex_block(palette)
    save_palette_box(entry, working, palette)
    st.button(
        "Use these colours as my seeds",
        on_click=use_palette_as_seeds,
        args=(palette.hex,),
        help="Switch to your own seed colours, starting from this palette. Seeds only start the clustering, "
        "so the colours can still move.",
    )

    with st.expander("Colour cloud (3D)"):
        # Drawn only on request: a 3D plot costs the browser a lot on every rerun.
        if st.toggle("Show the still's colours in 3D, with the palette's centres", key="show_cloud"):
            st.plotly_chart(figures.color_cloud(still, palette), width="stretch")

    st.subheader("Export")
    views.downloads(entry, working)


entry = page_shell("Palette", ":material/palette:", order_in_sidebar=False)
if entry is None:
    st.stop()
page_body(palette_page, entry)
