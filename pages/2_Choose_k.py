"""Choose k: elbow, silhouette and gap statistic over a range of k."""

import streamlit as st

from studio import cache, figures
from studio.shell import page_shell
from studio.settings import K_MIN
from studio.state import bind, set_working_k, settings, work_with_k
from studio.text import escape_markdown

entry = page_shell("Choose k", ":material/insights:")
if entry is None:
    st.stop()

state = st.session_state

st.caption(
    "Three ways to judge how many colours the still holds. Each marks the k it suggests; "
    "click a point on any chart to make that k the working k."
)
with st.expander("Sweep settings"):
    st.slider("Range of k", K_MIN, 20, **bind("sweep_range"))
    st.slider("Reference sets for the gap statistic (B)", 5, 30, **bind("gap_refs"))
    st.radio(
        "Gap reference distribution",
        ["pca", "box"],
        format_func={"pca": "Uniform over the principal-component box", "box": "Uniform over the colours' box"}.get,
        horizontal=True,
        **bind("gap_reference"),
    )
working = settings()
if working.sweep_init != working.init:
    st.caption("Your seed colours fix k, so the sweep starts each k from k-means++.")

low, high = state.sweep_range
ks = tuple(range(low, high + 1))
if len(ks) < 3:
    st.info("Choose a range of at least three values of k.")
    st.stop()

bar = st.progress(0.0, text="Sweeping k…")
try:
    result = cache.sweep(
        entry.digest,
        entry.data,
        ks,
        space=working.space,
        init=working.sweep_init,
        seed=working.random_seed,
        gap_refs=int(state.gap_refs),
        gap_reference=state.gap_reference,
        progress=lambda fraction, message: bar.progress(min(max(fraction, 0.0), 1.0), text=escape_markdown(message)),
    )
except ValueError as error:
    bar.empty()
    st.error(escape_markdown(str(error)))
    st.stop()
bar.empty()


def pick_k(chart_key: str) -> None:
    points = state[chart_key].selection.points
    if points:
        set_working_k(int(points[0]["x"]))
        state.picked_k = int(points[0]["x"])


columns = st.columns(3)
for column, (field, title, y_title, rule) in zip(columns, figures.SWEEP_CHARTS):
    name = {"inertia": "elbow"}.get(field, field)
    suggested = int(getattr(result.suggested, name))
    with column:
        note = f"on a weighted sample of {result.sample_size:,} pixels" if field == "silhouette" else ""
        if field == "gap":
            note = f"B = {result.gap_refs} reference sets of {result.gap_ref_size:,} points; error bars ±s(k)"
        fig = figures.sweep_chart(result, field, title=title, y_title=y_title, suggested=suggested, note=note)
        st.plotly_chart(
            fig,
            key=f"chart_{field}",
            on_select=lambda key=f"chart_{field}": pick_k(key),
            selection_mode="points",
            width="stretch",
        )
        st.markdown(f"**{name.capitalize()} suggests k = {suggested}**")
        st.caption(rule)
        st.button(f"Work with k={suggested}", key=f"use_{field}", on_click=work_with_k, args=(suggested,), width="stretch")

if "picked_k" in state:
    st.success(f"The working k is now {state.pop('picked_k')}.")
    st.page_link("app.py", label="Open the Palette page", icon=":material/palette:")
