"""A saved palette's recipe: everything that computes the palette again (no Streamlit).

:func:`palette_recipe` writes the recipe of the palette a page shows, as JSON
values for the store; :func:`recipe_settings` reads one back into the
:class:`~studio.settings.Settings` that key the cache wrappers, so opening a
saved palette recomputes it through them. A project's working settings are
kept in the same keys and read back by the same function.

A recipe holds the still's digest, k, the initializer, the random seed, the
seed colours, the colour space, the order, the method (one of
:data:`kmeans_core.METHODS`; recipes written before there was a choice say
``"k-means"``), its refinement (``"median"`` for k-means, ``"none"`` for the
others) and ``locked_colors`` (the colours kept while k-means finds the
others). Fixed colours are the seed colours of
``init="fixed"``; ``fixed_colors`` stays empty, the place for colours other
tools pin. ``keep_borders``, ``crop`` and ``accents`` are written only when
they differ from the defaults. A recipe this version cannot recompute
(an unknown method, another refinement, pinned colours) is refused with a
message that says so.
"""

from __future__ import annotations

from typing import Any

import kmeans_core as kc
from studio.settings import (
    FIXED,
    INIT_LABELS,
    K_MAX,
    K_MIN,
    KMEANS,
    MANUAL,
    METHOD_LABELS,
    ORDER_LABELS,
    SPACE_LABELS,
    Settings,
)

__all__ = ["LEGACY_METHOD", "RECIPE_VERSION", "palette_recipe", "recipe_refine", "recipe_settings"]

RECIPE_VERSION = 1
#: The method recipes named before there was a choice: k-means.
LEGACY_METHOD = "k-means"
_MAX_SEED = 2**31 - 1


def recipe_refine(method: str) -> str:
    """The refinement the cache wrappers use with ``method`` (``kmeans_core.extract_palette``'s default)."""
    return "median" if method == KMEANS else "none"


def palette_recipe(settings: Settings, *, still_digest: str | None) -> dict[str, Any]:
    """The recipe of the palette computed with ``settings`` from the still ``still_digest``."""
    return {
        "version": RECIPE_VERSION,
        "method": settings.method,
        "still_digest": still_digest,
        "k": settings.k,
        "init": settings.init,
        "random_seed": settings.random_seed,
        "seed_colors": list(settings.seed_colors),
        "space": settings.space,
        "order": settings.order,
        "refine": recipe_refine(settings.method),
        "fixed_colors": [],
        "locked_colors": list(settings.locked),
        **({"keep_borders": True} if settings.keep_borders else {}),
        **({"crop": list(settings.crop)} if settings.crop is not None else {}),
        **({"accents": True} if settings.accents else {}),
    }


def recipe_settings(recipe: dict[str, Any]) -> Settings:
    """The settings a recipe (or a project's kept settings) names.

    Parameters
    ----------
    recipe : dict
        From :func:`palette_recipe` or a project's settings; a key that is
        missing takes the studio's default.

    Raises
    ------
    ValueError
        For a value this studio does not offer, or a recipe it cannot
        recompute; the message names it.
    """
    if not isinstance(recipe, dict):
        raise ValueError(f"a recipe must be a JSON object, got {type(recipe).__name__}")
    method = recipe.get("method", KMEANS)
    method = KMEANS if method == LEGACY_METHOD else method
    if not isinstance(method, str) or method not in METHOD_LABELS:
        raise ValueError(f"this palette was made with the method {method!r}, which this studio cannot recompute")
    refine = recipe.get("refine", recipe_refine(method))
    if refine != recipe_refine(method):
        raise ValueError(
            f"this palette was refined with {refine!r}; this studio recomputes {METHOD_LABELS[method]} "
            f"only with {recipe_refine(method)!r}"
        )
    if recipe.get("fixed_colors"):
        raise ValueError("this palette has fixed colors, which this studio cannot recompute yet")
    k = recipe.get("k", kc.DEFAULT_K)
    if isinstance(k, bool) or not isinstance(k, int) or not K_MIN <= k <= K_MAX:
        raise ValueError(f"k={k!r} must be a whole number from {K_MIN} to {K_MAX}")
    seed = recipe.get("random_seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= _MAX_SEED:
        raise ValueError(f"random_seed={seed!r} must be a whole number from 0 to {_MAX_SEED}")
    init = _choice(recipe, "init", INIT_LABELS, "k-means++")
    space = _choice(recipe, "space", SPACE_LABELS, "lab")
    order = _choice(recipe, "order", ORDER_LABELS, "share")
    codes = _hex_codes(recipe, "seed_colors")
    noun = {MANUAL: "seed colours", FIXED: "colours"}.get(init)
    if noun is not None and not K_MIN <= len(codes) <= K_MAX:
        raise ValueError(f"init={init!r} needs {K_MIN} to {K_MAX} {noun}, got {len(codes)}")
    locked = _hex_codes(recipe, "locked_colors")
    crop = recipe.get("crop")
    if crop is not None and (
        not isinstance(crop, list) or len(crop) != 4 or not all(isinstance(v, (int, float)) for v in crop)
    ):
        raise ValueError(f"crop={crop!r} must be four numbers (percent of the frame)")
    return Settings.working(
        k=k,
        init=init,
        space=space,
        random_seed=seed,
        order=order,
        method=method,
        seed_colors=codes,
        locked=locked,
        keep_borders=recipe.get("keep_borders") is True,
        crop=None if crop is None else tuple(crop),
        accents=recipe.get("accents") is True,
    )


def _hex_codes(recipe: dict[str, Any], key: str) -> tuple[str, ...]:
    codes = recipe.get(key) or []
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise ValueError(f"{key}={codes!r} must be a list of hex codes")
    return kc.to_hex(kc.check_seed_colors(codes)) if codes else ()


def _choice(recipe: dict[str, Any], key: str, labels: dict[str, str], default: str) -> str:
    value = recipe.get(key, default)
    if not isinstance(value, str) or value not in labels:
        raise ValueError(f"{key}={value!r} must be one of {tuple(labels)}")
    return value
