"""Cut detection on generated clips of six shots, in H.264 and ProRes."""

from __future__ import annotations

import numpy as np
import pytest

from kmeans_core.film import FilmSettings, Sampling, analyse_film, colour_signature, cut_score
from tests.film.conftest import CUTS, N_FRAMES


@pytest.mark.parametrize("codec", ["h264", "prores"])
def test_all_frames_finds_every_cut_to_the_frame(six_shots, codec):
    film = analyse_film(six_shots[codec], FilmSettings(k=4, sampling=Sampling("all"), refine="none"), n_ranges=2)
    assert [shot.start_frame for shot in film.shots] == [0, *CUTS]
    assert [shot.end_frame for shot in film.shots] == [c - 1 for c in CUTS] + [N_FRAMES - 1]
    assert film.sample_frames.tolist() == list(range(N_FRAMES))
    assert film.complete


@pytest.mark.parametrize("codec", ["h264", "prores"])
def test_every_n_seconds_finds_every_cut_within_one_sample(six_shots, codec):
    every = 0.25  # 6 frames at 24 fps
    film = analyse_film(
        six_shots[codec], FilmSettings(k=4, sampling=Sampling("every", every), refine="none"), n_ranges=3
    )
    step = round(every * 24)
    assert film.sample_frames.tolist() == list(range(0, N_FRAMES, step))
    starts = [shot.start_frame for shot in film.shots]
    assert len(starts) == len(CUTS) + 1
    for found, cut in zip(starts[1:], CUTS, strict=True):
        assert 0 <= found - cut < step  # the first sample at or after the cut


def test_scores_are_low_within_a_shot_and_high_across_a_cut(photo):
    a = photo("astronaut", 160)
    noisy = np.clip(a + np.random.default_rng(0).normal(0, 3, a.shape), 0, 255).astype(np.uint8)
    shifted = np.roll(a, 3, axis=1)
    other = photo("coffee", 160)[: a.shape[0], : a.shape[1]]
    assert cut_score(colour_signature(a), colour_signature(a)) == 0.0
    assert cut_score(colour_signature(a), colour_signature(noisy)) < 0.1
    assert cut_score(colour_signature(a), colour_signature(shifted)) < 0.1
    assert cut_score(colour_signature(a), colour_signature(other)) > 0.5
    black, white = np.zeros((4, 4, 3), np.uint8), np.full((4, 4, 3), 255, np.uint8)
    assert cut_score(colour_signature(black), colour_signature(white)) == 1.0
