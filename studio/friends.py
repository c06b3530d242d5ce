"""The Friends page's parts: one still through several methods and spaces, and k-means converging.

Each card shows the palette a (method, space) pair gives with the working
k and seed (:meth:`studio.settings.Settings.through`), the redrawn frame, its
CIEDE2000 figures, the time the palette took and one line on the method.
"Watch it converge" steps through :func:`kmeans_core.kmeans_trace` of the
working settings: every frame is ``quantize(still, trace.palette(step))``.
"""

from __future__ import annotations

import streamlit as st

import kmeans_core as kc
from studio import cache, figures, views
from studio.settings import FIXED, KMEANS, METHOD_LABELS, SPACE_LABELS, Settings, StillEntry
from studio.state import assign, notify, read_only, settings

__all__ = [
    "FEW_STEPS",
    "FRIENDS",
    "convergence",
    "friend_card",
    "friend_label",
    "work_with_method",
]

#: Every (method, space) pair the page offers, in the core's order.
FRIENDS = tuple((method, space) for method in kc.METHODS for space in kc.SPACES)

#: "After a few iterations": the step shown between the first assignment and convergence.
FEW_STEPS = 3


def friend_label(friend: tuple[str, str]) -> str:
    """``"k-medoids · CIELAB (perceptual)"`` for ``("kmedoids", "lab")``."""
    method, space = friend
    return f"{METHOD_LABELS[method]} · {SPACE_LABELS[space]}"


def work_with_method(method: str, space: str) -> None:
    """Callback: make the card's method and space the working ones and open the Palette page next run.

    The card started from k-means++ (or random) with no locks, so the
    working settings do too, and a notice says what was left out.
    """
    state = st.session_state
    working = settings()
    card = working.through(method, space)
    left_out = []
    if working.locked:
        state.locked = ()
        left_out.append("the locked colours")
    if working.init != card.init:
        left_out.append("the fixed colours" if working.init == FIXED else "your seed colours")
        assign("init", card.init)
        assign("k", working.k)
    assign("method", method)
    assign("space", space)
    note = f"Working with {friend_label((method, space))}."
    if left_out:
        note += f" As on its Friends card, {' and '.join(left_out)} are left out."
    notify(note)
    state.switch_to_palette = True


def friend_card(entry: StillEntry, card: Settings) -> None:
    """One card: the redrawn frame, the palette strip, mean and 95th-percentile ΔE2000, the time, the note."""
    friend = (card.method, card.space)
    st.markdown(f"**{friend_label(friend)}**")
    shown = views.redrawn_card(entry, card)
    if shown is None:
        return
    _, quality = shown
    mean, p95, took = st.columns(3)
    mean.metric("Mean ΔE2000", f"{quality.mean:.2f}")
    p95.metric("95th pct ΔE2000", f"{quality.p95:.2f}")
    took.metric("Time", f"{cache.palette_seconds(entry.digest, entry.data, card):.2f} s")
    st.caption(kc.METHOD_NOTES[card.method])
    st.button(
        "Work with this method",
        key=f"work_{card.method}_{card.space}",
        on_click=work_with_method,
        args=friend,
        disabled=read_only(),
        width="stretch",
    )


def _few_step(n_iter: int) -> int:
    return min(FEW_STEPS, max(1, n_iter // 2))


def convergence(entry: StillEntry, working: Settings) -> None:
    """Watch k-means converge: three frames, the inertia per iteration, and a slider through the steps."""
    st.subheader("Watch it converge")
    if working.init == FIXED:
        st.info("Fixed colours are used as they are, with no clustering: there is nothing to converge.")
        return
    trace = cache.trace(entry.digest, entry.data, working)
    n_iter = trace.n_iter
    notes = [
        f"k-means on the working still with k={working.k} in {SPACE_LABELS[working.space]}, "
        f"from the sidebar's start and seed: {'converged' if trace.converged else 'stopped'} after "
        f"{n_iter} iteration{'s' if n_iter != 1 else ''}."
    ]
    if working.method != KMEANS:
        notes.append(f"The working method is {METHOD_LABELS[working.method]}; this is plain k-means beside it.")
    else:
        notes.append("The working palette then moves each colour to its cluster's median, so it can differ a little.")
    if working.locked:
        notes.append("The locked colours are left out here.")
    st.caption(" ".join(notes))

    def redrawn(step: int):
        return cache.redrawn_preview(entry.digest, entry.data, working, trace.palette(step))

    few = _few_step(n_iter)
    columns = st.columns(3)
    shown = ((0, "After the first assignment"), (few, f"After {few} iterations"), (n_iter, "At convergence"))
    for column, (step, caption) in zip(columns, shown):
        views.frame(column, redrawn(step), caption=f"{caption} (step {step})")

    state = st.session_state
    if n_iter < 1:
        st.plotly_chart(figures.inertia_chart(trace), config=figures.CHART_CONFIG, width="stretch")
        return
    if state.get("w_trace_step", 0) > n_iter:
        state.w_trace_step = n_iter
    step = st.slider(
        "Iteration",
        0,
        n_iter,
        key="w_trace_step",
        help="0 is the first assignment: every colour of the still goes to its nearest starting centre.",
    )
    st.plotly_chart(figures.inertia_chart(trace, step=step), config=figures.CHART_CONFIG, width="stretch")
    palette = trace.palette(step)
    st.markdown(f"**Step {step} of {n_iter}** · inertia {palette.inertia:,.0f}")
    frame, strip = st.columns([2, 1])
    views.frame(frame, redrawn(step), caption=f"Redrawn at step {step}")
    with strip:
        views.swatch_strip(palette, labels=True)
