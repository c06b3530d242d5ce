"""Running the range tasks: without Dask, on a local Dask cluster, or on a remote one.

:func:`analyse_film` probes the film, splits it into ranges
(:func:`~kmeans_core.film.ranges.split_ranges`), runs one
:func:`~kmeans_core.film.ranges.analyse_range` task per range, and puts the
results together (:class:`~kmeans_core.film.assemble.ShotAssembler`).

Engines (``scheduler``)
    ``None``: a plain loop in this process (no Dask); the reference the
    tests compare the others with.
    ``"threads"`` (the CLI's default): one local Dask worker with a thread per
    core. ``"local"``: a ``distributed.LocalCluster`` with one
    single-threaded worker process per core. Measured here (2 cores, load
    average 6.6 to 7.3 from other work: not a quiet machine) on the first
    two minutes of the bench clip (``bench/film_bench.py --seconds 120
    --engine-modes every,keyframes,all``), wall time, CPU time and peak
    memory of the process tree:

    ==========  ========================  ========================  =========================
    sampling    no Dask                   threads                   processes
    ==========  ========================  ========================  =========================
    every 2 s   8.7 s, 8.6 s CPU, 295M    9.3 s, 9.3 s CPU, 418M    14.2 s, 14.5 s CPU, 1008M
    keyframes   4.0 s, 3.2 s CPU, 406M    4.6 s, 3.6 s CPU, 415M    12.9 s, 9.1 s CPU, 957M
    all frames  28.9 s, 28.8 s CPU, 495M  32.1 s, 32.0 s CPU, 834M  46.5 s, 43.5 s CPU, 1572M
    ==========  ========================  ========================  =========================

    Threads against no Dask is within the load's noise here (with every
    frame and two ranges at a lighter load, threads took 17.7 s against
    22.4 s); processes lose clearly: a cluster's start, CPU for the
    scheduler and nannies, and each worker's own copy of the libraries
    (Numba's included), over 1 GB with every frame. FFmpeg decodes on its
    own threads and the compiled kernels and NumPy release the GIL, so
    threads overlap one range's decoding with another's palettes. On a
    machine with more cores, or a cluster, the same tasks spread out.
    ``"tcp://host:8786"``: ``distributed.Client(address)``; the same tasks run
    unchanged on an existing cluster. The film's path must then be readable
    by the workers at the same path (shared storage).

Reduction
    Each task's histogram stays on its worker; they are merged pairwise in a
    tree of tasks (``merge_histograms`` of two), so that the client only
    receives the film-wide sum, never every partial one. The per-shot data
    goes to the client, which sets the histograms aside on disk.

Memory stays bounded whatever the film's length: a task holds one range's
open shot (its frames added to one running sum of 2^24 counts, at most
2 x 96 frames kept for its still, see :mod:`~kmeans_core.film.shots`),
and the client the results that arrived ahead of their turn (their
histograms already on disk), the shots still open, and per finished shot
its palette plus per sample 35 bytes; finished shots' histograms and stills
wait on disk (:mod:`~kmeans_core.film.assemble`). Each range's result is let
go on the cluster as soon as the client has it. A closed shot's histogram
and a range's are sparse (distinct colours and counts); only the open shot's
running sum is a table of 2^24 counts, one per task (see
:class:`~kmeans_core.film.shots.HistogramSum`).

Measured on the bench clip with every frame, threads engine (RSS sampled
every 20 ms, tracemalloc, and the objects each phase holds; 2 cores, load
average 3 to 8 from other work): before, the 10 minutes peaked at 1108 MB
in the bench (763 MB in a run of its own). What held it: the process after
its imports and the kernels, 192 MB; two 1080p decoders with frame
threads, about 85 MB; the open shots' merges at batches of 2^22 entries,
up to 130 MB each at their peak (two ranges at once); the frames kept for
stills, up to 37 MB per range result, which Dask kept (the results'
futures lived to the end) for every range: 101 MB for the 10 minutes'
five, and some 1.2 GB projected for a two-hour film's sixty; the stills, 173 kB a shot
(20 MB here, about 240 MB for 1,400 shots); and freed memory the allocator
kept (with a fixed ``MALLOC_MMAP_THRESHOLD_`` the two minutes peaked 85 MB
lower), while what tracemalloc saw peaked at 218 MB. After: the 10 minutes
peak at 611 MB and 602 MB in two bench runs (load 4.6 to 6.6, 3.3 to
9.5), the first two minutes at
479 MB (753 MB before; 533 MB with the memory changes but the histograms
still summed by sorting).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import replace

from kmeans_core.film.assemble import FilmResult, ShotAssembler
from kmeans_core.film.decode import probe
from kmeans_core.film.ranges import RangeResult, analyse_range, split_ranges
from kmeans_core.film.settings import FilmSettings
from kmeans_core.histogram import merge_histograms

__all__ = ["ENGINES", "RANGE_SECONDS", "analyse_film"]

ENGINES = (None, "threads", "local")

#: The length of film one range task covers, in seconds (at least two
#: ranges per worker are made, so a slow range does not hold the rest).
#: Each boundary between ranges costs a seek and the decoding of the group
#: of pictures up to the next range's first sample, which both ranges
#: decode: measured on the bench clip sampled every 2 s, 0.17 s of CPU per
#: boundary, 12% on top of the decoding with 30 s ranges, 3% with 120 s.
#: Their number is rounded up to a multiple of the workers: on the 10-minute
#: clip with every frame, five ranges on two threads left the fifth to run
#: alone for the last 38 s of 145 s; sampled every 2 s, six ranges took
#: 36.8 s and 42.4 s (42.3 s and 42.1 s of CPU) where five took 37.9 s and
#: 46.0 s (43.2 s and 43.4 s), alternating, at a load average of 7 to 8.
RANGE_SECONDS = 120.0


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def analyse_film(
    path,
    settings: FilmSettings | None = None,
    *,
    scheduler: str | None = None,
    n_ranges: int | None = None,
    n_workers: int | None = None,
    progress: Callable | None = None,
) -> FilmResult:
    """Analyse a film: shots, their palettes and drift, and the film-wide palette.

    Parameters
    ----------
    path : str or Path
    settings : FilmSettings, optional
        Default ``FilmSettings()``.
    scheduler : None, "local", "threads", or a scheduler address
        See the module docstring.
    n_ranges : int, optional
        How many ranges to split the film into; by default one per
        :data:`RANGE_SECONDS` of film, at least two per worker, and a
        multiple of the workers (so that the last ranges do not leave some
        workers idle).
    n_workers : int, optional
        Workers of a local cluster (default: one per core).
    progress : callable, optional
        Called as ``progress(ranges_done, n_ranges, samples_done)`` after
        each range.

    Returns
    -------
    FilmResult
        With ``errors`` when part of the film could not be read; what could
        be read is in it.

    Raises
    ------
    FilmError
        If the file cannot be opened as a video at all.
    """
    path = str(path)
    settings = FilmSettings() if settings is None else settings
    info = probe(path)
    workers = n_workers or _cores()
    if n_ranges is None:
        n_ranges = workers * math.ceil(max(2 * workers, round(info.duration / RANGE_SECONDS)) / workers)
    ranges = split_ranges(info, settings, n_ranges)
    assembler = ShotAssembler(info, settings)
    report = progress or (lambda done, total, samples: None)
    if scheduler is None:
        total = _run_in_loop(path, ranges, info, settings, assembler, report)
    else:
        total = _run_on_dask(path, ranges, info, settings, assembler, report, scheduler, workers)
    return assembler.finish(total)


def _run_in_loop(path, ranges, info, settings, assembler, report):
    """No Dask: the ranges one after another, their histograms merged as a binary counter."""
    stack: list[tuple[int, object]] = []  # (level, histogram): a tree built as results come
    samples = 0
    for done, time_range in enumerate(ranges, start=1):
        result = analyse_range(path, time_range, info, settings)
        level, histogram = 0, result.histogram
        while stack and stack[-1][0] == level:
            histogram = _merge_two(stack.pop()[1], histogram)
            level += 1
        stack.append((level, histogram))
        samples += result.n_samples
        assembler.add(_without_histogram(result))
        report(done, len(ranges), samples)
    total = None
    for _, histogram in reversed(stack):
        total = _merge_two(histogram, total)
    return total


def _run_on_dask(path, ranges, info, settings, assembler, report, scheduler, workers):
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    elif scheduler == "threads":
        cluster = LocalCluster(n_workers=1, threads_per_worker=workers, processes=False, dashboard_address=None)
    client = Client(cluster if cluster is not None else scheduler)
    try:
        results = [client.submit(analyse_range, path, r, info, settings, pure=False) for r in ranges]
        histograms = [client.submit(_histogram_of, f, pure=False) for f in results]
        light = [client.submit(_without_histogram, f, pure=False) for f in results]
        del results  # each range's full result is released once both views of it exist
        total = _tree(client, histograms)
        del histograms
        samples = 0
        arriving = as_completed(light, with_results=True)
        del light  # each result is let go on the cluster once the assembler has it, not kept to the end
        for done, (future, result) in enumerate(arriving, start=1):
            future.release()
            samples += result.n_samples
            assembler.add(result)
            report(done, len(ranges), samples)
            del future, result
        return total.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _tree(client, futures):
    """Merge futures of histograms pairwise, level by level, on the workers."""
    while len(futures) > 1:
        pairs = [futures[i : i + 2] for i in range(0, len(futures), 2)]
        futures = [client.submit(_merge_two, *pair, pure=False) if len(pair) == 2 else pair[0] for pair in pairs]
    return futures[0]


def _merge_two(a, b=None):
    present = [h for h in (a, b) if h is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return merge_histograms(present)


def _histogram_of(result: RangeResult):
    return result.histogram


def _without_histogram(result: RangeResult) -> RangeResult:
    return replace(result, histogram=None)
