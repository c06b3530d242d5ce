"""Drawing a palette and its frames: swatches, strip, frames, figures, downloads.

The HTML here is built only from the palette's own numbers (hex codes,
shares), never from anything a user typed or uploaded.
"""

from __future__ import annotations

import html
from functools import partial

import numpy as np
import streamlit as st

import kmeans_core as kc
from kmeans_core import exports
from studio import cache
from studio.settings import METHOD_LABELS, SPACE_LABELS, Settings, StillEntry
from studio.text import escape_markdown

_SWATCH = (
    '<div class="swatch" data-hex="{hex}" style="flex:1 1 96px;min-width:88px;max-width:170px;'
    'font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;color:#d6d6d6">'
    '<div style="height:84px;border-radius:4px;background:{hex};border:1px solid #3a3a3a"></div>'
    '<div style="padding-top:6px"><b class="swatch-hex">{hex}</b><br>'
    '<span title="sRGB">{r} {g} {b}</span>{share_line}{badges}</div></div>'
)
_SHARE_LINE = '<br><span class="swatch-share">{share} of {of}</span>'

#: The small labels a swatch can carry.
_BADGE = (
    '<br><span class="swatch-{kind}" style="font-size:11px;padding:0 4px;border:1px solid #777;border-radius:3px">'
    "{kind}</span>"
)


def is_portrait(still: kc.Still) -> bool:
    """Whether the frame is taller than wide."""
    height, width = still.shape
    return height > width


def fit_k_to_still(settings: Settings, still: kc.Still) -> Settings:
    """The settings at the largest k the still allows, saying so when k had to drop.

    A still with fewer distinct colours than k still shows, with k lowered to
    its number of colours.
    """
    n_colors = still.n_colors
    if settings.k <= n_colors:
        return settings
    noun = "colour" if n_colors == 1 else "colours"
    fitted = settings.for_k(n_colors)
    note = f"This still has {n_colors} distinct {noun}; showing k={n_colors}."
    if fitted.init != settings.init:
        note += " Your seed colours need k to be their number, so this palette starts from k-means++."
    st.info(note)
    return fitted


def swatches(palette: kc.Palette, *, shares: bool = True, of: str = "frame") -> None:
    """One colour block per palette colour, with its hex, RGB and share of the frame (or of ``of``,
    such as "scene"), unless ``shares=False`` (a palette from a link that gives none). Accent and
    locked colours are marked."""
    locked = set(palette.locked)

    def badges(code: str, accent: bool) -> str:
        kinds = (("accent",) if accent else ()) + (("locked",) if code in locked else ())
        return "".join(_BADGE.format(kind=kind) for kind in kinds)

    def share_line(share: float) -> str:
        return _SHARE_LINE.format(share=html.escape(kc.share_label(share)), of=of) if shares else ""

    blocks = "".join(
        _SWATCH.format(hex=code, r=r, g=g, b=b, share_line=share_line(share), badges=badges(code, accent))
        for code, (r, g, b), share, accent in zip(
            palette.hex, palette.rgb.tolist(), palette.shares, palette.accents, strict=True
        )
    )
    st.html(f'<div class="swatches" style="display:flex;flex-wrap:wrap;gap:12px">{blocks}</div>')


def swatch_strip(palette: kc.Palette, *, height: int = 36, labels: bool = False) -> None:
    """A strip whose bar widths follow the shares of the frame."""
    bars = "".join(
        f'<div class="strip-bar" data-hex="{code}" title="{code} {html.escape(kc.share_label(share))}" '
        f'style="flex:{share:.6f} 0 0;min-width:2px;background:{code}"></div>'
        for code, share in zip(palette.hex, palette.shares)
    )
    strip = (
        f'<div class="swatch-strip" style="display:flex;height:{height}px;border-radius:3px;overflow:hidden">'
        f"{bars}</div>"
    )
    if labels:
        codes = " ".join(palette.hex)
        strip += (
            f'<div class="strip-codes" title="{codes}" '
            f'style="font:12px ui-monospace,monospace;color:#bdbdbd;padding-top:4px">{codes}</div>'
        )
    st.html(strip)


def hex_block(palette: kc.Palette) -> None:
    """The hex codes in one block, copied with the block's copy button."""
    st.code("\n".join(palette.hex), language=None)


def frame(place, pixels, *, caption: str | None = None) -> None:
    """A frame drawn in ``place`` (``st`` or a column) at the column's width.

    Sent as PNG: the browser shows the frame's exact colours, with none of
    JPEG's artefacts around the palette's flat areas. The PNG is encoded once
    per frame (:func:`studio.cache.png`), not on every rerun.
    """
    place.image(cache.png(pixels), caption=caption, width="stretch", output_format="PNG")


def frame_pair(entry: StillEntry, settings: Settings) -> None:
    """The original and the quantized frame side by side, fitted to the screen."""
    left, right = st.columns(2)
    frame(left, cache.original_preview(entry.digest, entry.data), caption="Original")
    frame(
        right, cache.quantized_preview(entry.digest, entry.data, settings), caption=f"Redrawn with {settings.k} colours"
    )


#: Cards per row on Compare k and Friends: two frames side by side stay large enough to judge on a laptop.
PER_ROW = 2


