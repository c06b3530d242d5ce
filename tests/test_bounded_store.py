"""studio.bounded_store: an LRU store bounded in entries and bytes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
import pytest

from studio.bounded_store import BoundedStore, nbytes_of


@dataclass(frozen=True)
class Frame:
    pixels: np.ndarray
    parts: tuple


def test_nbytes_counts_arrays_inside_dataclasses_and_containers():
    frame = Frame(pixels=np.zeros((10, 10, 3), np.uint8), parts=(np.zeros(5), [np.zeros(2, np.int32)], {"a": b"xyz"}))
    assert nbytes_of(frame) == 300 + 40 + 8 + 3
    assert nbytes_of("text") == 0


def test_the_least_recently_used_leave_first_when_bytes_run_out():
    store = BoundedStore(max_entries=10, max_bytes=1000)
    for key in "abc":
        store.put(key, np.zeros(300, np.uint8))
    assert store.get("a") is not None  # "a" is now the most recently used
    store.put("d", np.zeros(300, np.uint8))
    assert store.get("b") is None
    assert [key for key in "acd" if store.get(key) is not None] == ["a", "c", "d"]
    assert store.nbytes == 900


def test_entry_count_is_bounded_too_and_a_too_large_value_is_not_kept():
    store = BoundedStore(max_entries=2, max_bytes=1000)
    for key in "abc":
        store.put(key, np.zeros(10, np.uint8))
    assert len(store) == 2 and store.get("a") is None
    store.put("big", np.zeros(2000, np.uint8))
    assert store.get("big") is None and store.nbytes == 20


def test_replacing_a_key_keeps_the_byte_count_true():
    store = BoundedStore(max_entries=5, max_bytes=1000)
    store.put("a", np.zeros(100, np.uint8))
    store.put("a", np.zeros(400, np.uint8))
    assert store.nbytes == 400 and len(store) == 1


def test_each_key_is_computed_once_while_sessions_ask_at_the_same_time():
    store = BoundedStore(max_entries=5)
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return np.arange(3)

    results = []
    threads = [threading.Thread(target=lambda: results.append(store.get_or_compute("k", compute))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert all(np.array_equal(result, [0, 1, 2]) for result in results) and len(results) == 4


def test_a_failed_computation_is_not_kept_and_propagates():
    store = BoundedStore(max_entries=5)

    def fail():
        raise ValueError("not an image")

    with pytest.raises(ValueError, match="not an image"):
        store.get_or_compute("k", fail)
    assert store.get("k") is None
    assert store.get_or_compute("k", lambda: 7) == 7
