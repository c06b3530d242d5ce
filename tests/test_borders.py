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


def _is_bar_by_numpy(line: np.ndarray, dark: int = 30, spread: float = 2.0) -> bool:
    """The rule as the module's docstring states it, in plain NumPy: dark (no channel above twice
    the dark level, at most 5% of the pixels above it) or uniform (each channel's standard
    deviation at most ``spread``)."""
    brightest = line.max(axis=1)
    if brightest.max() <= 2 * dark and np.count_nonzero(brightest > dark) <= 0.05 * len(line):
        return True
    return bool((line.std(axis=0) <= spread).all())


def _bars_by_numpy(frame: np.ndarray) -> tuple[int, int, int, int]:
    def run(lines, minimum):
        count = 0
        for line in lines:
            if not _is_bar_by_numpy(line):
                break
            count += 1
        return count if count >= max(2, minimum) else 0

    height, width = frame.shape[:2]
    top = run([frame[y] for y in range(height)], 0.01 * height)
    if top == height:
        return 0, 0, 0, 0
    bottom = run([frame[y] for y in range(height - 1, top - 1, -1)], 0.01 * height)
    inner = frame[top : height - bottom]
    left = run([inner[:, x] for x in range(width)], 0.01 * width)
    if left == width:
        return 0, 0, 0, 0
    right = run([inner[:, x] for x in range(width - 1, left - 1, -1)], 0.01 * width)
    return top, bottom, left, right


def test_the_compiled_test_follows_the_rule_on_random_bars(picture):
    """Bars of every kind (noisy black with a few bright specks, flat or grainy grey, grain at the
    limit of uniform, coloured, too thin to count, one pixel too bright) around the photo,
    against the rule in NumPy."""
    rng = np.random.default_rng(12)
    cases = 0
    for _ in range(100):
        top, bottom, left, right = (int(v) for v in rng.integers(0, 30, 4))
        frame = rng.integers(0, 256, (150 + top + bottom, 200 + left + right, 3)).astype(np.uint8)
        frame[top : top + 150, left : left + 200] = picture
        kind = int(rng.integers(0, 5))
        level = {0: rng.integers(0, 31), 1: 128, 2: rng.integers(0, 256), 3: 40, 4: 128}[kind]
        spread = {1: 2, 3: 2, 4: 3}.get(kind, 0)  # grain of -3..3 has a deviation of 2, the limit itself
        noise = rng.integers(-spread, spread + 1, frame.shape) if spread else rng.integers(0, 2, frame.shape)
        bars = np.clip(level + noise, 0, 255).astype(np.uint8)
        edge = np.ones(frame.shape[:2], bool)
        edge[top : top + 150, left : left + 200] = False
        frame[edge] = bars[edge]
        if rng.random() < 0.3:  # a speck: bright in a dark bar, or an outlier in a flat one
            y, x = np.argwhere(edge)[rng.integers(0, edge.sum())] if edge.any() else (0, 0)
            frame[y, x] = 255
        assert detect_bars(frame) == _bars_by_numpy(frame), (top, bottom, left, right, kind)
        cases += detect_bars(frame) != (0, 0, 0, 0)
    assert cases > 20  # most frames do have bars


def test_grain_exactly_at_the_limit_is_uniform_and_just_past_it_is_not(picture):
    """A grey bar alternating 126 and 130 deviates by exactly 2 (a bar); 125 and 131 by 3 (picture)."""
    for low, high, bar in ((126, 130, True), (125, 131, False)):
        rows = np.where(np.indices((8, 200))[1] % 2 == 0, low, high).astype(np.uint8)
        frame = np.concatenate([np.repeat(rows[:, :, None], 3, axis=2), picture])
        assert detect_bars(frame) == ((8, 0, 0, 0) if bar else (0, 0, 0, 0)) == _bars_by_numpy(frame)
