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
    "DEFAULT_FRIENDS",
    "DEFAULT_K",
    "DEFAULT_SEED_TEXT",
    "FIXED",
    "INIT_LABELS",
    "KMEANS",
    "K_MAX",
    "K_MIN",
    "MAX_PIXELS",
    "METHOD_LABELS",
    "ORDER_LABELS",
    "SPACE_LABELS",
    "Settings",
    "StillEntry",
    "method_fallback",
]

K_MIN, K_MAX = 2, 32
DEFAULT_K = kc.DEFAULT_K
DEFAULT_COMPARE_KS = (3, 5, 8, 12)
#: The (method, space) pairs the Friends page shows at first: every method, in CIELAB.
DEFAULT_FRIENDS = tuple((method, "lab") for method in kc.METHODS)
DEFAULT_SEED_TEXT = "#1B1B1F, #6B4E3D, #C9A27E, #E8E2D6, #2F4A5C"

#: The pixel limit for an upload, shown beside the uploader.
MAX_PIXELS = kc.DEFAULT_MAX_PIXELS

#: The initializer ``"manual"`` means the user's own seed colours.
MANUAL = "manual"

#: The initializer ``"fixed"`` means colours taken as they are, with no clustering.
FIXED = kc.FIXED_INIT

_INIT_NAMES = {"k-means++": "k-means++", "random": "Random", MANUAL: "My seed colours", FIXED: "Fixed colours"}
_SPACE_NAMES = {"lab": "CIELAB (perceptual)", "oklab": "OKLab", "rgb": "sRGB"}
_METHOD_NAMES = {
    "kmeans": "k-means",
    "kmedians": "k-medians",
    "kmedoids": "k-medoids",
    "spherical": "Spherical k-means",
    "mediancut": "Median cut",
    "octree": "Octree",
}
_ORDER_NAMES = {"share": "Share of frame", "hue": "Hue", "lightness": "Lightness"}


def _labels(choices: tuple[str, ...], names: dict[str, str]) -> dict[str, str]:
    """A label for every choice the core offers, in the core's order; a
    choice without a name of ours shows as itself."""
    return {choice: names.get(choice, choice) for choice in choices}


INIT_LABELS = _labels((*kc.INITIALIZERS, MANUAL, FIXED), _INIT_NAMES)
SPACE_LABELS = _labels(kc.SPACES, _SPACE_NAMES)
ORDER_LABELS = _labels(kc.ORDERS, _ORDER_NAMES)
METHOD_LABELS = _labels(kc.METHODS, _METHOD_NAMES)

#: The method every palette used before there was a choice, and the one locks and sweeps need.
KMEANS = "kmeans"


def method_fallback(method: str, *, init: str, locked=()) -> str | None:
    """Why a palette with these settings is made with k-means instead of ``method``, or None.

    Locked colours are kept by k-means only, and Pillow's quantizers take no
    seed colours (:func:`kmeans_core.check_method` refuses them). Fixed
    colours are used as they are, so no method applies to them.
    """
    if method == KMEANS:
        return None
    name = METHOD_LABELS.get(method, method)
    if init == FIXED:
        return "Fixed colours are used as they are, with no clustering, so the method does not apply."
    if locked and init in kc.INITIALIZERS:
        return f"Locked colours are kept by k-means only, so this palette is made with k-means, not {name}."
    if init == MANUAL:
        try:
            kc.check_method(method, k=1, manual=True)
        except ValueError:
            return f"{name} takes no seed colours, so this palette is made with k-means from your seeds."
    return None


@dataclass(frozen=True)
class StillEntry:
    """A loaded still: its name as given, its bytes and their content digest."""

    name: str
    data: bytes
    digest: str

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> StillEntry:
        """An entry keyed by the SHA-256 digest of ``data``."""
        return cls(name=name, data=data, digest=kc.content_digest(data))


