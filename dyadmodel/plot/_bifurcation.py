"""Bifurcation diagrams: equilibrium branches by stability, special points, hysteresis."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dyadmodel.continuation._cycles import CycleBranch
from dyadmodel.continuation._hysteresis import HysteresisSweep
from dyadmodel.continuation._types import BifurcationDiagram
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.plot import theme
from dyadmodel.plot._traces import apply_theme, arclength_points, arrowheads

__all__ = ["bifurcation_diagram"]

_BRANCH_STYLE = {
    "stable": {"color": "#000000", "width": 4.0, "dash": "solid"},
    "unstable": {"color": "#000000", "width": 2.2, "dash": "dash"},
}
# Special points: symbol, size, fill; in the couple's vocabulary on hover.
_POINT_STYLE = {
    "fold": {
        "symbol": "diamond",
        "size": 14,
        "color": theme.OKABE_ITO["vermillion"],
        "name": "fold (tipping point)",
    },
    "hopf": {
        "symbol": "star",
        "size": 15,
        "color": theme.OKABE_ITO["reddish_purple"],
        "name": "Hopf point (onset of cycles)",
    },
    "branch point": {
        "symbol": "triangle-up",
        "size": 13,
        "color": theme.OKABE_ITO["bluish_green"],
        "name": "branch point",
    },
}
_CYCLE_STYLE = {
    "stable": {"color": theme.OKABE_ITO["blue"], "width": 3.2, "dash": "solid"},
    "unstable": {"color": theme.OKABE_ITO["blue"], "width": 1.8, "dash": "dash"},
}
# Bifurcations of cycles: symbol, size, colour, legend name.
_CYCLE_POINT_STYLE = {
    "LPC": {
        "symbol": "diamond-open",
        "size": 13,
        "color": theme.OKABE_ITO["vermillion"],
        "name": "fold of cycles (LPC)",
    },
    "PD": {
        "symbol": "square-open",
        "size": 12,
        "color": theme.OKABE_ITO["bluish_green"],
        "name": "period doubling",
    },
    "NS": {
        "symbol": "circle-open",
        "size": 12,
        "color": theme.OKABE_ITO["orange"],
        "name": "Neimark-Sacker (torus)",
    },
    "homoclinic": {
        "symbol": "x",
        "size": 12,
        "color": theme.OKABE_ITO["reddish_purple"],
        "name": "homoclinic end (period without bound)",
    },
}
_SWEEP_STYLE = {
    "up": {"color": theme.OKABE_ITO["orange"], "dash": "solid"},
    "down": {"color": theme.OKABE_ITO["bluish_green"], "dash": "solid"},
}


def _stability_runs(n_unstable: np.ndarray) -> list[tuple[int, int, bool]]:
    """Maximal runs ``(start, stop, stable)`` of equal stability along a branch; adjacent
    runs share their boundary point so that the drawn curve has no gap."""
    stable = np.asarray(n_unstable) == 0
    cuts = np.flatnonzero(stable[1:] != stable[:-1]) + 1
    bounds = [0, *cuts.tolist(), len(stable)]
    return [(a, min(b + 1, len(stable)), bool(stable[a])) for a, b in itertools.pairwise(bounds)]


def bifurcation_diagram(
    diagram: BifurcationDiagram,
    state: str | int = 0,
    *,
    hysteresis: HysteresisSweep | None = None,
    cycles: CycleBranch | Sequence[CycleBranch] = (),
    cycle_measure: str = "extremes",
    label_points: bool = True,
    label_offsets: Sequence[tuple[float, float]] | None = None,
    title: str | None = None,
    width: int = 760,
    height: int = 520,
) -> go.Figure:
    """Draw a one-parameter bifurcation diagram (a `dyadmodel.continuation` result).

    Parameters
    ----------
    diagram : BifurcationDiagram
        The bifurcation diagram to draw.
    state : str or int
        The state on the vertical axis (name or index).
    hysteresis : HysteresisSweep, optional
        A slow ramp of the same parameter (`dyadmodel.hysteresis_sweep`), drawn over
        the branches as two thin lines with arrowheads (ramp up, ramp down): the
        hysteresis loop.
    cycles : CycleBranch or sequence of CycleBranch
        Branches of periodic orbits in the same parameter (`dyadmodel.continue_cycle`),
        drawn in blue, solid where stable and dashed where unstable, with their folds
        of cycles, period doublings, Neimark-Sacker points and homoclinic ends marked.
    cycle_measure : {'extremes', 'period'}
        'extremes': each cycle as its maximum and minimum of ``state`` (the envelope of
        the oscillation, on the same axis as the equilibria); 'period': its period, on
        a second axis at the right.
    label_points : bool
        Write each special point's kind and parameter value beside its marker (an
        annotation with an arrow).
    label_offsets : sequence of (float, float), optional
        Offsets ``(ax, ay)`` in pixels of the labels from their points, one per point of
        ``diagram.special_points`` (default: 40 px above each).
    title : str, optional
        Default: the model's title and the continuation parameter.
    width, height : int
        Figure size in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces carry ``meta={"role": ...}``: 'stable-branch' and 'unstable-branch'
        (every branch's stable or unstable stretches, NaN-separated, with
        ``"branches"``), one trace per kind of special point ('fold', 'hopf',
        'branch point', with ``"values"``: the parameter values exactly as in the
        diagram), 'sweep-up' / 'sweep-down' (with ``"jumps"``) and 'arrowheads';
        with ``cycles``: 'stable-cycle' and 'unstable-cycle' (``"measure"``; with
        'extremes' the maxima then the minima of every stretch, NaN-separated) and one
        trace per kind of cycle bifurcation ('LPC', 'PD', 'NS', 'homoclinic', with
        ``"values"``).

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    Stable means no eigenvalue with positive real part (``Branch.n_unstable == 0``);
    an unstable stretch is dashed whatever its number of unstable directions (hover
    shows it). Branch points are drawn once, on the first branch through them.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.plot import bifurcation_diagram
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> d = dm.continuation(m, None, "anxiety_gain_1", (0.0, 4.0))
    >>> fig = bifurcation_diagram(d, "pursuit_1")
    >>> [round(v, 4) for t in fig.data if t.meta["role"] == "fold" for v in t.meta["values"]]
    [1.6004, 3.3666]

    With the cycles born at a Hopf point (van der Pol: stable, growing as sqrt(mu)):

    >>> vdp = dm.Model.from_equations({"x": "y", "y": "(mu - x**2)*y - x"}, {"mu": 0.0})
    >>> d = dm.continuation(vdp, None, "mu", (-0.5, 0.5))
    >>> b = dm.continue_cycle(vdp, None, "mu", (-0.5, 0.5), start=d.hopf_points[0])
    >>> fig = bifurcation_diagram(d, "x", cycles=b)
    >>> sorted(t.meta["role"] for t in fig.data)
    ['hopf', 'stable-branch', 'stable-cycle', 'unstable-branch']
    """
    if not isinstance(diagram, BifurcationDiagram):
        raise InvalidTypeError(
            f"diagram is a {type(diagram).__name__}; expected a BifurcationDiagram "
            "(from dyadmodel.continuation)"
        )
    model = diagram.params.model
    i = state if isinstance(state, int | np.integer) else model.state_index(state)
    if not 0 <= i < model.n_states:
        raise InvalidInputError(f"state index {i} is out of range for {model.n_states} states")
    st = model.states[i]
    sym = theme.symbol_html(st)
    par = model.parameter(diagram.param)
    psym = theme.symbol_html(par)

    fig = go.Figure()
    # -- branches: one trace per stability (legend: two entries) ------------------------
    for kind in ("stable", "unstable"):
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        nu: list[np.ndarray] = []
        owners: list[int] = []
        for b, br in enumerate(diagram.branches):
            for a, z, stable in _stability_runs(br.n_unstable):
                if stable != (kind == "stable") or z - a < 2:
                    continue
                if xs:
                    xs.append(np.array([np.nan]))
                    ys.append(np.array([np.nan]))
                    nu.append(np.array([-1]))
                xs.append(br.values[a:z])
                ys.append(br.states[a:z, i])
                nu.append(br.n_unstable[a:z])
                if b not in owners:
                    owners.append(b)
        if not xs:
            continue
        style = _BRANCH_STYLE[kind]
        fig.add_trace(
            go.Scatter(
                x=np.concatenate(xs),
                y=np.concatenate(ys),
                mode="lines",
                line=style,
                name=f"{kind} equilibria",
                customdata=np.concatenate(nu),
                hovertemplate=(
                    f"{psym} = %{{x:.4g}}<br>{sym} = %{{y:.4g}}<br>"
                    "unstable directions: %{customdata}<extra>"
                    f"{kind}</extra>"
                ),
                meta={"role": f"{kind}-branch", "branches": owners},
            )
        )

    # -- hysteresis sweep ----------------------------------------------------------------
    if hysteresis is not None:
        if hysteresis.param != diagram.param:
            raise InvalidInputError(
                f"the hysteresis sweep ramps {hysteresis.param!r} but the diagram is in "
                f"{diagram.param!r}; sweep the same parameter"
            )
        for direction in ("up", "down"):
            sweep = getattr(hysteresis, direction)
            line = np.vstack([sweep.values, sweep.states[:, i]])
            col = _SWEEP_STYLE[direction]["color"]
            name = f"slow ramp {direction} (rate {theme.fmt_number(hysteresis.rate)})"
            fig.add_trace(
                go.Scatter(
                    x=line[0],
                    y=line[1],
                    mode="lines",
                    line={"color": col, "width": 1.8},
                    name=name,
                    legendgroup=f"sweep-{direction}",
                    hovertemplate=f"ramp {direction}: {psym} = %{{x:.4g}}, {sym} = "
                    "%{y:.4g}<extra></extra>",
                    meta={
                        "role": f"sweep-{direction}",
                        "jumps": [float(v) for v in sweep.jumps],
                    },
                )
            )
            idx = arclength_points(line, (0.2, 0.45, 0.7, 0.92))
            if idx:
                fig.add_trace(
                    arrowheads(
                        line[:, [k - 1 for k in idx]],
                        line[:, idx],
                        color=col,
                        size=12,
                        name=name,
                        legendgroup=f"sweep-{direction}",
                        meta={"role": "arrowheads", "of": f"sweep-{direction}"},
                    )
                )

    # -- cycles ------------------------------------------------------------------------------
    cycle_list = _cycle_branches(cycles, diagram)
    if cycle_measure not in ("extremes", "period"):
        raise InvalidInputError(
            f"cycle_measure = {cycle_measure!r}; expected 'extremes' or 'period'"
        )
    if cycle_list:
        _draw_cycles(fig, cycle_list, i, cycle_measure, psym, sym)

    # -- special points --------------------------------------------------------------------
    for kind, style in _POINT_STYLE.items():
        pts = diagram.of_kind(kind)
        if not pts:
            continue
        hover = [
            f"<b>{style['name']}</b><br>{psym} = {theme.fmt_number(s.value, 7)}<br>"
            f"{sym} = {theme.fmt_number(float(s.state[i]), 5)}<br>"
            f"unstable directions {s.n_unstable_before} → {s.n_unstable_after}"
            f"{'' if s.verified else ' (stability change NOT verified)'}<br>{s.meaning}"
            for s in pts
        ]
        fig.add_trace(
            go.Scatter(
                x=[s.value for s in pts],
                y=[float(s.state[i]) for s in pts],
                mode="markers",
                marker={
                    "symbol": style["symbol"],
                    "size": style["size"],
                    "color": style["color"],
                    "line": {"color": "#FFFFFF", "width": 1.2},
                },
                name=style["name"],
                hovertext=hover,
                hoverinfo="text",
                meta={"role": kind, "values": [float(s.value) for s in pts]},
            )
        )

    if label_points:
        points = diagram.special_points
        if label_offsets is not None and len(label_offsets) != len(points):
            raise InvalidInputError(
                f"got {len(label_offsets)} label_offsets for {len(points)} special points"
            )
        for k, s in enumerate(points):
            ax, ay = label_offsets[k] if label_offsets is not None else (0.0, -40.0)
            fig.add_annotation(
                x=s.value,
                y=float(s.state[i]),
                ax=ax,
                ay=ay,
                text=f"{s.kind} {psym} = {theme.fmt_number(s.value, 4)}",
                showarrow=True,
                arrowhead=0,
                arrowwidth=1,
                arrowcolor="#555555",
                font={"size": 13},
                bgcolor="rgba(255, 255, 255, 0.8)",
            )

    apply_theme(fig)
    if cycle_list and cycle_measure == "period":
        fig.update_layout(
            yaxis2={
                "title": {"text": "period of the cycles"},
                "overlaying": "y",
                "side": "right",
                "showgrid": False,
            }
        )
    fig.update_layout(
        title={"text": title if title is not None else f"{model.title}: equilibria vs {par.name}"},
        xaxis={"title": {"text": theme.parameter_title(par)}, "range": list(diagram.span)},
        yaxis={"title": {"text": theme.axis_title(st)}},
        width=width,
        height=height,
        meta={
            "kind": "bifurcation diagram",
            "model": diagram.model_name,
            "param": diagram.param,
            "state": st.name,
        },
    )
    return fig


def _cycle_branches(cycles, diagram: BifurcationDiagram) -> list[CycleBranch]:
    """``cycles`` as a list, each checked to be a branch of the diagram's model in its
    parameter."""
    items = [cycles] if isinstance(cycles, CycleBranch) else cycles
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise InvalidTypeError(
            f"cycles is a {type(cycles).__name__}; expected a CycleBranch or a sequence of "
            "them (from dyadmodel.continue_cycle)"
        )
    out = []
    for k, b in enumerate(items):
        if not isinstance(b, CycleBranch):
            raise InvalidTypeError(
                f"cycles[{k}] is a {type(b).__name__}; expected a CycleBranch "
                "(from dyadmodel.continue_cycle)"
            )
        if b.model_name != diagram.model_name or b.param != diagram.param:
            raise InvalidInputError(
                f"cycles[{k}] is a branch of {b.model_name!r} in {b.param!r}; the diagram is "
                f"of {diagram.model_name!r} in {diagram.param!r}"
            )
        out.append(b)
    return out


def _draw_cycles(fig: go.Figure, branches, i: int, measure: str, psym: str, sym: str) -> None:
    """Cycle branches as min/max envelopes (or periods), by stability, and their
    special points."""
    axis = "y2" if measure == "period" else "y"
    what = "period" if measure == "period" else f"max / min {sym}"
    for kind in ("stable", "unstable"):
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        owners: list[int] = []
        for b, br in enumerate(branches):
            n_unstable = np.where(br.stable, 0, 1)
            for a, z, stable in _stability_runs(n_unstable):
                if stable != (kind == "stable") or z - a < 2:
                    continue
                lines = (
                    [br.periods[a:z]]
                    if measure == "period"
                    else [br.maxima[a:z, i], br.minima[a:z, i]]
                )
                for line in lines:
                    if xs:
                        xs.append(np.array([np.nan]))
                        ys.append(np.array([np.nan]))
                    xs.append(br.param_values[a:z])
                    ys.append(line)
                if b not in owners:
                    owners.append(b)
        if not xs:
            continue
        fig.add_trace(
            go.Scatter(
                x=np.concatenate(xs),
                y=np.concatenate(ys),
                mode="lines",
                line=_CYCLE_STYLE[kind],
                name=f"{kind} cycles ({'period' if measure == 'period' else 'max / min'})",
                yaxis=axis,
                hovertemplate=f"{psym} = %{{x:.4g}}<br>{what} = %{{y:.4g}}<extra>{kind} "
                "cycle</extra>",
                meta={"role": f"{kind}-cycle", "branches": owners, "measure": measure},
            )
        )
    for kind, style in _CYCLE_POINT_STYLE.items():
        pts = [(br, s) for br in branches for s in br.of_kind(kind)]
        if not pts:
            continue
        ys = []
        for br, s in pts:
            k = min(s.index, len(br) - 1)
            if k + 1 < len(br) and abs(br.param_values[k + 1] - s.value) < abs(
                br.param_values[k] - s.value
            ):
                k += 1
            ys.append(float(s.period) if measure == "period" else float(br.maxima[k, i]))
        hover = [
            f"<b>{style['name']}</b><br>{psym} = {theme.fmt_number(s.value, 7)}<br>"
            f"period {theme.fmt_number(s.period, 5)}<br>{s.meaning}"
            for _, s in pts
        ]
        fig.add_trace(
            go.Scatter(
                x=[s.value for _, s in pts],
                y=ys,
                mode="markers",
                marker={
                    "symbol": style["symbol"],
                    "size": style["size"],
                    "color": style["color"],
                    "line": {"color": style["color"], "width": 2.2},
                },
                name=style["name"],
                yaxis=axis,
                hovertext=hover,
                hoverinfo="text",
                meta={"role": kind, "values": [float(s.value) for _, s in pts]},
            )
        )
