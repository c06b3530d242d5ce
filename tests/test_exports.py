"""Exports: every format parses back to the palette it was made from.

The GIMP and ASE readers below are written from the formats' layouts, not
from kmeans_core, so that a writer bug cannot hide behind a matching reader
bug. ``read_gpl`` and ``read_ase`` are also used by ``test_cli.py``.
"""

from __future__ import annotations

import io
import json
import math
import re
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kmeans_core import (
    EXPORTS,
    Palette,
    export_filename,
    export_palette,
    extract_palette,
    palette_from_json,
    quantize,
    still_from_pixels,
    swatch_widths,
    to_ase,
    to_css,
    to_frame_png,
    to_gpl,
    to_hex_text,
    to_json,
    to_swatch_png,
)

# --------------------------------------------------------------------------- readers


def read_gpl(text: str) -> dict:
    """Parse a GIMP palette: its name, columns and ``(rgb, name)`` rows."""
    lines = text.splitlines()
    assert lines[0] == "GIMP Palette", lines[0]
    name, columns, rows = None, None, []
    for line in lines[1:]:
        if line.startswith("Name:"):
            assert name is None, "two Name lines"
            name = line[len("Name:") :].strip()
        elif line.startswith("Columns:"):
            columns = int(line[len("Columns:") :])
        elif line.startswith("#") or not line.strip():
            continue
        else:
            values, _, label = line.partition("\t")
            r, g, b = (int(v) for v in values.split())
            assert all(0 <= v <= 255 for v in (r, g, b)), line
            rows.append(((r, g, b), label))
    return {"name": name, "columns": columns, "rows": rows}


def _read_ase_name(body: bytes, pos: int) -> tuple[str, int]:
    (units,) = struct.unpack_from(">H", body, pos)
    pos += 2
    raw = body[pos : pos + 2 * units]
    assert len(raw) == 2 * units, "name runs past the block"
    assert raw[-2:] == b"\x00\x00", "name is not null-terminated"
    return raw[:-2].decode("utf-16-be"), pos + 2 * units


def read_ase(data: bytes) -> dict:
    """Parse an Adobe Swatch Exchange file strictly.

    Returns the group names and the colour entries as dicts with ``name``,
    ``model``, ``values`` and ``type``; every block must be consumed
    exactly and the block count must match.
    """
    assert data[:4] == b"ASEF", data[:4]
    major, minor, count = struct.unpack_from(">HHI", data, 4)
    assert (major, minor) == (1, 0)
    pos, blocks, groups, colors, depth = 12, 0, [], [], 0
    while pos < len(data):
        kind, length = struct.unpack_from(">HI", data, pos)
        pos += 6
        body = data[pos : pos + length]
        assert len(body) == length, "block runs past the end of the file"
        pos += length
        blocks += 1
        if kind == 0xC001:
            name, end = _read_ase_name(body, 0)
            assert end == length
            groups.append(name)
            depth += 1
        elif kind == 0xC002:
            assert length == 0 and depth == 1
            depth -= 1
        elif kind == 0x0001:
            name, at = _read_ase_name(body, 0)
            model = body[at : at + 4].decode("ascii")
            n_values = {"RGB ": 3, "LAB ": 3, "CMYK": 4, "Gray": 1}[model]
            values = struct.unpack_from(f">{n_values}f", body, at + 4)
            (color_type,) = struct.unpack_from(">H", body, at + 4 + 4 * n_values)
            assert at + 4 + 4 * n_values + 2 == length, "colour block has trailing bytes"
            colors.append({"name": name, "model": model, "values": values, "type": color_type})
        else:
            raise AssertionError(f"unknown block type {kind:#06x}")
    assert depth == 0, "group not closed"
    assert blocks == count, f"header says {count} blocks, file has {blocks}"
    return {"groups": groups, "colors": colors}


