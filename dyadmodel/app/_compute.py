"""What the explorer computes and draws, as plain functions (no Dash).

Every callback of the app is a thin wrapper around one of these, so they can be tested
without a browser. Nothing here is new science: equilibria, nullclines, separatrices,
trajectories, continuation and stress responses all come from the analysis API, and the
figures from `dyadmodel.plot`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib
import importlib.metadata
import json
import math
import platform
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

import dyadmodel as dm
from dyadmodel import attachment
from dyadmodel.app._editor import FIELDS, PanelError, texts_from_query, typed_model
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, Parameter, ParameterError, ParameterSet, State
from dyadmodel.plot import phase_portrait, stability_class, theme, time_series

__all__ = [
    "DEFAULT_VIEW",
    "ECR_SCORES",
    "VIEW_TOGGLES",
    "Address",
    "ViewError",
    "attachment_scores",
    "axis_title",
    "backward_trajectory",
    "bifurcation_figure",
    "build_intervention",
    "check_stress_size",
    "click_grid_trace",
    "display_range",
    "equilibrium_rows",
    "export_view",
    "format_value",
    "intervention_choices",
    "page_frame",
    "params_from_scores",
    "parse_address",
    "parse_query",
    "parse_value",
    "parse_view",
    "portrait_view",
    "query_string",
    "server_layers",
    "slice_state",
    "start_choices",
    "stress_view",
    "trajectory_from",
]

#: The four ECR-R scores of the attachment sliders, in `couple_params` order.
ECR_SCORES = ("anxiety_1", "avoidance_1", "anxiety_2", "avoidance_2")
CLICK_GRID = 61  # points per axis of the invisible grid that catches clicks
TRAJECTORY_TIME = 60.0  # forward integration time of a clicked trajectory
MAX_TRAJECTORIES = 8
BACKWARD_MARGIN = 0.5  # the backward box: the domain enlarged by half its width each side
#: The view toggles of the page, in the order of the ``view`` entry of the address.
VIEW_TOGGLES = ("field", "nullclines", "separatrices", "basins", "backward")
DEFAULT_VIEW = ("field", "nullclines", "separatrices")
PORTRAIT_SIZE = (600, 540)
#: Largest stress-pulse start, duration and intervention start typed in the page.
MAX_PULSE_TIME = 1000.0
#: Largest |stress pulse size| when the model's stress input declares no bounds.
MAX_STRESS_SIZE = 100.0


class ViewError(InvalidInputError):
    """Input the explorer cannot use; the message is shown on the page."""


# ---------------------------------------------------------------------------------------
# parameters, sliders, typed values


def display_range(p: Parameter) -> tuple[float, float, float]:
    """``(min, max, step)`` of a parameter's slider.

    Finite bounds are used as they are unless they span more than 20 times the
    default's scale (then the slider shows ``[lower, lower + 10 scale]``); an infinite
    end is replaced by the default -+ 5 scale, where scale = max(|default|, 1). Typed
    values may go anywhere inside the bounds: the slider only offers a useful window.
    """
    lo, hi = p.bounds
    scale = max(abs(p.default), 1.0)
    dlo = lo if math.isfinite(lo) else p.default - 5 * scale
    dhi = hi if math.isfinite(hi) else p.default + 5 * scale
    if dhi - dlo > 20 * scale:
        dhi = max(dlo + 10 * scale, p.default + scale)
    step = _nice_step((dhi - dlo) / 400)
    if not p.lower_inclusive and dlo == lo:
        dlo += step  # a strictly positive quantity: the slider starts one step above 0
    return float(dlo), float(dhi), step


def _nice_step(raw: float) -> float:
    exp = math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * 10**exp >= raw:
            return float(f"{m * 10**exp:.12g}")
    return float(10 ** (exp + 1))  # pragma: no cover


def format_value(v: float) -> str:
    """A parameter value as typed text: short, exact enough to round-trip a slider."""
    return f"{float(v):.6g}"


def parse_value(model: Model, name: str, text: Any) -> float:
    """A typed value checked against the parameter's bounds.

    Raises `ParameterError` with the model's own message (the parameter, the value and
    the admissible interval) for a non-number or a value outside the bounds.
    """
    p = model.parameter(name)
    if isinstance(text, str):
        s = text.strip()
        try:
            value: Any = float(s)
        except ValueError:
            value = s  # let the parameter say why a string is not accepted
    else:
        value = text
    return p.check(value)


def mapped_parameters(model: Model) -> tuple[str, ...]:
    """The parameters `couple_params` sets in this model (empty: no attachment sliders)."""
    stems = ("anxiety_gain_", "avoidance_gain_", "openness_")
    mapping = attachment.DEFAULT_MAPPING
    names = []
    for n in model.parameter_names:
        if n.startswith(stems[:2]) or (n.startswith(stems[2]) and mapping.openness_max is not None):
            if n[-1] in "12":
                names.append(n)
    return tuple(names)


def params_from_scores(
    model: Model,
    scores: Sequence[float],
    current: Mapping[str, float],
    moved: str | None = None,
) -> ParameterSet:
    """`couple_params` for the four ECR-R scores, keeping every other current value.

    With ``moved`` (one of `ECR_SCORES`) only the parameters that score sets change, so
    that moving one score slider never nudges a gain set by hand or typed.
    """
    mapped = mapped_parameters(model)
    if moved is not None:
        kind, partner = moved.split("_")
        stems = ("anxiety_gain",) if kind == "anxiety" else ("avoidance_gain", "openness")
        mapped = tuple(n for n in mapped if n in {f"{st}_{partner}" for st in stems})
    keep = {k: v for k, v in current.items() if k not in mapped}
    return attachment.couple_params(model, *(float(s) for s in scores), **keep)


def attachment_scores(
    model: Model, values: Mapping[str, float], previous: Sequence[float]
) -> list[float]:
    """The ECR-R scores that the mapping would turn into ``values`` (clipped to 1-7).

    Scores that set no parameter of this model keep their ``previous`` value.
    """
    mp = attachment.DEFAULT_MAPPING
    lo, hi = mp.scale
    out = [float(s) for s in previous]
    for k, score in enumerate(ECR_SCORES):
        kind, partner = score.split("_")
        name = f"{kind}_gain_{partner}"
        if name not in values:
            continue
        gmin, gmax = getattr(mp, f"{kind}_gain_min"), getattr(mp, f"{kind}_gain_max")
        if gmax > gmin:
            s = lo + (values[name] - gmin) / (gmax - gmin) * (hi - lo)
            out[k] = round(min(max(s, lo), hi), 2)
    return out


# ---------------------------------------------------------------------------------------
# the URL


def query_string(
    model: Model,
    params: Mapping[str, float],
    x: str,
    y: str,
    view: Sequence[str] | None = None,
    *,
    base_name: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> str:
    """``?model=...&x=...&y=...&view=...&<changed parameters>``: the view, shareable.

    ``view`` is the set of toggles on (`VIEW_TOGGLES`); it is written only when it
    differs from `DEFAULT_VIEW`, as a comma-separated list (``view=`` for none). A model
    typed in the equations panel is written as its three texts (``equations``,
    ``parameters``, ``ranges``) after ``model=<base_name>``, the model it was edited from.
    """
    q = {"model": base_name or model.name}
    if texts is not None:
        q |= {f: texts.get(f, "") for f in FIELDS}
    if model.n_states > 2:
        q |= {"x": x, "y": y}
    if view is not None and set(view) != set(DEFAULT_VIEW):
        q["view"] = ",".join(t for t in VIEW_TOGGLES if t in set(view))
    for p in model.parameters:
        v = float(params[p.name])
        if not math.isclose(v, p.default, rel_tol=0, abs_tol=1e-12):
            q[p.name] = format_value(v)
    return "?" + urlencode(q)


def parse_query(
    search: str | None, default_model: str
) -> tuple[Model, dict[str, float], str, str, list[str]]:
    """The model, parameter values and displayed states a query string asks for.

    Bad entries are reported (the returned messages) and replaced by defaults, so that a
    mistyped link still opens a working page.
    """
    a = parse_address(search, default_model)
    return a.model, a.values, a.x, a.y, a.problems


@dataclasses.dataclass(frozen=True)
class Address:
    """What an address asks for.

    Attributes
    ----------
    base_name : str
        The ``model=`` entry (or the default): the model shown, or the one the typed
        equations were edited from.
    model : Model
        The model shown: the typed one when the address holds valid equations.
    texts : dict or None
        The equations panel's texts (None: no typed model).
    values : dict
        Parameter values (defaults where the address names none or a bad one).
    x, y : str
        The displayed states.
    problems : list of str
        What was ignored and why.
    """

    base_name: str
    model: Model
    texts: dict[str, str] | None
    values: dict[str, float]
    x: str
    y: str
    problems: list[str]


def parse_address(
    search: str | None,
    default_model: str,
    *,
    get_model: Callable[[str], Model] = dm.models.get,
    build: Callable[[Mapping[str, str], Model], Model] | None = None,
) -> Address:
    """The `Address` a query string describes; bad entries are reported and replaced by
    defaults (a typed model that cannot be built falls back to its base model).

    ``get_model`` resolves ``model=`` names; ``build(texts, base)`` builds a typed model
    (default: `dyadmodel.app._editor.typed_model`), raising `PanelError`.
    """
    query = dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=True))
    query.pop("view", None)  # see `parse_view`
    problems: list[str] = []
    texts = texts_from_query(query)
    for f in FIELDS:
        query.pop(f, None)
    name = query.pop("model", default_model)
    try:
        base = get_model(name)
    except LookupError as err:  # ModelNotFoundError names the registered models
        problems.append(str(err.args[0] if err.args else err))
        name = default_model
        base = get_model(default_model)
    model = base
    if texts is not None:
        try:
            model = (build or typed_model)(texts, base)
        except PanelError as err:
            problems.append(f"the equations in the address were not used: {err}")
            texts = None
    values = {p.name: float(p.default) for p in model.parameters}
    states = model.state_names
    x, y = query.pop("x", states[0]), query.pop("y", states[1])
    if x not in states or y not in states or x == y:
        problems.append(f"displayed states x={x!r}, y={y!r}: expected two of {', '.join(states)}")
        x, y = states[0], states[1]
    for key, text in query.items():
        if key not in values:
            problems.append(f"unknown parameter {key!r} in the address ignored")
            continue
        try:
            values[key] = parse_value(model, key, text)
        except ParameterError as err:
            problems.append(str(err))
    return Address(name, model, texts, values, x, y, problems)


def parse_view(search: str | None) -> tuple[list[str], list[str]]:
    """The view toggles the address asks for (`DEFAULT_VIEW` without ``view``) and the
    problems met (unknown toggles, ignored)."""
    query = dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=True))
    if "view" not in query:
        return list(DEFAULT_VIEW), []
    asked = [t.strip() for t in query["view"].split(",") if t.strip()]
    bad = [t for t in asked if t not in VIEW_TOGGLES]
    problems = (
        [
            f"unknown view toggle(s) {', '.join(map(repr, bad))} in the address ignored "
            f"(known: {', '.join(VIEW_TOGGLES)})"
        ]
        if bad
        else []
    )
    return [t for t in VIEW_TOGGLES if t in asked], problems


# ---------------------------------------------------------------------------------------
# the phase portrait


def _equilibria(pset: ParameterSet) -> dm.EquilibriumSet:
    # Keyed by the model too: parameter sets compare by the model's *name*, and every
    # model typed in the equations panel may be called 'typed' or '<base>-edited'.
    return _equilibria_of(pset.model, pset)


@functools.lru_cache(maxsize=64)
def _equilibria_of(model: Model, pset: ParameterSet) -> dm.EquilibriumSet:
    return dm.equilibria(model, pset)


def slice_state(model: Model, pset: ParameterSet) -> np.ndarray:
    """The full state at which the off-plane states are held (models with > 2 states).

    The 'balanced' equilibrium when there is one, else the first stable equilibrium,
    else the first equilibrium, else the middle of each state's domain.
    """
    eqs = _equilibria(pset)
    for pick in (
        lambda e: e.label == "balanced",
        lambda e: bool(e.stable),
        lambda e: True,
    ):
        for e in eqs:
            if pick(e):
                return np.array(e.state, dtype=float)
    return np.array([0.5 * (lo + hi) for lo, hi in model.domain])


def trajectory_from(
    model: Model, pset: ParameterSet, x0: Sequence[float], t_end: float = TRAJECTORY_TIME
) -> np.ndarray:
    """The forward solution from ``x0`` (full state), shape (n_states, k)."""
    sim = dm.simulate(model, pset, np.asarray(x0, dtype=float), (0.0, float(t_end)))
    if sim.status < 0:
        raise ViewError(f"trajectory from {np.round(x0, 3).tolist()}: {sim.message}")
    return sim.y


def backward_trajectory(
    model: Model,
    pset: ParameterSet,
    x0: Sequence[float],
    t_end: float = TRAJECTORY_TIME,
    *,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> np.ndarray:
    """The solution from ``x0`` backward in time over ``(0, -t_end)``, shape (n_states, k).

    ``model.ode(pset)`` integrated by `scipy.integrate.solve_ivp` (DOP853) from 0 down to
    ``-t_end``; it stops early when the state leaves the model's domain enlarged by
    `BACKWARD_MARGIN` times its width on each side (an infinite end of the domain is
    replaced by +-1e6), since a backward orbit typically runs away from attractors. The
    first column is ``x0``.
    """
    from scipy.integrate import solve_ivp

    x0 = np.asarray(x0, dtype=float)
    f = model.ode(pset)
    dom = np.array(model.domain, dtype=float)
    dom = np.clip(dom, -1e6, 1e6)
    width = np.maximum(dom[:, 1] - dom[:, 0], 1.0)
    lo, hi = dom[:, 0] - BACKWARD_MARGIN * width, dom[:, 1] + BACKWARD_MARGIN * width

    def leave(_t: float, x: np.ndarray) -> float:
        return float(np.min(np.minimum(x - lo, hi - x)))

    leave.terminal = True  # type: ignore[attr-defined]
    leave.direction = -1  # type: ignore[attr-defined]
    t_eval = np.linspace(0.0, -float(t_end), 1201)
    sol = solve_ivp(
        f,
        (0.0, -float(t_end)),
        x0,
        method="DOP853",
        rtol=rtol,
        atol=atol,
        events=leave,
        dense_output=True,
    )
    if sol.status < 0:
        raise ViewError(f"backward trajectory from {np.round(x0, 3).tolist()}: {sol.message}")
    t_stop = float(sol.t[-1])
    ts = t_eval[t_eval >= t_stop]
    if ts[-1] != t_stop:
        ts = np.append(ts, t_stop)
    y = sol.sol(ts)
    y[:, 0] = x0
    return y


def click_grid_trace(box: np.ndarray, n: int = CLICK_GRID) -> go.Scatter:
    """A faint grid of points under the plane, so that a click anywhere has a point."""
    gx, gy = np.meshgrid(np.linspace(*box[0], n), np.linspace(*box[1], n))
    return go.Scatter(
        x=gx.ravel().round(10),
        y=gy.ravel().round(10),
        mode="markers",
        marker={"size": 3, "color": "rgba(0,0,0,0.05)"},
        hovertemplate="click: trajectory from (%{x:.3g}, %{y:.3g})<extra></extra>",
        showlegend=False,
        meta={"role": "click-grid"},
    )


def portrait_view(
    model: Model,
    values: Mapping[str, float],
    x: str,
    y: str,
    *,
    layers: Sequence[str] = ("field", "nullclines", "separatrices"),
    starts: Sequence[Sequence[float]] = (),
) -> tuple[go.Figure, dm.EquilibriumSet, list[str]]:
    """The phase portrait, its equilibria and the problems met (trajectories that failed).

    ``layers`` chooses among 'field', 'nullclines', 'separatrices', 'basins' and
    'backward'; ``starts`` are full states from which trajectories are drawn (forward,
    and with 'backward' also backward in time, dotted: `backward_trajectory`).
    """
    pset = model.params(dict(values))
    eqs = _equilibria(pset)
    ix, iy = model.state_index(x), model.state_index(y)
    box = np.array([model.states[ix].domain, model.states[iy].domain], dtype=float)
    slice_values = None
    if model.n_states > 2:
        s = slice_state(model, pset)
        slice_values = {
            n: float(s[i]) for i, n in enumerate(model.state_names) if i not in (ix, iy)
        }
    trajs, problems = [], []
    for x0 in list(starts)[-MAX_TRAJECTORIES:]:
        try:
            yk = trajectory_from(model, pset, x0)
        except (ViewError, ValueError) as err:
            problems.append(str(err))
            continue
        trajs.append((f"from ({x0[ix]:.3g}, {x0[iy]:.3g})", yk))
    backs = []
    if "backward" in layers:
        for x0 in list(starts)[-MAX_TRAJECTORIES:]:
            try:
                backs.append((x0, backward_trajectory(model, pset, x0)))
            except (ViewError, ValueError) as err:
                problems.append(str(err))
    fig = phase_portrait(
        model,
        pset,
        x=x,
        y=y,
        domain=box,
        slice_values=slice_values,
        field="streamlines" if "field" in layers else None,
        nullclines="nullclines" in layers,
        separatrices="separatrices" in layers,
        basins="basins" in layers,
        equilibria=eqs,
        trajectories=trajs,
        width=PORTRAIT_SIZE[0],
        height=PORTRAIT_SIZE[1],
        title=model.title
        if model.n_states == 2
        else f"{x} vs {y}; other states at the balanced equilibrium",
    )
    for k, (_x0, yk) in enumerate(backs):
        fig.add_trace(
            go.Scatter(
                x=yk[ix],
                y=yk[iy],
                mode="lines",
                line={"color": "#555555", "width": 1.8, "dash": "dot"},
                name="backward in time",
                legendgroup="backward",
                showlegend=k == 0,
                hoverinfo="skip",
                meta={"role": "backward-trajectory", "index": k},
            )
        )
    for axis, state in (("xaxis", model.states[ix]), ("yaxis", model.states[iy])):
        if not (state.meaning.strip() and state.unit.strip()):  # e.g. a typed model
            fig.layout[axis].title.text = axis_title(state)
    fig.add_trace(click_grid_trace(box))
    fig.data = (fig.data[-1], *fig.data[:-1])  # under everything else
    fig.update_layout(clickmode="event", uirevision=f"{model.name}:{x}:{y}")
    # The axes are pinned to the plotting range padded by 2% (what autorange gives with
    # the click grid): left to autorange, a repaint (the page's, or the graph's own from
    # its stored figure) moves them as markers and trajectories come and go, and a click
    # aimed before it lands elsewhere.
    for axis, (lo, hi) in (("xaxis", box[0]), ("yaxis", box[1])):
        pad = 0.02 * (hi - lo)
        fig.layout[axis].update(range=[float(lo - pad), float(hi + pad)], autorange=False)
    if trajs or backs:  # trajectory entries add legend rows below the plot: make room for them
        extra = 30 * math.ceil((len(trajs) + bool(backs)) / 3)
        bottom = fig.layout.margin.b or fig.layout.template.layout.margin.b or 125
        fig.update_layout(height=PORTRAIT_SIZE[1] + extra, margin={"b": bottom + extra})
    return fig, eqs, problems


#: Grid of the page's vector field (arrows per axis) and of its nullclines (points per
#: axis of the marching-squares grid), for `page_frame`.
PAGE_FIELD_GRID = 21
PAGE_NULLCLINE_GRID = 121
#: Roles of the traces the server adds to a page-drawn portrait (`server_layers`).
SERVER_ROLES = ("basins", "basin-legend", "attractor", "stable-manifold", "unstable-manifold")


def _plain(obj: Any) -> Any:
    """``obj`` as plain JSON types (numpy arrays as lists; non-finite floats as None)."""
    return json.loads(
        pio.to_json(obj, validate=False, engine="json"), parse_constant=lambda _c: None
    )


def page_frame(
    model: Model, values: Mapping[str, float], x: str, y: str, *, source: str | None
) -> dict[str, Any]:
    """What the page needs to draw the portrait itself (``create_app(client_side=True)``).

    The layout, the click grid and the style of every layer come from the same
    `phase_portrait` the server draws with; the page computes the vector field,
    nullclines, equilibria (Newton, not certified) and trajectories with
    `dyadmodel.app._js.library_js` from ``source`` (`dyadmodel.app._js.model_js`; None
    when the model has no JavaScript form: the server then draws those layers too).

    Parameters
    ----------
    model : Model
        The model shown.
    values : mapping
        Parameter values (the slice of a model with more than 2 states is taken there).
    x, y : str
        The states of the plane.
    source : str or None
        The model's JavaScript, or None.

    Returns
    -------
    dict
        JSON-ready: ``layout``, ``grid`` (the click-grid trace), ``styles``, ``ix``,
        ``iy``, ``slice`` (a full state or None), ``box`` (Newton's box), ``field_xs``,
        ``field_ys``, ``nc_xs``, ``nc_ys``, ``params`` (names in the model's order),
        ``inputs`` (defaults), ``states``, ``key``, ``model_js``, ``model_name``,
        ``height``, ``margin_b``, ``trajectory_time``, ``max_trajectories``.

    Raises
    ------
    ParameterError
        ``values`` are not admissible.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> f = page_frame(m, m.params().as_dict(), "pursuit_1", "distance_2", source=None)
    >>> f["ix"], f["iy"], len(f["field_xs"]), f["slice"] is None
    (0, 1, 21, True)
    """
    pset = model.params(dict(values))
    ix, iy = model.state_index(x), model.state_index(y)
    fig, _eqs, _ = portrait_view(model, values, x, y, layers=(), starts=())
    grid = next(t for t in fig.data if (t.meta or {}).get("role") == "click-grid")
    box = np.array([model.states[ix].domain, model.states[iy].domain], dtype=float)
    eq_box = []
    for (lo, hi), (elo, ehi) in zip(model.domain, model.equilibrium_domain(pset)):
        lo2, hi2 = min(lo, elo), max(hi, ehi)
        eq_box.append(
            [float(lo2 if math.isfinite(lo2) else lo), float(hi2 if math.isfinite(hi2) else hi)]
        )
    st = theme.STYLE
    eq = st["equilibrium"]
    from dyadmodel.plot._portrait import _CLASS_NAMES, _LEGEND_RANK

    styles = {
        "field": {
            "mode": "lines",
            "line": {"color": st["field"]["color"], "width": st["field"]["width"]},
            "name": "flow direction",
            "legendgroup": "field",
            "legendrank": _LEGEND_RANK["field"],
            "hoverinfo": "skip",
            "meta": {"role": "field"},
        },
        "equilibrium": {
            cls: {
                "marker": {
                    "symbol": sym["symbol"],
                    "size": eq["size"],
                    "color": sym["fill"],
                    "line": {"color": eq["color"], "width": eq["line"]},
                },
                "name": _CLASS_NAMES[cls],
                "legendgroup": f"equilibrium-{cls}",
                "legendrank": _LEGEND_RANK["equilibrium"],
            }
            for cls, sym in theme.EQUILIBRIUM_SYMBOLS.items()
        },
        "palette": list(theme.TRAJECTORY_COLORS),
        "trajectory_width": st["trajectory"]["width"],
        "symbols": [theme.symbol_html(model.states[ix]), theme.symbol_html(model.states[iy])],
    }
    for role in ("x-nullcline", "y-nullcline"):
        sym = styles["symbols"][0 if role[0] == "x" else 1]
        styles[role] = {
            "mode": "lines",
            "line": {
                "color": st[role]["color"],
                "width": st[role]["width"],
                "dash": st[role]["dash"],
            },
            "name": f"nullcline {sym}′ = 0",
            "legendgroup": role,
            "legendrank": _LEGEND_RANK[role],
            "hoverinfo": "skip",
            "meta": {"role": role, "state": x if role[0] == "x" else y},
        }
    layout = _plain(fig.layout)  # axes pinned by portrait_view
    return {
        "key": f"{model.name}:{x}:{y}",
        "model_name": model.name,
        "model_js": source,
        "states": list(model.state_names),
        "params": list(model.parameter_names),
        "inputs": [float(u.default) for u in model.inputs],
        "ix": ix,
        "iy": iy,
        "slice": None if model.n_states == 2 else [float(v) for v in slice_state(model, pset)],
        "box": eq_box,
        "field_xs": np.linspace(*box[0], PAGE_FIELD_GRID).tolist(),
        "field_ys": np.linspace(*box[1], PAGE_FIELD_GRID).tolist(),
        "nc_xs": np.linspace(*box[0], PAGE_NULLCLINE_GRID).tolist(),
        "nc_ys": np.linspace(*box[1], PAGE_NULLCLINE_GRID).tolist(),
        "plot_box": box.tolist(),
        "layout": layout,
        # the click grid's points are made in the page (CLICK_GRID per axis of plot_box)
        "grid": {k: v for k, v in _plain(grid).items() if k not in ("x", "y")},
        "grid_n": CLICK_GRID,
        "styles": styles,
        "height": PORTRAIT_SIZE[1],
        "margin_b": layout.get("margin", {}).get("b") or 125,
        "trajectory_time": TRAJECTORY_TIME,
        "backward_margin": BACKWARD_MARGIN,
        "domain": [[float(np.clip(v, -1e6, 1e6)) for v in d] for d in model.domain],
        "max_trajectories": MAX_TRAJECTORIES,
        "ecr": _score_map(model),
    }


def _score_map(model: Model) -> list[dict[str, Any] | None]:
    """Per attachment score (`ECR_SCORES`), the linear map of `attachment_scores`."""
    mp = attachment.DEFAULT_MAPPING
    lo, hi = mp.scale
    out: list[dict[str, Any] | None] = []
    for score in ECR_SCORES:
        kind, partner = score.split("_")
        name = f"{kind}_gain_{partner}"
        gmin, gmax = getattr(mp, f"{kind}_gain_min"), getattr(mp, f"{kind}_gain_max")
        if name in model.parameter_names and gmax > gmin:
            out.append({"param": name, "gmin": gmin, "gmax": gmax, "lo": lo, "hi": hi})
        else:
            out.append(None)
    return out if mapped_parameters(model) else []


def server_layers(
    model: Model,
    values: Mapping[str, float],
    x: str,
    y: str,
    layers: Sequence[str],
    *,
    page_layers: bool = False,
) -> list[dict[str, Any]]:
    """The traces of the layers the page does not compute (separatrices, basins).

    With ``page_layers`` (a model without a JavaScript form) the vector field,
    nullclines and equilibria too.

    Parameters
    ----------
    model : Model
        The model shown.
    values : mapping
        Parameter values.
    x, y : str
        The states of the plane.
    layers : sequence of str
        The view's layers (`VIEW_TOGGLES`); only 'separatrices' and 'basins' are drawn,
        and with ``page_layers`` also 'field' and 'nullclines'.
    page_layers : bool
        Draw the page's layers as well (and the equilibria).

    Returns
    -------
    list of dict
        plotly traces as JSON-ready dicts, each with ``meta.role``.

    Raises
    ------
    ParameterError
        ``values`` are not admissible.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> t = server_layers(m, m.params().as_dict(), "pursuit_1", "distance_2", ["separatrices"])
    >>> sorted({tr["meta"]["role"] for tr in t})
    ['stable-manifold', 'unstable-manifold']
    """
    keep = {"separatrices", "basins"} | ({"field", "nullclines"} if page_layers else set())
    chosen = [k for k in layers if k in keep]
    if not chosen and not page_layers:
        return []
    fig, _eqs, _ = portrait_view(model, values, x, y, layers=chosen, starts=())
    roles = set(SERVER_ROLES)
    if page_layers:
        roles |= {"field", "arrowheads", "x-nullcline", "y-nullcline", "equilibrium"}
    return [_plain(t) for t in fig.data if (t.meta or {}).get("role") in roles]


def axis_title(state: State) -> str:
    """An axis title that reads well when the state has no meaning or unit (a model typed
    in the equations panel): the name alone, or the meaning and symbol; the plot theme's
    title (meaning, symbol, unit) otherwise."""
    meaning, unit = state.meaning.strip(), state.unit.strip()
    if meaning and unit:
        return theme.axis_title(state)
    label = f"{theme.state_label(state)} {theme.symbol_html(state)}" if meaning else state.name
    return f"{label} ({unit})" if unit else label


def equilibrium_rows(model: Model, eqs: dm.EquilibriumSet) -> tuple[list[dict[str, str]], str]:
    """Rows of the equilibria table and the sentence saying whether the list is complete."""
    rows = []
    for k, e in enumerate(eqs):
        rows.append(
            {
                "#": str(k + 1),
                "state": ", ".join(f"{n} = {v:.4g}" for n, v in zip(model.state_names, e.state)),
                "kind": e.kind,
                "stability": stability_class(e),
                "couple": e.label or "—",
                "eigenvalues": ", ".join(_fmt_eig(z) for z in e.eigenvalues),
                "certified": "yes" if e.enclosure is not None else "no",
                "plotted": "yes" if e.in_plot_range else "no (outside the plotted range)",
            }
        )
    outside = sum(not e.in_plot_range for e in eqs)
    note = f" {outside} of them lie outside the plotted range." if outside else ""
    verdict = eqs.completeness[0].upper() + eqs.completeness[1:]
    text = f"{len(eqs)} equilibria; {verdict} ({eqs.method}).{note}"
    return rows, text


def _fmt_eig(z: complex) -> str:
    z = complex(z)
    if abs(z.imag) < 1e-12:
        return f"{z.real:.4g}"
    return f"{z.real:.4g} {'+' if z.imag >= 0 else '−'} {abs(z.imag):.4g}i"


# ---------------------------------------------------------------------------------------
# bifurcation diagram and stress response


def _continuation(
    pset: ParameterSet, param: str, span: tuple[float, float]
) -> dm.BifurcationDiagram:
    return _continuation_of(pset.model, pset, param, span)  # keyed by the model: see above


@functools.lru_cache(maxsize=32)
def _continuation_of(
    model: Model, pset: ParameterSet, param: str, span: tuple[float, float]
) -> dm.BifurcationDiagram:
    return dm.continuation(model, pset, param, span)


def bifurcation_figure(
    model: Model, values: Mapping[str, float], param: str, state: str
) -> go.Figure:
    """Equilibria of ``state`` against ``param`` over its slider range; current value marked.

    The diagram does not depend on the current value of ``param``, so it is computed
    once per setting of the other parameters (cached) and only the marker moves.
    """
    pset = model.params(dict(values))
    p = model.parameter(param)
    lo, hi, _ = display_range(p)
    current = float(pset[param])
    # A window of 3 default-scales shows the folds of the flagships legibly; the whole
    # slider range only once the value leaves it (two spans, so the cache still helps).
    near = lo + 3 * max(abs(p.default), 1.0)
    if lo <= current <= near < hi:
        hi = near
    base = pset.replace(**{param: float(p.default)})
    bd = _continuation(base, param, (lo, hi))
    i = model.state_index(state)
    draw = getattr(importlib.import_module("dyadmodel.plot"), "bifurcation_diagram", None)
    fig = None
    if draw is not None:
        try:
            fig = draw(bd, state, label_points=False, width=PORTRAIT_SIZE[0], height=400)
        except TypeError:  # another signature than the one this was written for
            fig = None
    if fig is None:
        fig = _simple_bifurcation_figure(bd, i, param)
    fig.add_vline(
        x=current, line={"color": "#D55E00", "width": 2}, annotation_text=f"now {current:.3g}"
    )
    state_rec = model.states[i]
    if not (state_rec.meaning.strip() and state_rec.unit.strip()):
        fig.layout.yaxis.title.text = axis_title(state_rec)
    fig.update_layout(
        width=PORTRAIT_SIZE[0],
        height=400,
        title={"text": f"Equilibria against {param}"},
        xaxis={"range": [lo, hi]},
        meta={
            **(fig.layout.meta or {}),
            "kind": "bifurcation diagram",
            "param": param,
            "current": current,
            "notes": list(bd.notes),
        },
    )
    return fig


def _simple_bifurcation_figure(bd: dm.BifurcationDiagram, i: int, param: str) -> go.Figure:
    """Branches (stable solid, unstable dashed) and special points, drawn simply."""
    fig = go.Figure()
    for style, want in (("stable", True), ("unstable", False)):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for br in bd.branches:
            mask = np.asarray(br.stable) == want
            for k in range(len(br)):
                if mask[k] or (k + 1 < len(br) and mask[k + 1]):  # keep joins continuous
                    xs.append(float(br.values[k]))
                    ys.append(float(br.states[k, i]))
                else:
                    xs.append(None)
                    ys.append(None)
            xs.append(None)
            ys.append(None)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"{style} equilibria",
                line={
                    "color": theme.STYLE["x-nullcline"]["color"] if want else "#555555",
                    "dash": "solid" if want else "dash",
                    "width": 2.5 if want else 1.5,
                },
                meta={"role": f"{style}-branch"},
                hoverinfo="skip",
            )
        )
    if bd.special_points:
        fig.add_trace(
            go.Scatter(
                x=[sp.value for sp in bd.special_points],
                y=[float(sp.state[i]) for sp in bd.special_points],
                mode="markers",
                marker={"symbol": "x", "size": 9, "color": "black"},
                name="special points",
                text=[f"{sp.kind} at {param} = {sp.value:.4g}" for sp in bd.special_points],
                hoverinfo="text",
                meta={"role": "special-point"},
            )
        )
    fig.update_layout(
        template="simple_white",
        margin={"l": 60, "r": 20, "t": 40, "b": 50},
        title={
            "text": f"Equilibria against {param} (solid: stable, dashed: unstable)",
            "font": {"size": 14},
        },
        xaxis={"title": {"text": param}},
        yaxis={"title": {"text": axis_title(bd.params.model.states[i])}},
        legend={"orientation": "h", "y": -0.25},
    )
    return fig


def _start_state(model: Model, pset: ParameterSet, start_from: str | None = None) -> np.ndarray:
    """The slice state, or the stable equilibrium labelled ``start_from`` (by its couple
    label, e.g. 'entrenched', or its kind when it has no label)."""
    if not start_from or start_from == "slice":
        return slice_state(model, pset)
    for e in _equilibria(pset):
        if e.stable and (e.label or e.kind) == start_from:
            return np.array(e.state, dtype=float)
    stable = ", ".join(repr(e.label or e.kind) for e in _equilibria(pset) if e.stable)
    raise ViewError(
        f"no stable {start_from!r} equilibrium at these parameters; the stable ones are "
        + (stable or "none")
    )


def start_choices(model: Model, values: Mapping[str, float]) -> list[dict[str, str]]:
    """Options of the 'start at' dropdown: the slice state and each stable equilibrium."""
    pset = model.params(dict(values))
    opts = [{"label": f"the {slice_label(model, pset)} state (default)", "value": "slice"}]
    seen = set()
    for e in _equilibria(pset):
        name = e.label or e.kind
        if e.stable and name not in seen:
            seen.add(name)
            opts.append({"label": f"the {name} equilibrium", "value": name})
    return opts


_GAINS = ("anxiety_gain_1", "anxiety_gain_2", "avoidance_gain_1", "avoidance_gain_2")

#: The named interventions of `dyadmodel.simulate.interventions` the explorer offers:
#: key -> (label, what the strength is, default strength, parameters it needs (any of)).
INTERVENTIONS: dict[str, tuple[str, str, float, tuple[str, ...]]] = {
    "self_soothing_1": (
        "self-soothing, partner 1",
        "new anxiety_gain_1 (to)",
        1.0,
        ("anxiety_gain_1",),
    ),
    "self_soothing_2": (
        "self-soothing, partner 2",
        "new anxiety_gain_2 (to)",
        1.0,
        ("anxiety_gain_2",),
    ),
    "emotional_availability_1": (
        "emotional availability, partner 1",
        "new avoidance_gain_1 (to)",
        1.0,
        ("avoidance_gain_1",),
    ),
    "emotional_availability_2": (
        "emotional availability, partner 2",
        "new avoidance_gain_2 (to)",
        1.0,
        ("avoidance_gain_2",),
    ),
    "naming_the_cycle": ("naming the cycle (both)", "gain factor (< 1)", 0.8, _GAINS),
    "scheduled_checkins_2": (
        "scheduled check-ins, partner 2 (period 7, duration 1)",
        "pulse size on approach_baseline_2",
        1.0,
        ("approach_baseline_2",),
    ),
    "regulation_skills": ("regulation skills (both)", "gain factor (<= 1)", 0.8, _GAINS),
}


def intervention_choices(model: Model) -> list[dict[str, str]]:
    """Dropdown options: 'none' and the named interventions this model has parameters for
    (check-ins are the distancer's, partner 2: none in the 2D flagship, which has no
    ``approach_baseline_2``)."""
    have = set(model.parameter_names)
    opts = [{"label": "none", "value": "none"}]
    for key, (label, strength, _default, needs) in INTERVENTIONS.items():
        if have & set(needs):
            opts.append({"label": f"{label} — strength: {strength}", "value": key})
    return opts


def build_intervention(model: Model, key: str, start: float, strength: float) -> Any:
    """The `Intervention` of dropdown entry ``key`` from ``start`` with ``strength``."""
    from dyadmodel.simulate import interventions as iv

    if key not in INTERVENTIONS or not set(model.parameter_names) & set(INTERVENTIONS[key][3]):
        raise ViewError(f"intervention {key!r} is not available for model {model.name!r}")
    if key.startswith("self_soothing_"):
        return iv.self_soothing(int(key[-1]), to=strength, start=start)
    if key.startswith("emotional_availability_"):
        return iv.emotional_availability(int(key[-1]), avoidance_gain=strength, start=start)
    if key == "naming_the_cycle":
        return iv.naming_the_cycle(strength, start=start)
    if key.startswith("scheduled_checkins_"):
        return iv.scheduled_checkins(7.0, 1.0, strength, partner=int(key[-1]), start=start)
    return iv.regulation_skills(gain_factor=strength, start=start)


def stress_view(
    model: Model,
    values: Mapping[str, float],
    start: Any,
    duration: Any,
    size: Any,
    *,
    start_from: str | None = None,
    intervention: str | None = None,
    intervention_start: Any = 10,
    intervention_strength: Any = None,
    max_time: float = MAX_PULSE_TIME,
) -> tuple[go.Figure, str]:
    """The response to a stress pulse (and an intervention), and where it settles.

    Start, duration and intervention start must lie in [0, ``max_time``] (the run
    lasts at most about ``2 max_time + 100``), and the size must be a value the model's
    stress input accepts (`check_stress_size`), so that no typed value starts unbounded
    work.

    The run starts at the slice state (the balanced equilibrium) or at the stable
    equilibrium named by ``start_from``. ``intervention`` is a key of `INTERVENTIONS`
    (None or 'none': no intervention), applied from ``intervention_start`` on with
    ``intervention_strength`` (see `build_intervention`); its window is shaded, and the
    equilibrium named as the end is one of the parameters in force at the end.
    """
    if not model.inputs:
        raise ViewError(f"model {model.name!r} has no stress input")
    try:
        t0, dur, amp = (float(str(v).strip()) for v in (start, duration, size))
    except ValueError:
        raise ViewError(
            f"stress pulse start = {start!r}, duration = {duration!r}, size = {size!r}: "
            "expected three numbers"
        ) from None
    if not (math.isfinite(t0) and math.isfinite(dur) and math.isfinite(amp)):
        raise ViewError(
            f"stress pulse start = {start!r}, duration = {duration!r}, size = {size!r}: "
            "expected finite numbers"
        )
    if t0 < 0 or dur <= 0:
        raise ViewError(
            f"stress pulse start = {t0:g}, duration = {dur:g}: expected start >= 0 and duration > 0"
        )
    if t0 > max_time or dur > max_time:
        raise ViewError(
            f"stress pulse start = {t0:g}, duration = {dur:g}: expected at most {max_time:g} "
            "each (the explorer's time window)"
        )
    amp = check_stress_size(model, amp)
    pset = model.params(dict(values))
    x0 = _start_state(model, pset, start_from)
    t_end = t0 + dur + 60.0
    iv = None
    ti = 0.0
    if intervention and intervention != "none":
        if intervention_strength is None or str(intervention_strength).strip() == "":
            intervention_strength = INTERVENTIONS.get(intervention, ("", "", 1.0, ()))[2]
        try:
            ti, strength = (
                float(str(v).strip()) for v in (intervention_start, intervention_strength)
            )
        except ValueError:
            ti = strength = math.nan
        if not (math.isfinite(ti) and math.isfinite(strength)) or not 0 <= ti <= max_time:
            raise ViewError(
                f"intervention start = {intervention_start!r}, strength = "
                f"{intervention_strength!r}: expected a start in [0, {max_time:g}] and a "
                "strength (numbers)"
            )
        try:
            iv = build_intervention(model, intervention, ti, strength)
            iv.validate(model, pset)
        except (ValueError, TypeError) as err:
            raise ViewError(str(err)) from None
        t_end = max(t_end, ti + 100.0)
    # Dense output times: the solver's own steps are sparse before the pulse, and the
    # stress panel would draw straight lines between them.
    t_eval = np.union1d(np.linspace(0.0, t_end, 1201), [t0, t0 + dur])
    sim = dm.simulate(
        model,
        pset,
        x0,
        (0.0, t_end),
        stress=dm.stress.pulse(t0, dur, amp),
        interventions=[iv] if iv is not None else [],
        t_eval=t_eval,
    )
    if sim.status < 0:
        raise ViewError(sim.message)
    title = f"Stress pulse of size {amp:g} from t = {t0:g} for {dur:g}"
    if iv is not None:
        title += f"; {iv.name} from t = {ti:g}"
    fig = time_series(
        sim.t,
        sim.y,
        model,
        stress=sim.inputs[model.inputs[0].name],
        title=title,
        width=PORTRAIT_SIZE[0],
        height=380,
    )
    end_params = pset
    if iv is not None:
        end_params = pset.replace(
            **{n: float(iv.value_at(model, pset, n, t_end)) for n in model.parameter_names}
        )
        fig.add_vrect(
            x0=ti,
            x1=t_end,
            fillcolor="#009E73",
            opacity=0.12,
            line_width=0,
            layer="below",
            annotation_text=iv.name,
            annotation_position="top left",
            annotation_font_size=11,
        )
        fig.update_layout(
            meta={
                **(fig.layout.meta or {}),
                "intervention": {"name": iv.name, "start": ti, "end": t_end},
            }
        )
    stable = [e for e in _equilibria(end_params) if e.stable]
    end = sim.y[:, -1]
    begin = slice_label(model, pset) if not start_from or start_from == "slice" else start_from
    after = f" (of the parameters after {iv.name})" if iv is not None else ""
    if stable:
        e = min(stable, key=lambda e: float(np.linalg.norm(e.state - end)))
        where = e.label or e.kind
        text = (
            f"Starts at the {begin} state; at t = {t_end:g} it is near "
            f"the {where} equilibrium{after}."
        )
    else:
        text = f"At t = {t_end:g}: {np.round(end, 3).tolist()} (no stable equilibrium{after})."
    return fig, text


def check_stress_size(model: Model, size: float) -> float:
    """A stress-pulse size the model's stress input accepts.

    The input's own check (its bounds and meaning, e.g. no negative stress) when it
    has one, and ``|size| <= MAX_STRESS_SIZE`` (the explorer's window: larger pulses
    only overflow the right-hand side).
    """
    stress = model.inputs[0]
    check = getattr(stress, "check", None)
    if callable(check):
        try:
            size = float(check(size))
        except (ValueError, TypeError) as err:
            raise ViewError(f"stress pulse size: {err}") from None
    if not (math.isfinite(size) and abs(size) <= MAX_STRESS_SIZE):
        raise ViewError(
            f"stress pulse size = {size:g}: expected a number between {-MAX_STRESS_SIZE:g} "
            f"and {MAX_STRESS_SIZE:g}"
        )
    return float(size)


def slice_label(model: Model, pset: ParameterSet) -> str:
    s = slice_state(model, pset)
    for e in _equilibria(pset):
        if np.allclose(e.state, s):
            return e.label or e.kind
    return "domain-centre"


# ---------------------------------------------------------------------------------------
# export


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version(), "dyadmodel": dm.__version__}
    for pkg in ("numpy", "scipy", "sympy", "plotly", "dash", "kaleido"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def export_view(
    fig: go.Figure,
    outdir: str | Path,
    *,
    model: Model,
    values: Mapping[str, float],
    query: str,
    view: Mapping[str, Any],
    png: bool = True,
) -> tuple[list[Path], str]:
    """Write the view as offline HTML (+ PNG when a browser exists) and a provenance JSON.

    Like the figure scripts (``scripts/_common.py``): ``plotly.min.js`` is written once
    beside the HTML files (no CDN), and the JSON records the model, the parameters, the
    methods, the package versions and the address of the view (and, for a model that is
    not registered, e.g. one typed in the equations panel, its model file text under
    ``model_file``). Returns the files written and a note (why the PNG is missing, if it
    is).
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"explorer-{model.name}-{hashlib.sha256(query.encode()).hexdigest()[:8]}"
    base = out / stem
    html = base.with_suffix(".html")
    pio.write_html(
        fig,
        html,
        include_plotlyjs="directory",
        full_html=True,
        div_id=f"figure-{stem}",
        include_mathjax=False,
        config={"displaylogo": False},
    )
    written, note = [html], ""
    if png:
        try:
            data = pio.to_image(
                fig,
                format="png",
                width=int(fig.layout.width or 600),
                height=int(fig.layout.height or 540),
            )
        except Exception as err:  # kaleido raises several types when no browser is found
            first = str(err).splitlines()[0] if str(err) else ""
            note = (
                f"PNG not written ({type(err).__name__}: {first}); "
                "install chromium for static images"
            )
        else:
            base.with_suffix(".png").write_bytes(data)
            written.append(base.with_suffix(".png"))
    json_path = base.with_suffix(".json")
    record = {
        "figure": stem,
        "script": "dyadmodel explore",
        "models": [model.name],
        "parameters": {model.name: {k: float(v) for k, v in values.items()}},
        "methods": {
            "equilibria": "dyadmodel.equilibria (default options)",
            "trajectories": (
                f"dyadmodel.simulate (RK45, rtol 1e-8, atol 1e-10), t in [0, {TRAJECTORY_TIME:g}]"
            ),
            "separatrices": "dyadmodel.separatrices",
        },
        "seed": None,
        "view": dict(view),
        "address": query,
        "files": [p.name for p in [*written, json_path]],
        "versions": _versions(),
    }
    if model.name not in dm.models.names():  # typed or from a file: keep its definition
        record["model_file"] = model.to_toml()
    json_path.write_text(
        json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False, default=_json_default)
        + "\n",
        encoding="utf-8",
    )
    written.append(json_path)
    return written, note


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (np.floating, np.integer)):
        return obj.item()
    raise TypeError(f"{type(obj).__name__} is not JSON data")
