"""Parameters documented once (kmeans_core._docs): every function still shows the full text, and its signature.

The shared entries are filled into the docstrings when the functions are
defined; these tests read the docstrings and ``help()`` as a user does, so
they fail if a placeholder is left, an entry is lost, or a signature that
was written out again drifts.
"""

from __future__ import annotations

import inspect
import pydoc

import numpy as np
import pytest

import kmeans_core as kc
from kmeans_core import lut
from kmeans_core._docs import CLUSTERING, LUT, PALETTE, fill_doc, parameter_entries
from kmeans_core.choose_k import SweepOptions
from kmeans_core.exports import palette_cube

#: Each function with shared entries: its signature as it has always been, the table and the names it takes from it.
FUNCTIONS = {
    kc.kmeans: (
        "(X, k, *, sample_weight=None, init='k-means++', n_init: 'int' = 1, seed=None, max_iter: 'int' = 300, "
        "tol: 'float' = 0.0001, locked=None, callback=None) -> 'KMeansResult'",
        CLUSTERING,
        ("X", "k", "sample_weight", "n_init", "seed", "max_iter"),
    ),
    kc.initial_centers: (
        "(X, k, *, sample_weight=None, init='k-means++', seed=None) -> 'np.ndarray'",
        CLUSTERING,
        ("X", "k", "sample_weight", "seed"),
    ),
    kc.kmeans_plusplus: (
        "(X, k, *, sample_weight=None, seed=None, centers=None) -> 'tuple[np.ndarray, np.ndarray]'",
        CLUSTERING,
        ("X", "k", "sample_weight", "seed"),
    ),
    kc.nearest_centers: ("(X, centers) -> 'tuple[np.ndarray, np.ndarray]'", CLUSTERING, ("X", "centers")),
    kc.kmedians: (
        "(X, k, *, sample_weight=None, init='k-means++', n_init: 'int' = 1, seed=None, max_iter: 'int' = 300, "
        "tol: 'float' = 0.0001) -> 'ClusterResult'",
        CLUSTERING,
        ("X", "k", "sample_weight", "n_init", "seed", "max_iter", "tol"),
    ),
    kc.kmedoids: (
        "(X, k, *, sample_weight=None, init='k-means++', n_init: 'int' = 1, seed=None, max_iter: 'int' = 100, "
        "pool_above: 'int' = 1000) -> 'KMedoidsResult'",
        CLUSTERING,
        ("X", "k", "sample_weight", "n_init", "seed"),
    ),
    kc.spherical_kmeans: (
        "(X, k, *, sample_weight=None, init='k-means++', n_init: 'int' = 1, seed=None, max_iter: 'int' = 300, "
        "tol: 'float' = 0.0001) -> 'ClusterResult'",
        CLUSTERING,
        ("sample_weight", "n_init", "seed", "max_iter", "tol"),
    ),
    kc.extract_palette: (
        "(still: 'Still', k: 'int', *, space: 'str' = 'lab', init='k-means++', seed: 'int | None' = 0, "
        "n_init: 'int | None' = None, max_iter: 'int' = 300, tol: 'float' = 0.0001, order: 'str' = 'share', "
        "refine: 'str | None' = None, method: 'str' = 'kmeans', locked=None, accents: 'bool' = False, "
        "accent_share: 'float' = 0.005, accent_delta_e: 'float' = 15.0) -> 'Palette'",
        PALETTE,
        tuple(PALETTE),
    ),
    kc.palette_from_histogram: (
        "(colors: 'np.ndarray', counts: 'np.ndarray', k: 'int', *, space: 'str' = 'lab', init='k-means++', "
        "seed: 'int | None' = 0, n_init: 'int | None' = None, max_iter: 'int' = 300, tol: 'float' = 0.0001, "
        "order: 'str' = 'share', refine: 'str | None' = None, method: 'str' = 'kmeans', locked=None, "
        "accents: 'bool' = False, accent_share: 'float' = 0.005, accent_delta_e: 'float' = 15.0) -> 'Palette'",
        PALETTE,
        tuple(PALETTE),
    ),
    lut.palette_lut: (
        "(palette: 'Palette', *, size: 'int' = 33, strength: 'float' = 1.0, smoothness: 'float' = 0.25, "
        "preserve_lightness: 'bool' = False) -> 'np.ndarray'",
        LUT,
        tuple(LUT),
    ),
    palette_cube: (
        "(palette: 'Palette', *, size: 'int' = 33, strength: 'float' = 1.0, smoothness: 'float' = 0.25, "
        "preserve_lightness: 'bool' = False, name: 'str | None' = None) -> 'str'",
        LUT,
        tuple(LUT),
    ),
}
IDS = [function.__name__ for function in FUNCTIONS]

#: A 2x2 still of four colours, and its palette at k=2.
PIXELS = np.array([[[250, 10, 10], [240, 20, 15]], [[10, 10, 240], [20, 30, 250]]], dtype=np.uint8)
PALETTE_OF_PIXELS = kc.extract_palette(kc.still_from_pixels(PIXELS), 2)


def documented_names(doc: str) -> list[str]:
    """The parameter names of a numpydoc docstring's "Parameters" section (``a, b : t`` gives both)."""
    lines = inspect.cleandoc(doc).splitlines()
    start = lines.index("Parameters") + 2
    assert set(lines[start - 1]) == {"-"}
    names = []
    for i, line in enumerate(lines[start:], start):
        if i + 1 < len(lines) and lines[i + 1] and set(lines[i + 1]) == {"-"}:
            break  # the next section's header
        if line and not line[0].isspace():
            names += [name.strip() for name in line.split(" : ")[0].split(",")]
    return names