@dataclass(frozen=True)
class Settings:
    """The working palette settings, as plain hashable values.

    Attributes
    ----------
    k : int
        The number of colours; with seed colours, their number.
    init : {"k-means++", "random", "manual", "fixed"}
    space : str
        The colour space clustered in.
    random_seed : int
    order : str
        How the colours are ordered.
    seed_colors : tuple of str
        The user's seed colours as hex codes, with ``init="manual"``; the
        fixed colours with ``init="fixed"``.
    locked : tuple of str
        Colours kept as they are while k-means finds the others.
    accents : bool
        Whether accent colours are added.
    keep_borders : bool
        Keep letterbox bars and uniform borders in the histogram.
    crop : (x0, y0, x1, y1) in percent of the frame, or None
    method : str
        The clustering method (:data:`kmeans_core.METHODS`); k-means
        whenever :func:`method_fallback` says the chosen one cannot be used.
    """

    k: int
    init: str
    space: str
    random_seed: int
    order: str
    seed_colors: tuple[str, ...] = ()
    locked: tuple[str, ...] = ()
    accents: bool = False
    keep_borders: bool = False
    crop: tuple[float, float, float, float] | None = None
    method: str = KMEANS

    @classmethod
    def working(
        cls,
        *,
        k: int,
        init: str,
        space: str,
        random_seed: int,
        order: str,
        seed_colors=(),
        method: str = KMEANS,
        **region,
    ) -> Settings:
        """The settings of the Palette page: seed (or fixed) colours fix k.

        ``region`` holds ``locked``, ``accents``, ``keep_borders`` and
        ``crop``. Locks go with k-means++ and random starts only, and at
        most k of them. A method that cannot keep the locks or start from
        the seeds gives way to k-means (:func:`method_fallback`).
        """
        seed_colors = tuple(seed_colors) if init in (MANUAL, FIXED) else ()
        if seed_colors:
            k = len(seed_colors)
        locked = tuple(region.pop("locked", ()))
        locked = locked[: int(k)] if init in kc.INITIALIZERS else ()
        if method_fallback(method, init=init, locked=locked) is not None:
            method = KMEANS
        return cls(
            k=int(k),
            init=init,
            space=space,
            random_seed=int(random_seed),
            order=order,
            seed_colors=seed_colors,
            locked=locked,
            method=method,
            **region,
        )

    def crop_pixels(self, shape: tuple[int, int]) -> tuple[int, int, int, int] | None:
        """The crop in pixels of a frame of ``shape`` (h, w), at least one pixel wide and high."""
        if self.crop is None:
            return None
        height, width = shape
        x0, y0, x1, y1 = self.crop
        left, top = min(int(x0 / 100 * width), width - 1), min(int(y0 / 100 * height), height - 1)
        right, bottom = max(round(x1 / 100 * width), left + 1), max(round(y1 / 100 * height), top + 1)
        return left, top, min(right, width), min(bottom, height)

    def for_k(self, k: int) -> Settings:
        """The same settings at another k.

        Seed colours fix k, so at any other k the clustering starts from
        k-means++ instead (:attr:`starts_from_seeds` tells which).
        """
        if self.seed_colors and k != len(self.seed_colors):
            return dataclasses.replace(self, k=int(k), init="k-means++", seed_colors=(), locked=self.locked[:k])
        return dataclasses.replace(self, k=int(k), locked=self.locked[:k])

    def through(self, method: str, space: str) -> Settings:
        """The same still, k and seed through another method and space, as the Friends page compares them.

        Every method can take these: the start is k-means++ or random (as
        :attr:`sweep_init`), with no seed colours and no locks.
        """
        return dataclasses.replace(self, init=self.sweep_init, seed_colors=(), locked=(), method=method, space=space)

    @property
    def clustering(self) -> dict:
        """The keywords every palette call of the core takes from the settings: space, random seed, method."""
        return {"space": self.space, "seed": self.random_seed, "method": self.method}

    @property
    def sweep_init(self) -> str:
        """The initializer of a sweep over k: seed colours fix one k, so a
        sweep starts every k from k-means++ instead."""
        return self.init if self.init in kc.INITIALIZERS else "k-means++"

    @property
    def kmeans_init(self) -> str | list[str]:
        """What :func:`kmeans_core.extract_palette` takes as ``init`` (not for fixed colours)."""
        return list(self.seed_colors) if self.init == MANUAL else self.init
