"""What grows with a film's length is not kept in memory: finished shots' stills and frames, and range results."""

from __future__ import annotations

import gc
import mmap
import time
import types

import numpy as np

from kmeans_core.film import FilmSettings, Sampling, analyse_film, probe
from kmeans_core.film.assemble import ShotAssembler
from kmeans_core.film.ranges import analyse_range, split_ranges
from kmeans_core.histogram import merge_histograms
from tests.film.conftest import SHOT_LENGTHS

SETTINGS = FilmSettings(k=4, sampling=Sampling("all"), refine="none")


def array_bytes_held(root) -> int:
    """The bytes of every in-memory NumPy array reachable from ``root`` (memory maps of files left out)."""
    seen, stack, total = set(), [root], 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (type, types.ModuleType, types.FunctionType)):
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            owner = obj
            while isinstance(owner.base, np.ndarray):
                owner = owner.base
            if id(owner) != id(obj):
                stack.append(owner)
            elif not isinstance(obj, np.memmap) and not isinstance(obj.base, mmap.mmap):
                total += obj.nbytes  # its own data, or a buffer's it is the only view of (PyAV's frames)
            continue
        stack.extend(gc.get_referents(obj))
    return total


def test_the_assembler_holds_no_still_frame_or_histogram_of_a_finished_shot(six_shots):
    path = str(six_shots["h264"])
    info = probe(path)
    ranges = split_ranges(info, SETTINGS, 3)
    results = [analyse_range(path, r, info, SETTINGS) for r in ranges]
    width, height = info.analysis_size
    one_frame = width * height * 3
    assert sum(f.nbytes for r in results for s in r.segments for f in s.kept.values()) > 6 * one_frame
    film_histogram = merge_histograms([r.histogram for r in results])
    assembler = ShotAssembler(info, SETTINGS)
    for result in reversed(results):  # out of order: the later ones wait for the first
        result.histogram = None  # as the engines pass them: the histograms go to the film-wide sum
        assembler.add(result)
    # Every shot is finished: what is left is per sample (frame number, mean and dominant colours,
    # 35 bytes) and the palettes, far less than one frame; the six stills and the kept frames are on disk.
    n_samples = sum(SHOT_LENGTHS)
    held = array_bytes_held(assembler)
    assert held < 64 * n_samples + 6 * 4096, held
    assert held < one_frame
    # The results it was given keep none of it either (a Dask worker may still hold them).
    assert array_bytes_held(results) < 64 * n_samples, array_bytes_held(results)
    film = assembler.finish(film_histogram)
    assert [len(s.sample_frames) for s in film.shots] == list(SHOT_LENGTHS)
    assert all(isinstance(s.still, np.memmap) and s.still.shape == (height, width, 3) for s in film.shots)
    assert all(s.still.any() for s in film.shots)
    # One map for all the stills, so one file descriptor however many shots.
    assert len({id(_map_of(s.still)) for s in film.shots}) == 1


def _map_of(array: np.ndarray):
    while not isinstance(array.base, mmap.mmap):
        array = array.base
    return array.base


def test_threads_engine_lets_each_range_result_go_once_taken(six_shots):
    from distributed import get_client

    held_at_the_end = []

    def progress(done, total, samples):
        if done < total:
            return
        client = get_client()
        deadline = time.monotonic() + 10.0
        while True:  # a release reaches the client's loop soon after, not at once
            held = [k for k, n in client.refcount.items() if n and str(k).startswith("_without_histogram")]
            if not held or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        held_at_the_end.append(len(held))

    film = analyse_film(six_shots["h264"], SETTINGS, scheduler="threads", n_workers=2, n_ranges=4, progress=progress)
    assert len(film.shots) == 6
    assert held_at_the_end == [0]
