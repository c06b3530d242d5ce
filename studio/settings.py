"""The app's settings and still records, as plain values (no Streamlit).

Everything a page needs to name a palette lives here: the :class:`Settings`
that key the caches, the :class:`StillEntry` of a loaded still, the k limits,
the labels shown for the core's own choices, and the one rule that ties k to
seed colours (:meth:`Settings.for_k`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import kmeans_core as kc

__all__ = [
    "DEFAULT_COMPARE_KS",
    "DEFAULT_K",
    "DEFAULT_SEED_TEXT",
    "INIT_LABELS",
    "K_MAX",
    "K_MIN",
    "MAX_PIXELS",
    "ORDER_LABELS",
    "SPACE_LABELS",
    "Settings",
    "StillEntry",
]

K_MIN, K_MAX = 2, 32
DEFAULT_K = kc.DEFAULT_K
DEFAULT_COMPARE_KS = (3, 5, 8, 12)
DEFAULT_SEED_TEXT = "#1B1B1F, #6B4E3D, #C9A27E, #E8E2D6, #2F4A5C"

#: The pixel limit for an upload, shown beside the uploader.
MAX_PIXELS = kc.DEFAULT_MAX_PIXELS

#: The initializer ``"manual"`` means the user's own seed colours.
MANUAL = "manual"

_INIT_NAMES = {"k-means++": "k-means++", "random": "Random", MANUAL: "My seed colours"}
_SPACE_NAMES = {"lab": "CIELAB (perceptual)", "rgb": "sRGB"}
_ORDER_NAMES = {"share": "Share of frame", "hue": "Hue", "lightness": "Lightness"}


def _labels(choices: tuple[str, ...], names: dict[str, str]) -> dict[str, str]:
    """A label for every choice the core offers, in the core's order; a
    choice without a name of ours shows as itself."""
    return {choice: names.get(choice, choice) for choice in choices}


INIT_LABELS = _labels((*kc.INITIALIZERS, MANUAL), _INIT_NAMES)
SPACE_LABELS = _labels(kc.SPACES, _SPACE_NAMES)
ORDER_LABELS = _labels(kc.ORDERS, _ORDER_NAMES)


@dataclass(frozen=True)
class StillEntry:
    """A loaded still: its name as given, its bytes and their content digest."""

    name: str
    data: bytes
    digest: str

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> "StillEntry":
        """An entry keyed by the SHA-256 digest of ``data``."""
        return cls(name=name, data=data, digest=kc.content_digest(data))


@dataclass(frozen=True)
class Settings:
    """The working palette settings, as plain hashable values.

    Attributes
    ----------
    k : int
        The number of colours; with seed colours, their number.
    init : {"k-means++", "random", "manual"}
    space : str
        The colour space clustered in.
    random_seed : int
    order : str
        How the colours are ordered.
    seed_colors : tuple of str
        The user's seed colours as hex codes, with ``init="manual"``.
    """

    k: int
    init: str
    space: str
    random_seed: int
    order: str
    seed_colors: tuple[str, ...] = ()

    @classmethod
    def working(cls, *, k: int, init: str, space: str, random_seed: int, order: str, seed_colors=()) -> "Settings":
        """The settings of the Palette page: seed colours fix k."""
        seed_colors = tuple(seed_colors) if init == MANUAL else ()
        if seed_colors:
            k = len(seed_colors)
        return cls(k=int(k), init=init, space=space, random_seed=int(random_seed), order=order, seed_colors=seed_colors)

    def for_k(self, k: int) -> "Settings":
        """The same settings at another k.

        Seed colours fix k, so at any other k the clustering starts from
        k-means++ instead (:attr:`starts_from_seeds` tells which).
        """
        if self.seed_colors and k != len(self.seed_colors):
            return dataclasses.replace(self, k=int(k), init="k-means++", seed_colors=())
        return dataclasses.replace(self, k=int(k))

    @property
    def sweep_init(self) -> str:
        """The initializer of a sweep over k: seed colours fix one k, so a
        sweep starts every k from k-means++ instead."""
        return "k-means++" if self.init == MANUAL else self.init

    @property
    def kmeans_init(self) -> str | list[str]:
        """What :func:`kmeans_core.extract_palette` takes as ``init``."""
        return list(self.seed_colors) if self.init == MANUAL else self.init
