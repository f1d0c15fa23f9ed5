"""Phase portraits: flow, nullclines, equilibria by stability, separatrices, trajectories."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dyadmodel import analysis as _analysis
from dyadmodel.analysis import flow as _flow
from dyadmodel.analysis._types import Equilibrium
from dyadmodel.analysis.manifolds import SaddleManifolds
from dyadmodel.analysis.nullclines import Nullclines
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, ParameterSet
from dyadmodel.plot import theme
from dyadmodel.plot._results import curves, equilibrium_list, manifold_list
from dyadmodel.plot._traces import apply_theme, arclength_points, arrowheads, join_polylines

__all__ = ["phase_portrait", "stability_class"]

_FIELDS = ("streamlines", "arrows")
_LEGEND_RANK = {
    "equilibrium": 10,
    "x-nullcline": 20,
    "y-nullcline": 21,
    "stable-manifold": 30,
    "unstable-manifold": 31,
    "trajectory": 40,
    "field": 50,
}


def stability_class(e: Equilibrium) -> str:
    """'stable', 'unstable', 'saddle' or 'undecided': how an equilibrium is drawn.

    A saddle has eigenvalues of both signs; 'undecided' is a non-hyperbolic point
    (``e.stable is None``, e.g. a centre), which the linearisation cannot classify.

    Parameters
    ----------
    e : Equilibrium
        An equilibrium.

    Returns
    -------
    str
        'stable', 'unstable', 'saddle' or 'undecided'.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.plot import stability_class
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> [stability_class(e) for e in dm.equilibria(m, m.params())]
    ['stable', 'saddle', 'stable']
    """
    if e.is_saddle:
        return "saddle"
    if e.stable is None:
        return "undecided"
    return "stable" if e.stable else "unstable"


_CLASS_NAMES = {
    "stable": "stable equilibrium",
    "unstable": "unstable equilibrium",
    "saddle": "saddle",
    "undecided": "non-hyperbolic equilibrium",
}


def phase_portrait(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    *,
    inputs: Mapping[str, float] | float | None = None,
    x: str | None = None,
    y: str | None = None,
    domain: Any = None,
    slice_values: Mapping[str, float] | None = None,
    field: str | _flow.Streamlines | _flow.VectorField | None = "streamlines",
    nullclines: bool | Nullclines = True,
    separatrices: bool | SaddleManifolds | Iterable[SaddleManifolds] = True,
    trajectories: Any = (),
    trajectory_colors: Sequence[str] | None = None,
    basins: Any = False,
    equilibria: bool | Equilibrium | Iterable[Equilibrium] | None = None,
    title: str | None = None,
    label_equilibria: bool = True,
    field_density: int | tuple[int, int] | None = None,
    width: int = 620,
    height: int = 560,
) -> go.Figure:
    """A phase portrait of ``model`` at ``params``, built from the analysis results.

    Everything drawn is either given (a result object) or obtained by calling the
    analysis API with the same model, parameters and inputs; this function itself only
    arranges lines and markers.

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping, optional
        Model defaults when omitted.
    inputs : mapping or float, optional
        Constant inputs (e.g. ``{"stress": 0.05}``), used by every analysis called.
    x, y : str, optional
        Horizontal and vertical states (default: the model's first two).
    domain : ((float, float), (float, float)), optional
        The plotted rectangle; default: the two states' ``domain``.
    slice_values : mapping, optional
        For a model with more than two states: values of the states off the axes, at
        which the flow and the nullclines are drawn (a planar slice). Without them only
        projections are drawn (equilibria, separatrices, trajectories): pass
        ``field=None, nullclines=False``.
    field : {'streamlines', 'arrows', None} or Streamlines or VectorField
        The flow's direction: short streamline pieces with arrowheads
        (`dyadmodel.analysis.flow.streamlines`), a grid of unit-length arrows
        (`~dyadmodel.analysis.flow.vector_field`, the direction only: arrows do not
        encode speed), a given result of either, or nothing.
    nullclines : bool or Nullclines
        Draw every branch of both nullclines (`dyadmodel.nullclines`), or the given ones.
        The x-nullcline (where x′ = 0) and the y-nullcline are told apart by colour and
        dash.
    separatrices : bool, SaddleManifolds or iterable of SaddleManifolds
        Draw the manifolds of every saddle (`dyadmodel.separatrices`), or the given
        ones: stable manifolds bold (the separatrix; in the couple models the tipping
        threshold), unstable manifolds thin and dotted. Only one-dimensional manifolds
        are drawn.
    trajectories : iterable of trajectories, or one result
        Solutions to draw, each with its start marked by a small open circle and arrow
        heads showing the direction of time. Each is an array of shape (n_states, k), a
        result that holds one (`Simulation`, `LimitCycle`, a manifold branch, a
        continuation `Branch`) or several (`SDESimulation`, an `EnsembleResult` with
        ``t_samples``: one curve per trajectory, in one colour), or a ``(name, array or
        result)`` pair that names it in the legend. Trajectories with the same name
        share a colour and one legend entry; unnamed ones get a colour each and share
        the entry "trajectory".
    trajectory_colors : sequence of str, optional
        Colours given to trajectories in turn; default `theme.TRAJECTORY_COLORS`.
    basins : bool or BasinMap
        Shade the basins of attraction: True computes them with
        `dyadmodel.simulate.basins` on a 161 x 161 grid of the domain; a `BasinMap`
        is drawn as given. Diverged and undecided starts are grey and white.
    equilibria : None, bool, Equilibrium or iterable of Equilibrium
        None or True: all equilibria from `dyadmodel.equilibria`; False: none; or the
        given ones (an `EquilibriumSet`, one `Equilibrium`, or any iterable of them).
        Markers: filled circle = stable, white circle = unstable, diamond with a cross =
        saddle, circle with a dot = non-hyperbolic (e.g. a centre). Hovering shows the
        state, the kind, the couple label and the eigenvalues.
    title : str, optional
        Default: the model's title, with the inputs when they are not zero.
    label_equilibria : bool
        Write each equilibrium's couple label ('balanced', ...) beside its marker.
    field_density : int or (int, int), optional
        Seeds (streamlines, default 16) or arrows (default 19) along each axis.
    width, height : int
        Figure size in pixels (also the size of static exports).

    Returns
    -------
    plotly.graph_objects.Figure
        Every trace carries ``meta={"role": ...}``: 'field', 'x-nullcline',
        'y-nullcline', 'stable-manifold', 'unstable-manifold', 'trajectory',
        'equilibrium' (with ``"stability"``), or 'arrowheads' / 'start' (decorations).

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.plot import phase_portrait
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> fig = phase_portrait(m, m.preset("anxious-avoidant"), field=None)
    >>> [t.meta["stability"] for t in fig.data if t.meta["role"] == "equilibrium"]
    ['stable', 'saddle']
    """
    pset = model.parameter_set(params)
    inp = model.constant_inputs(inputs, "a phase portrait")
    ix = model.state_index(x) if x is not None else 0
    iy = model.state_index(y) if y is not None else (1 if ix != 1 else 0)
    if ix == iy:
        raise InvalidInputError(
            f"x and y must be two different states; both are {model.state_names[ix]!r}"
        )
    sx, sy = model.states[ix], model.states[iy]
    if domain is None:
        box = np.array([sx.domain, sy.domain], dtype=float)
    else:
        box = np.array(domain, dtype=float)
        if box.shape != (2, 2) or not np.all(np.isfinite(box)) or np.any(box[:, 1] <= box[:, 0]):
            raise InvalidInputError(
                f"domain = {domain!r} must be ((x_min, x_max), (y_min, y_max)), finite, "
                "with min < max"
            )
    planar = model.n_states == 2
    plane_kw = {
        "x": sx.name,
        "y": sy.name,
        "domain": box,
        "slice_values": slice_values,
        "inputs": inp,
    }
    needs_plane = isinstance(field, str) or nullclines is True
    if needs_plane and not planar and slice_values is None:
        others = [n for n in model.state_names if n not in (sx.name, sy.name)]
        raise InvalidInputError(
            f"model {model.name!r} has {model.n_states} states: the flow and the nullclines "
            f"are drawn in a planar slice; pass slice_values for {', '.join(others)}, or "
            "field=None and nullclines=False to draw projections only"
        )

    fig = go.Figure()
    sym_x, sym_y = theme.symbol_html(sx), theme.symbol_html(sy)

    # -- basins of attraction (shading under everything else) ---------------------------
    if basins is not False and basins is not None:
        if basins is True:
            from dyadmodel.simulate import basins as _basins

            basins = _basins(
                model,
                pset,
                grid=(np.linspace(*box[0], 161), np.linspace(*box[1], 161)),
                x=sx.name,
                y=sy.name,
                inputs=inp,
                slice_values=slice_values,
            )
        fig.add_trace(_basin_trace(basins))

    # -- flow -------------------------------------------------------------------------
    if field is not None:
        if isinstance(field, str):
            if field not in _FIELDS:
                raise InvalidInputError(
                    f"field = {field!r} must be 'streamlines', 'arrows' or None"
                )
            if field == "streamlines":
                kw = {} if field_density is None else {"density": field_density}
                field = _flow.streamlines(model, pset, **plane_kw, **kw)
            else:
                # Arrows at the centres of n x n cells, so that none is cut by the frame.
                n = np.broadcast_to(np.asarray(field_density or 19), (2,)).astype(int)
                half_cell = 0.5 * (box[:, 1] - box[:, 0]) / n
                inner = np.column_stack([box[:, 0] + half_cell, box[:, 1] - half_cell])
                field = _flow.vector_field(
                    model, pset, **{**plane_kw, "domain": inner}, resolution=(int(n[0]), int(n[1]))
                )
        field_types = (_flow.Streamlines, _flow.VectorField)
        _check_result(field, field_types, "field", model, pset, inp)
        _add_field(fig, field, (ix, iy), model)

    # -- nullclines ---------------------------------------------------------------------
    if nullclines is not False:
        nc = (
            _analysis.nullclines(model, pset, **plane_kw)
            if nullclines is True
            else _check_result(nullclines, Nullclines, "nullclines", model, pset, inp)
        )
        _check_plane(nc.states, (sx.name, sy.name), "nullclines")
        for role, branches, sym in (
            ("x-nullcline", nc.x_nullcline, sym_x),
            ("y-nullcline", nc.y_nullcline, sym_y),
        ):
            bx, by = join_polylines(branches)
            st = theme.STYLE[role]
            fig.add_trace(
                go.Scatter(
                    x=bx,
                    y=by,
                    mode="lines",
                    line={"color": st["color"], "width": st["width"], "dash": st["dash"]},
                    name=f"nullcline {sym}′ = 0",
                    legendgroup=role,
                    legendrank=_LEGEND_RANK[role],
                    hoverinfo="skip",
                    meta={"role": role, "state": sx.name if role[0] == "x" else sy.name},
                )
            )

    # -- equilibria (needed by the separatrices) -----------------------------------------
    if equilibria is None or equilibria is True:
        eqs: Sequence[Equilibrium] = _analysis.equilibria(model, pset, inputs=inp)
    elif equilibria is False:
        eqs = ()
    else:
        eqs = equilibrium_list(equilibria)
        for e in eqs:
            _check_result(e, Equilibrium, "equilibria", model, pset, inp)

    # -- separatrices -------------------------------------------------------------------
    if separatrices is not False:
        if separatrices is True:
            saddles = [e for e in eqs if e.is_saddle]
            manifold_box = box if planar else None
            sms = (
                _analysis.separatrices(model, pset, saddles, inputs=inp, domain=manifold_box)
                if saddles
                else ()
            )
        else:
            sms = manifold_list(separatrices)
            for sm in sms:
                _check_result(sm, SaddleManifolds, "separatrices", model, pset, inp)
        _add_manifolds(fig, sms, (ix, iy))

    # -- trajectories -------------------------------------------------------------------
    _add_trajectories(fig, trajectories, (ix, iy), model, trajectory_colors)

    # -- equilibrium markers on top -------------------------------------------------------
    if eqs:
        _add_equilibria(fig, eqs, (ix, iy), model, label_equilibria)

    if title is None:
        title = model.title
        shown = [(u, inp[u.name]) for u in model.inputs if inp.get(u.name, 0.0) != 0.0]
        if shown:
            title += ": " + ", ".join(
                f"{u.name} {theme.symbol_html(u)} = {theme.fmt_number(v)}" for u, v in shown
            )
    pad = 0.02 * (box[:, 1] - box[:, 0])
    apply_theme(fig)
    fig.update_layout(
        title={"text": title},
        width=width,
        height=height,
        xaxis={
            "title": {"text": theme.axis_title(sx)},
            "range": [box[0, 0] - pad[0], box[0, 1] + pad[0]],
        },
        yaxis={
            "title": {"text": theme.axis_title(sy)},
            "range": [box[1, 0] - pad[1], box[1, 1] + pad[1]],
        },
        meta={
            "kind": "phase portrait",
            "model": model.name,
            "states": [sx.name, sy.name],
            "params": pset.as_dict(),
            "inputs": dict(inp),
        },
    )
    return fig


# ---------------------------------------------------------------------------------------


def _check_result(
    obj: Any,
    cls: type | tuple[type, ...],
    what: str,
    model: Model,
    pset: ParameterSet,
    inputs: Mapping[str, float],
) -> Any:
    """A given result must come from the same model, parameters and inputs as the portrait."""
    if not isinstance(obj, cls):
        names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
        raise InvalidTypeError(f"{what}: expected {names}, got {type(obj).__name__}")
    if obj.model_name != model.name:
        raise InvalidInputError(f"{what} belong to model {obj.model_name!r}, not {model.name!r}")
    if obj.params != pset:
        raise InvalidInputError(
            f"{what} were computed with other parameters ({obj.params!r}) than the portrait "
            f"({pset!r}); compute them with the same parameters"
        )
    if dict(obj.inputs) != dict(inputs):
        raise InvalidInputError(
            f"{what} were computed with inputs {dict(obj.inputs)}, the portrait has "
            f"{dict(inputs)}; pass the same inputs"
        )
    return obj


def _check_plane(got: tuple[str, str], want: tuple[str, str], what: str) -> None:
    if tuple(got) != tuple(want):
        raise InvalidInputError(
            f"{what} were computed in the plane {got[0]} x {got[1]}, not {want[0]} x {want[1]}"
        )


def _add_field(fig: go.Figure, field: Any, plane: tuple[int, int], model: Model) -> None:
    names = (model.state_names[plane[0]], model.state_names[plane[1]])
    st = theme.STYLE["field"]
    if isinstance(field, _flow.Streamlines):
        _check_plane(field.states, names, "streamlines")
        lines = list(field.lines)
        tails = np.array([ln[:, -2] for ln in lines]).T if lines else np.empty((2, 0))
        tips = np.array([ln[:, -1] for ln in lines]).T if lines else np.empty((2, 0))
    elif isinstance(field, _flow.VectorField):
        _check_plane(field.states, names, "vector field")
        lines, tails, tips = _quiver(field)
    else:
        raise InvalidTypeError(
            f"field: expected 'streamlines', 'arrows', None, Streamlines or VectorField, got "
            f"{type(field).__name__}"
        )
    fx, fy = join_polylines(lines, np.float32)
    fig.add_trace(
        go.Scatter(
            x=fx,
            y=fy,
            mode="lines",
            line={"color": st["color"], "width": st["width"]},
            name="flow direction",
            legendgroup="field",
            legendrank=_LEGEND_RANK["field"],
            hoverinfo="skip",
            meta={"role": "field"},
        )
    )
    if tips.shape[1]:
        fig.add_trace(
            arrowheads(
                tails,
                tips,
                color=st["color"],
                size=7,
                name="flow direction",
                meta={"role": "arrowheads", "of": "field"},
                legendgroup="field",
            )
        )


def _quiver(vf: _flow.VectorField) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Unit-length arrows (in axis-scaled coordinates) centred on the grid points."""
    width = vf.domain[:, 1] - vf.domain[:, 0]
    gx, gy = np.meshgrid(vf.x, vf.y)
    du, dv = vf.u / width[0], vf.v / width[1]
    norm = np.hypot(du, dv)
    ok = np.isfinite(norm) & (norm > 0)
    cell = min(1.0 / max(vf.x.size - 1, 1), 1.0 / max(vf.y.size - 1, 1))
    half = 0.35 * cell
    with np.errstate(all="ignore"):
        ux = np.where(ok, du / norm, 0.0) * half * width[0]
        uy = np.where(ok, dv / norm, 0.0) * half * width[1]
    tails = np.stack([gx[ok] - ux[ok], gy[ok] - uy[ok]])
    tips = np.stack([gx[ok] + ux[ok], gy[ok] + uy[ok]])
    lines = [np.stack([tails[:, k], tips[:, k]], axis=1) for k in range(tails.shape[1])]
    return lines, tails, tips


def _add_manifolds(fig: go.Figure, sms: Sequence[SaddleManifolds], plane: tuple[int, int]) -> None:
    stable, unstable = [], []
    labelled = False
    for sm in sms:
        c = sm.curve("stable")
        if c.shape[1]:
            stable.append(c[list(plane)])
            labelled |= bool(sm.saddle.label)
        for b in sm.unstable:
            unstable.append(b.points[list(plane)])
    for role, lines, name in (
        ("unstable-manifold", unstable, "unstable manifold of the saddle"),
        (
            "stable-manifold",
            stable,
            "separatrix = tipping threshold" if labelled else "separatrix (stable manifold)",
        ),
    ):
        if not lines:
            continue
        mx, my = join_polylines(lines)
        st = theme.STYLE[role]
        fig.add_trace(
            go.Scatter(
                x=mx,
                y=my,
                mode="lines",
                line={"color": st["color"], "width": st["width"], "dash": st.get("dash", "solid")},
                name=name,
                legendgroup=role,
                legendrank=_LEGEND_RANK[role],
                hoverinfo="skip",
                meta={"role": role},
            )
        )


def _add_trajectories(
    fig: go.Figure,
    trajectories: Any,
    plane: tuple[int, int],
    model: Model,
    colors: Sequence[str] | None,
) -> None:
    palette = tuple(colors) if colors else theme.TRAJECTORY_COLORS
    shown: set[str] = set()
    color_of: dict[str, str] = {}
    for k, (label, key, arr) in enumerate(curves(trajectories, model)):
        line = arr[list(plane)].astype(np.float32)  # a drawing: float32 keeps the HTML small
        # Trajectories sharing a label share a colour and one legend entry; unnamed ones
        # get a colour each and share the entry "trajectory".
        name = label or "trajectory"
        if key not in color_of:
            color_of[key] = palette[len(color_of) % len(palette)]
        color = color_of[key]
        group = f"trajectory: {name}"
        fig.add_trace(
            go.Scatter(
                x=line[0],
                y=line[1],
                mode="lines",
                line={"color": color, "width": theme.STYLE["trajectory"]["width"]},
                name=name,
                legendgroup=group,
                legendrank=_LEGEND_RANK["trajectory"],
                showlegend=name not in shown,
                hoverinfo="skip",
                meta={"role": "trajectory", "index": k, "label": label},
            )
        )
        shown.add(name)
        fig.add_trace(
            go.Scatter(
                x=line[0, :1],
                y=line[1, :1],
                mode="markers",
                marker={
                    "symbol": "circle-open",
                    "size": 8,
                    "color": color,
                    "line": {"width": 2, "color": color},
                },
                name=name,
                legendgroup=group,
                showlegend=False,
                hovertemplate=(
                    f"start: {theme.symbol_html(model.states[plane[0]])} = %{{x:.4g}}, "
                    f"{theme.symbol_html(model.states[plane[1]])} = %{{y:.4g}}<extra></extra>"
                ),
                meta={"role": "start", "index": k},
            )
        )
        idx = arclength_points(line, (0.3, 0.65))
        if idx:
            fig.add_trace(
                arrowheads(
                    line[:, [i - 1 for i in idx]],
                    line[:, idx],
                    color=color,
                    size=13,
                    name=name,
                    meta={"role": "arrowheads", "of": "trajectory", "index": k},
                    legendgroup=group,
                )
            )


def _equilibrium_hover(e: Equilibrium, model: Model) -> str:
    head = f"<b>{e.label}</b> ({e.kind})" if e.label else f"<b>{e.kind}</b>"
    rows = [head]
    for s, v in zip(model.states, e.state):
        rows.append(f"{theme.symbol_html(s)} = {theme.fmt_number(v)} ({theme.state_label(s)})")
    rows.append("eigenvalues: " + ", ".join(theme.fmt_number(complex(v)) for v in e.eigenvalues))
    rows.append("certified: " + ("yes" if e.enclosure is not None else "no"))
    return "<br>".join(rows)


def _add_equilibria(
    fig: go.Figure,
    eqs: Sequence[Equilibrium],
    plane: tuple[int, int],
    model: Model,
    label: bool,
) -> None:
    st = theme.STYLE["equilibrium"]
    for cls in ("stable", "saddle", "unstable", "undecided"):
        group = [e for e in eqs if stability_class(e) == cls]
        if not group:
            continue
        sym = theme.EQUILIBRIUM_SYMBOLS[cls]
        pts = np.array([e.state for e in group])
        text = [f"  {e.label}" if (label and e.label) else "" for e in group]
        fig.add_trace(
            go.Scatter(
                x=pts[:, plane[0]],
                y=pts[:, plane[1]],
                mode="markers+text" if any(text) else "markers",
                marker={
                    "symbol": sym["symbol"],
                    "size": st["size"],
                    "color": sym["fill"],
                    "line": {"color": st["color"], "width": st["line"]},
                },
                text=text,
                textposition="middle right",
                textfont={"size": 13, "color": "#222222"},
                name=_CLASS_NAMES[cls],
                legendgroup=f"equilibrium-{cls}",
                legendrank=_LEGEND_RANK["equilibrium"],
                hovertext=[_equilibrium_hover(e, model) for e in group],
                hoverinfo="text",
                meta={
                    "role": "equilibrium",
                    "stability": cls,
                    "kinds": [e.kind for e in group],
                    "labels": [e.label for e in group],
                },
            )
        )


_BASIN_COLOURS = ("#cfe3f2", "#f6d5bf", "#d5ecdf", "#eadcea", "#f9f1c2", "#d9d9d9")


def _basin_colours(k: int) -> list[str]:
    """Fill colours of ``k`` basins, then of 'diverged' (grey) and 'undecided' (white)."""
    colours = [_BASIN_COLOURS[i % (len(_BASIN_COLOURS) - 1)] for i in range(k)]
    return [*colours, "#bdbdbd", "#ffffff"]


def _basin_trace(bm) -> go.Heatmap:
    """A categorical heatmap of basin labels (attractors 0..k-1, -1 diverged, -2 undecided)."""
    k = len(bm.names)
    codes = np.where(bm.labels >= 0, bm.labels, np.where(bm.labels == -1, k, k + 1))
    colours = _basin_colours(k)
    n = len(colours)
    scale = []
    for i, c in enumerate(colours):
        scale += [[i / n, c], [(i + 1) / n, c]]
    names = [*bm.names, "diverged", "undecided"]
    text = np.array(names, dtype=object)[codes]
    return go.Heatmap(
        x=bm.x,
        y=bm.y,
        z=codes,
        zmin=0,
        zmax=n,
        colorscale=scale,
        showscale=False,
        text=text,
        hovertemplate="basin: %{text}<extra></extra>",
        meta={"role": "basins"},
        name="basins of attraction",
    )
