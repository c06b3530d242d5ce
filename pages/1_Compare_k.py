"""Compare k: the same still redrawn with several k, side by side."""

import streamlit as st

from studio import cache, views
from studio.settings import K_MAX, K_MIN
from studio.shell import page_shell
from studio.state import bind, settings, sort_compare_ks, work_with_k

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


def draw_card(k: int) -> None:
    working = settings(k=k)
    st.markdown(f"**k = {k}**")
    shown = views.redrawn_card(entry, working)
    if shown is None:
        return
    _, quality = shown
    metric, button = st.columns([1, 1], vertical_alignment="bottom")
    metric.metric("Mean ΔE2000", f"{quality.mean:.2f}")
    button.button(f"Work with k={k}", key=f"use_k_{k}", on_click=work_with_k, args=(k,), width="stretch")


views.card_grid(entry, ks, draw_card, describe=lambda k: f"k={k}")
