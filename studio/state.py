"""The app's session state: one place that names every key and sets it up.

Widget state is dropped when a widget is not drawn (after a page switch), so
the stills and the working settings live in keys of our own, and widgets are
bound to them through :func:`bind`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import kmeans_core as kc
from kmeans_core import parse_hex_colors, to_hex
from studio.settings import (
    DEFAULT_COMPARE_KS,
    DEFAULT_FRIENDS,
    DEFAULT_K,
    DEFAULT_SEED_TEXT,
    K_MAX,
    K_MIN,
    Settings,
    StillEntry,
)

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "assets" / "samples"

_DEFAULTS = {
    "k": DEFAULT_K,
    "init": "k-means++",
    "space": "lab",
    "method": "kmeans",
    "random_seed": 0,
    "order": "share",
    "seed_text": DEFAULT_SEED_TEXT,
    "seed_colors": to_hex(parse_hex_colors(DEFAULT_SEED_TEXT)),
    "seed_error": None,
    "fixed_text": DEFAULT_SEED_TEXT,
    "fixed_colors": to_hex(parse_hex_colors(DEFAULT_SEED_TEXT)),
    "fixed_error": None,
    "locked": (),
    "accents": False,
    "leave_out_borders": True,
    "crop_on": False,
    "crop_x": (0, 100),
    "crop_y": (0, 100),
    "scene_stills": None,
    "scene_k": 6,
    "scene_weighting": "equal",
    "scene_threshold": kc.DRIFT_THRESHOLD,
    "scene_redraw": False,
    "tonal_cuts": (33, 66),
    "tonal_ks": (3, 3, 3),
    "compare_ks": list(DEFAULT_COMPARE_KS),
    "friends": list(DEFAULT_FRIENDS),
    "sweep_range": (2, 12),
    "gap_refs": 10,
    "gap_reference": "pca",
    "lut_strength": 1.0,
    "lut_smoothness": kc.DEFAULT_SMOOTHNESS,
    "lut_size": kc.DEFAULT_LUT_SIZE,
    "lut_preserve_lightness": False,
    # The Film page (see studio.film): its settings, and the last clip's (file id, digest).
    "film_k": DEFAULT_K,
    "film_sampling": "every",
    "film_every": 2.0,
    "film_columns": "frames",
    "film_colours": "dominant",
    "film_shots_page": 1,
    "film_digest": None,
    "upload_errors": [],
    "notices": [],
    "uploader_round": 0,
    # The session's project (see studio.project): its handle, and what was last kept of it.
    "project": None,
    "project_name": None,
    "project_checked": False,
    "store_problem": None,
    "kept_settings": None,
    "opened_palette": None,
    "confirm_remove": None,
    "problems": [],
    # A page drawn with studio.shell.page_body: what its sidebar showed on the last whole-page run, and
    # whether the body is drawn as part of one.
    "shell_view": None,
    "whole_page_run": False,
}

#: The working settings a project keeps (with the working still, ``current``).
SETTING_KEYS = ("k", "init", "space", "method", "random_seed", "order", "seed_text", "seed_colors")


def _copy(value):
    return value.copy() if isinstance(value, (list, set, dict)) else value


def sample_stills() -> list[StillEntry]:
    """The built-in sample stills, in name order."""
    return [StillEntry.from_bytes(path.name, path.read_bytes()) for path in sorted(SAMPLES_DIR.glob("*.jpg"))]


def init_state() -> None:
    """Set up every key once per session, with the sample stills loaded."""
    state = st.session_state
    if "stills" not in state:
        replace_stills(sample_stills())
    for key, value in _DEFAULTS.items():
        state.setdefault(key, _copy(value))


def replace_stills(entries: list[StillEntry], current: str | None = None) -> None:
    """Make ``entries`` the session's stills, with ``current`` (or the first) the working one."""
    state = st.session_state
    state.stills = {entry.digest: entry for entry in entries}
    assign("current", current if current in state.stills else next(iter(state.stills), None))


def reset_settings() -> None:
    """Put the working settings back to the studio's defaults (for a new project)."""
    for key in (*SETTING_KEYS, "seed_error"):
        assign(key, _copy(_DEFAULTS[key]))


def use_settings(working: Settings, *, seed_text: str | None = None) -> None:
    """Make ``working`` the session's settings (from a callback, or before the widgets are drawn)."""
    assign("k", working.k)
    assign("init", working.init)
    assign("space", working.space)
    assign("method", working.method)
    assign("random_seed", working.random_seed)
    assign("order", working.order)
    if working.seed_colors:
        assign("seed_colors", working.seed_colors)
        assign("seed_text", seed_text if isinstance(seed_text, str) else ", ".join(working.seed_colors))
        assign("seed_error", None)


def read_only() -> bool:
    """Whether this session shows a project through a read-only link: nothing may change."""
    project = st.session_state.get("project")
    return project is not None and not project.can_edit


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
    """The working settings; ``k`` asks for them at another k (for Compare k).

    Seed colours fix k (see :meth:`studio.settings.Settings.for_k`).
    """
    state = st.session_state
    working = Settings.working(
        k=state.k,
        init=state.init,
        space=state.space,
        random_seed=state.random_seed,
        order=state.order,
        method=state.method,
        seed_colors=state.fixed_colors if state.init == "fixed" else state.seed_colors,
        locked=state.locked,
        accents=state.accents,
        keep_borders=not state.leave_out_borders,
        crop=(state.crop_x[0], state.crop_y[0], state.crop_x[1], state.crop_y[1]) if state.crop_on else None,
    )
    return working if k is None else working.for_k(k)


def assign(key: str, value) -> None:
    """Set one of our keys from code (a callback), and the widget bound to it.

    Call it only from callbacks or before the widget is drawn in this run.
    """
    st.session_state[key] = value
    st.session_state[f"w_{key}"] = value


def set_working_k(k: int) -> None:
    """Make ``k`` the working k of the Palette page.

    Seed colours fix k: at another k the palette starts from k-means++, and
    a notice on the next page says so.
    """
    state = st.session_state
    k = int(min(max(k, K_MIN), K_MAX))
    assign("k", k)
    kind = {"manual": ("seed", state.seed_colors), "fixed": ("fixed", state.fixed_colors)}.get(state.init)
    if kind is not None and k != len(kind[1]):
        assign("init", "k-means++")
        n = len(kind[1])
        notify(f"Your {n} {kind[0]} colours fix k at {n}, so k={k} starts from k-means++ instead.")


def sort_compare_ks() -> None:
    """Keep the chosen values of k in increasing order, in the list and its widget."""
    assign("compare_ks", sorted(set(st.session_state.compare_ks)))


def notify(message: str) -> None:
    """Keep a notice to show once, at the top of the next page drawn."""
    st.session_state.notices.append(message)


def take_notices() -> list[str]:
    """The notices waiting to be shown; they are shown once."""
    notices, st.session_state.notices = st.session_state.notices, []
    return notices


def report_problem(message: str) -> None:
    """Keep a plain error (a refused change) to show once, at the top of the next page drawn."""
    st.session_state.problems.append(message)


def take_problems() -> list[str]:
    """The problems waiting to be shown; they are shown once."""
    problems, st.session_state.problems = st.session_state.problems, []
    return problems


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