@pytest.mark.parametrize("function", FUNCTIONS, ids=IDS)
def test_the_signature_is_the_one_written_out_before(function):
    assert str(inspect.signature(function)) == FUNCTIONS[function][0]


@pytest.mark.parametrize("function", FUNCTIONS, ids=IDS)
def test_every_parameter_is_documented_once_and_no_placeholder_is_left(function):
    doc = function.__doc__
    assert "{{" not in doc and "}}" not in doc
    assert documented_names(doc) == list(inspect.signature(function).parameters)


@pytest.mark.parametrize("function", FUNCTIONS, ids=IDS)
def test_the_shared_entries_stand_in_the_docstring_and_in_help(function):
    _, entries, names = FUNCTIONS[function]
    doc = inspect.cleandoc(function.__doc__)
    shown = pydoc.render_doc(function, renderer=pydoc.plaintext)
    for name in names:
        entry = entries[name]
        assert entry in doc, name
        assert len(entry.splitlines()) >= 2 or name == "order", f"{name} has a description"
        for line in entry.splitlines():
            assert line.strip() in shown, line


def test_the_clusterers_say_the_same_about_the_same_parameter():
    description = "        The same seed gives the same result.\n"
    for function in (kc.kmeans, kc.kmedians, kc.kmedoids, kc.spherical_kmeans, kc.initial_centers):
        assert "    seed : None, int or numpy.random.Generator\n" + description in function.__doc__
    assert "Non-negative weight of each point" in kc.kmedoids.__doc__
    assert "Medoids have positive weight." in kc.kmedoids.__doc__  # its own sentence follows the shared one


def test_the_options_that_default_from_the_fit_settings_keep_their_values():
    signature = inspect.signature(kc.gap_statistic)
    assert [signature.parameters[name].default for name in ("n_init", "max_iter", "tol")] == [4, 300, 1e-4]
    options = SweepOptions()
    assert (options.n_init, options.max_iter, options.tol) == (4, 300, 1e-4)


ENTRIES = parameter_entries(
    """
    a : int
        The first.

        Two paragraphs.
    b, c : float
        Both.
    d
    """
)


def test_entries_are_read_as_numpydoc_writes_them():
    assert ENTRIES == {
        "a": "a : int\n    The first.\n\n    Two paragraphs.",
        "b, c": "b, c : float\n    Both.",
        "d": "d",
    }
    with pytest.raises(ValueError, match="'a' is written twice"):
        parameter_entries("a : int\n    One.\na : int\n    Two.")
    with pytest.raises(ValueError, match="must start with an entry"):
        parameter_entries("    stray text\na : int")


def _documented(doc: str):
    def f(a, b, c, d):
        pass

    f.__doc__ = doc
    return f


def test_a_placeholder_takes_the_entries_indented_like_it():
    f = fill_doc(ENTRIES)(_documented("Summary.\n\n    Parameters\n    ----------\n    {{d, a}}\n    {{b, c}}\n"))
    expected = "    d\n    a : int\n        The first.\n\n        Two paragraphs.\n    b, c : float\n        Both.\n"
    assert f.__doc__ == "Summary.\n\n    Parameters\n    ----------\n" + expected


@pytest.mark.parametrize(
    ("doc", "error", "message"),
    [
        ("    {{a, e}}\n", KeyError, r"asks for \['e'\], which are not shared entries"),
        ("    {{b}}\n", KeyError, "asks for part of the shared entry 'b, c'"),
        ("    see {{a}} here\n", ValueError, "double braces outside a placeholder line"),
        ("    {{a}\n", ValueError, "double braces outside a placeholder line"),
    ],
)
def test_a_placeholder_that_cannot_be_filled_fails_at_once(doc, error, message):
    with pytest.raises(error, match=message):
        fill_doc(ENTRIES)(_documented(doc))


def test_a_function_without_a_docstring_is_left_as_it_is():
    f = _documented(None)
    assert fill_doc(ENTRIES)(f) is f and f.__doc__ is None


def test_every_shared_entry_is_used():
    used = {(id(entries), name) for _, entries, names in FUNCTIONS.values() for name in names}
    for table in (CLUSTERING, PALETTE, LUT):
        assert {(id(table), key) for key in table} <= used


@pytest.mark.parametrize(
    "call",
    [
        lambda: kc.extract_palette(kc.still_from_pixels(PIXELS), 2, colour_space="lab"),
        lambda: kc.palette_from_histogram(PIXELS.reshape(-1, 3), [1, 1, 1, 1], 2, colour_space="lab"),
        lambda: palette_cube(PALETTE_OF_PIXELS, colour_space="lab"),
    ],
    ids=["extract_palette", "palette_from_histogram", "palette_cube"],
)
def test_an_unknown_option_is_refused_under_the_public_name(call):
    with pytest.raises(TypeError, match=r"^\w+\(\) got an unexpected keyword argument 'colour_space'$") as caught:
        call()
    assert not str(caught.value).startswith("_")


def test_options_passed_on_act_as_written_out_ones():
    """The palette finders and the ``.cube`` pass their options on, with the defaults the signature shows."""
    still = kc.still_from_pixels(PIXELS)
    assert (
        kc.extract_palette(still, 2, space="rgb").hex
        == kc.palette_from_histogram(PIXELS.reshape(-1, 3), [1, 1, 1, 1], 2, space="rgb").hex
    )
    default = palette_cube(PALETTE_OF_PIXELS, name="x")
    assert default == palette_cube(PALETTE_OF_PIXELS, name="x", size=33, strength=1.0, smoothness=0.25)
    assert "strength 1.00, smoothness 0.25" in default and "LUT_3D_SIZE 33" in default
    half = palette_cube(PALETTE_OF_PIXELS, strength=0.5, size=17)
    assert "strength 0.50" in half and "LUT_3D_SIZE 17" in half and half != default
