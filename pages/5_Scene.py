"""Scene: one palette across the stills of a scene, each still's drift from it, and its tonal ranges."""

import streamlit as st

import kmeans_core as kc
from studio import cache, figures, views
from studio.cache import SceneSettings
from studio.controls import use_fixed_colours
from studio.settings import K_MAX, K_MIN
from studio.shell import page_shell
from studio.state import bind, settings, stills
from studio.text import escape_markdown

WEIGHTING_LABELS = {"equal": "Every still the same", "pixels": "Every pixel the same"}
#: Thumbnails per row of the scene strip.
STRIP_COLUMNS = 4

page_shell("Scene", ":material/movie:")
state = st.session_state
library = stills()
if state.scene_stills is None or not set(state.scene_stills) <= set(library):
    state.scene_stills = [digest for digest in (state.scene_stills or library) if digest in library] or list(library)

st.caption("Build the look of a scene from several stills, hold it fixed, and see which still drifts from it.")
st.multiselect(
    "Stills in the scene",
    list(library),
    format_func=lambda digest: escape_markdown(library[digest].name, limit=80),
    **bind("scene_stills"),
)
chosen = [digest for digest in state.scene_stills if digest in library]
if not chosen:
    st.info("Choose at least one still for the scene.")
    st.stop()
left, middle, right = st.columns(3)
left.slider("k for the scene", K_MIN, K_MAX, **bind("scene_k"))
middle.radio(
    "Weighting", list(WEIGHTING_LABELS), format_func=WEIGHTING_LABELS.get, horizontal=True, **bind("scene_weighting")
)
right.number_input(
    "Flag a still where a colour drifts more than (ΔE2000)",
    min_value=0.0,
    max_value=100.0,
    step=0.5,
    **bind("scene_threshold"),
    help=f"A colour flags a still when it covers at least {kc.FLAG_SHARE:.0%} of it and the mean colour of the "
    "still's pixels nearest to it lies farther than this from it.",
)

working = settings().for_k(state.scene_k)
entries = [library[digest] for digest in chosen]
digests, datas = tuple(chosen), tuple(entry.data for entry in entries)
try:
    with st.spinner("Finding the scene's palette…"):
        palette, drift = cache.scene(
            digests,
            datas,
            working,
            SceneSettings(k=state.scene_k, weighting=state.scene_weighting, threshold=float(state.scene_threshold)),
        )
except ValueError as error:
    st.error(escape_markdown(str(error)))
    st.stop()

st.subheader("Scene palette")
views.swatches(palette, of="scene")
views.swatch_strip(palette)
st.button(
    "Work with this palette",
    on_click=use_fixed_colours,
    args=(palette.hex,),
    type="primary",
    help="Make these colours the fixed palette on the Palette page, to step through the scene's stills with it.",
)
flagged = [entry.name for entry, row in zip(entries, drift.stills, strict=True) if row.is_flagged]
st.caption(
    f"{len(flagged)} of {len(entries)} stills flagged." if flagged else f"No still of {len(entries)} drifts from it."
)

st.subheader("Scene strip")
redraw = st.toggle("Redraw each still with the scene palette", **bind("scene_redraw"))
for start in range(0, len(entries), STRIP_COLUMNS):
    columns = st.columns(STRIP_COLUMNS)
    for column, entry, row in zip(
        columns, entries[start:], drift.stills[start:], strict=False
    ):  # the last row may be short
        with column:
            if redraw:
                image = cache.redrawn_preview(entry.digest, entry.data, working, palette)
            else:
                image = cache.original_preview(entry.digest, entry.data)
            views.frame(st, image, caption=entry.name)
            views.swatch_strip(cache.palette(entry.digest, entry.data, working), height=18)
            figures_line = f"ΔE2000 mean {row.delta_e_mean:.2f}, 95th percentile {row.delta_e_p95:.2f}"
            if row.is_flagged:
                st.warning(f"Flagged: drifts in {', '.join(drift.flagged_hex(drift.stills.index(row)))}", icon="⚠️")
            st.caption(figures_line)

st.subheader("Drift per scene colour")
st.plotly_chart(figures.drift_heatmap(drift, [entry.name for entry in entries]), width="stretch")

with st.expander("Tonal ranges"):
    cuts = st.slider("Shadows end and highlights start (L*)", 1, 99, **bind("tonal_cuts"))
    ks = list(state.tonal_ks)
    for index, (column, name) in enumerate(zip(st.columns(3), ("Shadows", "Midtones", "Highlights"), strict=True)):
        ks[index] = column.number_input(f"{name}: k", 1, 8, value=int(ks[index]), key=f"w_tonal_k_{index}")
    state.tonal_ks = tuple(int(k) for k in ks)
    bounds = (0, cuts[0], cuts[1], 100)
    bands = tuple(
        kc.TonalBand(name, bounds[i], bounds[i + 1], state.tonal_ks[i])
        for i, name in enumerate(("Shadows", "Midtones", "Highlights"))
        if bounds[i] < bounds[i + 1]
    )
    views.tonal_strips(cache.tonal(digests, datas, working, bands), title="The scene")
    for entry in entries:
        views.tonal_strips(cache.tonal((entry.digest,), (entry.data,), working, bands), title=entry.name)
