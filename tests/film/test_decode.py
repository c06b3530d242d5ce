"""Sampling decodes only what the samples need, and each sample is the very frame a full decode gives."""

from __future__ import annotations

import av
import numpy as np
import pytest

from kmeans_core.film import FilmSettings, Sampling, analyse_film, probe
from kmeans_core.film.decode import open_film, sampled_frames
from tests.film.clipmaker import write_clip
from tests.film.conftest import N_FRAMES, six_shot_specs


@pytest.fixture(scope="module")
def open_gop(film_dir):
    """The six shots in H.264 with open groups of pictures (B-frames before a keyframe refer to the group before)."""
    return write_clip(film_dir / "six_open_gop.mp4", six_shot_specs(), codec="h264", gop=12, bframes=3, open_gop=True)


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


def leading_frames(path) -> list[int]:
    """The frames decoded after a keyframe (not the first) but shown before it."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        leading, keyframe = [], None
        for packet in container.demux(stream):
            if not packet.size:
                continue
            if packet.is_keyframe:
                keyframe = packet.pts
            elif keyframe is not None and packet.pts < keyframe:
                leading.append(round(float(packet.pts * stream.time_base * 24)))
    return sorted(leading)


def test_the_open_gop_clip_has_frames_shown_before_the_keyframe_they_follow(open_gop):
    assert len(leading_frames(open_gop)) >= 4


@pytest.mark.parametrize("sampling", [Sampling("every", 0.125), Sampling("all")], ids=["every 3 frames", "all"])
def test_a_start_at_a_leading_frame_gives_the_full_decodes_frames(open_gop, sampling):
    frames = full_decode(open_gop)
    step = 3 if sampling.mode == "every" else 1
    for start in [1, 40, *leading_frames(open_gop)]:  # a range may start at one: the seek goes back a group
        got = sampled(open_gop, sampling, start=start)
        first = -(-start // step) * step
        assert sorted(got) == list(range(first, N_FRAMES, step)), f"start {start}"
        for index, planes in got.items():
            np.testing.assert_array_equal(planes, frames[index], err_msg=f"start {start}, frame {index}")


def test_an_open_gop_film_is_the_same_however_it_is_split(open_gop):
    settings = FilmSettings(k=4, sampling=Sampling("every", 0.125), refine="none")
    whole = analyse_film(open_gop, settings, n_ranges=1)
    split = analyse_film(open_gop, settings, n_ranges=11)
    assert whole.sample_frames.tolist() == split.sample_frames.tolist() == list(range(0, N_FRAMES, 3))
    assert [s.palette.hex for s in whole.shots] == [s.palette.hex for s in split.shots]
    np.testing.assert_array_equal(whole.palette.rgb, split.palette.rgb)
