"""Compare k: the same still redrawn with several k, side by side."""

import streamlit as st

from studio import cache, views
from studio.shell import page_shell
from studio.state import K_MAX, K_MIN, bind, settings, work_with_k
from studio.text import plain

entry = page_shell("Compare k", ":material/view_column:")
if entry is None:
    st.stop()

st.multiselect("Values of k to compare", list(range(K_MIN, K_MAX + 1)), max_selections=8, **bind("compare_ks"))
ks = sorted(set(st.session_state.compare_ks))
if not ks:
    st.info("Choose at least one k to compare.")
    st.stop()

st.caption("Same still, initializer, colour space and seed for every k; only k changes.")
if st.session_state.init == "manual":
    st.caption("Your seed colours fix k, so a k other than their number starts from k-means++.")


progress = st.progress(0.0, text="Redrawing the frame…")
columns = st.columns(min(len(ks), 4))
for index, k in enumerate(ks):
    working = settings(k=k)
    progress.progress(index / len(ks), text=f"Redrawing with k={k}…")
    with columns[index % len(columns)].container(border=True):
        st.markdown(f"**k = {k}**")
        try:
            palette = cache.palette(entry.digest, entry.data, working)
            quality = cache.quality(entry.digest, entry.data, working)
        except ValueError as error:
            st.error(plain(str(error)))
            continue
        st.image(cache.quantized_preview(entry.digest, entry.data, working), width="stretch")
        views.swatch_strip(palette, labels=True)
        st.metric("Mean ΔE2000", f"{quality.mean:.2f}")
        st.button(f"Work with k={k}", key=f"use_k_{k}", on_click=work_with_k, args=(k,), width="stretch")
progress.empty()
