"""The settings of one film analysis, shared by every range task."""

from __future__ import annotations

from dataclasses import dataclass

from kmeans_core.film.cuts import CUT_THRESHOLD
from kmeans_core.film.decode import Sampling
from kmeans_core.palette import DEFAULT_K

__all__ = ["FilmSettings"]


@dataclass(frozen=True)
class FilmSettings:
    """How a film is analysed.

    Attributes
    ----------
    k : int
        Colours per palette (a shot with fewer distinct colours gets fewer).
    sampling : Sampling
    space, seed, refine, order
        Passed to :func:`kmeans_core.palette_from_histogram`.
    cut_threshold : float
        See :mod:`kmeans_core.film.cuts`.
    bars : bool
        Leave letterbox and pillarbox bars out of the histograms.
    """

    k: int = DEFAULT_K
    sampling: Sampling = Sampling()
    space: str = "lab"
    seed: int | None = 0
    refine: str = "median"
    order: str = "share"
    cut_threshold: float = CUT_THRESHOLD
    bars: bool = True

    @property
    def palette_options(self) -> dict:
        """The keyword arguments of :func:`~kmeans_core.palette_from_histogram`."""
        return {"space": self.space, "seed": self.seed, "refine": self.refine, "order": self.order}
