"""Compare k: the same still redrawn with several k, side by side."""

import streamlit as st

from studio import cache, views
from studio.settings import K_MAX, K_MIN
from studio.shell import page_shell
from studio.state import bind, settings, sort_compare_ks, work_with_k
from studio.text import escape_markdown

#: Cards per row: two frames side by side stay large enough to judge on a laptop.
PER_ROW = 2

entry = page_shell("Compare k", ":material/view_column:")
if entry is None:
    st.stop()

st.multiselect(
    "Values of k to compare",
    list(range(K_MIN, K_MAX + 1)),
    max_selections=8,
    **bind("compare_ks", then=sort_compare_ks),
)
ks = sorted(set(st.session_state.compare_ks))
if not ks:
    st.info("Choose at least one k to compare.")
    st.stop()

still = cache.still(entry.digest, entry.data)
st.caption(
    "Same still, initializer, colour space and seed for every k; only k changes. "
    "Open a frame full screen with the button at its corner."
)
if settings().seed_colors:
    st.caption("Your seed colours fix k, so a k other than their number starts from k-means++.")
too_many = [k for k in ks if k > still.n_colors]
if too_many:
    st.info(
        f"This still has {still.n_colors} distinct colours, so k = {', '.join(map(str, too_many))} cannot be shown."
    )
ks = [k for k in ks if k <= still.n_colors]

progress = st.progress(0.0, text="Redrawing the frame…")
cards = ["original", *ks]
for row_start in range(0, len(cards), PER_ROW):
    columns = st.columns(PER_ROW)
    for column, card in zip(columns, cards[row_start : row_start + PER_ROW]):
        with column.container(border=True):
            if card == "original":
                st.markdown("**Original**")
                views.frame(st, cache.original_preview(entry.digest, entry.data))
                st.caption(escape_markdown(entry.name, limit=120))
                continue
            k = card
            working = settings(k=k)
            progress.progress(cards.index(k) / len(cards), text=f"Redrawing with k={k}…")
            st.markdown(f"**k = {k}**")
            try:
                palette = cache.palette(entry.digest, entry.data, working)
                quality = cache.quality(entry.digest, entry.data, working)
            except ValueError as error:
                st.error(escape_markdown(str(error)))
                continue
            views.frame(st, cache.quantized_preview(entry.digest, entry.data, working))
            views.swatch_strip(palette, labels=True)
            metric, button = st.columns([1, 1], vertical_alignment="bottom")
            metric.metric("Mean ΔE2000", f"{quality.mean:.2f}")
            button.button(f"Work with k={k}", key=f"use_k_{k}", on_click=work_with_k, args=(k,), width="stretch")
progress.empty()
