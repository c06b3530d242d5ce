"""A saved palette's recipe (studio.recipes): written from settings, read back to the same settings, refusals."""

from __future__ import annotations

import pytest

from studio.recipes import palette_recipe, recipe_settings
from studio.settings import Settings

DIGEST = "ab" * 32


@pytest.mark.parametrize(
    "settings",
    [
        Settings.working(k=8, init="k-means++", space="lab", random_seed=0, order="share"),
        Settings.working(k=3, init="random", space="rgb", random_seed=7, order="hue"),
        Settings.working(
            k=9, init="manual", space="lab", random_seed=2, order="lightness", seed_colors=("#102030", "#FFEEDD")
        ),
        Settings.working(
            k=3, init="fixed", space="lab", random_seed=0, order="share", seed_colors=("#102030", "#FFEEDD")
        ),
        Settings.working(
            k=6,
            init="k-means++",
            space="lab",
            random_seed=0,
            order="share",
            locked=("#112233",),
            keep_borders=True,
            crop=(10, 0, 90, 100),
            accents=True,
        ),
    ],
)
def test_a_recipe_reads_back_to_the_same_settings(settings):
    recipe = palette_recipe(settings, still_digest=DIGEST)
    assert recipe["still_digest"] == DIGEST and recipe["refine"] == "median" and recipe["method"] == "k-means"
    assert recipe["fixed_colors"] == [] and recipe["locked_colors"] == list(settings.locked)
    assert recipe_settings(recipe) == settings


def test_missing_keys_take_the_defaults():
    assert recipe_settings({}) == Settings.working(k=8, init="k-means++", space="lab", random_seed=0, order="share")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": "median cut"}, "method 'median cut'"),
        ({"refine": "none"}, "refined with 'none'"),
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
    recipe = palette_recipe(
        Settings.working(k=8, init="k-means++", space="lab", random_seed=0, order="share"), still_digest=DIGEST
    )
    with pytest.raises(ValueError) as caught:
        recipe_settings({**recipe, **change})
    assert message in str(caught.value)


def test_not_an_object_is_refused():
    with pytest.raises(ValueError, match="must be a JSON object, got list"):
        recipe_settings([])
