"""Command line: extract a palette from a still and export it.

Usage::

    python -m kmeans_core STILL [STILL ...] [-k K] [--init k-means++|random|"#112233,#AABBCC,..."]
                                [--method kmeans|kmedians|kmedoids|spherical|mediancut|octree]
                                [--space lab|oklab|rgb] [--seed 0] [--order share|hue|lightness]
                                [--palette FILE] [--lock "#112233,#445566"]
                                [--keep-borders] [--crop x0,y0,x1,y1]
                                [--format hex|json|css|gpl|ase|aco|swatches|csv|png|moodboard|cube]
                                [--lut-size 17|33|65] [--strength S] [--smoothness S] [--preserve-lightness]
                                [-o FILE]

Output goes to ``FILE`` with ``-o``, and to standard output otherwise (or with
``-o -``). Binary formats (ase, aco, swatches, png, moodboard) are written to
standard output only when it is redirected to a file or a pipe, never to a
terminal.

``--palette FILE`` applies a fixed palette read from FILE (our JSON, CSV or
hex codes, GIMP .gpl, Adobe .ase, Photoshop .aco, Procreate .swatches, or a
file holding a Coolors URL) instead of extracting one: its shares are
measured on the still. ``--format cube`` writes the 3D LUT that pulls the
still's colours towards the palette, e.g.
``python -m kmeans_core STILL -k 6 --format cube -o look.cube``.

Several stills make a scene: the palette is the scene palette (every still
weighing the same), and ``--format json`` adds ``"stills"``, one object per
still in the order given, with its ``name``, ``delta_e_mean`` and
``delta_e_p95`` when redrawn with the palette, ``drift`` (one number per
palette colour, in the palette's order; null for a colour no pixel is
nearest to) and ``flagged``. ``--lock`` keeps the colours given and finds
the others around them (k counts both). Letterbox bars and uniform borders
are left out unless ``--keep-borders`` is given; ``--crop x0,y0,x1,y1``
(pixels, x1 and y1 exclusive) limits the palette to a region of every still.

Exit status: 0 on success; 2 for any bad input (a missing or unreadable
file, a file that is not a still, a bad option or a ``k`` the still cannot
give), with one ``error: ...`` line on standard error and no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path

import numpy as np

from kmeans_core.colorspace import SPACES
from kmeans_core.exports import EXPORTS, export_palette
from kmeans_core.hexcodes import check_seed_colors, to_hex
from kmeans_core.histogram import MergedHistogram
from kmeans_core.lloyd import INITIALIZERS
from kmeans_core.lut import DEFAULT_LUT_SIZE, DEFAULT_SMOOTHNESS, LUT_SIZES, MAX_SMOOTHNESS
from kmeans_core.methods import METHODS
from kmeans_core.palette import (
    DEFAULT_K,
    ORDERS,
    apply_palette,
    apply_palette_to_histogram,
    extract_palette,
    palette_from_histogram,
)
from kmeans_core.palette_files import read_palette
from kmeans_core.region import frame_region
from kmeans_core.scene import scene_drift, scene_histogram
from kmeans_core.still import ACCEPTED_FORMAT_NAMES, Still, load_still

__all__ = ["main"]

#: The number of colours when neither -k nor seed colours are given.

EXIT_USAGE = 2


class _UsageError(Exception):
    """Bad input; the message is printed after ``error: ``."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        raise _UsageError(message)


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must be >= 0")
    return value


def _unit_interval(text: str) -> float:
    return _number_in(text, 0.0, 1.0)


def _smoothness(text: str) -> float:
    return _number_in(text, 0.0, MAX_SMOOTHNESS)


