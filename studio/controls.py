"""The palette settings: initializer, seed colours, colour space, seed, order, k.

Every control is bound to the app's own session keys (see
:func:`studio.state.bind`), so choices survive page switches. Seed colours
are checked as they are typed; a malformed code shows an error beside the
field and the last good seeds stay in use.
"""

from __future__ import annotations

import streamlit as st

import kmeans_core as kc
from studio.settings import INIT_LABELS, K_MAX, K_MIN, ORDER_LABELS, SPACE_LABELS
from studio.state import assign, bind, settings
from studio.text import escape_markdown


def check_seed_text(text: str) -> tuple[str, ...]:
    """Parse the seed field into hex codes, or raise ValueError saying why."""
    codes = kc.to_hex(kc.check_seed_colors(text)) if text.strip() else ()
    if len(codes) < K_MIN:
        raise ValueError(
            f"Give at least {K_MIN} seed colours; there {'is' if len(codes) == 1 else 'are'} {len(codes)}."
        )
    if len(codes) > K_MAX:
        raise ValueError(f"Give at most {K_MAX} seed colours; there are {len(codes)}.")
    return codes


def _accept_seed_text() -> None:
    state = st.session_state
    try:
        state.seed_colors = check_seed_text(state.seed_text)
        state.seed_error = None
    except ValueError as error:
        state.seed_error = str(error)


def _accept_picker(index: int) -> None:
    state = st.session_state
    codes = list(state.seed_colors)
    codes[index] = state[f"w_pick_{index}"].upper()
    assign("seed_text", ", ".join(codes))
    _accept_seed_text()


def seed_colour_editor() -> None:
    """Hex codes to paste, and a colour picker for each seed."""
    state = st.session_state
    st.text_area(
        "Seed colours",
        **bind("seed_text", then=_accept_seed_text),
        height=80,
        help="Hex codes separated by commas or spaces, such as #1A2B3C, #FFEEDD. k follows the number of seeds.",
    )
    if state.get("seed_error"):
        st.error(
            escape_markdown(state.seed_error) + ("  \nThe last good seeds stay in use." if state.seed_colors else "")
        )
    codes = state.seed_colors
    if codes:
        columns = st.columns(min(len(codes), 4))
        for index, code in enumerate(codes):
            state[f"w_pick_{index}"] = code
            columns[index % len(columns)].color_picker(
                f"Seed {index + 1}", key=f"w_pick_{index}", on_change=_accept_picker, args=(index,)
            )


def use_palette_as_seeds(hex_codes: tuple[str, ...]) -> None:
    """Make a palette's colours the manual seeds (to lock and refine it)."""
    state = st.session_state
    assign("seed_text", ", ".join(hex_codes))
    state.seed_colors = tuple(hex_codes)
    state.seed_error = None
    assign("init", "manual")


def palette_settings() -> None:
    """The settings shared by every page, drawn in the sidebar."""
    with st.sidebar:
        st.header("Palette settings")
        st.radio("Initializer", list(INIT_LABELS), format_func=INIT_LABELS.get, **bind("init"))
        if st.session_state.init == "manual":
            seed_colour_editor()
        st.radio("Colour space", list(SPACE_LABELS), format_func=SPACE_LABELS.get, **bind("space"))
        st.number_input("Random seed", min_value=0, max_value=2**31 - 1, step=1, **bind("random_seed"))
        st.selectbox("Order colours by", list(ORDER_LABELS), format_func=ORDER_LABELS.get, **bind("order"))


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
            help="With your own seed colours, k is the number of seeds.",
        )
        return working.k
    st.slider("k, the number of colours", K_MIN, K_MAX, **bind("k"))
    return st.session_state.k
