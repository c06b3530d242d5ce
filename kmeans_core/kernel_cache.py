"""Compile the package's kernels ahead of the first request.

The passes over points and pixels are Numba kernels, compiled on their first
call and cached on disk next to their module (or in Numba's cache folder
where that is read-only). A fresh machine compiles them once, in about
10 seconds; later processes load them from the cache in about a second.
:func:`warm_up` does either now, so that a server's first palette does not
wait for it: the app runs it in a background thread at start-up, and
``make run`` and ``make test`` call it first to fill the cache.
"""

from __future__ import annotations

import threading

from kmeans_core import _border_kernels, _color_kernels, _histogram_kernels, _lloyd_loop, _plusplus_loop, _point_kernels

__all__ = ["warm_up", "warm_up_in_background"]

_started = threading.Event()


def warm_up() -> None:
    """Compile (or load from the cache) every kernel, on tiny inputs."""
    _point_kernels.compile_kernels()
    _lloyd_loop.compile_kernels()
    _plusplus_loop.compile_kernels()
    _histogram_kernels.compile_kernels()
    _color_kernels.compile_kernels()
    _border_kernels.compile_kernels()


def warm_up_in_background() -> None:
    """Start :func:`warm_up` in a daemon thread, once per process; return at once.

    A call that needs a kernel meanwhile waits for its compilation (Numba
    compiles each kernel once, under its own lock) instead of compiling it again.
    """
    if _started.is_set():
        return
    _started.set()
    threading.Thread(target=warm_up, name="kmeans_core-warm-up", daemon=True).start()
