"""Palette links (?palette=1A2B3C.40-FFEEDD.60): parsing, writing, and every malformed form refused."""

from __future__ import annotations

import numpy as np
import pytest

import kmeans_core as kc
from kmeans_core.palette_links import MAX_LINK_COLOURS, palette_link, parse_palette_link


def test_codes_without_shares():
    rgb, shares = parse_palette_link("1A2B3C-FFEEDD-C04020")
    assert rgb.dtype == np.uint8 and rgb.tolist() == [[0x1A, 0x2B, 0x3C], [0xFF, 0xEE, 0xDD], [0xC0, 0x40, 0x20]]
    assert shares is None


def test_codes_with_shares_in_percent_and_either_case():
    rgb, shares = parse_palette_link(" 1a2b3c.40-FFEEDD.60 ")
    assert kc.to_hex(rgb) == ("#1A2B3C", "#FFEEDD")
    assert shares.tolist() == [0.4, 0.6]


def test_rounded_shares_are_normalised_to_one():
    _, shares = parse_palette_link("000000.33-808080.33-FFFFFF.33")
    assert shares.sum() == pytest.approx(1.0)
    assert shares.tolist() == pytest.approx([1 / 3] * 3)
    _, shares = parse_palette_link("000000.12.5-FFFFFF.87.5")
    assert shares.tolist() == [0.125, 0.875]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("#1A2B3C-FFEEDD", "'#1A2B3C' is not a colour"),
        ("1A2B3C,FFEEDD", "'1A2B3C,FFEEDD' is not a colour"),
        ("1A2B3C--FFEEDD", "'' is not a colour"),
        ("1A2B3C-", "'' is not a colour"),
        ("1A2B3-FFEEDD", "'1A2B3' is not a colour"),
        ("1A2B3CD", "'1A2B3CD' is not a colour"),
        ("GGGGGG", "'GGGGGG' is not a colour"),
        ("1A2B3C.", "'1A2B3C.' is not a colour"),
        ("1A2B3C.-5", "'1A2B3C.' is not a colour"),
        ("1A2B3C.4000", "'1A2B3C.4000' is not a colour"),
        ("1A2B3C.x", "'1A2B3C.x' is not a colour"),
        ("1A2B3C.40-FFEEDD", "FFEEDD has no share"),
        ("1A2B3C.150", "more than the whole frame"),
        ("1A2B3C.40-FFEEDD.40", "add up to 80%, not 100%"),
        ("1A2B3C.0-FFEEDD.0", "add up to 0%"),
        ("-".join(["1A2B3C"] * (MAX_LINK_COLOURS + 1)), f"at most {MAX_LINK_COLOURS}"),
        ("1A2B3C" * 400, "characters long"),
        ("<script>", "'<script>' is not a colour"),
    ],
)
def test_malformed_links_are_refused_with_a_plain_reason(text, message):
    with pytest.raises(ValueError) as caught:
        parse_palette_link(text)
    assert message in str(caught.value)


def test_not_text_is_refused():
    with pytest.raises(ValueError, match="must be text, got int"):
        parse_palette_link(12)


def test_a_written_link_reads_back_to_the_same_palette():
    pixels = np.random.default_rng(3).integers(0, 256, size=(40, 50, 3), dtype=np.uint8)
    palette = kc.extract_palette(kc.still_from_pixels(pixels), 6)
    link = palette_link(palette)
    rgb, shares = parse_palette_link(link)
    assert kc.to_hex(rgb) == palette.hex
    assert np.abs(shares - palette.shares).max() <= 0.0006
    assert palette_link(palette, shares=False) == "-".join(code[1:] for code in palette.hex)
    assert parse_palette_link(palette_link(palette, shares=False))[1] is None


def test_written_shares_are_percent_with_one_decimal_at_most():
    palette = kc.Palette(rgb=np.array([[0, 0, 0], [255, 255, 255]], np.uint8), shares=np.array([0.4, 0.6]), inertia=0.0)
    assert palette_link(palette) == "000000.40-FFFFFF.60"
    palette = kc.Palette(rgb=palette.rgb, shares=np.array([0.125, 0.875]), inertia=0.0)
    assert palette_link(palette) == "000000.12.5-FFFFFF.87.5"
