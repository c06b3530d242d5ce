"""Film: a clip's barcode, its film-wide palette, and each shot's palette, timecodes, drift and still."""

import math

import streamlit as st

from kmeans_core.exports import to_frame_png
from kmeans_core.film import FilmError, FilmSettings, Sampling, barcode, timecode
from studio import film as clips
from studio import views
from studio.settings import K_MAX, K_MIN
from studio.shell import page_shell
from studio.state import assign, bind, read_only
from studio.text import escape_markdown

SAMPLING_LABELS = {"every": "One frame every N seconds", "keyframes": "Keyframes only", "all": "Every frame"}
COLUMN_LABELS = {"frames": "One per sampled frame", "shots": "One per shot, as wide as it lasts"}
COLOUR_LABELS = {"dominant": "Dominant palette colour", "mean": "Mean colour (CIELAB)"}
#: Shots drawn at once; a longer film's shots come in pages.
SHOTS_PER_PAGE = 20

page_shell("Film", ":material/theaters:")
state = st.session_state

st.caption("A clip's colours across its shots: a barcode of the whole clip, one palette for it, and one per shot.")
upload = st.file_uploader(
    "Upload a clip",
    type=list(clips.FILM_EXTENSIONS),
    key="w_film_clip",
    max_upload_size=clips.MAX_FILM_MB,
    disabled=read_only(),
)
st.caption(
    f"MP4, MOV, MKV or WebM, up to {clips.MAX_FILM_MB} MB. The clip is read from a temporary file that is removed "
    "as soon as it is analysed; it is not kept. Frames are analysed at 320 pixels wide."
)
left, middle, right = st.columns(3)
left.radio("Sampling", list(SAMPLING_LABELS), format_func=SAMPLING_LABELS.get, **bind("film_sampling"))
middle.number_input(
    "N, seconds between sampled frames",
    min_value=0.1,
    max_value=600.0,
    step=0.5,
    disabled=state.film_sampling != "every",
    **bind("film_every"),
)
right.slider("k, colours per palette", K_MIN, K_MAX, **bind("film_k"))

if upload is None:
    st.info("Upload a clip to see its barcode, its palette and its shots.")
    st.stop()

# N counts only for "every": the other modes keep one cache key whatever N shows.
sampling = (
    Sampling("every", float(state.film_every)) if state.film_sampling == "every" else Sampling(state.film_sampling)
)
film_settings = FilmSettings(k=state.film_k, sampling=sampling)
bar = st.progress(0.0, text="Decoding the clip…")


def show_progress(done: int, total: int, samples: int) -> None:
    bar.progress(done / total, text=f"Decoding the clip… {samples} frames analysed")


try:
    film = clips.analyse_clip(
        upload.name, clips.clip_digest(upload), upload.getbuffer(), film_settings, progress=show_progress
    )
except FilmError as error:
    bar.empty()
    st.error(escape_markdown(str(error)))
    st.stop()
bar.empty()
for message in clips.clip_errors(film, upload.name):
    st.error(escape_markdown(message))
if film.palette is None:
    st.stop()
if film.errors:
    st.caption("What could be read is shown below.")

st.subheader("Barcode")
columns, colours = st.columns(2)
columns.radio("Columns", list(COLUMN_LABELS), format_func=COLUMN_LABELS.get, horizontal=True, **bind("film_columns"))
colours.radio("Colours", list(COLOUR_LABELS), format_func=COLOUR_LABELS.get, horizontal=True, **bind("film_colours"))
strip = barcode(film, columns=state.film_columns, colours=state.film_colours)
st.image(clips.barcode_on_screen(strip), width="stretch", output_format="PNG")
info = film.info
st.caption(
    f"{len(film.sample_frames)} frames sampled ({sampling.describe()}) of {info.n_frames} · {len(film.shots)} shots · "
    f"{timecode(info.duration)} · {info.width}×{info.height} {info.codec}, {float(info.fps):g} fps"
)
st.download_button(
    "Barcode (.png)",
    data=to_frame_png(strip),
    file_name=f"{clips.clip_stem(upload.name)}_barcode.png",
    mime="image/png",
    on_click="ignore",
    help="One column per sampled frame (or per shot's sampled frames), at full resolution.",
)

st.subheader("Film palette")
views.swatches(film.palette, of="film")
views.swatch_strip(film.palette)
if not read_only():
    st.button(
        "Add the shots to my stills",
        on_click=clips.add_shots,
        args=(film, upload.name),
        type="primary",
        help="Each shot's representative still (its middle sampled frame, as analysed) becomes a still of the "
        "project, named after the clip and the shot's number.",
    )

st.subheader(f"Shots ({len(film.shots)})")
shots = film.shots
n_pages = math.ceil(len(shots) / SHOTS_PER_PAGE)
if n_pages > 1:
    if not 1 <= state.film_shots_page <= n_pages:  # another clip had more shots
        assign("film_shots_page", 1)
    page = st.number_input(f"Page of shots (of {n_pages})", min_value=1, max_value=n_pages, **bind("film_shots_page"))
    shots = shots[(page - 1) * SHOTS_PER_PAGE : page * SHOTS_PER_PAGE]
for shot in shots:
    still, about = st.columns([1, 3])
    views.frame(still, shot.still)
    drift = "—" if math.isnan(shot.drift) else f"{shot.drift:.2f}"
    about.markdown(
        f"**Shot {shot.number}** · {timecode(shot.start)} – {timecode(shot.end)} · "
        f"frames {shot.start_frame}–{shot.end_frame} · drift from the film palette ΔE2000 {drift}"
    )
    with about:
        views.swatch_strip(shot.palette, height=24, labels=True)
