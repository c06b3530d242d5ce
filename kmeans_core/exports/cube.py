"""3D LUTs as Adobe ``.cube`` files (Cube LUT Specification 1.0).

:func:`to_cube` writes any LUT from :func:`kmeans_core.lut.palette_lut`;
:func:`palette_cube` makes and writes a palette's LUT in one call, saying
in its title and comments what made it. DaVinci Resolve, Premiere,
Baselight, Nuke, OpenColorIO and colour-science read the result.

Layout
------
Comment lines (``#``) and ``TITLE "..."`` first, then ``LUT_3D_SIZE N``
(the domain is the default 0 to 1, so ``DOMAIN_MIN``/``DOMAIN_MAX`` are
omitted), then N³ lines ``R G B``, red changing fastest, then green, then
blue. Values have 6 decimals with ``.`` as the decimal mark, whatever the
locale, and are clamped to [0, 1]. The text is ASCII with ``\\n`` line ends.
"""

from __future__ import annotations

import inspect
import unicodedata

import numpy as np

from kmeans_core._docs import LUT, fill_doc
from kmeans_core._keywords import takes_keywords_of
from kmeans_core.exports.names import clean_name
from kmeans_core.lut import palette_lut
from kmeans_core.palette import Palette, check_palette

__all__ = ["CUBE_COLOR_NOTE", "palette_cube", "to_cube"]

#: What a palette LUT expects and returns, said in every file it writes.
CUBE_COLOR_NOTE = (
    "Input and output: display-referred Rec.709/sRGB (gamma-encoded, 0 to 1); not for log or linear footage."
)

# The sizes the specification allows for a 3D LUT.
_CUBE_SIZES = (2, 256)
# The longest title or comment line written, in characters.
_MAX_LINE = 1000


def _ascii_line(text: str) -> str:
    """One line of printable ASCII with no double quotes (accents dropped)."""
    line = clean_name(text, default="LUT", limit=_MAX_LINE)
    ascii_text = unicodedata.normalize("NFKD", line).encode("ascii", "ignore").decode("ascii")
    return ascii_text.replace('"', "'").strip() or "LUT"


def to_cube(lut: np.ndarray, *, title: str = "Palette studio LUT", comments=()) -> str:
    """A 3D LUT as the text of an Adobe ``.cube`` file.

    Parameters
    ----------
    lut : ndarray of shape (n, n, n, 3)
        Values indexed ``[r, g, b]``, as from
        :func:`kmeans_core.lut.palette_lut`; ``n`` from 2 to 256. Values are
        clamped to [0, 1].
    title : str, default "Palette studio LUT"
        Written as ``TITLE "..."``: one line of ASCII (control characters
        become spaces, accents are dropped, double quotes become single).
    comments : sequence of str, default ()
        Lines written as ``# ...`` before the title, cleaned the same way.

    Returns
    -------
    str
        Ends with a new line.

    Raises
    ------
    ValueError
        For a LUT of another shape or with non-finite values.
    """
    lut = np.asarray(lut)
    n = lut.shape[0] if lut.ndim == 4 else 0
    low, high = _CUBE_SIZES
    if lut.shape != (n, n, n, 3) or not low <= n <= high or not np.issubdtype(lut.dtype, np.number):
        raise ValueError(f"lut must have shape (n, n, n, 3) with n from {low} to {high}, got shape {lut.shape}")
    if not np.isfinite(lut).all():
        raise ValueError("lut has values that are not finite numbers (NaN or infinity)")
    if isinstance(comments, str):
        comments = [comments]
    lines = [f"# {_ascii_line(comment)}" for comment in comments]
    lines += [f'TITLE "{_ascii_line(title)}"', f"LUT_3D_SIZE {n}"]
    # Red fastest: order the nodes [b, g, r]. Adding 0.0 turns -0.0 into 0.0.
    rows = np.clip(lut.astype(np.float64), 0.0, 1.0).transpose(2, 1, 0, 3).reshape(-1, 3) + 0.0
    lines += [f"{r:.6f} {g:.6f} {b:.6f}" for r, g, b in rows.tolist()]
    return "\n".join(lines) + "\n"


@takes_keywords_of(palette_lut)
@fill_doc(LUT)
def palette_cube(palette: Palette, *, name: str | None = None, **options) -> str:
    """A palette's LUT (:func:`kmeans_core.lut.palette_lut`) as a ``.cube`` file.

    The title and the comments record what made it: the still's name, k,
    the palette's hex codes, the strength and the smoothness, and that it
    expects and returns display-referred Rec.709/sRGB (:data:`CUBE_COLOR_NOTE`).

    Parameters
    ----------
    palette : Palette
    {{size, strength, smoothness, preserve_lightness}}
    name : str, optional
        The still's name.

    Returns
    -------
    str
        The file's text: the ``#`` comments and the header, then one ``R G B`` line per grid point.

    Raises
    ------
    ValueError
        For a bad parameter, echoing it.
    """
    check_palette(palette)
    lut = palette_lut(palette, **options)
    pull = inspect.signature(palette_lut).bind(palette, **options)
    pull.apply_defaults()  # the LUT's options as made, defaults included, for the comments
    strength, smoothness, preserve_lightness = (
        pull.arguments[key] for key in ("strength", "smoothness", "preserve_lightness")
    )
    still = clean_name(name, default="a still")
    codes = " ".join(palette.hex)
    pull = f"strength {float(strength):.2f}, smoothness {float(smoothness):g}"
    lightness = "on" if preserve_lightness else "off"
    comments = [
        f"Made by palette studio (kmeans_core) from the palette of {still}.",
        f"Palette, k={palette.k}: {codes}",
        f"Pull towards the palette in CIELAB: {pull} (times the palette spacing), preserve lightness {lightness}.",
        CUBE_COLOR_NOTE,
    ]
    title = f"{clean_name(name, default='Palette')} k={palette.k} {codes} {pull}"
    return to_cube(lut, title=title, comments=comments)
