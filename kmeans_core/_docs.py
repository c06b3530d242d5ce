"""Shared numpydoc parameter text: what several public functions take, documented once.

Each family of functions that take the same options (the clusterers, the two
palette finders, the two LUT makers) has one table of parameter entries here,
written as a numpydoc "Parameters" section. A docstring names entries by a
line that holds only placeholders' names in double braces, such as
``{{X, k, sample_weight}}``; :func:`fill_doc` replaces that line by the
entries, indented like it, when the function is defined, so that ``help()``
and the rendered documentation show the full text. A name that is not in the
table, or double braces anywhere else, fail at import.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from typing import TypeVar

__all__ = ["CLUSTERING", "LUT", "PALETTE", "fill_doc", "parameter_entries"]

_F = TypeVar("_F", bound=Callable)

#: A line of nothing but ``{{name, name, ...}}``, with its indentation.
_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)\{\{(?P<names>[\w, ]+)\}\}[ \t]*$", re.MULTILINE)


def parameter_entries(section: str) -> dict[str, str]:
    """The entries of a numpydoc "Parameters" section, keyed by the names they document.

    An entry starts at a line that is not indented (after the section's own
    indentation is removed), ``name : type`` or just ``name``, and runs to
    the next one; an entry of several parameters (``a, b : float``) is keyed
    by ``"a, b"``. The entries are returned dedented, without a final newline.
    """
    entries: dict[str, list[str]] = {}
    for line in textwrap.dedent(section).strip("\n").splitlines():
        if line and not line[0].isspace():
            name = line.split(" : ", 1)[0].strip()
            if name in entries:
                raise ValueError(f"the parameter entry {name!r} is written twice")
            entries[name] = []
        elif not entries:
            raise ValueError(f"a shared parameter section must start with an entry, not {line!r}")
        entries[name].append(line)
    return {name: "\n".join(lines).rstrip() for name, lines in entries.items()}


def fill_doc(entries: Mapping[str, str]) -> Callable[[_F], _F]:
    """A decorator that fills the function's placeholder lines with ``entries``.

    Parameters
    ----------
    entries : mapping of str to str
        Parameter entries, as from :func:`parameter_entries`.

    Returns
    -------
    callable
        Takes the function, rewrites its ``__doc__`` and returns it (the
        same object; under ``python -OO``, with no docstring, unchanged).

    Raises
    ------
    KeyError
        For a placeholder that names no entry.
    ValueError
        For double braces that are not a placeholder line of their own.
    """

    def fill(func: _F) -> _F:
        if func.__doc__ is not None:
            func.__doc__ = _filled(func.__doc__, entries, func.__qualname__)
        return func

    return fill


def _filled(doc: str, entries: Mapping[str, str], owner: str) -> str:
    # An entry of several parameters ("a, b") is found by each of its names.
    entry_of = {name: key for key in entries for name in key.split(", ")}

    def expand(match: re.Match) -> str:
        names = [name.strip() for name in match["names"].split(",")]
        unknown = [name for name in names if name not in entry_of]
        if unknown:
            raise KeyError(f"the docstring of {owner} asks for {unknown}, which are not shared entries")
        keys = list(dict.fromkeys(entry_of[name] for name in names))
        for key in keys:
            if not set(key.split(", ")) <= set(names):
                raise KeyError(f"the docstring of {owner} asks for part of the shared entry {key!r}; name all of it")
        return textwrap.indent("\n".join(entries[key] for key in keys), match["indent"])

    filled = _PLACEHOLDER.sub(expand, doc)
    if "{{" in filled or "}}" in filled:
        raise ValueError(f"the docstring of {owner} has double braces outside a placeholder line of their own")
    return filled


#: The clusterers' common parameters (:func:`kmeans_core.kmeans`,
#: :func:`kmeans_core.kmedians`, :func:`kmeans_core.kmedoids`,
#: :func:`kmeans_core.spherical_kmeans` and :func:`kmeans_core.initial_centers`).
CLUSTERING = parameter_entries(
    """
    X : array-like of shape (n, d)
        The points, of any real dtype. Converted to float64.
    k : int
        The number of clusters, at least 1 and at most the number of
        distinct points with positive weight.
    sample_weight : array-like of shape (n,), optional
        Non-negative weight of each point (a pixel count, for a colour
        histogram). Default: every point weighs 1.
    centers : array-like of shape (k, d)
        The centres, with the features of X.
    n_init : int, default 1
        How many initializations to run (in parallel threads); the one with
        the lowest objective is kept. Must be 1 with manual initial centres.
    seed : None, int or numpy.random.Generator
        The same seed gives the same result.
    max_iter : int, default 300
        The most iterations per initialization.
    tol : float, default 1e-4
        Stop when an iteration lowers the objective by at most ``tol`` times
        its value, or when no label changes; ``tol=0`` runs to a fixed point
        (or ``max_iter``).
    """
)

#: The options of :func:`kmeans_core.extract_palette` and
#: :func:`kmeans_core.palette_from_histogram`.
PALETTE = parameter_entries(
    """
    space : {"lab", "oklab", "rgb"}, default "lab"
        CIELAB or OKLab, where distance follows perception, or sRGB code
        values. Spherical k-means clusters linear RGB and Pillow's
        quantizers sRGB whatever the space; the space still decides the
        nearest palette colour of each pixel, for the shares and the redrawn
        frame.
    init : {"k-means++", "random"}, or seed colours
        Seed colours are hex codes (a string such as ``"#1A2B3C, #FFEEDD"``
        or a list of them) or an ``(k, 3)`` array of sRGB values 0 to 255.
    seed : int or None, default 0
        The same seed gives the same palette.
    n_init : int, optional
        Initializations to try; the lowest inertia is kept. Default
        :data:`DEFAULT_N_INIT`, and 1 for seed colours.
    max_iter, tol
        Passed to :func:`kmeans_core.kmeans` (or the method's clusterer).
    order : {"share", "hue", "lightness"}, default "share"
    refine : {"median", "none"}, optional
        Default ``"median"`` for k-means and ``"none"`` for every other
        method (which keeps its own colours: ``"median"`` is refused there).
        ``"median"`` follows k-means with :data:`MEDIAN_STEPS` Weiszfeld steps
        that move each colour towards the geometric median of its pixels (see
        :mod:`kmeans_core.medians`): the redrawn frame's mean CIEDE2000 drops,
        and ``inertia`` is then the k-means objective at the moved colours.
        ``"none"`` keeps the k-means centres exactly.
    method : {"kmeans", "kmedians", "kmedoids", "spherical", "mediancut", "octree"}, default "kmeans"
        The clusterer (:data:`kmeans_core.METHODS`; one line on each in
        :data:`kmeans_core.METHOD_NOTES`): :func:`kmeans_core.kmedians`,
        :func:`kmeans_core.kmedoids` (every colour occurs in the still),
        :func:`kmeans_core.spherical_kmeans` on linear RGB (each cluster's
        direction at its pixels' mean length along it), or Pillow's median
        cut and fast octree (no seed; they may give fewer than k colours and
        make at most 256).
    locked : colours, optional
        Colours to keep as they are (hex codes or sRGB values, as for seed
        colours): they take part in every assignment and never move, and
        k-means finds the other ``k - len(locked)`` around them (starting
        from k-means++ with distances measured to the locked colours too;
        seed colours in ``init`` then give only the free ones). k counts
        both kinds; ``method="kmeans"`` only. With every colour locked the result is
        :func:`apply_palette`'s; with none, the usual palette.
    accents : bool, default False
        Add accent colours: small regions far from every palette colour,
        which k-means merges away (see :func:`kmeans_core.accents.find_accents`).
        They come after the k colours, marked in :attr:`Palette.accents`.
    accent_share, accent_delta_e : float
        An accent covers at least ``accent_share`` of the frame (default
        0.5%) and lies farther than ``accent_delta_e`` CIEDE2000 (default
        15) from every palette colour.
    """
)

#: The options of :func:`kmeans_core.lut.palette_lut` and
#: :func:`kmeans_core.exports.palette_cube`.
LUT = parameter_entries(
    """
    size : {17, 33, 65}, default 33
        Nodes per axis.
    strength : float, default 1.0
        From 0 (exactly the identity) to 1 (the full pull).
    smoothness : float, default :data:`kmeans_core.lut.DEFAULT_SMOOTHNESS`
        The pull's scale relative to the palette's spacing, from 0 (every
        colour goes to its nearest palette colour, which makes bands) to
        :data:`kmeans_core.lut.MAX_SMOOTHNESS` (colours barely move).
    preserve_lightness : bool, default False
        Keep each colour's L*, pulling only its a* and b*.
    """
)