def swatch_runs(png: bytes) -> tuple[tuple[int, int], list[tuple[tuple[int, int, int], int]]]:
    """Open a swatch PNG and measure its bars: ``(size, [(rgb, width), ...])``."""
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        size = image.size
        pixels = np.asarray(image.convert("RGB"))
    assert (pixels == pixels[:1]).all(), "every row of the strip must be the same"
    row = pixels[0]
    starts = np.flatnonzero(np.r_[True, (row[1:] != row[:-1]).any(axis=1)])
    widths = np.diff(np.r_[starts, len(row)])
    return size, [(tuple(row[s].tolist()), int(w)) for s, w in zip(starts, widths)]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def palette() -> Palette:
    rgb = np.array([[200, 30, 40], [12, 34, 56], [250, 250, 250], [90, 160, 70], [0, 0, 0]], dtype=np.uint8)
    shares = np.array([0.41, 0.27, 0.17, 0.1, 0.05])
    return Palette(rgb=rgb, shares=shares, inertia=1234.5, space="lab", init="k-means++", seed=7, order="share")


@pytest.fixture(scope="module")
def photo_still():
    from skimage import data

    small = np.asarray(Image.fromarray(data.chelsea()).resize((75, 50), Image.Resampling.BILINEAR))
    return still_from_pixels(small)


def _share_text(share: float) -> str:
    return f"{100 * share:.1f}%"


# --------------------------------------------------------------------------- hex, css


def test_hex_text_lists_every_code_in_order(palette):
    text = to_hex_text(palette)
    assert text.endswith("\n")
    assert text.splitlines() == ["#C81E28", "#0C2238", "#FAFAFA", "#5AA046", "#000000"]


def test_css_has_one_property_per_colour_with_its_share(palette):
    css = to_css(palette)
    assert css.startswith(":root {\n") and css.rstrip().endswith("}")
    found = re.findall(r"--palette-(\d+): (#[0-9A-F]{6}); /\* ([\d.]+)% of the frame \*/", css)
    assert [int(i) for i, _, _ in found] == [1, 2, 3, 4, 5]
    assert [code for _, code, _ in found] == list(palette.hex)
    assert [float(p) for _, _, p in found] == pytest.approx(100 * palette.shares, abs=0.05)


def test_css_prefix(palette):
    css = to_css(palette, prefix="shot-12_grade")
    assert "--shot-12_grade-3: #FAFAFA;" in css


@pytest.mark.parametrize("prefix", ["", "1st", "a b", "x;}body{color:red", "--x", None])
def test_css_rejects_a_prefix_that_is_not_an_identifier(palette, prefix):
    with pytest.raises(ValueError, match=re.escape(f"prefix={prefix!r}")):
        to_css(palette, prefix=prefix)


# --------------------------------------------------------------------------- json


def test_json_round_trips_exactly(palette):
    text = to_json(palette, name="Chelsea.jpg")
    document = json.loads(text)
    assert document["still"] == "Chelsea.jpg"
    assert document["k"] == 5 and document["seed"] == 7 and document["seeds"] == []
    assert (document["space"], document["init"], document["order"]) == ("lab", "k-means++", "share")
    assert document["refine"] == palette.refine
    assert [c["hex"] for c in document["colors"]] == list(palette.hex)
    assert [c["rgb"] for c in document["colors"]] == palette.rgb.tolist()
    back = palette_from_json(text)
    np.testing.assert_array_equal(back.rgb, palette.rgb)
    assert back.rgb.dtype == np.uint8
    np.testing.assert_array_equal(back.shares, palette.shares)  # full precision, not rounded
    assert back.refine == palette.refine
    assert (back.inertia, back.space, back.init, back.seed, back.seed_colors, back.order) == (
        palette.inertia,
        "lab",
        "k-means++",
        7,
        (),
        "share",
    )


def test_json_round_trips_a_real_palette_with_manual_seeds(photo_still):
    palette = extract_palette(photo_still, 3, init="#202020, #808080, #E0C0A0", space="rgb", order="hue", seed=None)
    back = palette_from_json(to_json(palette).encode("utf-8"))
    np.testing.assert_array_equal(back.rgb, palette.rgb)
    np.testing.assert_array_equal(back.shares, palette.shares)
    assert back.init == "manual" and back.seed_colors == ("#202020", "#808080", "#E0C0A0")
    assert (back.space, back.order, back.seed) == ("rgb", "hue", None)
    assert json.loads(to_json(palette))["still"] is None


def test_json_writes_unknown_inertia_as_null(palette):
    import dataclasses

    unknown = dataclasses.replace(palette, inertia=math.nan)
    text = to_json(unknown)
    assert json.loads(text)["inertia"] is None
    assert math.isnan(palette_from_json(text).inertia)


