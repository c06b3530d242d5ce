"""The film-wide palette, shot palettes and drift against references built from the decoded frames."""

from __future__ import annotations

import av
import numpy as np
import pytest

from kmeans_core import color_histogram, extract_palette, merge_histograms, palette_from_histogram, still_from_pixels
from kmeans_core.borders import detect_bars
from kmeans_core.film import FilmSettings, Sampling, analyse_film
from kmeans_core.scene import histogram_drift

SETTINGS = FilmSettings(k=5, sampling=Sampling("every", 0.25), refine="none")


def decoded_frames(path) -> dict[int, np.ndarray]:
    """Every frame of a 320 x 180 clip, decoded by PyAV alone, by frame number."""
    frames = {}
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            frames[round(frame.time * 24)] = frame.to_ndarray(format="rgb24")
    return frames


@pytest.fixture(scope="module")
def film_and_frames(six_shots):
    path = six_shots["h264"]
    return analyse_film(path, SETTINGS, n_ranges=3), decoded_frames(path)


def test_film_palette_is_the_palette_of_the_sampled_frames_taken_together(film_and_frames):
    film, frames = film_and_frames
    sampled = [frames[i] for i in film.sample_frames.tolist()]
    merged = merge_histograms([color_histogram(f) for f in sampled])
    reference = palette_from_histogram(merged.colors, merged.counts, 5, refine="none")
    np.testing.assert_array_equal(film.palette.rgb, reference.rgb)
    np.testing.assert_allclose(film.palette.shares, reference.shares, rtol=1e-12)
    # The same as extract_palette on the frames tiled into one still (pixel weighting).
    tiled = still_from_pixels(np.concatenate(sampled, axis=0))
    np.testing.assert_array_equal(film.palette.rgb, extract_palette(tiled, 5, refine="none").rgb)


def test_shot_palettes_and_drift_come_from_their_frames(film_and_frames):
    film, frames = film_and_frames
    for shot in film.shots:
        merged = merge_histograms([color_histogram(frames[i]) for i in shot.sample_frames.tolist()])
        expected = palette_from_histogram(merged.colors, merged.counts, 5, refine="none")
        np.testing.assert_array_equal(shot.palette.rgb, expected.rgb)
        drift = histogram_drift(merged.colors, merged.counts, film.palette)
        assert shot.drift == pytest.approx(np.nanmax(drift.drift), rel=1e-12)
        np.testing.assert_array_equal(shot.still, frames[shot.middle_frame])


def test_letterbox_bars_are_left_out(letterboxed):
    settings = FilmSettings(k=4, sampling=Sampling("all"), refine="none")
    film = analyse_film(letterboxed, settings, n_ranges=1)
    with av.open(str(letterboxed)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    pictures = []
    for frame in frames:
        top, bottom, left, right = detect_bars(frame)
        # 22 noisy black rows were painted; compression blurs the edge by a row or two.
        assert 20 <= top <= 22 and 20 <= bottom <= 22 and left == right == 0
        pictures.append(frame[top : frame.shape[0] - bottom])
    merged = merge_histograms([color_histogram(p) for p in pictures])
    expected = palette_from_histogram(merged.colors, merged.counts, 4, refine="none")
    np.testing.assert_array_equal(film.palette.rgb, expected.rgb)
    # Counted, the bars (a quarter of the frame) would swell the darkest colour's share.
    with_bars = analyse_film(letterboxed, FilmSettings(k=4, sampling=Sampling("all"), refine="none", bars=False))

    def darkest_share(palette):
        return palette.shares[np.argmin(palette.rgb.astype(int).sum(axis=1))]

    assert darkest_share(with_bars.palette) - darkest_share(film.palette) > 0.15


def test_ten_bit_prores_keeps_its_precision_until_the_8_bit_step(six_shots):
    film = analyse_film(six_shots["prores"], FilmSettings(k=4, sampling=Sampling("every", 1.0), refine="none"))
    with av.open(str(six_shots["prores"])) as container:
        first = next(container.decode(video=0))
        deep = first.to_ndarray(format="rgb48le").astype(np.int64)
        shallow = first.to_ndarray(format="rgb24").astype(np.int64)
    expected = (deep * 255 + 32767) // 65535
    np.testing.assert_array_equal(film.shots[0].still, expected)
    assert (expected != shallow).any()  # 8-bit conversion straight from 10 bits rounds differently
