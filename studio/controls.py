"""The palette settings: method, initializer, seed colours, colour space, seed, order, k.

Every control is bound to the app's own session keys (see
:func:`studio.state.bind`), so choices survive page switches. Through a
read-only link every control is disabled: it shows the project's settings. A
method that cannot keep the locks or the seeds gives way to k-means, and the
sidebar says so (:func:`studio.settings.method_fallback`). Seed colours
are checked as they are typed; a malformed code shows an error beside the
field and the last good seeds stay in use.
"""

from __future__ import annotations

import streamlit as st

import kmeans_core as kc
from studio.settings import (
    FIXED,
    INIT_LABELS,
    K_MAX,
    K_MIN,
    MANUAL,
    METHOD_LABELS,
    ORDER_LABELS,
    SPACE_LABELS,
    method_fallback,
)
from studio.state import assign, bind, read_only, settings
from studio.text import escape_markdown

#: The two colour lists typed as hex codes, by their state prefix: (noun, label of each picker, help).
_COLOUR_LISTS = {
    "seed": (
        "seed",
        "Seed",
        "Hex codes separated by commas or spaces, such as #1A2B3C, #FFEEDD. k follows the number of seeds.",
    ),
    "fixed": (
        "fixed",
        "Colour",
        "Hex codes separated by commas or spaces. These colours are used as they are, "
        "with no clustering; their shares are measured on each still. k follows their number.",
    ),
}
#: The initializer each colour list gives.
_LIST_INITS = {"seed": MANUAL, "fixed": FIXED}


def check_seed_text(text: str, noun: str = "seed") -> tuple[str, ...]:
    """Parse the seed (or fixed) colour field into hex codes, or raise ValueError saying why."""
    codes = kc.to_hex(kc.check_seed_colors(text)) if text.strip() else ()
    if len(codes) < K_MIN:
        raise ValueError(
            f"Give at least {K_MIN} {noun} colours; there {'is' if len(codes) == 1 else 'are'} {len(codes)}."
        )
    if len(codes) > K_MAX:
        raise ValueError(f"Give at most {K_MAX} {noun} colours; there are {len(codes)}.")
    return codes


def _accept_text(kind: str) -> None:
    state = st.session_state
    try:
        state[f"{kind}_colors"] = check_seed_text(state[f"{kind}_text"], _COLOUR_LISTS[kind][0])
        state[f"{kind}_error"] = None
    except ValueError as error:
        state[f"{kind}_error"] = str(error)


def _picker_key(kind: str, index: int) -> str:
    return f"w_pick_{index}" if kind == "seed" else f"w_{kind}_pick_{index}"


def _accept_picker(kind: str, index: int) -> None:
    state = st.session_state
    codes = list(state[f"{kind}_colors"])
    codes[index] = state[_picker_key(kind, index)].upper()
    assign(f"{kind}_text", ", ".join(codes))
    _accept_text(kind)


def colour_list_editor(kind: str) -> None:
    """Hex codes to paste, and a colour picker for each: the seed colours or the fixed colours."""
    state = st.session_state
    noun, picker, help_text = _COLOUR_LISTS[kind]
    st.text_area(
        f"{noun.capitalize()} colours",
        **bind(f"{kind}_text", then=lambda: _accept_text(kind)),
        height=80,
        disabled=read_only(),
        help=help_text,
    )
    codes = state[f"{kind}_colors"]
    if state.get(f"{kind}_error"):
        kept = f"  \nThe last good {noun} colours stay in use." if codes else ""
        st.error(escape_markdown(state[f"{kind}_error"]) + kept)
    if codes:
        columns = st.columns(min(len(codes), 4))
        for index, code in enumerate(codes):
            state[_picker_key(kind, index)] = code
            columns[index % len(columns)].color_picker(
                f"{picker} {index + 1}",
                key=_picker_key(kind, index),
                on_change=_accept_picker,
                args=(kind, index),
                disabled=read_only(),
            )


def seed_colour_editor() -> None:
    """Hex codes to paste, and a colour picker for each seed."""
    colour_list_editor("seed")


def _use_colours(kind: str, hex_codes: tuple[str, ...]) -> None:
    """Make valid hex codes the colours of one list (``"seed"`` or ``"fixed"``), and its initializer the one in use."""
    state = st.session_state
    assign(f"{kind}_text", ", ".join(hex_codes))
    state[f"{kind}_colors"] = tuple(hex_codes)
    state[f"{kind}_error"] = None
    assign("init", _LIST_INITS[kind])


