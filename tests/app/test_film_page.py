"""The Film page in AppTest: a generated clip's barcode, film palette and shots, its shots as stills,
bad files, and no temporary copy of a clip left behind (issue 12)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata

from kmeans_core.film import FilmSettings, Sampling, analyse_film, barcode, timecode
from studio.film import TEMP_PREFIX
from tests.app.helpers import downloaded, errors, html_bodies, open_page, swatch_hexes, widget
from tests.film.clipmaker import ShotSpec, write_audio_only, write_clip

#: Three shots of 12 frames at 12 fps, 160 x 90: cuts at frames 12 and 24.
PHOTOS = ("astronaut", "coffee", "chelsea")
SHOT_FRAMES = 12
FPS = 12
K = 8


@pytest.fixture(scope="module")
def clip_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="module")
def clip(clip_dir) -> bytes:
    specs = [ShotSpec(getattr(skdata, name)(), SHOT_FRAMES) for name in PHOTOS]
    return write_clip(clip_dir / "three.mp4", specs, width=160, height=90, fps=FPS, gop=6).read_bytes()


@pytest.fixture(scope="module")
def reference(clip, clip_dir):
    """``analyse_film`` on the same bytes, every frame sampled, with no Dask."""
    path = clip_dir / "reference.mp4"
    path.write_bytes(clip)
    return analyse_film(path, FilmSettings(k=K, sampling=Sampling("all")))


@pytest.fixture(scope="module")
def bad_files(clip, clip_dir) -> dict[str, bytes]:
    return {
        "truncated.mp4": clip[: len(clip) // 3],
        "notes.mp4": b"This is a shot list, not a video.\n" * 20,
        "voice.mp4": write_audio_only(clip_dir / "voice.mp4").read_bytes(),
    }


def leftovers() -> list[str]:
    return sorted(p.name for p in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"))


def open_film_page():
    at = open_page("pages/6_Film.py", "Film", timeout=120)
    widget(at.radio, "Sampling").set_value("all").run()
    return at


def upload(at, name: str, data: bytes):
    widget(at.file_uploader, "Upload a clip").set_value((name, data, "video/mp4")).run()
    assert not at.exception, at.exception
    return at


def still_list(at) -> list[str]:
    """The names in the sidebar's "Working still" list (shown Markdown-escaped)."""
    return [option.replace("\\", "") for option in widget(at.radio, "Working still").options]


def shot_lines(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**Shot ")]


def test_the_barcode_the_film_palette_and_the_shots_match_the_core(clip, reference, recorded_downloads):
    at = upload(open_film_page(), "three.mp4", clip)
    assert not errors(at)
    assert [len(shot.sample_frames) for shot in reference.shots] == [SHOT_FRAMES] * 3  # the clip is what we think

    # The film-wide palette: its swatches are the core's on the same bytes.
    assert swatch_hexes(at) == list(reference.palette.hex)
    assert any('class="swatches"' in body and " of film</span>" in body for body in html_bodies(at))

    # The barcode: one column per sampled frame, each the frame's dominant colour; drawn as a wide strip.
    strip = barcode(reference, columns="frames", colours="dominant")
    _check_barcode(at, recorded_downloads, strip)
    widget(at.radio, "Columns").set_value("shots")
    widget(at.radio, "Colours").set_value("mean").run()
    other = barcode(reference, columns="shots", colours="mean")
    assert not np.array_equal(other, strip)
    _check_barcode(at, recorded_downloads, other)

    # Each shot: its timecodes, frames, drift and palette.
    lines = shot_lines(at)
    assert len(lines) == 3
    for line, shot in zip(lines, reference.shots, strict=True):
        assert f"**Shot {shot.number}** · {timecode(shot.start)} – {timecode(shot.end)}" in line
        assert f"frames {shot.start_frame}–{shot.end_frame}" in line
        assert f"ΔE2000 {shot.drift:.2f}" in line
    assert [(s.start_frame, s.end_frame) for s in reference.shots] == [(0, 11), (12, 23), (24, 35)]
    assert timecode(reference.shots[1].start) == "00:00:01.000"
    codes = [body for body in html_bodies(at) if 'class="strip-codes"' in body]
    for shot in reference.shots:
        assert any(" ".join(shot.palette.hex) in body for body in codes)
    assert leftovers() == []


def _check_barcode(at, recorded, strip: np.ndarray) -> None:
    """The page draws ``strip`` 1200 columns wide (nearest column: 36 columns of about 33 pixels each)
    and offers it whole as a download."""
    images = [
        np.asarray(Image.open(io.BytesIO(content))) for content, _ in recorded.values() if content[:4] == b"\x89PNG"
    ]
    shown = [image for image in images if image.shape == (120, 1200, 3)]
    assert shown, [image.shape for image in images]
    assert np.array_equal(shown[-1], strip[:, np.arange(1200) * strip.shape[1] // 1200])
    data, name = downloaded(at, "Barcode (.png)")
    assert name == "three_barcode.png"
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(data))), strip)


