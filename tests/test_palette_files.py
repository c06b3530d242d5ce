"""read_palette: every palette writer reads back, and hostile input gets a plain ValueError.

Also :func:`kmeans_core.apply_palette`, which turns the colours read into a
fixed palette of a still, and JSON with ``init="fixed"``.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile

import numpy as np
import pytest
from skimage.color import rgb2lab

from kmeans_core import (
    FIXED_INIT,
    ImportedPalette,
    Palette,
    apply_palette,
    export_palette,
    extract_palette,
    palette_from_json,
    quantize,
    read_palette,
    to_json,
)
from kmeans_core.palette_files import MAX_PALETTE_BYTES, MAX_PALETTE_COLORS


@pytest.fixture
def palette() -> Palette:
    rgb = np.array([[200, 30, 40], [12, 34, 56], [250, 250, 250], [90, 160, 70], [0, 0, 0]], dtype=np.uint8)
    shares = np.array([0.41, 0.27, 0.17, 0.1, 0.05])
    return Palette(rgb=rgb, shares=shares, inertia=1234.5)


# --------------------------------------------------------------------------- round trips

# (format, the name read back, whether shares come back, and how closely)
ROUND_TRIPS = [
    ("json", "Chelsea.jpg", 0.0),
    ("csv", "chelsea_k5", 0.0),
    ("hex", "chelsea_k5", None),
    ("gpl", "Chelsea.jpg", 5e-4),
    ("ase", "Chelsea.jpg", 5e-4),
    ("aco", "chelsea_k5", 5e-4),
    ("swatches", "Chelsea.jpg", None),
]


@pytest.mark.parametrize("fmt, name, share_tolerance", ROUND_TRIPS)
def test_every_writer_reads_back(palette, fmt, name, share_tolerance):
    data = export_palette(palette, fmt, name="Chelsea.jpg")
    imported = read_palette(data, filename=f"chelsea_k5.{fmt}")
    assert isinstance(imported, ImportedPalette)
    assert imported.format == fmt and imported.name == name and imported.k == palette.k
    np.testing.assert_array_equal(imported.rgb, palette.rgb)
    assert imported.rgb.dtype == np.uint8
    if share_tolerance is None:
        assert imported.shares is None
    else:
        np.testing.assert_allclose(imported.shares, palette.shares, atol=share_tolerance)
        assert imported.shares.sum() == pytest.approx(1.0)


def test_text_formats_read_from_str_too(palette):
    for fmt in ("json", "csv", "hex", "gpl"):
        text = export_palette(palette, fmt)
        np.testing.assert_array_equal(read_palette(text).rgb, palette.rgb)


def test_names_without_shares_give_no_shares(palette):
    imported = read_palette(export_palette(palette, "gpl", shares_in_names=False))
    assert imported.shares is None
    np.testing.assert_array_equal(imported.rgb, palette.rgb)


@pytest.mark.parametrize(
    "text, colors",
    [
        ("https://coolors.co/1a2b3c-ffeedd-000000", [[26, 43, 60], [255, 238, 221], [0, 0, 0]]),
        ("https://www.coolors.co/palette/1A2B3C-FFEEDD/", [[26, 43, 60], [255, 238, 221]]),
        ("  http://coolors.co/abcdef\n", [[171, 205, 239]]),
        ("#1a2b3c, #FFF\n#000000", [[26, 43, 60], [255, 255, 255], [0, 0, 0]]),
        ("\ufeff1a2b3c ffeedd", [[26, 43, 60], [255, 238, 221]]),
    ],
)
def test_coolors_urls_and_hex_lists(text, colors):
    imported = read_palette(text)
    assert imported.rgb.tolist() == colors
    assert imported.format == ("coolors" if "coolors" in text else "hex")


def test_a_gimp_palette_from_elsewhere():
    text = "GIMP Palette\nName: Sunset\nColumns: 3\n# made by hand\n255   0   0 Red\n  0 128 255\n255 0 0 Red again\n"
    imported = read_palette(text.encode("utf-8"), filename="sunset.gpl")
    assert imported.name == "Sunset" and imported.shares is None
    assert imported.rgb.tolist() == [[255, 0, 0], [0, 128, 255]]  # the repeat is dropped


def test_repeated_colours_merge_their_shares():
    text = "hex,r,g,b,share\n#FF0000,255,0,0,0.25\n#00FF00,0,255,0,0.5\n#FF0000,255,0,0,0.25\n"
    imported = read_palette(text)
    assert imported.rgb.tolist() == [[255, 0, 0], [0, 255, 0]]
    np.testing.assert_allclose(imported.shares, [0.5, 0.5])


def test_a_procreate_file_with_empty_slots_and_lower_case_entry():
    swatches = [{"hue": 0.0, "saturation": 1.0, "brightness": 1.0, "alpha": 1, "colorSpace": 0}, None]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("swatches.json", json.dumps([{"name": "Mine", "swatches": swatches}]))
    imported = read_palette(buffer.getvalue())
    assert imported.name == "Mine" and imported.rgb.tolist() == [[255, 0, 0]]


# --------------------------------------------------------------------------- hostile input


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    # 50 MB of spaces inflate from ~50 kB; the header's sizes are then lowered to pass a naive check.
    data = bytearray(_zip({"Swatches.json": b" " * (50 << 20)}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        struct.pack_into("<I", data, at + offset, 100)
    return bytes(data)


def _aco(count: int, records: bytes) -> bytes:
    return struct.pack(">HH", 1, count) + records


def _ase(blocks: bytes, count: int) -> bytes:
    return b"ASEF" + struct.pack(">HHI", 1, 0, count) + blocks


@pytest.fixture(scope="module")
def good_files():
    rgb = np.array([[200, 30, 40], [12, 34, 56]], dtype=np.uint8)
    small = Palette(rgb=rgb, shares=np.array([0.6, 0.4]), inertia=1.0)
    return {fmt: export_palette(small, fmt) for fmt in ("ase", "aco", "swatches", "json", "gpl")}


HOSTILE = [
    ("empty", lambda g: b"", r"the palette file is empty"),
    ("blank", lambda g: "  \n\t ", r"the palette file is empty"),
    ("not utf-8", lambda g: b"\xff\xfe\xfa garbage", r"nor UTF-8 text \(invalid start byte at byte 0\)"),
    ("words", lambda g: "hello world", r"'hello' is not a hex colour code"),
    ("huge", lambda g: b"#000000\n" * (MAX_PALETTE_BYTES // 8 + 1), r"bytes is too large for a palette file"),
    ("huge text", lambda g: "#000000 " * (MAX_PALETTE_BYTES // 8 + 1), r"too large"),
    ("many colours", lambda g: " ".join(f"#{i:06X}" for i in range(300)), r"300 colours is too many \(at most 256\)"),
    ("long token", lambda g: "z" * 100_000, r"\.\.\.$"),
    ("other url", lambda g: "https://example.com/1a2b3c", r"is not a Coolors palette URL"),
    ("coolors bad", lambda g: "https://coolors.co/1a2b3c-zzzzzz", r"is not a Coolors palette URL"),
    ("ase truncated", lambda g: g["ase"][:-7], r"truncated file|unpack"),
    ("ase header only", lambda g: g["ase"][:10], r"unpack"),
    ("ase block past end", lambda g: _ase(struct.pack(">HI", 1, 10_000), 1), r"runs past the end"),
    ("ase CMYK", lambda g: _ase(struct.pack(">HI", 1, 24) + b"\x00\x01\x00\x00CMYK" + b"\x00" * 16, 1), r"'CMYK'"),
    ("ase unknown block", lambda g: _ase(struct.pack(">HI", 7, 0), 1), r"unknown ASE block type 0x0007"),
    (
        "ase nan",
        lambda g: _ase(
            struct.pack(">HIH", 1, 20, 1) + b"\x00\x00RGB " + struct.pack(">fffH", float("nan"), 0, 0, 2), 1
        ),
        r"ASE value=nan",
    ),
    ("ase version", lambda g: b"ASEF" + struct.pack(">HHI", 2, 0, 0), r"ASE version 2"),
    ("aco truncated", lambda g: g["aco"][:-3], r"truncated|unpack"),
    ("aco count lies", lambda g: _aco(60_000, b""), r"60000 colours is too many"),
    ("aco cmyk", lambda g: _aco(1, struct.pack(">5H", 2, 0, 0, 0, 0)), r"ACO colour space 2 is not supported"),
    ("aco bad section", lambda g: _aco(0, b"") + struct.pack(">HH", 9, 0), r"has version 9 \(expected 2\)"),
    ("aco empty", lambda g: _aco(0, b""), r"holds no colours"),
    ("zip not swatches", lambda g: _zip({"readme.txt": b"hi"}), r"no Swatches\.json"),
    ("zip truncated", lambda g: g["swatches"][:40], r"[Zz]ip|truncated|Bad"),
    ("zip bomb", lambda g: _zip_bomb(), r"inflates past 1,048,576 bytes|Bad|CRC|inflates to"),
    (
        "zip big claim",
        lambda g: _zip({"Swatches.json": b" " * (MAX_PALETTE_BYTES + 10)}),
        r"inflates to 1,048,586 bytes",
    ),
    ("zip many entries", lambda g: _zip({f"{i}.txt": b"" for i in range(40)}), r"holds 40 entries"),
    ("zip bad json", lambda g: _zip({"Swatches.json": b"[{"}), r"Expecting"),
    ("zip not utf-8", lambda g: _zip({"Swatches.json": b"\xff\xff"}), r"utf-8|codec"),
    ("zip wrong shape", lambda g: _zip({"Swatches.json": b"[1, 2]"}), r"must hold a palette object"),
    (
        "zip hue out",
        lambda g: _zip(
            {"Swatches.json": json.dumps({"swatches": [{"hue": 2, "saturation": 0, "brightness": 0}]}).encode()}
        ),
        r"swatches\[0\]\.hue=2 must be a number from 0 to 1",
    ),
    (
        "zip p3",
        lambda g: _zip(
            {
                "Swatches.json": json.dumps(
                    {"swatches": [{"hue": 0, "saturation": 0, "brightness": 0, "colorSpace": 1}]}
                ).encode()
            }
        ),
        r"colorSpace=1 is not sRGB",
    ),
    (
        "zip stored bomb name",
        lambda g: _zip({"SWATCHES.JSON": b'{"swatches": []}'}, zipfile.ZIP_STORED),
        r"holds no colours",
    ),
    ("json truncated", lambda g: g["json"][: len(g["json"]) // 2], r"not valid JSON"),
    ("json deep", lambda g: '{"a":' + "[" * 100_000, r"maximum recursion depth"),
    ("json not ours", lambda g: json.dumps({"format": "other", "colors": []}), r"format='other'"),
    ("gpl bad row", lambda g: "GIMP Palette\n1 2\n", r"must start with three values R G B"),
    ("gpl out of range", lambda g: "GIMP Palette\n300 0 0 x\n", r"outside 0 to 255"),
    ("gpl words", lambda g: "GIMP Palette\nred green blue\n", r"invalid literal"),
    ("gpl no colours", lambda g: "GIMP Palette\nName: x\n", r"holds no colours"),
    ("csv no hex", lambda g: "hex,r\n", r"holds no colours"),
    ("csv mismatch", lambda g: "hex,r,g,b\n#FF0000,0,0,0\n", r"r='0' does not match"),
    ("csv ragged", lambda g: "hex,share\n#FF0000\n", r"line 2 has 1 fields but the header has 2"),
    ("csv bad share", lambda g: "hex,share\n#FF0000,x\n", r"could not convert"),
    ("csv shares", lambda g: "hex,share\n#FF0000,0.2\n", r"shares sum to 0\.2"),
    ("type", lambda g: 42, r"must be bytes or text, got int"),
]


@pytest.mark.parametrize("case, make, match", HOSTILE, ids=[case for case, _, _ in HOSTILE])
def test_hostile_input_raises_a_plain_value_error(good_files, case, make, match):
    with pytest.raises(ValueError, match=match) as caught:
        read_palette(make(good_files), filename="upload.bin")
    message = str(caught.value)
    assert message.startswith("upload.bin: ") or message.startswith("palette"), message
    assert "\n" not in message and len(message) < 400
    assert type(caught.value) is ValueError  # not a subclass leaking from a parser


def test_caps_are_what_the_module_says():
    assert MAX_PALETTE_BYTES == 1 << 20 and MAX_PALETTE_COLORS == 256
    at_cap = " ".join(f"#{i:06X}" for i in range(MAX_PALETTE_COLORS))
    assert read_palette(at_cap).k == MAX_PALETTE_COLORS


# --------------------------------------------------------------------------- fixed palettes


def test_apply_palette_measures_shares_on_the_still(small_still):
    found = extract_palette(small_still, 5, refine="none")
    fixed = apply_palette(small_still, found.rgb)
    assert fixed.init == FIXED_INIT == "fixed" and fixed.seed is None and fixed.refine == "none"
    np.testing.assert_array_equal(fixed.rgb, found.rgb)  # both ordered by share
    np.testing.assert_allclose(fixed.shares, found.shares, atol=1e-12)
    pixels_lab = rgb2lab(small_still.pixels / 255.0).reshape(-1, 3)
    colors_lab = rgb2lab(fixed.rgb.reshape(-1, 1, 3) / 255.0).reshape(-1, 3)
    sq = ((pixels_lab[:, None, :] - colors_lab[None]) ** 2).sum(axis=2)
    assert fixed.inertia == pytest.approx(sq.min(axis=1).sum(), rel=1e-9)  # at the palette's own colours
    np.testing.assert_array_equal(quantize(small_still, fixed), quantize(small_still, found))


def test_apply_palette_by_brute_force(small_still):
    colors = ["#000000", "#FFFFFF", "#C08060"]
    fixed = apply_palette(small_still, colors, space="rgb", order="lightness")
    assert fixed.hex == ("#000000", "#C08060", "#FFFFFF")
    pixels = small_still.pixels.reshape(-1, 3).astype(float)
    centers = fixed.rgb.astype(float)
    sq = ((pixels[:, None, :] - centers[None]) ** 2).sum(axis=2)
    counts = np.bincount(sq.argmin(axis=1), minlength=3)
    np.testing.assert_allclose(fixed.shares, counts / counts.sum())
    assert fixed.inertia == pytest.approx(sq.min(axis=1).sum())


def test_a_colour_no_pixel_is_nearest_to_keeps_a_zero_share(small_still):
    fixed = apply_palette(small_still, ["#00FF00", "#808080"])
    assert fixed.shares.tolist()[-1] == 0.0 and fixed.hex[-1] == "#00FF00"


def test_fixed_palettes_round_trip_through_json(small_still):
    fixed = apply_palette(small_still, read_palette("https://coolors.co/1a2b3c-ffeedd-806040").rgb)
    back = palette_from_json(to_json(fixed))
    assert back.init == "fixed" and back.seed is None
    np.testing.assert_array_equal(back.rgb, fixed.rgb)
    np.testing.assert_array_equal(back.shares, fixed.shares)


@pytest.mark.parametrize(
    "colors, options, match",
    [
        (["#000000", "#000000"], {}, r"#000000 is given twice"),
        ("#12ZZ99", {}, r"'#12ZZ99' is not a hex colour code"),
        ([[300, 0, 0]], {}, r"outside sRGB"),
        (["#000000"], {"space": "hsv"}, r"space='hsv'"),
        (["#000000"], {"order": "random"}, r"order='random'"),
    ],
)
def test_apply_palette_rejects_bad_input(small_still, colors, options, match):
    with pytest.raises(ValueError, match=match):
        apply_palette(small_still, colors, **options)
    with pytest.raises(ValueError, match=r"still must be a Still"):
        apply_palette(np.zeros((2, 2, 3), np.uint8), ["#000000"])
