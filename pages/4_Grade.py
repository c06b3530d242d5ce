"""Grade: the palette as a 3D LUT for the colourist, previewed on the still and across the library."""

import streamlit as st

import kmeans_core as kc
from kmeans_core import exports
from studio import cache, views
from studio.cache import GradeSettings
from studio.shell import page_shell
from studio.state import bind, settings, stills
from studio.text import escape_markdown

#: Thumbnails of the other stills per row.
THUMBS_PER_ROW = 4

entry = page_shell("Grade", ":material/tune:")
if entry is None:
    st.stop()

st.caption(
    f"A look for **{escape_markdown(entry.name, limit=120)}**'s palette, as a 3D LUT (.cube) that DaVinci Resolve, "
    "Premiere, Baselight and Nuke load. It pulls every colour softly towards the palette in CIELAB, so gradients "
    "stay gradients. It expects and returns display-referred Rec.709/sRGB, not log footage."
)
working = settings()
controls = st.columns(4, vertical_alignment="bottom")
controls[0].slider(
    "Strength", 0.0, 1.0, step=0.05, help="0 leaves the image as it is; 1 is the full pull.", **bind("lut_strength")
)
controls[1].slider(
    "Softness",
    0.05,
    1.0,
    step=0.05,
    help="How soft the pull is, relative to the spacing of the palette's colours: low snaps colours to the "
    "palette, high barely moves them. The default keeps smooth gradients free of bands.",
    **bind("lut_smoothness"),
)
controls[2].selectbox("LUT size", list(kc.LUT_SIZES), help="Grid points per channel.", **bind("lut_size"))
controls[3].toggle(
    "Keep lightness",
    help="Move only a* and b*, keeping each colour's L*: contrast and skin detail stay.",
    **bind("lut_preserve_lightness"),
)
state = st.session_state
grade = GradeSettings(
    size=int(state.lut_size),
    strength=float(state.lut_strength),
    smoothness=float(state.lut_smoothness),
    preserve_lightness=bool(state.lut_preserve_lightness),
)

try:
    still = cache.still(entry.digest, entry.data)
    working = views.fit_k_to_still(working, still)
    palette = cache.palette(entry.digest, entry.data, working)
    with st.spinner("Grading…"):
        graded = cache.graded_preview(entry.digest, entry.data, working, grade, of=entry.digest, _of_data=entry.data)
except ValueError as error:
    st.error(escape_markdown(str(error)))
    st.stop()

views.swatch_strip(palette, labels=True)
original, redrawn, looked = st.columns(3)
views.frame(original, cache.original_preview(entry.digest, entry.data), caption="Original")
views.frame(
    redrawn, cache.quantized_preview(entry.digest, entry.data, working), caption=f"Redrawn with {palette.k} colours"
)
views.frame(looked, graded, caption=f"Graded by the LUT, strength {grade.strength:.2f}")

suffix = f"strength{round(100 * grade.strength)}"
st.download_button(
    "Download the LUT (.cube)",
    data=lambda: cache.cube_file(entry.digest, entry.data, working, grade, entry.name),
    file_name=exports.export_filename(entry.name, palette.k, "cube", suffix=suffix),
    mime="text/plain",
    key="download_cube",
    on_click="ignore",
    icon=":material/download:",
)

others = [other for other in stills().values() if other.digest != entry.digest]
if others:
    st.subheader("Does the look travel?")
    st.caption("The same LUT on the other stills of the library.")
    for start in range(0, len(others), THUMBS_PER_ROW):
        columns = st.columns(THUMBS_PER_ROW)
        for column, other in zip(columns, others[start : start + THUMBS_PER_ROW]):
            try:
                thumb = cache.graded_preview(
                    entry.digest, entry.data, working, grade, of=other.digest, _of_data=other.data
                )
            except ValueError as error:
                column.error(escape_markdown(str(error)))
                continue
            views.frame(column, thumb, caption=escape_markdown(other.name, limit=60))
