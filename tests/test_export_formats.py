"""The newer export formats: Photoshop .aco, Procreate .swatches, CSV and the mood board.

Each file is parsed back by a reader written here from the format's
documentation (Adobe's Photoshop file format specification for .aco; the
Procreate swatches layout, a ZIP holding ``Swatches.json``; RFC 4180 CSV
through the csv module), not from kmeans_core's writers or its
``read_palette``. ``read_aco``, ``read_procreate`` and ``swatch_rectangles``
are also used by ``test_cli_lut.py``.
"""

from __future__ import annotations

import colorsys
import csv
import io
import json
import re
import struct
import zipfile

import numpy as np
import pytest
from PIL import Image

from kmeans_core import (
    EXPORTS,
    FRAME_EXPORT,
    Palette,
    export_filename,
    export_palette,
    frame_filename,
    to_aco,
    to_ase,
    to_csv,
    to_gpl,
    to_mood_board,
    to_procreate_swatches,
)
from tests.test_exports import read_ase, read_gpl

# --------------------------------------------------------------------------- readers


def read_aco(data: bytes) -> dict:
    """Parse a Photoshop .aco file: ``{version: [(space, (w, x, y, z), name or None), ...]}``.

    Each section is a uint16 version and a uint16 count, then per colour five
    uint16 (colour space, w, x, y, z); version 2 adds a uint32 length (UTF-16
    code units with the final null) and the UTF-16BE name. All big-endian.
    """
    sections, pos = {}, 0
    while pos < len(data):
        version, count = struct.unpack_from(">HH", data, pos)
        pos += 4
        entries = []
        for _ in range(count):
            space, *values = struct.unpack_from(">5H", data, pos)
            pos += 10
            name = None
            if version == 2:
                (units,) = struct.unpack_from(">I", data, pos)
                raw = data[pos + 4 : pos + 4 + 2 * units]
                assert len(raw) == 2 * units and raw[-2:] == b"\x00\x00"
                name = raw[:-2].decode("utf-16-be")
                pos += 4 + 2 * units
            entries.append((space, tuple(values), name))
        assert version not in sections
        sections[version] = entries
    assert pos == len(data)
    return sections


