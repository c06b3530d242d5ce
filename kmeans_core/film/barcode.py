"""The film as a strip: one column per sampled frame, or one per shot.

``columns="frames"`` draws one column per sampled frame; ``columns="shots"``
draws each shot as wide as it has sampled frames, so that both strips have
the same width and a shot's width follows how long it lasts. Columns are
coloured by the dominant palette colour (``colours="dominant"``: a frame's
colour of its shot's palette that covers most of it, or the shot palette's
largest colour) or by the mean colour in CIELAB (``colours="mean"``).
"""

from __future__ import annotations

import numpy as np

from kmeans_core.colorspace import space_to_rgb

__all__ = ["BARCODE_COLOURS", "BARCODE_COLUMNS", "barcode"]

BARCODE_COLUMNS = ("frames", "shots")
BARCODE_COLOURS = ("dominant", "mean")


def barcode(film, *, columns: str = "frames", colours: str = "dominant", height: int = 120) -> np.ndarray:
    """Draw a film's barcode.

    Parameters
    ----------
    film : FilmResult
    columns : {"frames", "shots"}, default "frames"
    colours : {"dominant", "mean"}, default "dominant"
    height : int, default 120

    Returns
    -------
    ndarray of shape (height, n_samples, 3), uint8
    """
    if columns not in BARCODE_COLUMNS:
        raise ValueError(f"columns={columns!r} must be one of {BARCODE_COLUMNS}")
    if colours not in BARCODE_COLOURS:
        raise ValueError(f"colours={colours!r} must be one of {BARCODE_COLOURS}")
    if not isinstance(height, int) or height < 1:
        raise ValueError(f"height={height!r} must be an integer >= 1")
    if columns == "frames":
        strip = film.sample_dominant if colours == "dominant" else space_to_rgb(film.sample_mean_lab, "lab")
    else:
        widths = np.array([len(shot.sample_frames) for shot in film.shots], dtype=np.intp)
        if colours == "dominant":
            per_shot = np.array([shot.palette.rgb[np.argmax(shot.palette.shares)] for shot in film.shots])
        else:
            bounds = np.concatenate(([0], np.cumsum(widths)))
            means = np.array(
                [film.sample_mean_lab[a:b].mean(axis=0) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
            )
            per_shot = space_to_rgb(means, "lab")
        strip = np.repeat(per_shot.reshape(-1, 3), widths, axis=0)
    strip = np.asarray(strip, dtype=np.uint8).reshape(-1, 3)
    return np.ascontiguousarray(np.broadcast_to(strip[None], (height, len(strip), 3)))
