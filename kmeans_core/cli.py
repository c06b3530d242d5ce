"""Command line: extract a palette from a still and export it.

Usage::

    python -m kmeans_core STILL [-k K] [--init k-means++|random|"#112233,#AABBCC,..."]
                                [--space lab|rgb] [--seed 0] [--order share|hue|lightness]
                                [--format hex|json|css|gpl|ase|png] [-o FILE]

Output goes to ``FILE`` with ``-o``, and to standard output otherwise (or with
``-o -``). Binary formats (ase, png) are written to standard output only
when it is redirected to a file or a pipe, never to a terminal.

Exit status: 0 on success; 2 for any bad input (a missing or unreadable
file, a file that is not a still, a bad option or a ``k`` the still cannot
give), with one ``error: ...`` line on standard error and no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kmeans_core.colorspace import SPACES
from kmeans_core.exports import EXPORTS, export_palette
from kmeans_core.hexcodes import check_seed_colors
from kmeans_core.lloyd import INITIALIZERS
from kmeans_core.palette import ORDERS, extract_palette
from kmeans_core.still import ACCEPTED_FORMAT_NAMES, load_still

__all__ = ["DEFAULT_K", "main"]

#: The number of colours when neither -k nor seed colours are given.
DEFAULT_K = 8

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


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m kmeans_core",
        description="Extract a colour palette from a film still with k-means, and export it.",
        epilog=(
            "Text formats go to standard output unless -o is given; binary formats (ase, png) "
            "need -o FILE or a redirected standard output. Exit status 2 means bad input."
        ),
    )
    parser.add_argument("still", metavar="STILL", help=f"the image file ({ACCEPTED_FORMAT_NAMES})")
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
    parser.add_argument("--space", choices=SPACES, default="lab", help="colour space to cluster in (default lab)")
    parser.add_argument("--seed", type=_seed, default=0, help="random seed, an integer >= 0 (default 0)")
    parser.add_argument("--order", choices=ORDERS, default="share", help="colour order (default share)")
    parser.add_argument("--format", choices=tuple(EXPORTS), default="hex", help="export format (default hex)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output ('-')")
    return parser


def _read_still_bytes(path: str) -> bytes:
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


def _check_output(output: str | None, still: str) -> None:
    if output is None or output == "-":
        return
    if Path(output).resolve() == Path(still).resolve():
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
        init, k = _resolve_init(args.init, args.k)
        _check_output(args.output, args.still)
        still = load_still(_read_still_bytes(args.still))
        palette = extract_palette(still, k, space=args.space, init=init, seed=args.seed, order=args.order)
        data = export_palette(palette, args.format, name=Path(args.still).name)
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
