"""Command line: a film's shots, palettes and barcode.

Usage::

    python -m kmeans_core.film FILM [-k 8] [--every 2s | --keyframes | --all]
                               [--scheduler threads|local|none|tcp://host:8786]
                               [--columns frames|shots] [--colours dominant|mean] -o OUTDIR

Writes into ``OUTDIR``:

* ``shots.csv``: ``shot,start_frame,end_frame,start,end,hex,drift,samples,still``;
  ``start`` and ``end`` are timecodes ``HH:MM:SS.mmm`` (``end`` is the end of
  the shot's last frame), ``hex`` the shot's palette as hex codes separated
  by spaces, ``drift`` the largest drift of the film-wide palette's colours
  in the shot (CIEDE2000, 2 decimals);
* ``palette.json``: the film-wide palette, in our JSON;
* ``barcode.png``;
* ``shot_001.png``, ...: each shot's middle sampled frame.

A progress bar (frames done, fps, time left) goes to standard error when it
is a terminal. Exit status 0 on success; 2 for bad input (not a video, no
video stream, a damaged or truncated file, a bad option), with one
``error: ...`` line on standard error. For a file damaged part way, what
could be read is written first.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from PIL import Image

from kmeans_core.exports import to_json
from kmeans_core.film.barcode import BARCODE_COLOURS, BARCODE_COLUMNS, barcode
from kmeans_core.film.decode import FilmError, Sampling
from kmeans_core.film.engine import analyse_film
from kmeans_core.film.settings import FilmSettings
from kmeans_core.film.timecode import parse_duration, timecode
from kmeans_core.palette import DEFAULT_K

__all__ = ["CSV_COLUMNS", "main"]

CSV_COLUMNS = ("shot", "start_frame", "end_frame", "start", "end", "hex", "drift", "samples", "still")

EXIT_USAGE = 2


class _UsageError(Exception):
    """Bad input; the message is printed after ``error: ``."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _UsageError(message)


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m kmeans_core.film", description="Shots, palettes and a barcode from a film.")
    parser.add_argument("film", metavar="FILM", help="the video file (MP4, MOV, MKV, WebM)")
    parser.add_argument("-k", type=int, default=DEFAULT_K, help=f"colours per palette (default {DEFAULT_K})")
    sampling = parser.add_mutually_exclusive_group()
    sampling.add_argument("--every", type=_duration, metavar="DURATION", help="one frame every DURATION (default 2s)")
    sampling.add_argument("--keyframes", action="store_true", help="keyframes only")
    sampling.add_argument("--all", action="store_true", help="every frame")
    parser.add_argument(
        "--scheduler",
        default="threads",
        metavar="ADDR",
        help=(
            "threads (default: a local Dask worker, a thread per core), local (a local cluster, a process per core), "
            "none (no Dask), or a scheduler's address such as tcp://host:8786"
        ),
    )
    parser.add_argument("--columns", choices=BARCODE_COLUMNS, default="frames", help="barcode columns")
    parser.add_argument("--colours", choices=BARCODE_COLOURS, default="dominant", help="barcode colours")
    parser.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="the directory to write into")
    return parser


class _ProgressBar:
    """``[#####.....] 120 frames  35.2 fps  0:12 left`` on a terminal's line."""

    def __init__(self, stream):
        self.stream, self.start = stream, time.monotonic()
        self.enabled = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, done: int, total: int, samples: int) -> None:
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.start, 1e-6)
        fraction = done / total
        left = elapsed * (1 - fraction) / fraction
        bar = "#" * round(30 * fraction)
        line = (
            f"\r[{bar:<30}] {samples} frames  {samples / elapsed:.1f} fps  {int(left // 60)}:{int(left % 60):02d} left"
        )
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def _sampling(args) -> Sampling:
    if args.all:
        return Sampling("all")
    if args.keyframes:
        return Sampling("keyframes")
    return Sampling("every", args.every or 2.0)


def write_outputs(film, outdir: Path, *, columns: str, colours: str) -> None:
    """Write shots.csv, palette.json, barcode.png and the shots' stills into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    with open(outdir / "shots.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for shot in film.shots:
            still = f"shot_{shot.number:03d}.png"
            Image.fromarray(shot.still).save(outdir / still)
            writer.writerow(
                [
                    shot.number,
                    shot.start_frame,
                    shot.end_frame,
                    timecode(shot.start),
                    timecode(shot.end),
                    " ".join(shot.palette.hex),
                    f"{shot.drift:.2f}",
                    len(shot.sample_frames),
                    still,
                ]
            )
    if film.palette is not None:
        (outdir / "palette.json").write_text(to_json(film.palette, name=Path(film.info.path).name), encoding="utf-8")
    if len(film.sample_frames):
        Image.fromarray(barcode(film, columns=columns, colours=colours)).save(outdir / "barcode.png")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    progress = _ProgressBar(sys.stderr)
    try:
        args = _build_parser().parse_args(argv)
        if args.k < 1:
            raise _UsageError(f"-k {args.k} must be >= 1")
        scheduler = None if args.scheduler == "none" else args.scheduler
        settings = FilmSettings(k=args.k, sampling=_sampling(args))
        film = analyse_film(args.film, settings, scheduler=scheduler, progress=progress)
        progress.close()
        write_outputs(film, Path(args.output), columns=args.columns, colours=args.colours)
        if film.errors:
            raise _UsageError(film.errors[0])
    except (_UsageError, FilmError, ValueError, OSError) as exc:
        progress.close()
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"{len(film.shots)} shots, {len(film.sample_frames)} frames sampled "
        f"({settings.sampling.describe()}): {args.output}"
    )
    return 0