def test_json_reader_renormalises_hand_rounded_shares():
    text = json.dumps({"colors": [{"hex": "#FF0000", "share": 0.333}, {"hex": "#00ff00", "share": 0.667 - 0.0005}]})
    palette = palette_from_json(text)
    assert palette.hex == ("#FF0000", "#00FF00")
    assert palette.shares.sum() == pytest.approx(1.0, abs=1e-12)
    assert (palette.space, palette.init, palette.order) == ("lab", "k-means++", "share")


def _doc(**changes) -> str:
    document = {
        "format": "palette-studio",
        "version": 1,
        "k": 2,
        "space": "lab",
        "init": "k-means++",
        "seed": 0,
        "seeds": [],
        "order": "share",
        "inertia": 1.0,
        "colors": [{"hex": "#112233", "rgb": [17, 34, 51], "share": 0.75}, {"hex": "#AABBCC", "share": 0.25}],
    }
    document.update(changes)
    return json.dumps(document)


@pytest.mark.parametrize(
    "text, match",
    [
        ("{not json", r"not valid JSON"),
        ("[1, 2]", r"must be an object, got list"),
        (_doc(format="gimp"), r"format='gimp'"),
        (_doc(version=2), r"version=2"),
        (_doc(colors=[]), r"colors=\[\] must be a non-empty list"),
        (_doc(colors="#112233"), r"colors='#112233'"),
        (_doc(colors=[{"hex": "#12ZZ99", "share": 1.0}], k=1), r"colors\[0\]\.hex='#12ZZ99'"),
        (_doc(colors=[{"hex": "#123", "share": 1.0}], k=1), r"colors\[0\]\.hex='#123'"),
        (_doc(colors=[{"hex": "#112233", "rgb": [1, 2, 3], "share": 1.0}], k=1), r"rgb=\[1, 2, 3\] does not match"),
        (_doc(colors=[{"hex": "#112233", "share": 1.5}], k=1), r"colors\[0\]\.share=1\.5"),
        (_doc(colors=[{"hex": "#112233", "share": "1"}], k=1), r"colors\[0\]\.share='1'"),
        (_doc(colors=[{"hex": "#112233", "share": 0.5}], k=1), r"the shares sum to 0\.5"),
        (_doc(colors=[["#112233", 1.0]], k=1), r"colors\[0\]=\['#112233', 1\.0\]"),
        (_doc(k=3), r"k=3 but 2 colours are listed"),
        (_doc(space="hsv"), r"space='hsv'"),
        (_doc(init="median-cut"), r"init='median-cut'"),
        (_doc(order="random"), r"order='random'"),
        (_doc(seed=-1), r"seed=-1"),
        (_doc(seed=True), r"seed=True"),
        (_doc(seeds=["#12ZZ99"]), r"seeds=\['#12ZZ99'\]"),
        (_doc(init="manual", seeds=["#000000"]), r"init='manual' needs one seed per colour"),
        (_doc(seeds=["#000000", "#FFFFFF"]), r"seeds=\['#000000', '#FFFFFF'\] are given but init='k-means\+\+'"),
        (_doc(init="manual", seeds=["#000000", "#000000"]), r"seed colour #000000 is given twice"),
        (_doc(inertia=-3), r"inertia=-3"),
        (b"\xff\xfe{}", r"must be UTF-8"),
    ],
)
def test_json_reader_rejects_bad_input_naming_the_value(text, match):
    with pytest.raises(ValueError, match=match):
        palette_from_json(text)


# --------------------------------------------------------------------------- gpl


def test_gpl_parses_back_to_the_palette(palette):
    parsed = read_gpl(to_gpl(palette, name="Chelsea"))
    assert parsed["name"] == "Chelsea"
    assert parsed["columns"] == 5
    assert [rgb for rgb, _ in parsed["rows"]] == [tuple(c) for c in palette.rgb.tolist()]
    expected = [f"{code} {_share_text(s)}" for code, s in zip(palette.hex, palette.shares)]
    assert [label for _, label in parsed["rows"]] == expected


def test_gpl_name_cannot_inject_lines(palette):
    text = to_gpl(palette, name="shot\nName: evil\r\n255 0 0\tinjected\x00")
    parsed = read_gpl(text)
    assert parsed["name"] == "shot Name: evil 255 0 0 injected"
    assert len(parsed["rows"]) == palette.k
    assert text.count("\n") == 4 + palette.k


