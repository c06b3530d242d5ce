"""Film pipeline benchmark on the generated 1080p H.264 clip (10 minutes by default).

For each sampling mode (every 2 s, keyframes, all frames) it reports, in
wall and CPU seconds (the CPU time of the whole process tree, which a loaded
machine disturbs less than the wall time):

* PyAV decoding every packet in order ("plain decode": what a plain loop
  over ``container.decode`` costs, with ``skip_frame="NONKEY"`` for
  keyframes);
* PyAV decoding alone with the pipeline's own sampling ("decode": the
  floor, the same group skipping, ``NONREF`` skipping and keyframe-only
  packets, no conversion);
* the whole pipeline on the default engine (threads), its ratio to the
  floor (the issue's 0.7x target) and to the plain decode;
* the time projected to a two-hour film (x 12 for the 10-minute clip), for
  the floor and the pipeline;
* the peak memory of the whole process tree (client, scheduler, workers);

and, once:

* the engines (``--engine-modes``): no Dask, one local worker with threads
  (the default), a local cluster of processes;
* with ``--profile every,all``: where the time of one run without Dask goes
  (cProfile's cumulative wall times of decoding, scaling, frame features,
  merges, palettes and drift);
* our cut detector against PySceneDetect's ContentDetector on the clip's
  first two minutes, both against the true cuts (PySceneDetect and OpenCV
  from a throwaway ``pip install --target``; not a project dependency);
* the ``movie-barcodes`` package's barcode of the clip (from a throwaway
  target directory too): its time, and both strips saved for a look.

The clip (``bench/film_clip.py``): x264 ``veryfast`` CRF 23 with its own
keyframes (one per shot here: groups of 2 to 8 s); ``--keyint 48`` for a
keyframe at least every 2 s, as streaming encodes have; ``--seconds 120``
for its first two minutes (the same shots and frames).

Recorded runs (2 cores, other work running: NOT a quiet machine; load
average in brackets), on the first two minutes, ``--seconds 120
--skip-engines --skip-peers``, with the compiled k-means of main::

    x264's keyframes (about 5 s apart; load 2.7 to 2.9)
    mode   samples plain decode       decode     pipeline ratio cpu ratio x plain 2 h decode 2 h pipe peak MB shots
    every       60  7.8 (12.8)    4.3 ( 5.9)   5.6 (10.2)  0.77     0.58    1.39      4.3 m    5.6 m     370    24
    keyframes   24  0.7 ( 0.7)    0.3 ( 0.6)   1.8 ( 3.4)  0.18     0.18    0.37      0.3 m    1.8 m     374    24
    all       2880  7.5 (12.3)    7.3 (11.9)  16.4 (30.6)  0.45     0.39    0.46      7.3 m   16.4 m     712    25

    --keyint 48 (a keyframe at least every 2 s; load 2.5, 5.4 by the end)
    every       60  8.8 (12.7)    3.6 ( 4.8)   5.1 ( 9.2)  0.70     0.52    1.71      3.6 m    5.1 m     362    24
    keyframes   70  1.8 ( 1.8)    0.9 ( 1.8)   2.8 ( 5.4)  0.33     0.33    0.65      0.9 m    2.8 m     368    25
    all       2880  8.3 (13.0)   12.0 (13.2)  34.5 (32.6)  0.35     0.40    0.24     12.0 m   34.5 m     718    25

    engines, x264's keyframes (wall, CPU, peak; load 6.6 to 7.3): every 2 s: no Dask 8.7 s 8.6 s 295 MB,
    threads 9.3 s 9.3 s 418 MB, processes 14.2 s 14.5 s 1008 MB; keyframes: 4.0 s 3.2 s 406 MB,
    4.6 s 3.6 s 415 MB, 12.9 s 9.1 s 957 MB; all frames: 28.9 s 28.8 s 495 MB, 32.1 s 32.0 s 834 MB,
    46.5 s 43.5 s 1572 MB
    where the time goes (--profile, --keyint 48; wall times under cProfile): every 2 s (8.6 s):
        decoding 72%, palettes 15%, scaling 3%, drift 2%, the rest 4%; keyframes (5.2 s): palettes
        39%, decoding 36%, the rest 12%; all frames (30.4 s): decoding 36%, frame features 21%,
        scaling 16%, palettes 11%, merges 7%, drift 2%
    cuts, first 120 s, all frames, to the frame (24 true): ours 24 found, 0 missed, 0 false

Every frame, threads engine, before and after the memory bounds and the
compiled frame count and sums (``--modes all --skip-engines --skip-peers``;
load average in brackets; the wall times move with the load)::

    mode   samples plain decode       decode       pipeline ratio cpu ratio x plain 2 h decode 2 h pipe peak MB shots
    10 minutes, before (quiet): pipeline 95.4 s against a decode of 43.7 s, 0.46x, peak 1108 MB
    10 minutes, after (load 4.6 to 6.6)
    all      14400 63.3 ( 61.3)   53.8 ( 64.6) 124.3 (147.5)  0.43     0.44    0.51     10.8 m   24.9 m     611   117
    again with six ranges, a multiple of the two threads (load 3.3 to 9.5)
    all      14400 65.7 ( 59.8)   62.2 ( 63.8) 158.0 (142.4)  0.39     0.45    0.42     12.4 m   31.6 m     602   117
    2 minutes, before (load 0.5 to 2.4)
    all       2880  7.2 ( 11.6)    8.4 ( 11.8)  25.0 ( 31.6)  0.33     0.37    0.29      8.4 m   25.0 m     753    25
    2 minutes, after (load 2.0 to 3.5)
    all       2880  7.7 ( 12.7)    8.5 ( 12.5)  17.7 ( 31.7)  0.48     0.40    0.44      8.5 m   17.7 m     479    25
    where the time goes after (--profile all, 23.6 s under cProfile): decoding 30%, scaling 24%,
        frame features 21%, palettes 12%, merges 4%, drift 2%

    The CPU time of a whole run moves by 10% from run to run at these loads,
    more than the compiled count and sums save (about 0.9 ms of CPU a frame,
    measured on their own: 1.30 ms against 1.73 ms for a frame's features,
    0.30 ms against 0.78 ms for adding a frame to its shot's histogram).

The whole 10-minute clip after those changes, on a **quiet** machine (nothing
else running, load average 1.1 at the start; ``--skip-engines --skip-peers``)::

    mode   samples plain decode     decode   pipeline ratio cpu ratio x plain 2 h decode 2 h pipe peak MB shots
    every      300 39.1 ( 63.6) 20.4 (28.0) 22.7 ( 43.0) 0.90   0.65    1.72     4.1 m    4.5 m     394   117
    keyframes  116  3.0 (  3.0)  1.5 ( 2.7)  6.2 ( 11.6) 0.24   0.23    0.49     0.3 m    1.2 m     414   113
    all      14400 37.7 ( 61.3) 37.5 (61.2) 70.8 (132.5) 0.53   0.46    0.53     7.5 m   14.2 m     665   117

Before the sampling changes (10-minute clip, process cluster, load 7 to 9):
every 2 s 0.83x of the then slower floor, 2-hour projection 27.8 min;
keyframes 0.25x; all frames 0.38x, peak 1528 MB. PySceneDetect's
ContentDetector (min_scene_len=1) found the 24 cuts with 20 false ones in
45 s; movie-barcodes took 89.5 s for its strip.

Run: ``python bench/film_bench.py [--seconds 120] [--keyint 48] [--modes every,keyframes,all]
[--engine threads] [--engine-modes every,all] [--profile every] [--skip-engines] [--skip-peers]``.
The clip is made on first use and cached under ``bench/output/``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.film_clip import OUTPUT, clip_arguments, ensure_clip  # noqa: E402
from kmeans_core import warm_up  # noqa: E402
from kmeans_core.film import FilmSettings, Sampling, analyse_film, barcode, probe  # noqa: E402
from kmeans_core.film.decode import open_film, sampled_frames  # noqa: E402

SD_TARGET = Path("/tmp/sd_pkgs")  # pip install --target /tmp/sd_pkgs scenedetect==0.7.2 opencv-python-headless
MB_TARGET = Path("/tmp/mb_pkgs")  # pip install --target /tmp/mb_pkgs movie-barcodes
MODES = {"every": Sampling("every", 2.0), "keyframes": Sampling("keyframes"), "all": Sampling("all")}
TWO_HOURS = 7200.0


class PeakMemory:
    """The peak resident memory of this process and all its children, sampled every 0.1 s, and their CPU time."""

    def __init__(self):
        self.peak, self._stop = 0, threading.Event()
        self._cpu: dict[int, float] = {}
        self._cpu_start = _cpu_seconds(psutil.Process())

    def _sample(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                    self._cpu[process.pid] = _cpu_seconds(process)
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.1)

    @property
    def cpu(self) -> float:
        """CPU seconds (user + system) used by this process and its children while measured."""
        return sum(self._cpu.values()) - self._cpu_start

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._cpu[os.getpid()] = _cpu_seconds(psutil.Process())


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def decode_only(path: Path, sampling: Sampling) -> tuple[int, float, float]:
    """PyAV decoding alone, with the pipeline's sampling: (samples, wall seconds, CPU seconds)."""
    info = probe(path)
    container, stream = open_film(path)
    start, cpu = time.perf_counter(), time.process_time()
    n = sum(1 for _ in sampled_frames(container, stream, sampling, info.fps))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    container.close()
    return n, seconds, cpu


