"""The package's public names: every module's ``__all__``, each one reachable."""

from __future__ import annotations

import importlib
import pkgutil

import kmeans_core


def public_modules():
    for info in pkgutil.iter_modules(kmeans_core.__path__):
        # The command line, the slow reference and the thread pool are not part of the API; the film
        # pipeline is imported on its own (it needs PyAV and Dask).
        if not info.name.startswith("_") and info.name not in {"cli", "film", "reference", "threads"}:
            yield importlib.import_module(f"kmeans_core.{info.name}")


def test_the_package_exports_every_public_name_of_its_modules():
    expected = {name for module in public_modules() for name in module.__all__}
    assert set(kmeans_core.__all__) == expected
    for module in public_modules():
        for name in module.__all__:
            assert getattr(kmeans_core, name) is getattr(module, name), f"{module.__name__}.{name}"


def test_names_once_missing_from_the_package_are_there():
    for name in ("HEIF_SUPPORTED", "pack_rgb", "check_space", "content_digest", "DEFAULT_K", "frame_quality"):
        assert name in kmeans_core.__all__, name