@pytest.mark.parametrize("name", ["", "   ", "\n\t", None])
def test_gpl_empty_name_falls_back(palette, name):
    assert read_gpl(to_gpl(palette, name=name))["name"] == "Palette"


def test_gpl_rejects_a_name_that_is_not_text(palette):
    with pytest.raises(ValueError, match=r"name must be a string, got int: 42"):
        to_gpl(palette, name=42)


# --------------------------------------------------------------------------- ase


def test_ase_layout_byte_for_byte():
    red = Palette(rgb=np.array([[255, 0, 0]], dtype=np.uint8), shares=np.array([1.0]), inertia=0.0)
    name = "#FF0000 100.0%".encode("utf-16-be") + b"\x00\x00"  # 15 code units
    body = b"\x00\x0f" + name + b"RGB " + b"\x3f\x80\x00\x00" + b"\x00\x00\x00\x00" * 2 + b"\x00\x02"
    expected = b"ASEF" + b"\x00\x01\x00\x00" + b"\x00\x00\x00\x01" + b"\x00\x01" + struct.pack(">I", 50) + body
    assert len(body) == 50
    assert to_ase(red, name=None) == expected
    grouped = to_ase(red, name="Ab")
    group_start = b"\xc0\x01" + b"\x00\x00\x00\x08" + b"\x00\x03" + b"\x00A\x00b\x00\x00"
    group_end = b"\xc0\x02" + b"\x00\x00\x00\x00"
    assert grouped == b"ASEF\x00\x01\x00\x00\x00\x00\x00\x03" + group_start + expected[12:] + group_end


def test_ase_parses_back_to_the_palette(palette):
    parsed = read_ase(to_ase(palette, name="Chelsea k5"))
    assert parsed["groups"] == ["Chelsea k5"]
    assert len(parsed["colors"]) == palette.k
    for entry, code, share, rgb in zip(parsed["colors"], palette.hex, palette.shares, palette.rgb.tolist()):
        assert entry["name"] == f"{code} {_share_text(share)}"
        assert entry["model"] == "RGB " and entry["type"] == 2
        assert all(0.0 <= v <= 1.0 for v in entry["values"])
        assert [round(v * 255) for v in entry["values"]] == rgb


def test_ase_without_a_group(palette):
    data = to_ase(palette, name=None)
    assert struct.unpack_from(">I", data, 8)[0] == palette.k
    parsed = read_ase(data)
    assert parsed["groups"] == [] and len(parsed["colors"]) == palette.k


def test_ase_counts_utf16_code_units_for_names_outside_the_bmp(palette):
    name = "Überstürzt 🎬"  # the clapper board is a surrogate pair: 2 code units
    data = to_ase(palette, name=name)
    assert struct.unpack_from(">H", data, 12 + 6)[0] == len(name) + 1 + 1
    assert read_ase(data)["groups"] == [name]


def test_ase_group_name_is_one_clean_line(palette):
    assert read_ase(to_ase(palette, name="a\r\nb\tc"))["groups"] == ["a b c"]


# --------------------------------------------------------------------------- png


@pytest.mark.parametrize("width, height", [(1200, 160), (97, 3), (20, 1)])
def test_swatch_png_bars_follow_the_shares(palette, width, height):
    size, runs = swatch_runs(to_swatch_png(palette, width=width, height=height))
    assert size == (width, height)
    assert [rgb for rgb, _ in runs] == [tuple(c) for c in palette.rgb.tolist()]
    widths = np.array([w for _, w in runs])
    assert widths.sum() == width
    assert np.all(np.abs(widths - palette.shares * width) < 1.0 + 1e-9)


def test_swatch_png_as_narrow_as_one_pixel_per_colour(palette):
    size, runs = swatch_runs(to_swatch_png(palette, width=palette.k, height=1))
    assert size == (palette.k, 1) and [w for _, w in runs] == [1] * palette.k


def test_swatch_png_gives_a_tiny_share_one_pixel():
    rgb = np.array([[255, 0, 0], [0, 0, 255], [0, 255, 0]], dtype=np.uint8)
    tiny = Palette(rgb=rgb, shares=np.array([0.9995, 0.0004, 0.0001]), inertia=0.0)
    size, runs = swatch_runs(to_swatch_png(tiny, width=300, height=10))
    assert [w for _, w in runs] == [298, 1, 1]


