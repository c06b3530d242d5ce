"""Stills: from untrusted bytes to 8-bit sRGB pixels and their histogram.

Everything that can go wrong with a file a director drops in (not an image,
truncated, too large, a decompression bomb, fully transparent) raises
:class:`StillError` with a message that says why in plain words. No other
exception leaves :func:`load_still`.

The package, one concept per module:

* :mod:`~kmeans_core.still.frame`: :class:`Still`, :class:`StillError` and
  :func:`still_from_pixels`;
* :mod:`~kmeans_core.still.decode`: :func:`load_still` and its pipeline;
* :mod:`~kmeans_core.still.formats`: the accepted formats, from one table;
* :mod:`~kmeans_core.still.limits`: the pixel limit and the bomb guard;
* :mod:`~kmeans_core.still.headers`: size checks on the raw header bytes;
* :mod:`~kmeans_core.still.to_srgb`: conversion to 8-bit sRGB;
* :mod:`~kmeans_core.still.unreadable`: saying what a file that is not an
  accepted image is;
* :mod:`~kmeans_core.still.digest`: content digests.

The names below are the public API; the modules' other names serve the
package only.

Thread safety: nothing here changes global state (not ``warnings`` filters,
not ``PIL.Image.MAX_IMAGE_PIXELS``), so stills can be decoded from several
Streamlit sessions at once.
"""

from __future__ import annotations

from kmeans_core.still.decode import load_still
from kmeans_core.still.digest import content_digest
from kmeans_core.still.formats import ACCEPTED_EXTENSIONS, ACCEPTED_FORMAT_NAMES, ACCEPTED_FORMATS, HEIF_SUPPORTED
from kmeans_core.still.frame import Still, StillError, still_from_pixels
from kmeans_core.still.limits import DEFAULT_MAX_PIXELS

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "ACCEPTED_FORMATS",
    "ACCEPTED_FORMAT_NAMES",
    "DEFAULT_MAX_PIXELS",
    "HEIF_SUPPORTED",
    "Still",
    "StillError",
    "content_digest",
    "load_still",
    "still_from_pixels",
]