def test_add_the_shots_makes_them_stills_of_the_project(clip, reference):
    at = upload(open_film_page(), "three.mp4", clip)
    before = still_list(at)
    widget(at.button, "Add the shots to my stills").click().run()
    assert not at.exception, at.exception
    names = [f"three_shot_{n:03d}.png" for n in (1, 2, 3)]
    assert still_list(at) == before + names
    entries = list(at.session_state["stills"].values())[len(before) :]
    assert [entry.name for entry in entries] == names
    assert at.session_state["current"] == entries[-1].digest
    for entry, shot in zip(entries, reference.shots, strict=True):
        pixels = np.asarray(Image.open(io.BytesIO(entry.data)).convert("RGB"))
        assert np.array_equal(pixels, shot.still)
    assert at.session_state["project"] is not None  # kept in the project, as an upload is
    kept = {record.name for record in at.session_state["project"].list_stills()}
    assert set(names) <= kept
    assert any("Added 3 stills" in info.value for info in at.info)


def test_bad_files_show_a_plain_error_and_change_nothing(clip, bad_files):
    at = upload(open_film_page(), "three.mp4", clip)
    widget(at.button, "Add the shots to my stills").click().run()
    stills_before = still_list(at)
    for name, data in bad_files.items():
        upload(at, name, data)
        shown = errors(at)
        assert len(shown) == 1, (name, shown)
        plain = shown[0].replace("\\", "")
        assert plain.startswith(f"{name}: "), plain
        assert TEMP_PREFIX not in plain
        assert not swatch_hexes(at) and not shot_lines(at)
        assert still_list(at) == stills_before
        assert at.title[0].value == "Film"
    assert "has no video stream" in errors(at)[0]
    assert leftovers() == []


def test_a_clip_readable_in_part_shows_its_error_and_what_was_read(clip_dir):
    specs = [ShotSpec(getattr(skdata, name)(), SHOT_FRAMES) for name in PHOTOS]
    whole = write_clip(clip_dir / "three.mkv", specs, width=160, height=90, fps=FPS).read_bytes()
    part = clip_dir / "part.mkv"
    part.write_bytes(whole[: len(whole) * 2 // 3])
    reference = analyse_film(part, FilmSettings(k=K, sampling=Sampling("all")))
    assert reference.errors and reference.shots  # damaged, yet readable in part
    at = upload(open_film_page(), "part.mkv", part.read_bytes())
    shown = [message.replace("\\", "") for message in errors(at)]
    assert shown == [error.replace(str(part), "part.mkv") for error in reference.errors]
    assert swatch_hexes(at) == list(reference.palette.hex)
    assert len(shot_lines(at)) == len(reference.shots)
    assert leftovers() == []


def test_a_still_over_100_mb_is_refused_in_code_though_the_server_takes_500():
    from studio.library import MAX_STILL_MB

    config = (Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text()
    assert "maxUploadSize = 500" in config and MAX_STILL_MB == 100
    at = open_page("pages/6_Film.py", "Film")
    assert widget(at.file_uploader, "Add reference stills").proto.max_upload_size_mb == 100  # the browser's limit
    assert widget(at.file_uploader, "Upload a clip").proto.max_upload_size_mb == 500
    before = still_list(at)
    widget(at.file_uploader, "Add reference stills").set_value([("huge.png", b"\0" * (101 * 2**20), "image/png")]).run()
    assert [e.replace("\\", "") for e in errors(at)] == [
        "huge.png: the file has 101 MB; a still may have at most 100 MB"
    ]
    assert still_list(at) == before
