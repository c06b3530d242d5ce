"""Choose k: three rules over a range of k, one plain recommendation, palettes to judge by eye."""

import streamlit as st

import kmeans_core as kc
from studio import cache, figures, views
from studio.settings import K_MIN, KMEANS, METHOD_LABELS
from studio.shell import page_shell
from studio.state import bind, set_working_k, settings, work_with_k
from studio.text import escape_markdown

entry = page_shell("Choose k", ":material/insights:")
if entry is None:
    st.stop()

state = st.session_state
working = settings()
st.caption(
    f"Analysing **{escape_markdown(entry.name, limit=120)}**. Three ways to judge how many colours the still holds; "
    "each marks the k it picks. Click a point on any chart to make that k the working k."
)
with st.expander("Sweep settings"):
    st.slider("Range of k", K_MIN, 20, **bind("sweep_range"))
    st.slider(
        "Random reference sets",
        5,
        30,
        help="B, the number of uniform reference sets of the gap statistic. "
        "More sets steady its pick, and take longer.",
        **bind("gap_refs"),
    )
    st.radio(
        "Random colours spread",
        ["pca", "box"],
        format_func={
            "pca": "Along the still's main colour directions",
            "box": "Over the still's whole colour range",
        }.get,
        horizontal=True,
        help="The gap statistic's reference distribution: uniform over the box aligned with the colours' principal "
        "components, or over their bounding box.",
        **bind("gap_reference"),
    )
if working.sweep_init != working.init:
    st.caption("Your seed colours fix k, so the sweep starts each k from k-means++.")
if working.method != KMEANS:
    st.caption(
        f"The sweep stays k-means, whatever the method: its rules judge k-means' own fit. The palettes below "
        f"are made with {METHOD_LABELS[working.method]}."
    )

still = cache.still(entry.digest, entry.data)
low, high = state.sweep_range
if high > still.n_colors:
    high = still.n_colors
    st.info(f"This still has {still.n_colors} distinct colours, so the range stops at k={high}.")
ks = tuple(range(low, high + 1))
if len(ks) < 3:
    st.info("Choose k needs at least three values of k to compare; widen the range, or use a still with more colours.")
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

recommended = kc.recommend_k(result.suggested)
if recommended is None:
    st.warning("None of the rules makes a pick on this still; judge the palettes by eye on Compare k.")
else:
    agree = (
        f"the rules agree on k = {recommended.k}"
        if recommended.low == recommended.high
        else f"the rules pick between {recommended.low} and {recommended.high}"
    )
    verdict, action = st.columns([3, 1], vertical_alignment="center")
    verdict.success(f"**About {recommended.k} colours**: {agree}.")
    action.button(
        f"Work with k={recommended.k}",
        key="use_recommended",
        on_click=work_with_k,
        args=(recommended.k,),
        width="stretch",
    )


def pick_k(chart_key: str) -> None:
    points = state[chart_key].selection.points
    if points:
        set_working_k(int(points[0]["x"]))
        state.picked_k = int(points[0]["x"])


for chart in figures.SWEEP_CHARTS:
    suggested = getattr(result.suggested, chart.rule)
    note = ""
    if chart.field == "silhouette":
        note = f"on a weighted sample of {result.sample_size:,} pixels"
    elif chart.field == "gap":
        note = f"against {result.gap_refs} random sets of {result.gap_ref_size:,} colours; bars show its error"
    plot, side = st.columns([3, 1], vertical_alignment="center")
    with plot:
        st.plotly_chart(
            figures.sweep_chart(result, chart, suggested=suggested, note=note),
            key=f"chart_{chart.field}",
            on_select=lambda key=f"chart_{chart.field}": pick_k(key),
            selection_mode="points",
            width="stretch",
            config=figures.CHART_CONFIG,
        )
    with side:
        if suggested is None:
            st.markdown("**No pick on this still**")
        else:
            st.markdown(chart.verdict.format(k=suggested))
        st.caption(chart.help)
        if suggested is not None:
            st.button(
                f"Work with k={suggested}",
                key=f"use_{chart.rule}",
                on_click=work_with_k,
                args=(suggested,),
                width="stretch",
            )

if "picked_k" in state:
    st.success(f"The working k is now {state.pop('picked_k')}.")
    st.page_link("app.py", label="Open the Palette page", icon=":material/palette:")

picks = sorted({k for k in (result.suggested.elbow, result.suggested.silhouette, result.suggested.gap) if k})
if picks:
    st.subheader("The picked palettes, side by side")
    st.caption("Judge by eye: each strip is the palette at that k, widths by share of the frame.")
    for k in picks:
        rules = [chart.rule for chart in figures.SWEEP_CHARTS if getattr(result.suggested, chart.rule) == k]
        st.markdown(f"**k = {k}** · picked by {', '.join(rules)}")
        views.swatch_strip(cache.palette(entry.digest, entry.data, working.for_k(k)), labels=True)

with st.expander("How k-means worked at each k"):
    st.plotly_chart(figures.sweep_work_chart(result), key="chart_work", width="stretch", config=figures.CHART_CONFIG)
    st.caption("Iterations of Lloyd's algorithm until the colours stopped moving, and the time each k took to fit.")
