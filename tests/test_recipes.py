"""A saved palette's recipe (studio.recipes): written from settings, read back to the same settings, refusals."""

from __future__ import annotations

import pytest

from studio.recipes import palette_recipe, recipe_settings
from studio.settings import Settings, method_fallback

DIGEST = "ab" * 32
SEEDS = ("#102030", "#FFEEDD")


#: The Palette page's settings at first: k-means++ at k=8 in CIELAB, seed 0, by share.
FIRST = {"k": 8, "init": "k-means++", "space": "lab", "random_seed": 0, "order": "share"}


def working(**changes) -> Settings:
    """The working settings of :data:`FIRST` with ``changes``."""
    return Settings.working(**{**FIRST, **changes})


@pytest.mark.parametrize(
    "settings",
    [
        working(),
        working(k=3, init="random", space="rgb", random_seed=7, order="hue"),
        working(k=9, init="manual", random_seed=2, order="lightness", seed_colors=SEEDS),
        working(k=3, init="fixed", seed_colors=SEEDS),
        working(k=6, locked=("#112233",), keep_borders=True, crop=(10, 0, 90, 100), accents=True),
        working(k=5, space="oklab", random_seed=1, method="kmedoids"),
        working(k=4, init="random", space="rgb", order="hue", method="octree"),
        working(k=2, init="manual", seed_colors=SEEDS, method="kmedians"),
    ],
)
def test_a_recipe_reads_back_to_the_same_settings(settings):
    recipe = palette_recipe(settings, still_digest=DIGEST)
    assert recipe["still_digest"] == DIGEST and recipe["method"] == settings.method
    assert recipe["refine"] == ("median" if settings.method == "kmeans" else "none")
    assert recipe["fixed_colors"] == [] and recipe["locked_colors"] == list(settings.locked)
    assert recipe_settings(recipe) == settings


def test_a_recipe_from_before_the_method_choice_reads_as_k_means():
    recipe = {"method": "k-means", "refine": "median", "k": 6}
    settings = recipe_settings(recipe)
    assert settings.method == "kmeans" and settings.k == 6


@pytest.mark.parametrize(
    ("chosen", "init", "extra", "fallback"),
    [
        ("kmedoids", "k-means++", {"locked": ("#112233",)}, "Locked colours are kept by k-means only"),
        ("mediancut", "manual", {"seed_colors": SEEDS}, "Median cut takes no seed colours"),
        ("spherical", "fixed", {"seed_colors": SEEDS}, "the method does not apply"),
    ],
)
def test_a_method_that_cannot_keep_locks_or_seeds_gives_way_to_k_means(chosen, init, extra, fallback):
    settings = working(k=4, init=init, method=chosen, **extra)
    assert settings.method == "kmeans"
    assert fallback in method_fallback(chosen, init=init, locked=extra.get("locked", ()))


def test_seed_colours_go_with_the_methods_that_take_them():
    for method in ("kmedians", "kmedoids", "spherical"):
        settings = working(k=2, init="manual", method=method, seed_colors=SEEDS)
        assert settings.method == method and method_fallback(method, init="manual") is None


def test_missing_keys_take_the_defaults():
    assert recipe_settings({}) == Settings.working(k=8, init="k-means++", space="lab", random_seed=0, order="share")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": "median cut"}, "method 'median cut'"),
        ({"method": ["kmeans"]}, "method ['kmeans']"),
        ({"refine": "none"}, "refined with 'none'"),
        ({"method": "kmedoids", "refine": "median"}, "refined with 'median'; this studio recomputes k-medoids"),
        ({"fixed_colors": ["#000000"]}, "fixed colors"),
        ({"locked_colors": "#000000"}, "locked_colors='#000000' must be a list of hex codes"),
        ({"init": "fixed", "seed_colors": ["#000000"]}, "init='fixed' needs 2 to 32 colours, got 1"),
        ({"k": 1}, "k=1 must be"),
        ({"k": "8"}, "k='8' must be"),
        ({"k": True}, "k=True must be"),
        ({"random_seed": -1}, "random_seed=-1"),
        ({"init": "kmeans"}, "init='kmeans' must be one of"),
        ({"space": ["lab"]}, "space=['lab'] must be one of"),
        ({"order": None}, "order=None"),
        ({"seed_colors": "#000000"}, "must be a list of hex codes"),
        ({"seed_colors": ["#00000G"]}, "not a hex colour"),
        ({"init": "manual", "seed_colors": []}, "needs 2 to 32 seed colours, got 0"),
    ],
)
def test_a_recipe_this_studio_cannot_recompute_is_refused(change, message):
    recipe = palette_recipe(working(), still_digest=DIGEST)
    with pytest.raises(ValueError) as caught:
        recipe_settings({**recipe, **change})
    assert message in str(caught.value)


def test_not_an_object_is_refused():
    with pytest.raises(ValueError, match="must be a JSON object, got list"):
        recipe_settings([])