def plain_decode(path: Path, sampling: Sampling) -> tuple[float, float]:
    """The plain way: every packet to the decoder in order (with ``skip_frame="NONKEY"`` for keyframes).

    Returns (wall seconds, CPU seconds).
    """
    container, stream = open_film(path)
    if sampling.mode == "keyframes":
        stream.codec_context.skip_frame = "NONKEY"
    start, cpu = time.perf_counter(), time.process_time()
    for _ in container.decode(stream):
        pass
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    container.close()
    return seconds, cpu


def pipeline(path: Path, sampling: Sampling, scheduler):
    """The whole analysis: (film, wall seconds, peak bytes, CPU seconds of the process tree)."""
    with PeakMemory() as memory:
        start = time.perf_counter()
        film = analyse_film(path, FilmSettings(k=8, sampling=sampling), scheduler=scheduler)
        seconds = time.perf_counter() - start
    return film, seconds, memory.peak, memory.cpu


#: The parts of the pipeline the profile reports, by the functions that do each.
PARTS = {
    "decoding (waiting for frames)": [("decode.py", "sampled_frames")],
    "scaling to 320 px (FFmpeg)": [("decode.py", "analysis_pixels")],
    "frame signature, bars": [("ranges.py", "frame_features")],
    "counting colours into the shot": [("framecount.py", "add"), ("framecount.py", "take")],
    "merging histograms": [("histogram.py", "merge_packed"), ("framecount.py", "add_up")],
    "palettes (k-means; shots and film)": [("shots.py", "shot_palette")],
    "drift": [("drift.py", "histogram_drift")],
}