def use_palette_as_seeds(hex_codes: tuple[str, ...]) -> None:
    """Make a palette's colours the manual seeds (to lock and refine it)."""
    _use_colours("seed", hex_codes)


def use_fixed_colours(hex_codes: tuple[str, ...]) -> None:
    """Callback: make these colours the fixed palette and open the Palette page next run."""
    _use_colours("fixed", hex_codes)
    st.session_state.switch_to_palette = True


def lock_colours() -> None:
    """Callback of "Re-cluster the rest": the chosen swatches become the locked colours."""
    state = st.session_state
    state.locked = tuple(state.get("w_lock_choice", ()))


def lock_controls(palette: kc.Palette) -> None:
    """A lock on each swatch (its hex code), and "Re-cluster the rest" to find the others around them."""
    state = st.session_state
    if state.init not in kc.INITIALIZERS:
        return
    state["w_lock_choice"] = [code for code in state.get("w_lock_choice", state.locked) if code in palette.hex]
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.multiselect(
        "Lock colours",
        list(palette.hex),
        key="w_lock_choice",
        disabled=read_only(),
        help="Locked colours stay exactly as they are; k-means finds the others around them (the other methods "
        "cannot keep them, so locks make the palette k-means). k counts both.",
    )
    right.button("Re-cluster the rest", on_click=lock_colours, width="stretch", disabled=read_only())


def region_controls(still: kc.Still) -> None:
    """Borders left out (or kept), accents, and a crop rectangle, in an expander."""
    height, width = still.shape
    with st.expander("Borders, crop and accents"):
        st.toggle(
            "Leave out letterbox bars and borders",
            disabled=read_only(),
            **bind("leave_out_borders"),
            help="Nearly uniform dark rows and columns at the edges (values up to about 30 of 255), "
            "and uniform borders, do not count.",
        )
        st.toggle(
            "Keep accent colours",
            disabled=read_only(),
            **bind("accents"),
            help="Add small regions (at least 0.5% of the frame) that lie farther than 15 ΔE2000 from every "
            "palette colour, which k-means would merge away.",
        )
        st.toggle("Crop to a region", disabled=read_only(), **bind("crop_on"))
        if st.session_state.crop_on:
            st.slider(f"Columns x0–x1 (% of {width} px)", 0, 100, disabled=read_only(), **bind("crop_x"))
            st.slider(f"Rows y0–y1 (% of {height} px)", 0, 100, disabled=read_only(), **bind("crop_y"))


def palette_settings(*, order: bool = True) -> None:
    """The settings shared by every page, drawn in the sidebar; the colour order too unless ``order=False``
    (a page that draws it beside its swatches, :func:`order_control`)."""
    locked = read_only()
    with st.sidebar:
        st.header("Palette settings")
        st.selectbox(
            "Method",
            list(METHOD_LABELS),
            format_func=METHOD_LABELS.get,
            disabled=locked,
            help="How the colours are found. The Friends page shows the still through each of them.",
            **bind("method"),
        )
        working = settings()
        fallback = method_fallback(st.session_state.method, init=working.init, locked=working.locked)
        if fallback:
            st.info(fallback)
        st.radio("Initializer", list(INIT_LABELS), format_func=INIT_LABELS.get, disabled=locked, **bind("init"))
        if st.session_state.init == "manual":
            seed_colour_editor()
        elif st.session_state.init == "fixed":
            colour_list_editor("fixed")
        st.radio("Colour space", list(SPACE_LABELS), format_func=SPACE_LABELS.get, disabled=locked, **bind("space"))
        st.number_input("Random seed", min_value=0, max_value=2**31 - 1, step=1, disabled=locked, **bind("random_seed"))
        if order:
            order_control()


def order_control(*, horizontal: bool = False) -> None:
    """How the swatches are ordered: one click, with every order in view (a dropdown took two).

    Order only presents a palette: a change reorders the cached palette.
    """
    st.radio(
        "Order colours by",
        list(ORDER_LABELS),
        format_func=ORDER_LABELS.get,
        disabled=read_only(),
        horizontal=horizontal,
        **bind("order"),
    )


def k_slider() -> int:
    """The working k; with seed colours it follows their number."""
    working = settings()
    if working.seed_colors:
        st.session_state.w_k_fixed = working.k
        st.slider(
            "k, the number of colours",
            K_MIN,
            K_MAX,
            key="w_k_fixed",
            disabled=True,
            help="With your own seed or fixed colours, k is their number.",
        )
        return working.k
    st.slider("k, the number of colours", K_MIN, K_MAX, disabled=read_only(), **bind("k"))
    return st.session_state.k
