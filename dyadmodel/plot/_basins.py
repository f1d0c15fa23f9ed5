"""Basins of attraction: which attractor each start of a plane reaches."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dyadmodel.analysis.cycles import LimitCycle
from dyadmodel.errors import InvalidTypeError
from dyadmodel.plot import theme
from dyadmodel.plot._portrait import _basin_colours, _basin_trace
from dyadmodel.plot._traces import apply_theme
from dyadmodel.simulate._basins import BasinMap

__all__ = ["basin_map"]


def _percent(fraction: float) -> str:
    """A share as a percentage that does not round a small share to 0%."""
    if 0.0 < fraction < 0.001:
        return "<0.1%"
    return f"{100 * fraction:.1f}%" if fraction < 0.1 else f"{100 * fraction:.0f}%"


def basin_map(
    result: BasinMap,
    *,
    attractors: bool = True,
    fractions_in_legend: bool = True,
    title: str | None = None,
    width: int = 620,
    height: int = 580,
) -> go.Figure:
    """Draw a basin map (`dyadmodel.basins`): each start coloured by the attractor it reaches.

    Parameters
    ----------
    result : BasinMap
        The result to draw.
    attractors : bool
        Mark the attractors: stable equilibria as filled circles with their couple
        label, periodic orbits as their closed curve (projected on the plane).
    fractions_in_legend : bool
        Add each basin's share of the grid to its legend entry; without it, maps put
        side by side with `compare` share one legend entry per basin name.
    title : str, optional
        Default: the model's title; for a slice of a larger model the values of the
        states off the axes are added below it.
    width, height : int
        Figure size in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces carry ``meta={"role": ...}``: 'basins' (the heatmap of
        `phase_portrait`'s basin shading, codes 0..k-1 for the attractors, k for
        diverged, k+1 for undecided; hover names the code), 'basin-legend' (one
        swatch per basin present, with ``"basin"`` and ``"fraction"`` from
        ``result.fractions``), 'attractor' (with ``"name"``).

    Raises
    ------
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    Diverged starts are grey and undecided ones (e.g. on a separatrix) white; they
    appear in the legend only when present. For a slice of a model with more than two
    states, an attractor off the slice is drawn at its projection.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.plot import basin_map
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> fig = basin_map(dm.basins(m, m.params(), resolution=30))
    >>> [t.meta["basin"] for t in fig.data if t.meta["role"] == "basin-legend"]
    ['balanced', 'entrenched']
    """
    if not isinstance(result, BasinMap):
        raise InvalidTypeError(
            f"result is a {type(result).__name__}; expected a BasinMap (from dyadmodel.basins)"
        )
    model = result.params.model
    ix, iy = model.state_index(result.x_name), model.state_index(result.y_name)
    sx, sy = model.states[ix], model.states[iy]
    symx, symy = theme.symbol_html(sx), theme.symbol_html(sy)

    fig = go.Figure()
    heat = _basin_trace(result)
    # A name per cell would dominate the HTML of a fine grid (~15 bytes a cell against
    # one for the code): hover shows the code and the key instead.
    key = ", ".join(
        f"{k} {name}" for k, name in enumerate([*result.names, "diverged", "undecided"])
    )
    heat.update(
        text=None,
        hovertemplate=f"{symx} = %{{x:.3g}}, {symy} = %{{y:.3g}}<br>basin %{{z}}"
        f"<extra>{key}</extra>",
    )
    fig.add_trace(heat)
    colours = _basin_colours(len(result.names))
    for k, name in enumerate([*result.names, "diverged", "undecided"]):
        frac = float(result.fractions.get(name, 0.0))
        if k >= len(result.names) and frac == 0.0:
            continue
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={
                    "symbol": "square",
                    "size": 15,
                    "color": colours[k],
                    "line": {"color": "#888888", "width": 1},
                },
                name=(f"basin of {name}" if k < len(result.names) else name)
                + (f" ({_percent(frac)})" if fractions_in_legend else ""),
                meta={"role": "basin-legend", "basin": name, "fraction": frac},
            )
        )

    if attractors:
        mid = 0.5 * (float(result.x[0]) + float(result.x[-1]))
        for att, name in zip(result.attractors, result.names):
            if isinstance(att, LimitCycle):
                fig.add_trace(
                    go.Scatter(
                        x=att.state[ix],
                        y=att.state[iy],
                        mode="lines",
                        line={"color": "#000000", "width": 2.6},
                        name=f"{name} (period {theme.fmt_number(att.period, 3)})",
                        hoverinfo="skip",
                        meta={"role": "attractor", "name": name},
                    )
                )
                continue
            x, y = float(att.state[ix]), float(att.state[iy])
            fig.add_trace(
                go.Scatter(
                    x=[x],
                    y=[y],
                    mode="markers+text",
                    marker={
                        "symbol": "circle",
                        "size": 13,
                        "color": "#000000",
                        "line": {"color": "#FFFFFF", "width": 1.5},
                    },
                    text=[name],
                    textposition="top right" if x < mid else "top left",
                    textfont={"size": 14},
                    name=name,
                    showlegend=False,
                    hovertemplate=f"<b>{name}</b> (stable)<br>{symx} = {theme.fmt_number(x)}, "
                    f"{symy} = {theme.fmt_number(y)}<extra></extra>",
                    meta={"role": "attractor", "name": name},
                )
            )

    head = title if title is not None else model.title
    if model.n_states > 2:
        off = [
            f"{theme.symbol_html(s)} = {theme.fmt_number(float(v), 3)}"
            for s, v in zip(model.states, result.slice_state)
            if np.isfinite(v)
        ]
        head += f"<br><span style='font-size:13px'>slice at {', '.join(off)}</span>"
    apply_theme(fig)
    fig.update_layout(
        title={"text": head},
        xaxis={
            "title": {"text": theme.axis_title(sx)},
            "showgrid": False,
            "range": [float(result.x[0]), float(result.x[-1])],
        },
        yaxis={
            "title": {"text": theme.axis_title(sy)},
            "showgrid": False,
            "range": [float(result.y[0]), float(result.y[-1])],
        },
        width=width,
        height=height,
        meta={"kind": "basin map", "model": result.model_name, "x": sx.name, "y": sy.name},
    )
    return fig
