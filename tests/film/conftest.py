"""Clips for the film tests, generated once per session with PyAV from scikit-image photos.

``six_shots``: a dict ``{"h264": path, "prores": path}`` of the same six
shots (each a different photo, slight motion and noise) at 320 x 180,
24 fps; :data:`SHOT_LENGTHS` frames each, so the cuts are at
:data:`CUTS`. The H.264 clip has a keyframe every 12 frames and three
B-frames between reference frames (a B-pyramid, so some frames are not
references), as film encodes have. ``bad_files``: a truncated MP4, a text file named .mp4, an
audio-only MP4, and an MKV cut in half (readable in part).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from skimage import data as skdata

from tests.film.clipmaker import ShotSpec, write_audio_only, write_clip

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field", "immunohistochemistry")
SHOT_LENGTHS = (20, 14, 25, 9, 17, 12)
#: The first frame of each shot after the first.
CUTS = tuple(int(c) for c in np.cumsum(SHOT_LENGTHS)[:-1])
N_FRAMES = sum(SHOT_LENGTHS)


def six_shot_specs() -> list[ShotSpec]:
    return [ShotSpec(getattr(skdata, name)(), n) for name, n in zip(PHOTOS, SHOT_LENGTHS, strict=True)]


@pytest.fixture(scope="session")
def film_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("film")


@pytest.fixture(scope="session")
def six_shots(film_dir) -> dict[str, Path]:
    specs = six_shot_specs()
    return {
        "h264": write_clip(film_dir / "six.mp4", specs, codec="h264", gop=12, bframes=3),
        "prores": write_clip(film_dir / "six.mov", specs, codec="prores"),
    }


@pytest.fixture(scope="session")
def letterboxed(film_dir) -> Path:
    """Two shots with noisy black bars (0 to 30) of 22 rows at the top and bottom."""
    specs = [ShotSpec(skdata.coffee(), 6), ShotSpec(skdata.astronaut(), 6)]
    return write_clip(film_dir / "letterbox.mp4", specs, bars=22)


@pytest.fixture(scope="session")
def bad_files(film_dir, six_shots) -> dict[str, Path]:
    whole = six_shots["h264"].read_bytes()
    truncated = film_dir / "truncated.mp4"
    truncated.write_bytes(whole[: len(whole) // 2])
    text = film_dir / "notes.mp4"
    text.write_text("This is a shot list, not a video.\n" * 20)
    audio = write_audio_only(film_dir / "audio.mp4")
    mkv = write_clip(film_dir / "six.mkv", six_shot_specs()).read_bytes()
    cut_short = film_dir / "cut_short.mkv"
    cut_short.write_bytes(mkv[: len(mkv) // 2])
    return {"truncated": truncated, "not a video": text, "audio only": audio, "readable in part": cut_short}
