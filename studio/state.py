"""The app's session state: one place that names every key and sets it up.

Widget state is dropped when a widget is not drawn (after a page switch), so
the stills and the working settings live in keys of our own, and widgets are
bound to them through :func:`bind`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from kmeans_core import DEFAULT_MAX_PIXELS, parse_hex_colors, to_hex

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "assets" / "samples"

K_MIN, K_MAX = 2, 32
DEFAULT_K = 8
DEFAULT_COMPARE_KS = (3, 5, 8, 12)
DEFAULT_SEED_TEXT = "#1B1B1F, #6B4E3D, #C9A27E, #E8E2D6, #2F4A5C"

#: The pixel limit for an upload, shown beside the uploader.
MAX_PIXELS = DEFAULT_MAX_PIXELS

INIT_LABELS = {"k-means++": "k-means++", "random": "Random", "manual": "My seed colours"}
SPACE_LABELS = {"lab": "CIELAB (perceptual)", "rgb": "sRGB"}
ORDER_LABELS = {"share": "Share of frame", "hue": "Hue", "lightness": "Lightness"}


@dataclass(frozen=True)
class StillEntry:
    """A still loaded in this session: its name as given and its bytes."""

    name: str
    data: bytes
    digest: str


@dataclass(frozen=True)
class Settings:
    """The working palette settings, as plain hashable values."""

    k: int
    init: str
    space: str
    seed: int
    order: str
    seeds: tuple[str, ...]


_DEFAULTS = {
    "k": DEFAULT_K,
    "init": "k-means++",
    "space": "lab",
    "seed": 0,
    "order": "share",
    "seed_text": DEFAULT_SEED_TEXT,
    "good_seeds": to_hex(parse_hex_colors(DEFAULT_SEED_TEXT)),
    "seed_error": None,
    "compare_ks": list(DEFAULT_COMPARE_KS),
    "sweep_range": (2, 12),
    "gap_refs": 10,
    "gap_reference": "pca",
    "upload_errors": [],
    "seen_uploads": set(),
}


def init_state() -> None:
    """Set up every key once per session, with the sample stills loaded."""
    state = st.session_state
    if "stills" not in state:
        from studio.cache import digest_of

        stills = {}
        for path in sorted(SAMPLES_DIR.glob("*.jpg")):
            data = path.read_bytes()
            digest = digest_of(data)
            stills[digest] = StillEntry(name=path.name, data=data, digest=digest)
        state.stills = stills
        state.current = next(iter(stills), None)
    for key, value in _DEFAULTS.items():
        state.setdefault(key, value.copy() if isinstance(value, (list, set, dict)) else value)


def enter_page(name: str) -> None:
    """Note which page this run draws; :func:`bind` resets widgets on a new page."""
    state = st.session_state
    state.page_changed = state.get("page") != name
    state.page = name


def stills() -> dict[str, StillEntry]:
    """The stills of this session, by digest, in the order they were added."""
    return st.session_state.stills


def current_still() -> StillEntry | None:
    """The still that is being worked on."""
    return stills().get(st.session_state.current)


def add_still(entry: StillEntry) -> None:
    """Add a still (once per content) and make it the current one."""
    stills().setdefault(entry.digest, entry)
    assign("current", entry.digest)


def settings(*, k: int | None = None) -> Settings:
    """The working settings; ``k`` overrides the working k (for Compare k).

    Seed colours fix k; asked for another k, the settings use k-means++.
    """
    state = st.session_state
    init = state.init
    seeds = tuple(state.good_seeds) if init == "manual" else ()
    if k is None:
        k = len(seeds) if seeds else state.k
    elif seeds and k != len(seeds):
        init, seeds = "k-means++", ()  # seed colours fix k; any other k starts from k-means++
    return Settings(k=int(k), init=init, space=state.space, seed=int(state.seed), order=state.order, seeds=seeds)


def assign(key: str, value) -> None:
    """Set one of our keys from code (a callback), and the widget bound to it.

    Call it only from callbacks or before the widget is drawn in this run.
    """
    st.session_state[key] = value
    st.session_state[f"w_{key}"] = value


def set_working_k(k: int) -> None:
    """Make ``k`` the working k of the Palette page (leaving manual seeds)."""
    assign("k", int(min(max(k, K_MIN), K_MAX)))
    if st.session_state.init == "manual":
        assign("init", "k-means++")


def work_with_k(k: int) -> None:
    """Callback: make ``k`` the working k and open the Palette page next run."""
    set_working_k(k)
    st.session_state.switch_to_palette = True


def bind(key: str, *, then=None) -> dict:
    """Keyword arguments that bind a widget to the session key ``key``.

    The widget gets its own key (``"w_" + key``). Its value is taken from our
    key only when the widget is new: on first draw, or on the first run of a
    page (a widget of the page left behind keeps a stale value under the same
    key), never while the person is using it; it writes back to our
    key on change, so the value survives page switches. Code that changes
    ``key`` uses :func:`assign`, which moves the widget too. ``then`` is
    called after the write-back.
    """
    widget_key = f"w_{key}"
    if widget_key not in st.session_state or st.session_state.get("page_changed", True):
        st.session_state[widget_key] = st.session_state[key]

    def write_back() -> None:
        st.session_state[key] = st.session_state[widget_key]
        if then is not None:
            then()

    return {"key": widget_key, "on_change": write_back}
