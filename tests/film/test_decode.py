"""Sampling decodes only what the samples need, and each sample is the very frame a full decode gives."""

from __future__ import annotations

import av
import numpy as np
import pytest

from kmeans_core.film import Sampling, probe
from kmeans_core.film.decode import open_film, sampled_frames
from tests.film.conftest import N_FRAMES


def full_decode(path) -> dict[int, np.ndarray]:
    """Every frame, decoded by PyAV alone (no frame skipped), as its planes, by frame number."""
    with av.open(str(path)) as container:
        return {round(f.time * 24): f.to_ndarray() for f in container.decode(video=0)}


def sampled(path, sampling, start=0) -> dict[int, np.ndarray]:
    info = probe(path)
    container, stream = open_film(path)
    try:
        return {i: f.to_ndarray() for i, f in sampled_frames(container, stream, sampling, info.fps, start=start)}
    finally:
        container.close()


def test_the_h264_clip_has_frames_no_other_frame_refers_to(six_shots):
    # Otherwise the next test would not exercise skipping them.
    with av.open(str(six_shots["h264"])) as container:
        container.streams.video[0].codec_context.skip_frame = "NONREF"
        references = sum(1 for _ in container.decode(video=0))
    assert 0 < references < N_FRAMES - 20


@pytest.mark.parametrize("every, start", [(0.25, 0), (0.125, 0), (1 / 24, 0), (0.375, 40), (2.0, 0)])
def test_every_n_seconds_gives_the_frames_a_full_decode_gives(six_shots, every, start):
    frames = full_decode(six_shots["h264"])
    got = sampled(six_shots["h264"], Sampling("every", every), start=start)
    step = every * 24
    expected = [round(j * step) for j in range(N_FRAMES) if start <= round(j * step) < N_FRAMES]
    assert sorted(got) == sorted(set(expected))
    for index, planes in got.items():
        np.testing.assert_array_equal(planes, frames[index], err_msg=f"frame {index}")


def test_keyframes_are_the_keyframes_a_full_decode_gives(six_shots):
    with av.open(str(six_shots["h264"])) as container:
        keyframes = {round(f.time * 24): f.to_ndarray() for f in container.decode(video=0) if f.key_frame}
    got = sampled(six_shots["h264"], Sampling("keyframes"))
    assert sorted(got) == sorted(keyframes) == list(range(0, N_FRAMES, 12))
    for index, planes in got.items():
        np.testing.assert_array_equal(planes, keyframes[index])