def read_procreate(data: bytes) -> dict:
    """Open a Procreate .swatches ZIP and return its one palette object."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["Swatches.json"]
        document = json.loads(archive.read("Swatches.json").decode("utf-8"))
    assert isinstance(document, list) and len(document) == 1
    return document[0]


def swatch_rectangles(png: bytes, colors) -> tuple[tuple[int, int], list[tuple[int, int, int, int]]]:
    """The image size, and for each colour the box ``(left, top, right, bottom)`` of its swatch.

    A swatch is the first solid rectangle of exactly that colour in the
    lower half of the image, at least 40 pixels wide and not touching the
    image's sides (so that a swatch the colour of the board's background is
    found by its outline, not confused with the background).
    """
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        size = image.size
        pixels = np.asarray(image.convert("RGB"))
    height, width = pixels.shape[:2]
    boxes = []
    for color in colors:
        match = (pixels == np.asarray(color, dtype=np.uint8)).all(axis=2)
        best = None
        for top in range(height // 2, height):
            row = np.r_[False, match[top], False].astype(np.int8)
            edges = np.flatnonzero(np.diff(row))
            runs = [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b - a >= 40 and a > 0 and b < width]
            if runs:
                left, right = runs[0]
                bottom = top
                while bottom < height and match[bottom, left:right].all():
                    bottom += 1
                best = (int(left), int(top), int(right), int(bottom))
                break
        assert best is not None, f"no swatch of colour {color}"
        boxes.append(best)
    return size, boxes


@pytest.fixture
def palette() -> Palette:
    rgb = np.array([[200, 30, 40], [12, 34, 56], [250, 250, 250], [90, 160, 70], [0, 0, 0]], dtype=np.uint8)
    shares = np.array([0.41, 0.27, 0.17, 0.1, 0.05])
    return Palette(rgb=rgb, shares=shares, inertia=1234.5, space="lab", init="k-means++", seed=7, order="share")


LABELS = ["#C81E28 41.0%", "#0C2238 27.0%", "#FAFAFA 17.0%", "#5AA046 10.0%", "#000000 5.0%"]


# --------------------------------------------------------------------------- aco


def test_aco_has_a_version_1_then_a_version_2_section_with_names(palette):
    sections = read_aco(to_aco(palette))
    assert list(sections) == [1, 2]
    expected = [(0, (r * 257, g * 257, b * 257, 0)) for r, g, b in palette.rgb.tolist()]
    assert [(space, values) for space, values, _ in sections[1]] == expected
    assert [name for _, _, name in sections[1]] == [None] * palette.k
    assert [(space, values) for space, values, _ in sections[2]] == expected
    assert [name for _, _, name in sections[2]] == LABELS


def test_aco_byte_for_byte_for_one_colour():
    red = Palette(rgb=np.array([[255, 0, 0]], dtype=np.uint8), shares=np.array([1.0]), inertia=0.0)
    name = "#FF0000".encode("utf-16-be") + b"\x00\x00"
    spec = b"\x00\x00" + b"\xff\xff" + b"\x00\x00" * 3
    expected = b"\x00\x01\x00\x01" + spec + b"\x00\x02\x00\x01" + spec + b"\x00\x00\x00\x08" + name
    assert to_aco(red, shares_in_names=False) == expected


# --------------------------------------------------------------------------- procreate


def test_procreate_swatches_hold_hsb_colours(palette):
    document = read_procreate(to_procreate_swatches(palette, name="Chelsea\nk5"))
    assert document["name"] == "Chelsea k5"
    swatches = document["swatches"]
    assert len(swatches) == palette.k
    for swatch, (r, g, b) in zip(swatches, palette.rgb.tolist()):
        assert set(swatch) == {"hue", "saturation", "brightness", "alpha", "colorSpace"}
        assert swatch["alpha"] == 1 and swatch["colorSpace"] == 0
        assert all(0.0 <= swatch[key] <= 1.0 for key in ("hue", "saturation", "brightness"))
        back = colorsys.hsv_to_rgb(swatch["hue"], swatch["saturation"], swatch["brightness"])
        assert [round(v * 255) for v in back] == [r, g, b]


def test_procreate_swatches_are_deterministic_and_capped(palette):
    assert to_procreate_swatches(palette) == to_procreate_swatches(palette)
    many = Palette(rgb=np.arange(93, dtype=np.uint8).reshape(31, 3), shares=np.full(31, 1 / 31), inertia=0.0)
    with pytest.raises(ValueError, match=r"k=31 but a Procreate palette holds at most 30 colours"):
        to_procreate_swatches(many)


# --------------------------------------------------------------------------- csv


def test_csv_reads_back_with_the_csv_module(palette):
    rows = list(csv.DictReader(io.StringIO(to_csv(palette))))
    assert list(rows[0]) == ["hex", "r", "g", "b", "share"]
    assert [row["hex"] for row in rows] == list(palette.hex)
    assert [[int(row[c]) for c in "rgb"] for row in rows] == palette.rgb.tolist()
    np.testing.assert_array_equal([float(row["share"]) for row in rows], palette.shares)  # full precision


# --------------------------------------------------------------------------- shares in names


def test_gpl_ase_and_aco_can_leave_shares_out_of_names(palette):
    assert [label for _, label in read_gpl(to_gpl(palette))["rows"]] == LABELS
    assert [label for _, label in read_gpl(to_gpl(palette, shares_in_names=False))["rows"]] == list(palette.hex)
    assert [c["name"] for c in read_ase(to_ase(palette, shares_in_names=False))["colors"]] == list(palette.hex)
    assert [n for _, _, n in read_aco(to_aco(palette, shares_in_names=False))[2]] == list(palette.hex)
    assert [c["name"] for c in read_ase(export_palette(palette, "ase", shares_in_names=True))["colors"]] == LABELS
    with pytest.raises(ValueError, match=r"shares_in_names='no' must be True or False"):
        to_gpl(palette, shares_in_names="no")


# --------------------------------------------------------------------------- mood board


@pytest.fixture
def frame() -> np.ndarray:
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, size=(90, 160, 3), dtype=np.uint8)
    pixels[:, :80] = (30, 200, 120)
    return pixels


@pytest.mark.parametrize("width", [1200, 400, 2000])
def test_mood_board_shows_the_frame_and_every_swatch(palette, frame, width):
    png = to_mood_board(palette, frame=frame, name="Chelsea.jpg", width=width)
    size, boxes = swatch_rectangles(png, palette.rgb.tolist())
    assert size[0] == width and width * 0.5 < size[1] < width * 1.2
    lefts = [box[0] for box in boxes]
    assert lefts == sorted(lefts)  # in the palette's order, left to right
    for left, top, right, bottom in boxes:
        assert right - left >= width // 12 and bottom - top >= width // 24  # big enough to see
        assert 0 < left < right <= width and bottom <= size[1]
    with Image.open(io.BytesIO(png)) as image:
        pixels = np.asarray(image.convert("RGB"))
    assert ((pixels == (30, 200, 120)).all(axis=2)).sum() > 0.3 * (width / 160) ** 2 * 80 * 90  # the frame is there
    # Text: dark ink under each swatch (hex, RGB, share) and in the title band.
    for left, _, right, bottom in boxes:
        below = pixels[bottom + 2 : bottom + width // 12, left:right]
        assert (below.max(axis=2) < 100).any()
    assert (pixels[: width // 40 + 10].max(axis=2) < 100).any()


def test_mood_board_labels_change_with_the_palette(palette, frame):
    # The text is drawn from the palette: another share gives other pixels under the swatch.
    other = Palette(rgb=palette.rgb, shares=np.array([0.05, 0.27, 0.17, 0.1, 0.41]), inertia=1.0)
    first, second = to_mood_board(palette, frame=frame), to_mood_board(other, frame=frame)
    a = np.asarray(Image.open(io.BytesIO(first)).convert("RGB"))
    b = np.asarray(Image.open(io.BytesIO(second)).convert("RGB"))
    assert a.shape == b.shape and (a != b).any()
    frame_rows = int(a.shape[0] * 0.5)
    np.testing.assert_array_equal(a[:frame_rows], b[:frame_rows])


def test_mood_board_composites_a_transparent_frame(palette, frame):
    rgba = np.dstack([frame, np.zeros(frame.shape[:2], dtype=np.uint8)])
    png = to_mood_board(palette, frame=rgba)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    assert not ((pixels == (30, 200, 120)).all(axis=2)).any()


@pytest.mark.parametrize(
    "options, match",
    [
        ({"width": 399}, r"width=399 must be an integer from 400 to 4096"),
        ({"width": 5000}, r"width=5000"),
        ({"frame": np.zeros((4, 4), np.uint8)}, r"frame must be .* got shape \(4, 4\)"),
    ],
)
def test_mood_board_rejects_bad_input(palette, frame, options, match):
    with pytest.raises(ValueError, match=match):
        to_mood_board(palette, **{"frame": frame, **options})


# --------------------------------------------------------------------------- the table


def test_export_palette_passes_frame_and_options_only_where_they_belong(palette, frame):
    with pytest.raises(ValueError, match=r"format='moodboard' needs the frame"):
        export_palette(palette, "moodboard")
    with pytest.raises(ValueError, match=r"format='hex' takes no option 'size' \(its options: none\)"):
        export_palette(palette, "hex", size=17)
    with pytest.raises(ValueError, match=r"format='gpl' takes no option 'strength' \(its options: shares_in_names\)"):
        export_palette(palette, "gpl", strength=0.5)
    assert export_palette(palette, "hex", frame=frame) == export_palette(palette, "hex")
    board = export_palette(palette, "moodboard", frame=frame, name="x.jpg")
    assert board == to_mood_board(palette, frame=frame, name="x.jpg")
    assert EXPORTS["moodboard"].extension == "png" and EXPORTS["cube"].extension == "cube"
    assert EXPORTS["swatches"].mime == "application/zip" and EXPORTS["csv"].mime == "text/csv"


def test_frame_export_and_its_file_name(frame):
    assert FRAME_EXPORT.extension == "png" and FRAME_EXPORT.mime == "image/png"
    with Image.open(io.BytesIO(FRAME_EXPORT.function(frame))) as image:
        np.testing.assert_array_equal(np.asarray(image), frame)
    assert frame_filename("shot.01.final.jpeg", 8) == "shot_01_final_frame_k8.png"
    assert frame_filename("x" * 500 + ".jpg", 3) == "x" * 60 + "_frame_k3.png"
    assert frame_filename(None, 2) == "still_frame_k2.png"
    assert export_filename("Astronaut.jpg", 6, "cube", suffix="strength80") == "Astronaut_k6_strength80.cube"
    with pytest.raises(ValueError, match=re.escape("suffix='../x' must be 1 to 30 ASCII letters")):
        export_filename("a.jpg", 6, "cube", suffix="../x")