def test_swatch_png_of_a_real_palette(photo_still):
    palette = extract_palette(photo_still, 6)
    size, runs = swatch_runs(to_swatch_png(palette))
    assert size == (1200, 160)
    assert [rgb for rgb, _ in runs] == [tuple(c) for c in palette.rgb.tolist()]
    assert np.all(np.abs(np.array([w for _, w in runs]) - palette.shares * 1200) < 1.0)


@pytest.mark.parametrize(
    "options, match",
    [
        ({"width": 0}, r"width=0 must be an integer from 5 to 8192"),
        ({"width": 4}, r"width=4 must be an integer from 5"),
        ({"width": 100.5}, r"width=100\.5"),
        ({"width": 10**6}, r"width=1000000"),
        ({"height": 0}, r"height=0 must be an integer from 1 to 2048"),
        ({"height": 2049}, r"height=2049"),
        ({"height": True}, r"height=True"),
    ],
)
def test_swatch_png_rejects_bad_sizes(palette, options, match):
    with pytest.raises(ValueError, match=match):
        to_swatch_png(palette, **options)


@settings(max_examples=60, deadline=None)
@given(
    shares=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=24).filter(lambda s: sum(s) > 0),
    extra=st.integers(min_value=0, max_value=3000),
)
def test_swatch_widths_sum_to_width_and_stay_within_a_pixel(shares, extra):
    width = len(shares) + extra
    widths = swatch_widths(shares, width)
    assert widths.sum() == width and widths.min() >= 1
    exact = np.asarray(shares) / sum(shares) * width
    if np.all(exact >= 1.0):
        assert np.all(np.abs(widths - exact) < 1.0 + 1e-9)


def test_swatch_widths_rejects_bad_shares():
    with pytest.raises(ValueError, match=r"shares=\[0\.5, -0\.1\]"):
        swatch_widths([0.5, -0.1], 10)
    with pytest.raises(ValueError, match=r"width=2 must be an integer >= 3"):
        swatch_widths([0.2, 0.3, 0.5], 2)


def test_frame_png_round_trips_a_quantized_frame(photo_still, palette):
    frame = quantize(photo_still, palette)
    with Image.open(io.BytesIO(to_frame_png(frame))) as image:
        assert image.format == "PNG" and image.mode == "RGB"
        np.testing.assert_array_equal(np.asarray(image), frame)


def test_frame_png_keeps_alpha(palette):
    pixels = np.zeros((4, 6, 3), dtype=np.uint8)
    pixels[:, 3:] = 255
    alpha = np.full((4, 6), 255, dtype=np.uint8)
    alpha[0, 0] = 0
    frame = quantize(still_from_pixels(pixels, alpha=alpha), palette)
    assert frame.shape == (4, 6, 4)
    with Image.open(io.BytesIO(to_frame_png(frame))) as image:
        assert image.mode == "RGBA"
        np.testing.assert_array_equal(np.asarray(image), frame)


@pytest.mark.parametrize(
    "frame",
    [np.zeros((4, 4, 3), dtype=np.float64), np.zeros((4, 4), dtype=np.uint8), np.zeros((0, 4, 3), dtype=np.uint8)],
)
def test_frame_png_rejects_other_arrays(frame):
    with pytest.raises(ValueError, match=re.escape(f"got shape {frame.shape} and dtype {frame.dtype}")):
        to_frame_png(frame)


# --------------------------------------------------------------------------- the table


def test_exports_table_covers_every_format(palette, photo_still):
    assert set(EXPORTS) == {"hex", "json", "css", "gpl", "ase", "png", "aco", "swatches", "moodboard", "csv", "cube"}
    for key, spec in EXPORTS.items():
        frame = {"frame": photo_still.pixels} if spec.needs_frame else {}
        data = spec.function(palette, **frame)
        binary = key in ("ase", "png", "aco", "swatches", "moodboard")
        assert isinstance(data, bytes if binary else str), key
        assert re.fullmatch(r"[a-z]+", spec.extension) and "/" in spec.mime
        assert export_palette(palette, key, **frame) == data
    assert EXPORTS["png"].mime == "image/png" and EXPORTS["gpl"].extension == "gpl"
    assert [key for key, spec in EXPORTS.items() if spec.needs_frame] == ["moodboard"]


