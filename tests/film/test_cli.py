"""``python -m kmeans_core.film``: the files it writes, and one-line errors with exit status 2."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from kmeans_core.exports import palette_from_json
from kmeans_core.film import FilmSettings, Sampling, analyse_film
from kmeans_core.film.cli import main
from tests.film.conftest import CUTS, N_FRAMES


def run(args, capsys):
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_writes_shots_palette_barcode_and_stills(six_shots, tmp_path, capsys):
    out = tmp_path / "out"
    args = [six_shots["h264"], "-k", 4, "--every", "125ms", "--scheduler", "none", "-o", out]  # every 3 frames
    status, stdout, stderr = run(args, capsys)
    assert status == 0, stderr
    assert stderr == ""  # no progress bar when standard error is not a terminal
    film = analyse_film(six_shots["h264"], FilmSettings(k=4, sampling=Sampling("every", 0.125)))
    with open(out / "shots.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:7] == ["shot", "start_frame", "end_frame", "start", "end", "hex", "drift"]
    rows = read_rows(out / "shots.csv")
    starts = [0, *(-(-c // 3) * 3 for c in CUTS)]  # the first sample at or after each cut
    assert [int(r["start_frame"]) for r in rows] == starts
    assert [int(r["end_frame"]) for r in rows] == [s - 1 for s in starts[1:]] + [N_FRAMES - 1]
    assert rows[1]["start"] == "00:00:00.875" and rows[1]["end"] == "00:00:01.500"  # frames 21 to 35 at 24 fps
    for row, shot in zip(rows, film.shots, strict=True):
        assert row["hex"] == " ".join(shot.palette.hex)
        assert float(row["drift"]) == pytest.approx(shot.drift, abs=0.005)
        still = np.asarray(Image.open(out / row["still"]))
        np.testing.assert_array_equal(still, shot.still)
    palette = palette_from_json((out / "palette.json").read_text())
    np.testing.assert_array_equal(palette.rgb, film.palette.rgb)
    assert json.loads((out / "palette.json").read_text())["still"] == "six.mp4"
    strip = np.asarray(Image.open(out / "barcode.png"))
    assert strip.shape[1] == len(range(0, N_FRAMES, 3))
    np.testing.assert_array_equal(strip[0], film.sample_dominant)
    assert "6 shots" in stdout


def test_module_entry_point_runs_with_every_and_shot_columns(six_shots, tmp_path):
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "kmeans_core.film",
        str(six_shots["prores"]),
        "-k",
        "3",
        "--every",
        "0.5s",
        "--scheduler",
        "none",
        "--columns",
        "shots",
        "--colours",
        "mean",
        "-o",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = read_rows(out / "shots.csv")
    assert len(rows) == 6 and all(len(r["hex"].split()) == 3 for r in rows)
    assert sorted(p.name for p in out.glob("shot_*.png")) == [f"shot_{i:03d}.png" for i in range(1, 7)]
    # One column per sample (every 12 frames), grouped by shot.
    assert np.asarray(Image.open(out / "barcode.png")).shape[1] == len(range(0, N_FRAMES, 12))


@pytest.mark.parametrize(
    "kind, message",
    [
        ("truncated", r"truncated\.mp4: not a video file, or damaged or truncated beyond reading"),
        ("not a video", r"notes\.mp4: not a video file"),
        ("audio only", r"audio\.mp4: has no video stream \(audio only\)"),
        ("readable in part", r"cut_short\.mkv: the video data ends at frame \d+ of the 97 its header announces"),
    ],
)
def test_bad_files_give_one_line_and_status_2(bad_files, tmp_path, capsys, kind, message):
    import re

    out = tmp_path / "out"
    status, stdout, stderr = run([bad_files[kind], "--all", "--scheduler", "none", "-o", out], capsys)
    assert status == 2
    assert stderr.count("\n") == 1 and stderr.startswith("error: ")
    assert re.search(message, stderr), stderr
    if kind == "readable in part":  # what was read is kept
        rows = read_rows(out / "shots.csv")
        assert [int(r["start_frame"]) for r in rows] == [0, *CUTS[:2]]
        assert (out / "palette.json").exists() and (out / "barcode.png").exists()
    else:
        assert not out.exists()


def test_bad_options_give_status_2(six_shots, tmp_path, capsys):
    status, _, stderr = run([six_shots["h264"], "--every", "soon", "-o", tmp_path], capsys)
    assert status == 2 and "'soon' is not a duration" in stderr
    status, _, stderr = run([six_shots["h264"], "--all", "--keyframes", "-o", tmp_path], capsys)
    assert status == 2 and stderr.startswith("error: ")


def test_progress_bar_shows_frames_rate_and_time_left():
    import io

    from kmeans_core.film.cli import _ProgressBar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = _ProgressBar(stream)
    bar(1, 4, 120)
    bar(4, 4, 480)
    bar.close()
    lines = stream.getvalue().split("\r")
    assert lines[1].startswith("[" + "#" * 8) and " 120 frames " in lines[1] and " fps " in lines[1]
    assert lines[1].rstrip().endswith("left")
    assert lines[2].startswith("[" + "#" * 30 + "] 480 frames") and "0:00 left" in lines[2]
