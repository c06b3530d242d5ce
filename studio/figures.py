"""Plotly figures: the still's colour cloud, the Choose k curves in plain words, k-means converging."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import kmeans_core as kc
from studio.settings import SPACE_LABELS

_DARK = dict(
    paper_bgcolor="#1c1c1e",
    plot_bgcolor="#1c1c1e",
    font=dict(color="#d0d0d0"),
)

#: The ``config`` of every chart: Plotly's toolbar stays off (it sat on the charts' titles).
CHART_CONFIG = {"displayModeBar": False}

#: Axis titles, and which coordinate of the space goes on x, y and z.
_AXES = {
    "lab": (("a*", "b*", "L*"), [1, 2, 0]),
    "oklab": (("a", "b", "L"), [1, 2, 0]),
    "rgb": (("R", "G", "B"), [0, 1, 2]),
}


def _css_colors(rgb: np.ndarray) -> list[str]:
    return [f"rgb({r},{g},{b})" for r, g, b in rgb.tolist()]


def color_cloud(still: kc.Still, palette: kc.Palette, *, n_points: int = 4000, seed: int = 0) -> go.Figure:
    """The still's colours in 3D, drawn in their own colours, with the centres.

    Parameters
    ----------
    still, palette
    n_points : int
        Size of the weighted sample of the histogram (colours drawn with
        probability proportional to their pixel counts, without repeats).
    seed : int
        The sample is the same every time.
    """
    hist = still.histogram
    n = min(n_points, len(hist.colors))
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(hist.colors), size=n, replace=False, p=hist.counts / hist.counts.sum())
    colors = hist.colors[picked]
    names, order = _AXES[palette.space]
    points = kc.rgb_to_space(colors, palette.space)[:, order]
    centers = kc.rgb_to_space(palette.rgb, palette.space)[:, order]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter3d(
            x=points[:, 0],
            y=points[:, 1],
            z=points[:, 2],
            mode="markers",
            marker=dict(size=2, color=_css_colors(colors), opacity=0.8),
            name=f"{n:,} colours of the still (weighted sample)",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter3d(
            x=centers[:, 0].tolist(),
            y=centers[:, 1].tolist(),
            z=centers[:, 2].tolist(),
            mode="markers+text",
            marker=dict(size=9, symbol="diamond", color=_css_colors(palette.rgb), line=dict(color="#ffffff", width=2)),
            text=list(palette.hex),
            textfont=dict(color="#eeeeee", size=11),
            name="Palette centres",
            hovertemplate="%{text}<extra></extra>",
        )
    )
    scene_axis = dict(backgroundcolor="#1c1c1e", gridcolor="#3a3a3a", zerolinecolor="#555555")
    fig.update_layout(
        **_DARK,
        height=560,
        margin=dict(l=0, r=0, t=30, b=0),
        legend=dict(orientation="h", y=1.02, x=0),
        scene=dict(
            xaxis=dict(title=names[0], **scene_axis),
            yaxis=dict(title=names[1], **scene_axis),
            zaxis=dict(title=names[2], **scene_axis),
        ),
    )
    return fig


@dataclass(frozen=True)
class SweepChart:
    """How one rule of Choose k is shown: in plain words, with its technical name in the help."""

    #: The KSweep field drawn.
    field: str
    #: The SuggestedK field that holds the rule's pick.
    rule: str
    title: str
    y_title: str
    #: The rule's pick, as a sentence with ``{k}``.
    verdict: str
    #: The technical name and the rule, for the help text.
    help: str


SWEEP_CHARTS = (
    SweepChart(
        field="inertia",
        rule="elbow",
        title="Colour error left over",
        y_title="error left, % of the first k",
        verdict="**The error curve bends at k = {k}**",
        help="The elbow of the inertia (the within-cluster sum of squares, the k-means objective): "
        "the k whose point lies farthest below the straight line from the first k to the last "
        "(the smallest k within 0.01 of that, on scales of 0 to 1).",
    ),
    SweepChart(
        field="silhouette",
        rule="silhouette",
        title="How distinct the colours are",
        y_title="separation, −1 to 1",
        verdict="**The colours are most distinct at k = {k}**",
        help="The mean silhouette: how much closer each pixel is to its own colour than to the next one, "
        "from −1 to 1. The smallest k whose mean silhouette is within 0.01 of the largest.",
    ),
    SweepChart(
        field="gap",
        rule="gap",
        title="Structure beyond chance",
        y_title="gain over random colours",
        verdict="**The still holds clear structure up to k = {k}**",
        help="The gap statistic (Tibshirani, Walther and Hastie 2001): how much tighter the still's colours "
        "cluster than random colours spread over the same range. The 1-SE rule: the smallest k with "
        "gap(k) ≥ gap(k+1) − s(k+1).",
    ),
)


def sweep_values(sweep, field: str) -> np.ndarray:
    """What a chart draws: the inertia as a percentage of the first k's, the other fields as they are."""
    values = np.asarray(getattr(sweep, field), dtype=float)
    return 100.0 * values / values[0] if field == "inertia" else values


