"""Plotly figures: the still's colour cloud with the palette's centres."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import kmeans_core as kc

_DARK = dict(
    paper_bgcolor="#1c1c1e",
    plot_bgcolor="#1c1c1e",
    font=dict(color="#d0d0d0"),
)

#: Axis titles, and which coordinate of the space goes on x, y and z.
_AXES = {"lab": (("a*", "b*", "L*"), [1, 2, 0]), "rgb": (("R", "G", "B"), [0, 1, 2])}


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


#: One chart per criterion: (KSweep field, title, y-axis title, the rule in one line).
SWEEP_CHARTS = (
    ("inertia", "Elbow: within-cluster sum of squares", "Inertia", "The elbow: the k farthest below the chord from the first k to the last."),
    ("silhouette", "Silhouette", "Mean silhouette", "The k with the largest mean silhouette."),
    ("gap", "Gap statistic", "Gap", "The smallest k with gap(k) ≥ gap(k+1) − s(k+1) (the 1-SE rule)."),
)


def sweep_chart(sweep, field: str, *, title: str, y_title: str, suggested: int, note: str = "") -> go.Figure:
    """One criterion over k, the suggested k marked, points clickable.

    Parameters
    ----------
    sweep : kmeans_core.KSweep
    field : {"inertia", "silhouette", "gap"}
    title, y_title : str
    suggested : int
        The k this criterion suggests; drawn as a ringed star and a line.
    note : str
        Shown under the title (for example the silhouette's sample size).
    """
    ks = np.asarray(sweep.ks)
    values = np.asarray(getattr(sweep, field), dtype=float)
    # Plain lists, so the chart's data reads back as numbers (not base64).
    error = dict(type="data", array=np.asarray(sweep.gap_se, dtype=float).tolist(), color="#8a8a8a") if field == "gap" else None
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=ks.tolist(),
            y=values.tolist(),
            mode="lines+markers",
            line=dict(color="#b8b8b8", width=2),
            marker=dict(size=9, color="#d8d8d8"),
            error_y=error,
            name=y_title,
            hovertemplate="k=%{x}<br>" + y_title + "=%{y:.4g}<extra></extra>",
        )
    )
    at = int(np.flatnonzero(ks == suggested)[0]) if suggested in ks else None
    if at is not None:
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
        title=dict(text=f"{title}{subtitle}", x=0, font=dict(size=15)),
        height=300,
        margin=dict(l=10, r=10, t=60, b=40),
        showlegend=False,
        xaxis=dict(title="k", dtick=1, gridcolor="#333333", range=[ks.min() - 0.5, ks.max() + 0.5]),
        yaxis=dict(title=y_title, gridcolor="#333333"),
        clickmode="event+select",
        dragmode=False,
    )
    return fig