def _number_in(text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{text} must be from {low:g} to {high:g}")
    return value


def _crop(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise argparse.ArgumentTypeError(f"{text!r} must be four whole numbers x0,y0,x1,y1")
    return values


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m kmeans_core",
        description="Extract a colour palette from a film still with k-means, and export it.",
        epilog=(
            "Text formats go to standard output unless -o is given; binary formats (ase, aco, swatches, png, "
            "moodboard) need -o FILE or a redirected standard output. Exit status 2 means bad input."
        ),
    )
    parser.add_argument(
        "stills",
        nargs="+",
        metavar="STILL",
        help=f"the image file ({ACCEPTED_FORMAT_NAMES}); several make a scene with one palette",
    )
    parser.add_argument(
        "-k",
        type=int,
        default=None,
        help=f"number of colours (default {DEFAULT_K}, or the number of seed colours given to --init)",
    )
    parser.add_argument(
        "--init",
        default="k-means++",
        metavar="INIT",
        help="k-means++ (default), random, or seed colours such as '#112233,#AABBCC'",
    )
    parser.add_argument(
        "--method", choices=METHODS, default=None, help="clustering method (default kmeans); not with --palette"
    )
    parser.add_argument("--space", choices=SPACES, default="lab", help="colour space to cluster in (default lab)")
    parser.add_argument("--seed", type=_seed, default=0, help="random seed, an integer >= 0 (default 0)")
    parser.add_argument("--order", choices=ORDERS, default="share", help="colour order (default share)")
    parser.add_argument("--format", choices=tuple(EXPORTS), default="hex", help="export format (default hex)")
    parser.add_argument(
        "--palette",
        metavar="FILE",
        help="apply the fixed palette in FILE (JSON, CSV, hex codes, .gpl, .ase, .aco, .swatches, Coolors URL)",
    )
    parser.add_argument(
        "--lock", metavar="COLOURS", help="keep these colours, such as '#112233,#445566'; k counts them"
    )
    parser.add_argument(
        "--keep-borders", action="store_true", help="keep letterbox bars and uniform borders (left out by default)"
    )
    parser.add_argument("--crop", type=_crop, metavar="x0,y0,x1,y1", help="use only this region of each still (pixels)")
    lut = parser.add_argument_group("LUT options (--format cube)")
    lut.add_argument("--lut-size", type=int, choices=LUT_SIZES, help=f"nodes per axis (default {DEFAULT_LUT_SIZE})")
    lut.add_argument("--strength", type=_unit_interval, help="0 (no change) to 1 (the full pull, default)")
    lut.add_argument(
        "--smoothness",
        type=_smoothness,
        help=f"0 (snap to the nearest colour) to {MAX_SMOOTHNESS:g} (barely move); default {DEFAULT_SMOOTHNESS:g}",
    )
    lut.add_argument(
        "--preserve-lightness", action="store_true", default=None, help="keep each colour's L*, move only its hue"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output ('-')")
    return parser


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise _UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise _UsageError(f"{path}: is a directory, not an image file") from None
    except PermissionError:
        raise _UsageError(f"{path}: permission denied") from None
    except OSError as exc:
        raise _UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _resolve_init(init: str, k: int | None) -> tuple[str, int]:
    """The initializer and k; with seed colours, k defaults to their number."""
    if init in INITIALIZERS:
        return init, DEFAULT_K if k is None else k
    try:
        n_seeds = len(check_seed_colors(init))
    except ValueError as exc:
        if "#" not in init:
            raise _UsageError(
                f"--init={init!r} must be {' or '.join(INITIALIZERS)}, or seed colours such as '#112233,#AABBCC'"
            ) from None
        raise _UsageError(f"--init: {exc}") from None
    return init, n_seeds if k is None else k


_LUT_FLAGS = {
    "lut_size": ("--lut-size", "size"),
    "strength": ("--strength", "strength"),
    "smoothness": ("--smoothness", "smoothness"),
    "preserve_lightness": ("--preserve-lightness", "preserve_lightness"),
}


def _lut_options(args) -> dict:
    """The LUT options given, as keyword arguments of the cube exporter."""
    given = {flag: (option, getattr(args, flag)) for flag, (_, option) in _LUT_FLAGS.items()}
    given = {flag: pair for flag, pair in given.items() if pair[1] is not None}
    if given and args.format != "cube":
        raise _UsageError(f"{_LUT_FLAGS[next(iter(given))][0]} applies only to --format cube")
    return {option: value for option, value in given.values()}


def _palette(args, source):
    """The fixed palette from --palette, or the one k-means finds, on a still or a scene's histogram."""
    single = isinstance(source, Still)
    if args.palette is None:
        init, k = _resolve_init(args.init, args.k)
        method = "kmeans" if args.method is None else args.method
        locked = None if args.lock is None else _locked(args.lock)
        if locked is not None and args.k is None and init not in INITIALIZERS:
            k += len(locked)  # the seeds start the free colours
        if single:
            find = partial(extract_palette, source)
        else:
            find = partial(palette_from_histogram, source.colors, source.counts)
        return find(k, space=args.space, init=init, seed=args.seed, order=args.order, method=method, locked=locked)
    if args.method is not None:
        raise _UsageError("--palette gives the colours; it cannot be combined with -k, --init or --method")
    if args.k is not None or args.init != "k-means++":
        raise _UsageError("--palette gives the colours; it cannot be combined with -k or --init")
    if args.lock is not None:
        raise _UsageError("--palette gives the colours; it cannot be combined with --lock")
    imported = read_palette(_read_file(args.palette), filename=Path(args.palette).name)
    if single:
        return apply_palette(source, imported.rgb, space=args.space, order=args.order)
    return apply_palette_to_histogram(source.colors, source.counts, imported.rgb, space=args.space, order=args.order)


def _locked(text: str) -> tuple[str, ...]:
    try:
        return to_hex(check_seed_colors(text))
    except ValueError as exc:
        raise _UsageError(f"--lock: {exc}") from None


def _scene_stills(paths: list[str], drift) -> list[dict]:
    """The "stills" of a scene's JSON: one object per still, in order."""
    return [
        {
            "name": Path(path).name,
            "delta_e_mean": row.delta_e_mean,
            "delta_e_p95": row.delta_e_p95,
            "drift": [None if np.isnan(value) else float(value) for value in row.drift],
            "flagged": row.is_flagged,
        }
        for path, row in zip(paths, drift.stills, strict=True)
    ]


def _check_output(output: str | None, stills: list[str]) -> None:
    if output is None or output == "-":
        return
    if any(Path(output).resolve() == Path(still).resolve() for still in stills):
        raise _UsageError(f"-o {output} would overwrite the still itself; choose another file")


def _write(data: str | bytes, output: str | None) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output is not None and output != "-":
        try:
            Path(output).write_bytes(payload)
        except OSError as exc:
            raise _UsageError(f"{output}: cannot be written ({exc.strerror or exc})") from None
        return
    if isinstance(data, bytes) and sys.stdout.isatty():
        raise _UsageError("binary output is not written to a terminal; give -o FILE or redirect standard output")
    if isinstance(data, str):
        sys.stdout.write(data)
        sys.stdout.flush()
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()


def main(argv: list[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name; by default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 2 for bad input (after printing one
        ``error: ...`` line on standard error).
    """
    try:
        args = _build_parser().parse_args(argv)
        if args.palette is None:
            _resolve_init(args.init, args.k)  # bad seed colours fail before the still is read
            if args.lock is not None:
                _locked(args.lock)
        options = _lut_options(args)
        _check_output(args.output, args.stills)
        histograms, first = [], None
        for path in args.stills:  # only each still's histogram is kept (and the first still)
            still = frame_region(load_still(_read_file(path)), keep_borders=args.keep_borders, crop=args.crop)
            histograms.append(MergedHistogram(colors=still.histogram.colors, counts=still.histogram.counts))
            first = first or still
        scene = len(histograms) > 1
        palette = _palette(args, scene_histogram(histograms) if scene else first)
        if EXPORTS[args.format].needs_frame:
            options["frame"] = first.pixels if first.alpha is None else np.dstack([first.pixels, first.alpha])
        if scene and args.format == "json":
            options["stills"] = _scene_stills(args.stills, scene_drift(histograms, palette))
        data = export_palette(palette, args.format, name="scene" if scene else Path(args.stills[0]).name, **options)
        _write(data, args.output)
    except (_UsageError, ValueError) as exc:  # StillError is a ValueError
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:  # e.g. piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
