"""Panels side by side: the same kind of figure for two or more situations."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.plot._traces import apply_theme

__all__ = ["compare"]


def compare(
    figures: Sequence[go.Figure],
    titles: Sequence[str] | None = None,
    *,
    title: str | None = None,
    shared_xaxes: bool = False,
    shared_yaxes: bool = False,
    width: int | None = None,
    height: int = 540,
    horizontal_spacing: float | None = None,
) -> go.Figure:
    """Put single-panel figures side by side in one row, e.g. balanced vs entrenched.

    Parameters
    ----------
    figures : sequence of plotly Figure
        Single-panel figures (e.g. from `phase_portrait`); their traces, axis titles and
        axis ranges are copied, the originals are not changed.
    titles : sequence of str, optional
        Panel titles; default: each figure's own title.
    title : str, optional
        Title of the whole figure.
    shared_xaxes, shared_yaxes : bool
        Link the panels' axes (zooming one zooms all). With shared y axes only the first
        panel shows the y axis title.
    width : int, optional
        Default: 540 pixels per panel.
    height : int
        Figure height in pixels.
    horizontal_spacing : float, optional
        Gap between panels as a fraction of the width (default 0.09, or 0.05 with shared
        y axes).

    Returns
    -------
    plotly.graph_objects.Figure
        Legend entries that repeat across panels (same name and group) are shown once;
        clicking one toggles it in every panel. ``layout.meta["panels"]`` holds the
        panels' own ``meta``.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> from dyadmodel.plot import compare
    >>> a = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], name="line"))
    >>> b = go.Figure(go.Scatter(x=[0, 1], y=[1, 0], name="line"))
    >>> fig = compare([a, b], ["rising", "falling"])
    >>> [tr.xaxis for tr in fig.data], [tr.showlegend for tr in fig.data]
    (['x', 'x2'], [None, False])
    """
    figures = list(figures)
    n = len(figures)
    if n == 0:
        raise InvalidInputError("compare needs at least one figure")
    for k, src in enumerate(figures):
        if not isinstance(src, go.Figure):
            raise InvalidTypeError(f"figures[{k}] is a {type(src).__name__}, not a plotly Figure")
        extra = [key for key in src.layout.to_plotly_json() if key.startswith(("xaxis", "yaxis"))]
        if any(key not in ("xaxis", "yaxis") for key in extra):
            raise InvalidInputError(
                f"figures[{k}] has several panels ({', '.join(sorted(extra))}); compare puts "
                "single-panel figures side by side"
            )
    if titles is None:
        titles = [src.layout.title.text or "" for src in figures]
    elif len(titles) != n:
        raise InvalidInputError(f"got {len(titles)} titles for {n} figures")
    if horizontal_spacing is None:
        horizontal_spacing = 0.05 if shared_yaxes else 0.09

    fig = make_subplots(
        rows=1,
        cols=n,
        subplot_titles=list(titles),
        shared_xaxes=shared_xaxes,
        shared_yaxes=shared_yaxes,
        horizontal_spacing=horizontal_spacing,
    )
    seen: set[tuple[str | None, str | None]] = set()
    for k, src in enumerate(figures, start=1):
        for tr in src.data:
            new = type(tr)(tr)
            key = (new.legendgroup, new.name)
            if new.showlegend is not False:
                if key in seen:
                    new.showlegend = False
                else:
                    seen.add(key)
            fig.add_trace(new, row=1, col=k)
        xa, ya = src.layout.xaxis, src.layout.yaxis
        fig.update_xaxes(title_text=xa.title.text, range=xa.range, row=1, col=k)
        y_title = ya.title.text if (k == 1 or not shared_yaxes) else None
        fig.update_yaxes(title_text=y_title, range=ya.range, row=1, col=k)
    apply_theme(fig)
    fig.update_annotations(font_size=15)
    fig.update_layout(
        title={"text": title} if title else None,
        width=width if width is not None else 540 * n,
        height=height,
        meta={"kind": "comparison", "panels": [src.layout.meta for src in figures]},
    )
    if not title:
        fig.update_layout(margin_t=50)
    return fig