def profile(path: Path, sampling: Sampling) -> None:
    """Where the wall time of one run without Dask goes (cProfile's cumulative times; they overlap)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    analyse_film(path, FilmSettings(k=8, sampling=sampling), scheduler=None)
    profiler.disable()
    total = time.perf_counter() - start
    stats = pstats.Stats(profiler).stats
    print(f"where the time goes, {sampling.describe()}, no Dask, under cProfile: {total:.1f} s")
    for label, functions in PARTS.items():
        seconds = sum(
            v[3] for (f, _, name), v in stats.items() if any(f.endswith(p) and name == n for p, n in functions)
        )
        print(f"  {label:<36} {seconds:6.1f} s {seconds / total:6.0%}")


def match_cuts(found: list[int], truth: list[int], tolerance: int) -> tuple[int, int, int]:
    """(true positives, misses, false cuts), a found cut matching a true one within ``tolerance`` frames."""
    unmatched = list(truth)
    hits = 0
    for cut in found:
        near = [t for t in unmatched if abs(t - cut) <= tolerance]
        if near:
            unmatched.remove(near[0])
            hits += 1
    return hits, len(unmatched), len(found) - hits


def scenedetect_cuts(path: Path, seconds: float) -> tuple[list[int], float] | None:
    if not SD_TARGET.exists():
        return None
    code = (
        "import json, time\n"
        "from scenedetect import detect, ContentDetector\n"
        "t = time.perf_counter()\n"
        f"scenes = detect({str(path)!r}, ContentDetector(min_scene_len=1), end_time={seconds})\n"
        "print(json.dumps({'cuts': [s[0].get_frames() for s in scenes[1:]], 'seconds': time.perf_counter() - t}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SD_TARGET)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=3600)
    if done.returncode != 0:
        print("PySceneDetect failed:", done.stderr.strip().splitlines()[-1:])
        return None
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["cuts"], result["seconds"]


def movie_barcodes(path: Path, out: Path) -> float | None:
    if not MB_TARGET.exists():
        return None
    code = (
        "import sys\n"
        f"sys.argv = ['movie-barcodes', '-i', {str(path)!r}, '-d', {str(out / 'movie_barcodes.png')!r}, '-m', 'avg',"
        f" '-w', '2', '--width', '1200', '--height', '120']\n"
        "from src.main import main\n"
        "main()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(MB_TARGET)}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as cwd:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=cwd, timeout=3600
        )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print("movie-barcodes failed:", done.stderr.strip().splitlines()[-1:])
        return None
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modes", default="every,keyframes,all")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-engines", action="store_true")
    parser.add_argument("--engine", default="threads", help="the engine of the per-mode table (threads, local, none)")
    parser.add_argument("--engine-modes", default="every", help="the modes the engines are compared on")
    parser.add_argument("--only-movie-barcodes", action="store_true", help="just the movie-barcodes comparison")
    parser.add_argument("--profile", default="", help="modes to profile (where the time goes), such as every,all")
    clip_arguments(parser)
    args = parser.parse_args()
    if args.only_movie_barcodes:
        args.modes, args.skip_engines = "", True
    engine = None if args.engine == "none" else args.engine
    clip, truth = ensure_clip(args.seconds, args.keyint)
    warm_up()  # the compiled kernels, from Numba's cache or compiled now: not part of any timing
    info = probe(clip)
    out = OUTPUT / "film_bench" / clip.stem
    out.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(
        f"clip: {clip.name}, {info.width}x{info.height} {info.codec}, {info.duration:.0f} s, {info.n_frames} frames, "
        f"{len(truth) + 1} shots; keyframes at most every {args.keyint or 250} frames and at scene cuts; "
        f"{psutil.cpu_count()} cores; load average {load[0]:.1f} at start"
    )
    modes = [m for m in args.modes.split(",") if m]
    if modes:
        print()
        print(f"per-mode table on the {engine!r} engine (wall seconds; CPU seconds of the process tree in brackets)")
        print(
            f"{'mode':<10} {'samples':>7} {'plain decode':>14} {'decode':>14} {'pipeline':>14} {'ratio':>6} "
            f"{'cpu ratio':>9} {'x plain':>7} {'2 h decode':>10} {'2 h pipe':>9} {'peak MB':>8} {'shots':>6}"
        )
    films = {}
    for mode in modes:
        sampling = MODES[mode]
        plain_seconds, plain_cpu = plain_decode(clip, sampling)
        n, decode_seconds, decode_cpu = decode_only(clip, sampling)
        film, seconds, peak, cpu = pipeline(clip, sampling, engine)
        films[mode] = film
        assert len(film.sample_frames) == n, (len(film.sample_frames), n)
        scale = TWO_HOURS / info.duration / 60
        print(
            f"{mode:<10} {n:>7} {plain_seconds:>6.1f} ({plain_cpu:>5.1f}) {decode_seconds:>6.1f} ({decode_cpu:>5.1f}) "
            f"{seconds:>6.1f} ({cpu:>5.1f}) {decode_seconds / seconds:>6.2f} {decode_cpu / cpu:>9.2f} "
            f"{plain_seconds / seconds:>7.2f} {decode_seconds * scale:>8.1f} m {seconds * scale:>7.1f} m "
            f"{peak / 2**20:>8.0f} {len(film.shots):>6}",
            flush=True,
        )
        strip = barcode(film, columns="frames", colours="mean", height=120)
        Image.fromarray(strip).resize((1200, 120), Image.Resampling.BOX).save(out / f"ours_{mode}_mean.png")
        Image.fromarray(barcode(film, columns="shots", colours="dominant")).save(out / f"ours_{mode}_shots.png")
    for mode in filter(None, args.profile.split(",")):
        print()
        profile(clip, MODES[mode])
    if not args.skip_engines:
        print()
        print(f"engines on {', '.join(args.engine_modes.split(','))} (wall time, CPU time, peak memory):")
        for mode in args.engine_modes.split(","):
            for scheduler in (None, "threads", "local"):
                _, seconds, peak, cpu = pipeline(clip, MODES[mode], scheduler)
                line = f"  {mode:<10} {str(scheduler):<8} {seconds:7.1f} s {cpu:7.1f} s CPU {peak / 2**20:7.0f} MB"
                print(line, flush=True)
    if "all" in films and not args.only_movie_barcodes:
        all_cuts = [shot.start_frame for shot in films["all"].shots[1:]]
        horizon = 120 * info.fps
        ours = [c for c in all_cuts if c < horizon]
        true_cuts = [c for c in truth if c < horizon]
        hits, misses, false = match_cuts(ours, true_cuts, 0)
        print()
        print(f"cuts in the first 120 s ({len(true_cuts)} true), all frames, exact frame:")
        print(f"  ours:          {hits} found, {misses} missed, {false} false")
        if not args.skip_peers:
            sd = scenedetect_cuts(clip, 120.0)
            if sd is not None:
                sd_cuts, sd_seconds = sd
                hits, misses, false = match_cuts(sd_cuts, true_cuts, 0)
                print(
                    f"  PySceneDetect: {hits} found, {misses} missed, {false} false (ContentDetector, "
                    f"min_scene_len=1; {sd_seconds:.0f} s for 120 s of film)"
                )
    if not args.skip_peers:
        seconds = movie_barcodes(clip, out)
        if seconds is not None:
            print()
            print(f"movie-barcodes (avg, 2 workers, every frame): {seconds:.1f} s; strips in {out}")
    print(f"strips: {out}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