def sweep_chart(sweep, chart: SweepChart, *, suggested: int | None, note: str = "") -> go.Figure:
    """One rule's curve over k, its pick marked, points clickable.

    Parameters
    ----------
    sweep : kmeans_core.KSweep
    chart : SweepChart
    suggested : int or None
        The k this rule picks, drawn as a ringed star and a line; None when
        the rule makes no pick.
    note : str
        Shown under the title (for example the sample size).
    """
    ks = np.asarray(sweep.ks)
    values = sweep_values(sweep, chart.field)
    # Plain lists, so the chart's data reads back as numbers (not base64).
    error = (
        dict(type="data", array=np.asarray(sweep.gap_se, dtype=float).tolist(), color="#8a8a8a")
        if chart.field == "gap"
        else None
    )
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=ks.tolist(),
            y=values.tolist(),
            mode="lines+markers",
            line=dict(color="#b8b8b8", width=2),
            marker=dict(size=9, color="#d8d8d8"),
            error_y=error,
            name=chart.y_title,
            hovertemplate="k=%{x}<br>" + chart.y_title + ": %{y:.4g}<extra></extra>",
        )
    )
    if suggested is not None and suggested in ks:
        at = int(np.flatnonzero(ks == suggested)[0])
        fig.add_vline(x=suggested, line=dict(color="#e0b050", width=1, dash="dot"))
        fig.add_trace(
            go.Scatter(
                x=[suggested],
                y=[values[at]],
                mode="markers",
                marker=dict(size=16, symbol="star", color="#e0b050", line=dict(color="#1c1c1e", width=1)),
                name=f"suggested k={suggested}",
                hovertemplate=f"suggested k={suggested}<extra></extra>",
            )
        )
    subtitle = f"<br><sup>{note}</sup>" if note else ""
    fig.update_layout(
        **_DARK,
        title=dict(text=f"{chart.title}{subtitle}", x=0, font=dict(size=15)),
        height=260,
        margin=dict(l=10, r=10, t=56, b=36),
        showlegend=False,
        xaxis=dict(
            title="k, the number of colours", dtick=1, gridcolor="#333333", range=[ks.min() - 0.5, ks.max() + 0.5]
        ),
        yaxis=dict(title=chart.y_title, gridcolor="#333333", nticks=5),
        clickmode="event+select",
        dragmode=False,
    )
    return fig


def sweep_work_chart(sweep) -> go.Figure:
    """How k-means worked at each k: iterations to converge and seconds taken."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Iterations to converge", "Time to fit, seconds"))
    ks = np.asarray(sweep.ks).tolist()
    for col, values, label in ((1, sweep.n_iter, "iterations"), (2, sweep.seconds, "seconds")):
        fig.add_trace(
            go.Scatter(
                x=ks,
                y=np.asarray(values, dtype=float).tolist(),
                mode="lines+markers",
                line=dict(color="#b8b8b8", width=2),
                marker=dict(size=7, color="#d8d8d8"),
                hovertemplate="k=%{x}<br>" + label + ": %{y:.3g}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text="k", dtick=2, gridcolor="#333333", row=1, col=col)
        fig.update_yaxes(gridcolor="#333333", nticks=5, rangemode="tozero", row=1, col=col)
    fig.update_layout(**_DARK, height=260, margin=dict(l=10, r=10, t=40, b=36), showlegend=False)
    return fig


def drift_heatmap(drift: kc.SceneDrift, names: list[str]) -> go.Figure:
    """Each still's drift (rows) per scene colour (columns), CIEDE2000; flagged stills marked "⚠"."""
    labels = [("⚠ " if row.is_flagged else "") + name for name, row in zip(names, drift.stills, strict=True)]
    values = drift.drift
    fig = go.Figure(
        go.Heatmap(
            z=np.where(np.isnan(values), None, np.round(values, 2)).tolist(),
            x=list(drift.palette.hex),
            y=labels,
            colorscale="Magma",
            zmin=0,
            zmax=max(2 * drift.threshold, float(np.nanmax(values)) if np.isfinite(values).any() else 0.0),
            colorbar=dict(title="ΔE2000"),
            hovertemplate="%{y}<br>%{x}: drift %{z}<extra></extra>",
        )
    )
    fig.update_layout(
        **_DARK,
        height=120 + 32 * len(names),
        margin=dict(l=10, r=10, t=30, b=10),
        xaxis=dict(title="Scene colour", tickfont=dict(family="monospace")),
        yaxis=dict(autorange="reversed"),
    )
    return fig


def inertia_chart(trace: kc.KMeansTrace, *, step: int | None = None) -> go.Figure:
    """The k-means objective after each iteration (step 0 is the first assignment), ``step`` marked."""
    steps = list(range(len(trace.inertia)))
    fig = go.Figure(
        go.Scatter(
            x=steps,
            y=trace.inertia.tolist(),
            mode="lines+markers",
            line=dict(color="#b8b8b8", width=2),
            marker=dict(size=5, color="#d8d8d8"),
            hovertemplate="step %{x}<br>inertia %{y:.4g}<extra></extra>",
        )
    )
    if step is not None:
        fig.add_vline(x=step, line=dict(color="#e0a040", width=1, dash="dot"))
    fig.update_layout(
        **_DARK,
        height=260,
        margin=dict(l=10, r=10, t=40, b=36),
        showlegend=False,
        title=dict(text="Inertia after each iteration", font=dict(size=14)),
        dragmode=False,
    )
    fig.update_xaxes(title_text="iteration (0: the first assignment)", gridcolor="#333333")
    fig.update_yaxes(title_text=f"inertia in {SPACE_LABELS[trace.space]}", gridcolor="#333333", nticks=5)
    return fig
