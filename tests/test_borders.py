"""detect_bars: letterbox and pillarbox bars found, full-bleed frames left whole."""

from __future__ import annotations

import numpy as np
import pytest

from kmeans_core.borders import bars_mask, detect_bars


@pytest.fixture
def picture(photo):
    return np.array(photo("astronaut", 200)[:150, :200])


def test_full_bleed_photos_have_no_bars(photo_name, photo):
    assert detect_bars(np.asarray(photo(photo_name, 320))) == (0, 0, 0, 0)


def test_noisy_near_black_letterbox_bars_are_found(picture):
    rng = np.random.default_rng(0)
    frame = np.concatenate([rng.integers(0, 31, (18, 200, 3)), picture, rng.integers(0, 31, (12, 200, 3))]).astype(
        np.uint8
    )
    assert detect_bars(frame) == (18, 12, 0, 0)


def test_uniform_grey_pillarbox_bars_are_found(picture):
    grey = np.full((150, 25, 3), 128, np.uint8)
    frame = np.concatenate([grey, picture, grey[:, :15]], axis=1)
    assert detect_bars(frame) == (0, 0, 25, 15)


def test_windowbox_and_its_mask(picture):
    frame = np.zeros((190, 240, 3), np.uint8)
    frame[20:170, 20:220] = picture
    bars = detect_bars(frame)
    assert bars == (20, 20, 20, 20)
    mask = bars_mask(frame.shape[:2], bars)
    assert mask.sum() == 150 * 200 and mask[20:170, 20:220].all()


def test_a_black_frame_or_a_dark_edge_is_not_a_bar(picture):
    assert detect_bars(np.zeros((90, 160, 3), np.uint8)) == (0, 0, 0, 0)
    frame = picture.copy()
    frame[0] = 5  # one dark row is a dark edge of the picture, not a bar
    assert detect_bars(frame) == (0, 0, 0, 0)


def test_bad_pixels_are_refused():
    with pytest.raises(ValueError, match=r"\(h, w, 3\) uint8"):
        detect_bars(np.zeros((4, 4), np.uint8))
