"""The same film gives the same result without Dask, and on local Dask clusters of 1 and 2 workers."""

from __future__ import annotations

import numpy as np
import pytest

from kmeans_core.film import FilmSettings, Sampling, analyse_film

SETTINGS = FilmSettings(k=4, sampling=Sampling("every", 0.25), refine="none")


def summary(film):
    return {
        "palette": film.palette.rgb.tolist(),
        "shares": film.palette.shares.tolist(),
        "shots": [(s.start_frame, s.end_frame, s.palette.hex, s.drift, s.sample_frames.tolist()) for s in film.shots],
        "stills": [s.still.tobytes() for s in film.shots],
        "samples": film.sample_frames.tolist(),
        "mean_lab": film.sample_mean_lab.tolist(),
        "dominant": film.sample_dominant.tolist(),
    }


@pytest.fixture(scope="module")
def reference(six_shots):
    return summary(analyse_film(six_shots["h264"], SETTINGS, n_ranges=1))


@pytest.mark.parametrize("n_ranges", [2, 5, 17])
def test_any_split_into_ranges_gives_the_same_film(six_shots, reference, n_ranges):
    assert summary(analyse_film(six_shots["h264"], SETTINGS, n_ranges=n_ranges)) == reference


def test_local_dask_cluster_of_one_worker_gives_the_same_film(six_shots, reference):
    film = analyse_film(six_shots["h264"], SETTINGS, scheduler="local", n_workers=1, n_ranges=4)
    assert summary(film) == reference
    assert len(film.shots) == 6 and np.isfinite([s.drift for s in film.shots]).all()


def test_a_cluster_of_two_workers_at_its_address_gives_the_same_film(six_shots, reference):
    from distributed import LocalCluster

    # The --scheduler tcp://host:port path: a running cluster, reached by its address.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        film = analyse_film(six_shots["h264"], SETTINGS, scheduler=cluster.scheduler_address, n_ranges=5)
    assert summary(film) == reference


def test_threads_engine_gives_the_same_film(six_shots, reference):
    film = analyse_film(six_shots["h264"], SETTINGS, scheduler="threads", n_workers=2, n_ranges=4)
    assert summary(film) == reference