def card_grid(entry: StillEntry, items: list, draw, *, describe) -> None:
    """The original frame, then a bordered card for each item, :data:`PER_ROW` to a row.

    ``draw(item)`` fills an item's card; a progress bar says
    ``describe(item)`` ("k=5") while the cards are drawn.
    """
    progress = st.progress(0.0, text="Redrawing the frame…")
    cards = [None, *items]
    for row_start in range(0, len(cards), PER_ROW):
        columns = st.columns(PER_ROW)
        for index, (column, item) in enumerate(zip(columns, cards[row_start : row_start + PER_ROW]), row_start):
            with column.container(border=True):
                if index == 0:
                    st.markdown("**Original**")
                    frame(st, cache.original_preview(entry.digest, entry.data))
                    st.caption(escape_markdown(entry.name, limit=120))
                    continue
                progress.progress(index / len(cards), text=f"Redrawing with {describe(item)}…")
                draw(item)
    progress.empty()


def redrawn_card(entry: StillEntry, settings: Settings) -> tuple[kc.Palette, kc.Quality] | None:
    """A card's redrawn frame and palette strip, and the palette and its quality; None after an error said plainly."""
    try:
        palette = cache.palette(entry.digest, entry.data, settings)
        quality = cache.quality(entry.digest, entry.data, settings)
    except ValueError as error:
        st.error(escape_markdown(str(error)))
        return None
    frame(st, cache.quantized_preview(entry.digest, entry.data, settings))
    swatch_strip(palette, labels=True)
    return palette, quality


def quality_metrics(quality: kc.Quality, *, columns: bool = True) -> None:
    """The headline CIEDE2000 figures of the quantized frame, in a row of three
    (or one under another, with ``columns=False``)."""
    mean, p95, psnr = st.columns(3) if columns else (st.container(), st.container(), st.container())
    mean.metric(
        "Mean ΔE2000",
        f"{quality.mean:.2f}",
        help="Mean CIEDE2000 difference per pixel between the original and the redrawn frame. "
        "About 1 is barely visible; above about 2.3 most people see it.",
    )
    p95.metric("95th percentile ΔE2000", f"{quality.p95:.2f}", help="95% of pixels differ by at most this much.")
    psnr.metric("PSNR (sRGB)", "∞" if np.isinf(quality.psnr) else f"{quality.psnr:.1f} dB")


def tonal_strips(ranges, *, title: str | None = None) -> None:
    """One strip per tonal range, named with its L* range and its share of the frame."""
    if title:
        st.markdown(f"**{escape_markdown(title, limit=120)}**")
    for tonal in ranges:
        band = tonal.band
        st.caption(f"{band.name} (L* {band.low:g}–{band.high:g}): {kc.share_label(tonal.share)} of the frame")
        if tonal.palette is not None:
            swatch_strip(tonal.palette, height=18)


def still_notes(still: kc.Still, entry: StillEntry) -> None:
    """A caption saying what the still is and what decoding did to it."""
    h, w = still.shape
    text = f"{escape_markdown(entry.name, limit=120)} · {w}×{h} · {still.format} · {still.n_colors:,} distinct colours"
    st.caption(text)
    for note in still.notes:
        st.caption(escape_markdown(note))


def method_note(settings: Settings) -> None:
    """A caption naming the method and the colour space the palette is made with."""
    st.caption(f"Made with {METHOD_LABELS[settings.method]} in {SPACE_LABELS[settings.space]}.")


#: (label, export format) of each palette download, in the order shown.
DOWNLOADS = (
    ("Hex codes (.txt)", "hex"),
    ("JSON (.json)", "json"),
    ("CSS variables (.css)", "css"),
    ("CSV table (.csv)", "csv"),
    ("GIMP palette (.gpl)", "gpl"),
    ("Adobe swatches (.ase)", "ase"),
    ("Photoshop swatches (.aco)", "aco"),
    ("Procreate (.swatches)", "swatches"),
    ("Swatch strip (.png)", "png"),
    ("Mood board (.png)", "moodboard"),
)

#: The label of the redrawn frame's download.
FRAME_DOWNLOAD = "Redrawn frame (.png)"

#: Download buttons per row: three keep every label whole at laptop widths.
_DOWNLOAD_COLUMNS = 3


def downloads(entry: StillEntry, settings: Settings) -> None:
    """A download button for each export, named after the still and k.

    Every file is made only when its button is clicked, so that a new k or
    colour order costs no export.
    """
    buttons = [
        (
            label,
            f"download_{fmt}",
            exports.EXPORTS[fmt],
            exports.export_filename(entry.name, settings.k, exports.EXPORTS[fmt].extension),
            partial(cache.export_file, entry.digest, entry.data, settings, fmt, entry.name),
        )
        for label, fmt in DOWNLOADS
    ]
    buttons.append(
        (
            FRAME_DOWNLOAD,
            "download_frame",
            exports.FRAME_EXPORT,
            exports.frame_filename(entry.name, settings.k),
            partial(cache.frame_file, entry.digest, entry.data, settings),
        )
    )
    columns = st.columns(_DOWNLOAD_COLUMNS)
    for index, (label, key, spec, file_name, make) in enumerate(buttons):
        columns[index % _DOWNLOAD_COLUMNS].download_button(
            label,
            data=make,
            file_name=file_name,
            mime=spec.mime,
            key=key,
            on_click="ignore",
            width="stretch",
        )