def test_export_palette_passes_the_name_to_formats_that_record_it(palette):
    assert read_gpl(export_palette(palette, "gpl", name="Chelsea.jpg"))["name"] == "Chelsea.jpg"
    assert read_ase(export_palette(palette, "ase", name="Chelsea.jpg"))["groups"] == ["Chelsea.jpg"]
    assert json.loads(export_palette(palette, "json", name="Chelsea.jpg"))["still"] == "Chelsea.jpg"
    assert export_palette(palette, "css", name="Chelsea.jpg") == to_css(palette)
    with pytest.raises(ValueError, match=r"format='pdf' must be one of"):
        export_palette(palette, "pdf")


def test_exporters_reject_something_that_is_not_a_palette():
    with pytest.raises(ValueError, match=r"palette must be a Palette from extract_palette, got list"):
        to_hex_text([[1, 2, 3]])


# --------------------------------------------------------------------------- file names


@pytest.mark.parametrize(
    "still_name, expected",
    [
        ("astronaut.png", "astronaut_k8.gpl"),
        ("../../etc/passwd", "passwd_k8.gpl"),
        ("..\\..\\Windows\\system.ini", "system_k8.gpl"),
        ("C:\\shots\\Reel 2 - shot 01.JPG", "Reel_2_-_shot_01_k8.gpl"),
        ("<script>alert(1)</script>.jpg", "script_k8.gpl"),
        ("<img src=x onerror=alert(1)>.png", "img_src_x_onerror_alert_1_k8.gpl"),
        ("\"quoted\" 'name'.tiff", "quoted_name_k8.gpl"),
        ("shot.01.final.jpeg", "shot_01_final_k8.gpl"),
        ("café déjà vu.jpg", "cafe_deja_vu_k8.gpl"),
        ("\x00\x1b[31mred\r\n.jpg", "31mred_k8.gpl"),
        ("-rf.jpg", "rf_k8.gpl"),
        ("dir/", "still_k8.gpl"),
        ("..", "still_k8.gpl"),
        ("...", "still_k8.gpl"),
        ("", "still_k8.gpl"),
        ("画像.png", "still_k8.gpl"),
        (None, "still_k8.gpl"),
        (b"astronaut.png", "still_k8.gpl"),
    ],
)
def test_export_filename_makes_hostile_names_safe(still_name, expected):
    name = export_filename(still_name, 8, "gpl")
    assert name == expected
    assert re.fullmatch(r"[A-Za-z0-9_-]+_k8\.gpl", name)


def test_export_filename_keeps_names_short_and_accepts_a_dotted_extension():
    name = export_filename("x" * 5000 + ".jpg", 12, ".PNG")
    assert name == "x" * 60 + "_k12.png"


@pytest.mark.parametrize(
    "k, ext, match",
    [
        (0, "gpl", r"k=0 must be an integer >= 1"),
        (2.5, "gpl", r"k=2\.5"),
        (8, "../gpl", r"ext='\.\./gpl'"),
        (8, "", r"ext=''"),
        (8, "g p l", r"ext='g p l'"),
        (8, None, r"ext=None"),
    ],
)
def test_export_filename_rejects_bad_k_or_extension(k, ext, match):
    with pytest.raises(ValueError, match=match):
        export_filename("still.jpg", k, ext)


# --------------------------------------------------------------------------- json: the method


@pytest.mark.parametrize("method", ["kmedoids", "octree"])
def test_json_records_the_method_and_reads_it_back(photo_still, method):
    palette = extract_palette(photo_still, 4, method=method, space="oklab")
    document = json.loads(to_json(palette))
    assert document["method"] == method and document["space"] == "oklab" and document["refine"] == "none"
    back = palette_from_json(to_json(palette))
    assert (back.method, back.space) == (method, "oklab")
    np.testing.assert_array_equal(back.rgb, palette.rgb)


def test_json_without_a_method_reads_as_kmeans():
    assert "method" not in json.loads(_doc())
    assert palette_from_json(_doc()).method == "kmeans"


@pytest.mark.parametrize(
    "method, match", [("fuzzy", r"method='fuzzy' must be one of"), (3, r"method=3 must be one of")]
)
def test_json_refuses_an_unknown_method(method, match):
    with pytest.raises(ValueError, match=match):
        palette_from_json(_doc(method=method))
