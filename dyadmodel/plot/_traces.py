"""Small drawing helpers shared by the figure functions (geometry only, no analysis)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dyadmodel.plot import theme


def join_polylines(
    lines: Iterable[np.ndarray], dtype: type = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate (2, k) polylines into x and y arrays separated by NaN (line breaks).

    ``dtype=np.float32`` halves the size of drawing aids (flow lines) in the HTML; results
    that a reader may want to read back (nullclines, manifolds) keep float64.
    """
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for line in lines:
        line = np.asarray(line, dtype=float)
        if line.shape[1] < 2:
            continue
        if xs:
            xs.append(np.array([np.nan]))
            ys.append(np.array([np.nan]))
        xs.append(line[0])
        ys.append(line[1])
    if not xs:
        return np.empty(0, dtype=dtype), np.empty(0, dtype=dtype)
    return np.concatenate(xs).astype(dtype), np.concatenate(ys).astype(dtype)


def arrowheads(
    tails: np.ndarray,
    tips: np.ndarray,
    *,
    color: str,
    size: float,
    name: str,
    meta: dict[str, Any],
    legendgroup: str | None = None,
) -> go.Scatter:
    """Arrowhead markers at ``tips`` (2, n), each pointing away from its ``tails`` point.

    plotly orients a marker with ``angleref='previous'`` along the screen direction from
    the previous point of the trace, so each arrow is a pair (tail with size 0, tip);
    the direction is right whatever the axes' aspect ratio.
    """
    n = tips.shape[1]
    x = np.empty(2 * n, dtype=np.float32)
    y = np.empty(2 * n, dtype=np.float32)
    x[0::2], x[1::2] = tails[0], tips[0]
    y[0::2], y[1::2] = tails[1], tips[1]
    sizes = np.tile([0.0, float(size)], n)
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        marker={
            "symbol": "arrow",
            "angleref": "previous",
            "size": sizes,
            "color": color,
            "line": {"width": 0},
        },
        name=name,
        legendgroup=legendgroup or name,
        showlegend=False,
        hoverinfo="skip",
        meta=meta,
    )


def arclength_points(line: np.ndarray, fractions: Sequence[float]) -> list[int]:
    """Indices (>= 1) of the first points past the given fractions of the arc length."""
    seg = np.hypot(*np.diff(line, axis=1))
    s = np.concatenate([[0.0], np.cumsum(seg)])
    if s[-1] <= 0:
        return []
    out = []
    for f in fractions:
        i = int(np.searchsorted(s, f * s[-1]))
        i = min(max(i, 1), line.shape[1] - 1)
        # Step past repeated points, so that the arrow has a direction.
        while i < line.shape[1] - 1 and seg[i - 1] == 0:
            i += 1
        if seg[i - 1] > 0 and i not in out:
            out.append(i)
    return out


def apply_theme(fig: go.Figure) -> go.Figure:
    fig.update_layout(template=theme.TEMPLATE)
    return fig
