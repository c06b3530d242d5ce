"""A thread-safe LRU store bounded in entries and in bytes (no Streamlit).

Streamlit's caches bound their size by entry count only, and a decoded 4K
still weighs about 100 MB with its histogram, so a server that sees many
large stills would grow without a byte bound. The app keeps its decoded
stills and frames in one :class:`BoundedStore` with a byte budget instead:
the least recently used entries leave first, and the resident memory of
these arrays never exceeds the budget (an entry larger than the whole
budget is computed and returned, but not kept).

Each key is computed once at a time: sessions that ask for the same key at
the same moment wait for the first one's result instead of repeating it.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

__all__ = ["BoundedStore", "nbytes_of"]


def nbytes_of(value) -> int:
    """The bytes held by the NumPy arrays in ``value`` (through dataclasses,
    tuples, lists and dicts); other objects count as nothing."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)  # a view counts its own extent: an estimate on the safe side
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(nbytes_of(getattr(value, field.name)) for field in dataclasses.fields(value))
    if isinstance(value, (tuple, list)):
        return sum(nbytes_of(item) for item in value)
    if isinstance(value, dict):
        return sum(nbytes_of(item) for item in value.values())
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    return 0


class BoundedStore:
    """An LRU map bounded by ``max_entries`` and by ``max_bytes``.

    Parameters
    ----------
    max_entries : int
        The most entries kept.
    max_bytes : int, optional
        The most bytes kept, as measured by ``size_of``; no byte bound when
        None.
    size_of : callable, default :func:`nbytes_of`
        The size in bytes of a value.
    """

    def __init__(self, *, max_entries: int, max_bytes: int | None = None, size_of: Callable = nbytes_of) -> None:
        self._items: OrderedDict = OrderedDict()
        self._sizes: dict = {}
        self._lock = threading.Lock()
        self._computing: dict = {}
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._size_of = size_of
        self._bytes = 0

    @property
    def nbytes(self) -> int:
        """The bytes held now."""
        with self._lock:
            return self._bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get(self, key: Hashable):
        """The value under ``key`` (now the most recently used), or None."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: Hashable, value) -> None:
        """Keep ``value`` under ``key``, letting the least recently used go."""
        size = self._size_of(value)
        with self._lock:
            self._drop(key)
            if self._max_bytes is not None and size > self._max_bytes:
                return
            self._items[key] = value
            self._sizes[key] = size
            self._bytes += size
            while len(self._items) > self._max_entries or (
                self._max_bytes is not None and self._bytes > self._max_bytes
            ):
                self._drop(next(iter(self._items)))

    def get_or_compute(self, key: Hashable, compute: Callable[[], object]):
        """The value under ``key``, computed by ``compute()`` if absent.

        An exception from ``compute`` propagates and nothing is kept.
        """
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key]
                pending = self._computing.get(key)
                if pending is None:
                    pending = self._computing[key] = threading.Event()
                    break
            pending.wait()  # another session computes it: take its result, or try ourselves
        try:
            value = compute()
            self.put(key, value)
            return value
        finally:
            with self._lock:
                self._computing.pop(key, None)
            pending.set()

    def _drop(self, key: Hashable) -> None:
        if key in self._items:
            del self._items[key]
            self._bytes -= self._sizes.pop(key)
