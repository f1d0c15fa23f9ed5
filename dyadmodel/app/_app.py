"""The Dash app: layout and callbacks (thin wrappers around `_compute`)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import dash
from dash import ALL, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

import dyadmodel as dm
from dyadmodel.app import _compute as C
from dyadmodel.app import _editor as E
from dyadmodel.app import _guard as G
from dyadmodel.app._export import explorer_html
from dyadmodel.app._guard import DeadlineExceeded, ExplorerLimits
from dyadmodel.errors import DyadmodelError
from dyadmodel.model import Model

__all__ = [
    "EXPORTS_PER_MINUTE",
    "ExplorerLimits",
    "build_typed_model",
    "check_model_text",
    "compute_bifurcation",
    "compute_portrait",
    "compute_stress",
    "create_app",
    "launch_trajectory",
    "model_file_download",
    "too_long",
    "update_params",
]

#: Default budgets of the server (see `ExplorerLimits`).
LIMITS = ExplorerLimits()
EXPORTS_PER_MINUTE = LIMITS.exports_per_minute

DEFAULT_MODEL = "pursuer-distancer-2d"
LAYERS = {
    "field": "vector field",
    "nullclines": "nullclines",
    "separatrices": "separatrices",
    "basins": "basin shading (slow: ~1 s)",
    "backward": "also integrate backward (dotted)",
}
ALERT = {
    "color": "#9b1c1c",
    "background": "#fdecea",
    "padding": "4px 8px",
    "margin": "4px 0",
    "whiteSpace": "pre-wrap",
}
_HIDDEN = {"display": "none"}


def _short_input(id_: str, value: str, placeholder: str | None = None) -> dcc.Input:
    """A narrow text box that reports its value on Enter or blur (parsed, never evaluated)."""
    return dcc.Input(
        id=id_,
        type="text",
        value=value,
        placeholder=placeholder,
        debounce=True,
        style={"width": "60px"},
    )


def _alert_style(text: str) -> dict:
    return ALERT if text else _HIDDEN


def _describe(err: Exception) -> str:
    """The message of an expected error; the type too for an unexpected one."""
    if isinstance(err, (DyadmodelError, C.ViewError)):
        return str(err)
    return f"{type(err).__name__}: {err}"


#: What to try when a panel ran out of time, by panel.
_TRY = {
    "portrait": "turning off the basins and separatrices, clearing the trajectories, or "
    "other parameter values",
    "bifurcation diagram": "another bifurcation parameter, or values closer to the defaults",
    "stress response": "a smaller size, a shorter duration or an earlier start",
    "export": "turning off the basin shading",
    "equilibria": "other parameter values",
}


def too_long(what: str, seconds: float) -> str:
    """The message shown when the work of a panel ran out of its time budget."""
    return f"the {what} took too long (over {seconds:g} s) — try {_TRY.get(what, 'again')}"


def _within(seconds: float | None, work: Callable[[], Any]) -> Any:
    """``work()`` with a deadline of ``seconds`` (None: no deadline)."""
    if seconds is None:
        return work()
    return G.run_with_deadline(seconds, work)


def _as_model(model: str | Model) -> Model:
    """A registered model's name, or a `Model` (e.g. one typed in the equations panel)."""
    return model if isinstance(model, Model) else dm.models.get(model)


# ---------------------------------------------------------------------------------------
# callbacks as plain functions (tested without a browser)


def build_typed_model(
    texts: Mapping[str, str],
    base: Model | None,
    *,
    limits: ExplorerLimits = LIMITS,
) -> Model:
    """The model typed in the equations panel, read within the server's limits.

    The text is refused beyond ``limits.max_model_chars`` before it is read, and reading
    and building it has ``limits.parse_seconds``.

    Raises
    ------
    PanelError
        With a message per field (line, reason, caret), also when it took too long.
    """
    panel = E.PanelLimits(max_chars=limits.max_model_chars)
    try:
        return G.run_with_deadline(
            limits.parse_seconds, lambda: E.typed_model(texts, base, limits=panel)
        )
    except DeadlineExceeded:
        raise E.PanelError(
            {
                "equations": f"reading and building the model took too long (over "
                f"{limits.parse_seconds:g} s) — try shorter or simpler equations"
            }
        ) from None


def check_model_text(
    typed: Any,
    base: Model,
    current: Mapping[str, str] | None,
    *,
    limits: ExplorerLimits = LIMITS,
) -> tuple[list[str], Any]:
    """The panel's messages (one per field of `dyadmodel.app._editor.FIELDS`, '' when
    fine) and what to apply: ``{"texts": ...}`` for a valid model that differs from
    the one shown (``{"texts": None}``: back to ``base`` itself), else ``dash.no_update``.

    ``typed`` is the panel's texts; ``current`` the texts of the model shown (None:
    ``base`` is shown).
    """
    try:
        texts = E.check_texts(typed, E.PanelLimits(max_chars=limits.max_model_chars))
    except E.PanelError as err:
        return [err.messages.get(f, "") for f in E.FIELDS], dash.no_update
    shown = dict(current) if current is not None else E.model_texts(base)
    if texts == shown:
        return [""] * len(E.FIELDS), dash.no_update
    try:
        build_typed_model(texts, base, limits=limits)
    except E.PanelError as err:
        return [err.messages.get(f, "") for f in E.FIELDS], dash.no_update
    if texts == E.model_texts(base):
        return [""] * len(E.FIELDS), {"texts": None}
    return [""] * len(E.FIELDS), {"texts": texts}


def model_file_download(model: Model) -> dict[str, str]:
    """What the 'model file' button sends: ``model.to_toml()`` as ``<name>.toml``."""
    return {
        "content": model.to_toml(),
        "filename": f"{model.name}.toml",
        "type": "application/toml",
    }


def update_params(
    model_name: str | Model,
    triggered: Mapping[str, Any] | None,
    slider_ids: Sequence[Mapping[str, str]],
    slider_values: Sequence[Any],
    text_ids: Sequence[Mapping[str, str]],
    text_values: Sequence[Any],
    scores: Sequence[Any],
    stored: Mapping[str, float],
) -> tuple[list, list, list, dict, str]:
    """New slider values, texts, attachment scores, stored parameters and message.

    ``triggered`` is the id of the control that changed. A rejected value leaves the
    stored parameters as they were and returns the `ParameterError` text as message.
    """
    model = _as_model(model_name)
    values = dict(stored)
    if not triggered:
        raise PreventUpdate
    kind = triggered.get("type")
    try:
        if kind == "slider":
            k = [i["param"] for i in slider_ids].index(triggered["param"])
            v = slider_values[k]
            values[triggered["param"]] = model.parameter(triggered["param"]).check(
                float(v) if v is not None else v
            )
        elif kind == "num":
            k = [i["param"] for i in text_ids].index(triggered["param"])
            values[triggered["param"]] = C.parse_value(model, triggered["param"], text_values[k])
        elif kind == "ecr":
            values = C.params_from_scores(model, scores, values, triggered["score"]).as_dict()
        else:
            raise PreventUpdate
        model.params(values)  # the combination, too
    except (DyadmodelError, dm.attachment.AttachmentInputError) as err:
        no = [dash.no_update] * len(slider_ids)
        return (
            no,
            [dash.no_update] * len(text_ids),
            [dash.no_update] * len(scores),
            dash.no_update,
            str(err),
        )
    # Only controls whose value changed are written back: rewriting the slider that is
    # being moved (keyboard repeat, drag) would race with its next value.
    before = dict(stored)
    changed = {n for n, v in values.items() if v != before.get(n)}
    new_sliders = []
    for i in slider_ids:
        n = i["param"]
        if n in changed and not (kind == "slider" and n == triggered["param"]):
            lo, hi, _ = C.display_range(model.parameter(n))
            new_sliders.append(min(max(values[n], lo), hi))
        else:
            new_sliders.append(dash.no_update)
    # Every box that does not show its value (e.g. a rejected text) is rewritten.
    new_texts = [
        C.format_value(values[i["param"]])
        if t != C.format_value(values[i["param"]])
        else dash.no_update
        for i, t in zip(text_ids, text_values)
    ]
    if kind == "ecr":
        new_scores = [dash.no_update] * len(scores)
    else:
        new_scores = C.attachment_scores(model, values, scores)
    return new_sliders, new_texts, new_scores, values, ""


def compute_portrait(
    model_name: str | Model,
    values: Mapping[str, float],
    layers: Sequence[str],
    x: str,
    y: str,
    starts: Sequence[Sequence[float]],
    *,
    seconds: float | None = LIMITS.deadline_seconds,
) -> tuple[Any, list, str, str]:
    """Figure, equilibria table rows, completeness sentence, message.

    The work has ``seconds`` (None: unlimited); past it the message says so.
    """
    model = _as_model(model_name)
    if x == y:
        return dash.no_update, dash.no_update, dash.no_update, "choose two different states"
    try:
        fig, eqs, problems = _within(
            seconds,
            lambda: C.portrait_view(model, values, x, y, layers=layers or (), starts=starts or ()),
        )
    except DeadlineExceeded:
        return dash.no_update, dash.no_update, dash.no_update, too_long("portrait", seconds)
    except Exception as err:  # a UI boundary: show any failure, keep the page alive
        return (
            dash.no_update,
            dash.no_update,
            dash.no_update,
            f"the portrait could not be computed: {_describe(err)}",
        )
    rows, complete = C.equilibrium_rows(model, eqs)
    return fig, rows, complete, "\n".join(problems)


def launch_trajectory(
    model_name: str | Model,
    click: Mapping[str, Any] | None,
    values: Mapping[str, float],
    x: str,
    y: str,
    starts: Sequence,
) -> list:
    """The trajectory starts after a click: the clicked (x, y), other states at the slice."""
    if not click or not click.get("points"):
        raise PreventUpdate
    pt = click["points"][0]
    if not isinstance(pt.get("x"), (int, float)) or not isinstance(pt.get("y"), (int, float)):
        raise PreventUpdate
    model = _as_model(model_name)
    pset = model.params(dict(values))
    x0 = C.slice_state(model, pset) if model.n_states > 2 else [0.0, 0.0]
    x0 = [float(v) for v in x0]
    x0[model.state_index(x)] = float(pt["x"])
    x0[model.state_index(y)] = float(pt["y"])
    return [*list(starts or ())[-(C.MAX_TRAJECTORIES - 1) :], x0]


def compute_bifurcation(
    model_name: str | Model,
    values: Mapping[str, float],
    param: str,
    state: str,
    *,
    seconds: float | None = LIMITS.deadline_seconds,
) -> tuple[Any, str]:
    """The bifurcation diagram and a message (the work has ``seconds``)."""
    model = _as_model(model_name)
    try:
        return _within(seconds, lambda: C.bifurcation_figure(model, values, param, state)), ""
    except DeadlineExceeded:
        return dash.no_update, too_long("bifurcation diagram", seconds)
    except Exception as err:  # a UI boundary: show any failure, keep the page alive
        return dash.no_update, f"the bifurcation diagram could not be computed: {_describe(err)}"


def compute_stress(
    model_name: str | Model,
    values: Mapping[str, float],
    start: Any,
    duration: Any,
    size: Any,
    start_from: str | None = None,
    intervention: str | None = None,
    intervention_start: Any = 10,
    intervention_strength: Any = None,
    *,
    seconds: float | None = LIMITS.deadline_seconds,
    max_time: float = LIMITS.max_pulse_time,
) -> tuple[Any, str, str]:
    """The stress response figure, the outcome sentence and a message.

    Typed values are checked first (numbers, times in [0, ``max_time``], a size the
    model's stress input accepts); the simulation then has ``seconds``.
    """
    model = _as_model(model_name)
    try:
        fig, text = _within(
            seconds,
            lambda: C.stress_view(
                model,
                values,
                start,
                duration,
                size,
                start_from=start_from,
                intervention=intervention,
                intervention_start=intervention_start,
                intervention_strength=intervention_strength,
                max_time=max_time,
            ),
        )
    except DeadlineExceeded:
        return dash.no_update, dash.no_update, too_long("stress response", seconds)
    except Exception as err:  # a UI boundary: show any failure, keep the page alive
        return dash.no_update, dash.no_update, _describe(err)
    return fig, text, ""


# ---------------------------------------------------------------------------------------
# layout


def _param_control(model: Model, name: str, value: float, drag: bool = False) -> html.Div:
    p = model.parameter(name)
    lo, hi, step = C.display_range(p)
    tip = f"{p.meaning} (default {p.default:g}; admissible {p.interval_text()})"
    return html.Div(
        [
            html.Label(name, title=tip, style={"fontWeight": "600", "fontSize": "13px"}),
            html.Div(
                [
                    html.Div(
                        dcc.Slider(
                            id={"type": "slider", "param": name},
                            min=lo,
                            max=hi,
                            step=step,
                            value=min(max(value, lo), hi),
                            marks={lo: f"{lo:g}", hi: f"{hi:g}"},
                            updatemode="drag" if drag else "mouseup",
                            allow_direct_input=False,
                            tooltip={"placement": "bottom", "always_visible": False},
                        ),
                        style={"flex": "1", "minWidth": "0"},
                        title=tip,
                    ),
                    html.Div(
                        dcc.Input(
                            id={"type": "num", "param": name},
                            type="text",
                            value=C.format_value(value),
                            debounce=True,
                            style={"width": "64px"},
                        ),
                        title=f"type a value in {p.interval_text()} and press Enter",
                    ),
                ],
                style={
                    "display": "grid",
                    "gridTemplateColumns": "1fr 72px",
                    "alignItems": "center",
                    "gap": "6px",
                },
            ),
        ],
        className=f"param param-{name}",
        style={"marginBottom": "6px"},
    )


def _attachment_controls(model: Model, values: Mapping[str, float]) -> html.Div:
    if not C.mapped_parameters(model):
        return html.Div()
    scores = C.attachment_scores(model, values, [4.0] * 4)
    labels = {
        "anxiety_1": "partner 1 attachment anxiety",
        "avoidance_1": "partner 1 attachment avoidance",
        "anxiety_2": "partner 2 attachment anxiety",
        "avoidance_2": "partner 2 attachment avoidance",
    }
    mapped = set(C.mapped_parameters(model))
    items = []
    for score, s in zip(C.ECR_SCORES, scores):
        kind, partner = score.split("_")
        used = f"{kind}_gain_{partner}" in mapped
        items.append(
            html.Div(
                className=f"ecr ecr-{score}",
                children=[
                    html.Label(
                        f"{labels[score]} (ECR-R){'' if used else ' — unused by this model'}",
                        style={"fontSize": "13px"},
                    ),
                    dcc.Slider(
                        id={"type": "ecr", "score": score},
                        min=1,
                        max=7,
                        step=0.05,
                        value=s,
                        marks={i: str(i) for i in range(1, 8)},
                        updatemode="mouseup",
                        allow_direct_input=False,
                        tooltip={"placement": "bottom", "always_visible": False},
                    ),
                ],
            )
        )
    return html.Details(
        [
            html.Summary("Attachment scores (ECR-R 1–7)"),
            html.P(
                "These set the gains through dyadmodel.attachment.couple_params: a modelling "
                "assumption (linear map, gain 0 at score 1 to 2.76 at score 7), not an "
                "empirical result.",
                style={"fontSize": "12px", "color": "#555"},
            ),
            *items,
        ],
        open=True,
        style={"marginBottom": "10px"},
    )


def _intervention_controls(
    model: Model, values: Mapping[str, float], seconds: float | None = None
) -> html.Div:
    small = {"fontSize": "12px", "color": "#555"}
    try:
        starts = _within(seconds, lambda: C.start_choices(model, values))
    except (Exception, DeadlineExceeded):  # a UI boundary: a callback refreshes the list
        starts = [{"label": "the balanced state (default)", "value": "slice"}]
    return html.Div(
        [
            html.Div(
                [
                    html.Span("start at "),
                    dcc.Dropdown(
                        id="stress-from",
                        options=starts,
                        value="slice",
                        clearable=False,
                        style={"width": "260px"},
                    ),
                ],
                style={"display": "flex", "alignItems": "center", "gap": "4px"},
            ),
            html.Div(
                [
                    html.Span("intervention "),
                    dcc.Dropdown(
                        id="intervention",
                        options=C.intervention_choices(model),
                        value="none",
                        clearable=False,
                        style={"width": "330px"},
                    ),
                ],
                style={"display": "flex", "alignItems": "center", "gap": "4px"},
            ),
            html.Div(
                [
                    html.Span("from t = "),
                    _short_input("intervention-start", "10"),
                    html.Span(" strength "),
                    _short_input("intervention-strength", "", placeholder="default"),
                    html.Span(
                        " (dyadmodel.simulate.interventions; strength: the new value or "
                        "the factor named in the list)",
                        style=small,
                    ),
                ],
                style={"display": "flex", "alignItems": "center", "gap": "4px"},
            ),
        ],
        style={"marginTop": "4px"},
    )


def _page(
    model: Model,
    values: Mapping[str, float],
    x: str,
    y: str,
    problems: Sequence[str],
    view: Sequence[str] = C.DEFAULT_VIEW,
    *,
    base_name: str | None = None,
    texts: Mapping[str, str] | None = None,
    model_names: Sequence[str] | None = None,
    seconds: float | None = LIMITS.deadline_seconds,
    client_side: bool = False,
) -> html.Div:
    """The page for ``model`` (typed in the equations panel when ``texts`` is given,
    edited from the model ``base_name``); with ``client_side`` the page draws the
    portrait itself (`page_frame`)."""
    base_name = base_name or model.name
    names = list(model_names or dm.models.names())
    if base_name not in names:
        names.append(base_name)
    states = [{"label": s.name, "value": s.name} for s in model.states]
    plane_choice = html.Div(
        [
            html.Span("plane: "),
            dcc.Dropdown(
                id="x-state", options=states, value=x, clearable=False, style={"width": "180px"}
            ),
            dcc.Dropdown(
                id="y-state", options=states, value=y, clearable=False, style={"width": "180px"}
            ),
            html.Span(
                " other states held at the balanced equilibrium (else the first stable one)",
                style={"fontSize": "12px", "color": "#555"},
            ),
        ],
        style={
            "display": "flex" if model.n_states > 2 else "none",
            "gap": "6px",
            "alignItems": "center",
        },
    )
    bif_default = next(
        (n for n in ("anxiety_gain_1",) if n in model.parameter_names),
        model.parameter_names[0] if model.parameter_names else None,
    )
    controls = html.Div(
        [
            dcc.Dropdown(
                id="model",
                options=[{"label": n, "value": n} for n in names],
                value=base_name,
                clearable=False,
            ),
            html.Div(
                id="param-message",
                role="alert",
                children="\n".join(problems),
                style=_alert_style("\n".join(problems)),
            ),
            _attachment_controls(model, values),
            html.H4("Parameters", style={"margin": "6px 0"}),
            *[_param_control(model, n, values[n], client_side) for n in model.parameter_names],
        ],
        style={
            "width": "360px",
            "flex": "none",
            "overflowY": "auto",
            "maxHeight": "95vh",
            "paddingRight": "8px",
        },
    )
    main = html.Div(
        [
            plane_choice,
            html.Div(
                [
                    dcc.Checklist(
                        id="layers",
                        options=[{"label": f" {v}", "value": k} for k, v in LAYERS.items()],
                        value=list(view),
                        inline=True,
                        inputStyle={"marginLeft": "10px"},
                    ),
                    html.Button("Clear trajectories", id="clear", n_clicks=0),
                    html.Button("Export view (HTML, PNG, JSON)", id="export", n_clicks=0),
                    html.Button(
                        "Download serverless explorer (HTML)", id="export-serverless", n_clicks=0
                    ),
                    dcc.Download(id="serverless-html"),
                ],
                style={"display": "flex", "gap": "8px", "alignItems": "center", "flexWrap": "wrap"},
            ),
            html.Div(id="portrait-message", role="alert", style=_HIDDEN),
            html.Div(id="export-message", style={"fontSize": "12px"}),
            html.Div(
                [
                    # two quick clicks on the plane launch two trajectories: a double
                    # click resets the axes to the plotting range (plotly's default,
                    # autoscale, would move them to fit the trajectories)
                    dcc.Graph(
                        id="portrait",
                        config={"displaylogo": False, "doubleClick": "reset"},
                        style={"flex": "none"},
                    ),
                    html.Div(
                        [
                            html.P(
                                "Click anywhere on the plane to launch a trajectory "
                                "(forward in time; with 'also integrate backward' also "
                                "backward from the same point, dotted, until it leaves "
                                "the domain enlarged by half its width).",
                                style={"fontSize": "12px"},
                            ),
                            html.H4("Equilibria", style={"margin": "4px 0"}),
                            html.Table(
                                id="eq-table",
                                style={"fontSize": "12px", "borderCollapse": "collapse"},
                            ),
                            html.P(id="eq-complete", style={"fontSize": "12px"}),
                        ],
                        style={"flex": "1", "minWidth": "300px"},
                    ),
                ],
                style={"display": "flex", "gap": "10px", "flexWrap": "wrap"},
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Div(
                                [
                                    html.Span("bifurcation parameter "),
                                    dcc.Dropdown(
                                        id="bif-param",
                                        options=list(model.parameter_names),
                                        value=bif_default,
                                        clearable=False,
                                        style={"width": "220px"},
                                    ),
                                ],
                                style={"display": "flex", "alignItems": "center", "gap": "6px"},
                            ),
                            html.Div(id="bif-message", role="alert", style=_HIDDEN),
                            dcc.Graph(id="bifurcation", config={"displaylogo": False}),
                        ]
                    ),
                    html.Div(
                        [
                            html.Div(
                                [
                                    html.Span("stress pulse: start "),
                                    _short_input("stress-start", "10"),
                                    html.Span(" duration "),
                                    _short_input("stress-duration", "10"),
                                    html.Span(" size "),
                                    _short_input("stress-size", "0.5"),
                                    html.Span(
                                        " (from the balanced state; Enter to apply)",
                                        style={"fontSize": "12px", "color": "#555"},
                                    ),
                                ],
                                style={"display": "flex", "alignItems": "center", "gap": "4px"},
                            ),
                            _intervention_controls(model, values, seconds),
                            html.Div(id="stress-message", role="alert", style=_HIDDEN),
                            dcc.Graph(id="timeseries", config={"displaylogo": False}),
                            html.P(id="stress-outcome", style={"fontSize": "12px"}),
                        ]
                    ),
                ],
                style={"display": "flex", "gap": "10px", "flexWrap": "wrap"},
            ),
        ],
        style={"flex": "1"},
    )
    return html.Div(
        [
            dcc.Store(id="model-name", data=base_name),
            dcc.Store(id="page-model-text", data=dict(texts) if texts is not None else None),
            dcc.Store(id="params", data=dict(values)),
            dcc.Store(id="starts", data=[]),
            *(_client_stores(model, values, x, y) if client_side else ()),
            html.H3(f"dyadmodel explorer — {model.title}", style={"margin": "4px 0"}),
            html.Div([controls, main], style={"display": "flex", "gap": "12px"}),
        ]
    )


#: Milliseconds the parameters must rest (a slider held still) before the server is asked
#: for what the page cannot compute (certified equilibria, separatrices, the bifurcation
#: diagram, the stress response): the requests of a drag's intermediate values are
#: never sent.
SETTLE_MS = 120


def _model_source(model: Model) -> str | None:
    """The model as JavaScript (`dyadmodel.app._js.model_js`), None when it has none."""
    from dyadmodel.app import _js

    try:
        return _js.model_js(model)
    except _js.UnsupportedExpressionError:
        return None


def _frame(model: Model, values: Mapping[str, float], x: str, y: str) -> dict:
    """`page_frame` with the page's alert style."""
    frame = C.page_frame(model, values, x, y, source=_model_source(model))
    frame["alert"] = ALERT
    return frame


def _client_stores(model: Model, values: Mapping[str, float], x: str, y: str) -> list:
    """The stores of a page that draws its portrait (``create_app(client_side=True)``)."""
    return [
        dcc.Store(id="frame", data=_frame(model, values, x, y)),
        dcc.Store(id="settled"),  # the parameters once they rest for SETTLE_MS
        dcc.Store(id="certified"),  # the server's equilibria table for 'settled'
        dcc.Store(id="heavy"),  # the server's layers (separatrices, basins) for 'settled'
        dcc.Store(id="user-edit"),  # a typed value or a score the server must read
        dcc.Store(id="click-point"),  # where the plane was clicked (set by PAGE_JS)
    ]


#: The page side of the explorer (served after `dyadmodel.app._js.library_js`).
PAGE_JS = r"""(function () {
  "use strict";
  // The explorer's page side (create_app(client_side=True)): draws the portrait from
  // window.dyadmodel (field, nullclines, Newton equilibria, trajectories) and the layers
  // the server sends (certified table, separatrices, basins) when they match the view.
  const X = (window.dyadmodelExplorer = window.dyadmodelExplorer || {});
  const D = () => window.dyadmodel;
  const S = { src: null, m: null, memo: new Map(), traj: new Map(), slice: null };
  const NO = () => window.dash_clientside.no_update;

  function model(frame) {
    if (!frame || !frame.model_js || !D()) return null;
    if (S.src !== frame.model_js) {
      // the model's functions, printed by sympy on the server (never user text)
      const el = document.createElement("script");
      el.textContent = frame.model_js;
      document.head.appendChild(el);
      el.remove();
      S.src = frame.model_js;
      S.m = D().models[frame.model_name];
      S.memo = new Map();
      S.traj = new Map();
      S.slice = null;
    }
    return S.m;
  }
  const pvec = (frame, values) => frame.params.map((n) => Number(values[n]));
  function same(a, b) {
    if (!a || !b) return false;
    for (const k of Object.keys(b)) {
      const x = Number(a[k]), y = Number(b[k]);
      if (!(Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(y)))) return false;
    }
    return true;
  }
  function remember(map, key, make, size) {
    if (map.has(key)) return map.get(key);
    const v = make();
    map.set(key, v);
    if (map.size > (size || 64)) map.delete(map.keys().next().value);
    return v;
  }

  // Newton from x0 on the full state: the off-plane states of a model with more than
  // two states follow the equilibrium they were held at (the server's choice) as the
  // parameters move. The linear solve is window.dyadmodel's.
  function newton(m, x0, p, u) {
    let x = x0.slice();
    for (let it = 0; it < 50; it++) {
      const f = m.rhs(0, x, p, u);
      const dx = D().solve(m.jac(0, x, p, u), f);
      if (!dx) return null;
      x = x.map((v, i) => v - dx[i]);
      if (Math.max(...dx.map(Math.abs)) <= 1e-12 * (1 + Math.max(...x.map(Math.abs)))) {
        return Math.max(...m.rhs(0, x, p, u).map(Math.abs)) < 1e-8 ? x : null;
      }
    }
    return null;
  }
  function sliceState(frame, m, p, u) {
    if (!frame.slice) return null;
    const key = frame.key + "|" + p.join(",");
    if (S.slice && S.slice.key === key) return S.slice.x;
    const prev = S.slice && S.slice.frame === frame.key ? S.slice.x : frame.slice;
    const x = newton(m, prev, p, u) || newton(m, frame.slice, p, u) || prev;
    S.slice = { key, frame: frame.key, x };
    return x;
  }

  const fmt = (v) => {
    if (!Number.isFinite(v)) return String(v);
    if (v === 0) return "0";
    const e = Math.floor(Math.log10(Math.abs(v)));
    if (e >= -4 && e < 4) return String(Number(v.toPrecision(4)));
    // Python's .4g: 1.5e-05, 2e+06
    return v.toExponential(3).replace(/\.?0+e/, "e").replace(/e([+-])(\d)$/, "e$10$2");
  };
  const fmtEig = (z) =>
    Math.abs(z.im) < 1e-12
      ? fmt(z.re)
      : `${fmt(z.re)} ${z.im >= 0 ? "+" : "−"} ${fmt(Math.abs(z.im))}i`;
  const klass = (e) => {
    if (e.kind.indexOf("saddle") >= 0) return "saddle";
    if (e.stable === null) return "undecided";
    return e.stable ? "stable" : "unstable";
  };

  // field, nullclines and equilibria at these parameters (remembered per view and values)
  function layers(frame, values) {
    const m = model(frame);
    if (!m) return null;
    const p = pvec(frame, values), u = frame.inputs;
    return remember(S.memo, frame.key + "|" + p.join(","), () => {
      const st = sliceState(frame, m, p, u);
      const fixed = { ix: frame.ix, iy: frame.iy, state: st || frame.states.map(() => 0) };
      const t0 = performance.now();
      const field = D().field(m, p, u, frame.field_xs, frame.field_ys, fixed);
      const nc = D().nullclines(m, p, u, frame.nc_xs, frame.nc_ys, fixed);
      const eqs = D().equilibria(m, p, u, frame.box);
      return { field, nc, eqs, fixed, ms: performance.now() - t0 };
    });
  }

  function trajectory(frame, values, x0, backward) {
    const m = model(frame), p = pvec(frame, values), u = frame.inputs;
    const key = frame.key + "|" + p.join(",") + "|" + x0.join(",") + (backward ? "|b" : "");
    return remember(S.traj, key, () => {
      const T = frame.trajectory_time;
      if (!backward) {
        const r = D().rk45(m, x0, p, u, 0, T, { max_steps: 100000 });
        return { x: r.x, ok: r.status >= 0, message: r.message };
      }
      // backward until the state leaves the domain enlarged by backward_margin of its width
      const lo = frame.domain.map(([a, b]) => a - frame.backward_margin * Math.max(b - a, 1));
      const hi = frame.domain.map(([a, b]) => b + frame.backward_margin * Math.max(b - a, 1));
      const out = [x0.slice()];
      let x = x0.slice();
      const pieces = 12;
      for (let k = 0; k < pieces; k++) {
        const opts = { rtol: 1e-10, atol: 1e-12, max_steps: 20000 };
        const r = D().rk45(m, x, p, u, -(k * T) / pieces, -((k + 1) * T) / pieces, opts);
        for (let i = 1; i < r.x.length; i++) {
          const y = r.x[i];
          out.push(y);
          if (y.some((v, j) => !(v >= lo[j] && v <= hi[j]))) return { x: out, ok: true };
        }
        if (r.status < 0) return { x: out, ok: true };
        x = r.x[r.x.length - 1];
      }
      return { x: out, ok: true };
    }, 256);
  }

  function fieldShape(seg, style) {
    const parts = [];
    let pen = "M";
    for (let i = 0; i < seg.x.length; i++) {
      const x = seg.x[i], y = seg.y[i];
      if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) {
        pen = "M";
        continue;
      }
      parts.push(`${pen}${x.toPrecision(5)},${y.toPrecision(5)}`);
      pen = "L";
    }
    return {
      type: "path", path: parts.join(""), xref: "x", yref: "y", layer: "below",
      line: style.line, showlegend: false,
    };
  }

  function arrowheads(xs, ys, color, meta, group) {
    // two arrows at 30 % and 65 % of the arc length, as dyadmodel.plot draws them
    const s = [0];
    for (let i = 1; i < xs.length; i++) {
      s.push(s[i - 1] + Math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]));
    }
    const L = s[s.length - 1], ax = [], ay = [], size = [];
    if (!(L > 0)) return null;
    for (const f of [0.3, 0.65]) {
      let i = s.findIndex((v) => v >= f * L);
      if (i < 1) i = 1;
      ax.push(xs[i - 1], xs[i]);
      ay.push(ys[i - 1], ys[i]);
      size.push(0, 13);
    }
    return { type: "scatter", x: ax, y: ay, mode: "markers",
      marker: { symbol: "arrow", angleref: "previous", size, color, line: { width: 0 } },
      showlegend: false, hoverinfo: "skip", legendgroup: group, meta };
  }

  // A click on the plane (no grid of invisible points: thousands of SVG markers would
  // make every repaint slow): page coordinates to data, into the store 'click-point',
  // with the list of trajectory starts it makes. The page keeps that list itself
  // (S.starts): two clicks quicker than Dash's round of stores would otherwise both
  // start from the list before the first, and the first trajectory would be lost.
  document.addEventListener("click", (ev) => {
    const t = ev.target;
    if (!t || !t.classList || !t.classList.contains("nsewdrag") || !t.closest("#portrait")) return;
    const gd = t.closest(".js-plotly-plot");
    const fl = gd && gd._fullLayout;
    if (!fl || !window.dash_clientside || !window.dash_clientside.set_props) return;
    const r = t.getBoundingClientRect();
    const x = fl.xaxis.p2l(ev.clientX - r.left), y = fl.yaxis.p2l(ev.clientY - r.top);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    const point = { x, y, at: performance.now() };
    const last = S.last;
    if (last) {
      const base = S.starts !== undefined ? S.starts : last.starts;
      point.starts = S.starts = startsAfter(point, last.values, base, last.frame);
      preview(gd, point.starts);
    }
    window.dash_clientside.set_props("click-point", { data: point });
  });

  // The clicked trajectory at once, as one SVG path in the plot area, drawn by the page
  // itself: any change of plotly's traces or layout makes it redraw all of them
  // (~30-60 ms on 2 cores). The repaint that follows the click through Dash's stores
  // (~0.1 s later) draws the trajectory as a trace, with its start, arrowheads and
  // legend entry, from the same memoised integration, and removes the path. The plot
  // element then receives a 'dyadmodel:trajectory' event (detail: the start, the time).
  const SVG = "http://www.w3.org/2000/svg";
  function preview(gd, starts) {
    const last = S.last;
    if (!last || !last.frame.model_js || !model(last.frame)) return;
    const frame = last.frame;
    const fl = gd._fullLayout;
    const layer = gd.querySelector(".overplot .xy .scatterlayer");
    const plot = layer && layer.parentNode;  // the plot area: translated and clipped
    if (!plot || !fl || !fl.xaxis || !fl.yaxis) return;
    const x0 = starts[starts.length - 1];
    const tr = trajectory(frame, last.values, x0, false);
    if (!tr.x.length) return;
    const xa = fl.xaxis, ya = fl.yaxis;
    const px = (s) => `${xa.l2p(s[frame.ix]).toFixed(1)},${ya.l2p(s[frame.iy]).toFixed(1)}`;
    const pal = frame.styles.palette;
    const el = document.createElementNS(SVG, "path");
    el.setAttribute("class", "dyadmodel-preview");
    el.setAttribute("d", "M" + tr.x.map(px).join("L"));
    el.setAttribute("fill", "none");
    const k = Math.min(starts.length, frame.max_trajectories) - 1;
    el.setAttribute("stroke", pal[k % pal.length]);
    el.setAttribute("stroke-width", String(frame.styles.trajectory_width));
    plot.appendChild(el);
    gd.dispatchEvent(new CustomEvent("dyadmodel:trajectory", {
      detail: { start: [x0[frame.ix], x0[frame.iy]], at: performance.now() },
    }));
  }
  const dropPreviews = (gd) =>
    gd.querySelectorAll(".dyadmodel-preview").forEach((el) => el.remove());

  function pageRows(frame, eqs) {
    const [bx, by] = frame.plot_box;
    return eqs.map((e, k) => ({
      "#": String(k + 1),
      kind: e.kind,
      stability: klass(e),
      couple: "…",
      state: frame.states.map((n, i) => `${n} = ${fmt(e.x[i])}`).join(", "),
      eigenvalues: e.eigenvalues.map(fmtEig).join(", "),
      certified: "no (Newton in the page)",
      plotted:
        e.x[frame.ix] >= bx[0] && e.x[frame.ix] <= bx[1] &&
        e.x[frame.iy] >= by[0] && e.x[frame.iy] <= by[1]
          ? "yes"
          : "no (outside the plotted range)",
    }));
  }
  // The table is written into the page directly: Dash components as callback output
  // would make the renderer walk the page's layout on every repaint.
  const COLS = ["#", "kind", "couple", "state", "eigenvalues", "certified", "plotted"];
  const CELL = 'style="border:1px solid #ccc;padding:2px 4px;text-align:left"';
  const esc = (v) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  function writeTable(rows, tries) {
    const t = document.getElementById("eq-table");
    if (!t) {
      if ((tries || 0) < 50) requestAnimationFrame(() => writeTable(rows, (tries || 0) + 1));
      return;
    }
    const th = (c) => `<th ${CELL}>${c === "couple" ? "couple label" : c}</th>`;
    const head = COLS.map(th).join("");
    const body = rows.map((r) => `<tr class="eq-row eq-${esc(r.stability)}">` +
      COLS.map((c) => `<td ${CELL}>${esc(r[c])}</td>`).join("") + "</tr>").join("");
    const html = `<thead><tr>${head}</tr></thead><tbody>${body}</tbody>`;
    if (t.innerHTML !== html) t.innerHTML = html;
  }

  // Once the graph is on the page, repaint it with Plotly.react directly: handing a
  // figure to Dash costs more than drawing it (the renderer stores and compares it).
  // Paints are coalesced per animation frame: while a slider is dragged faster than
  // the page paints, only the newest figure is drawn (stale ones are dropped).
  // A figure from the same inputs (parameters, layers, starts, plane, and the same
  // server answers) as the one drawn or waiting is not drawn again.
  let pending = null;
  let drawn = null;
  const sameKey = (a, b) =>
    a && b && a.sig === b.sig && a.certified === b.certified && a.heavy === b.heavy;
  function draw(fig, rows, key, now) {
    const gd = document.querySelector("#portrait .js-plotly-plot");
    if (gd && gd._fullLayout && window.Plotly && gd.data && gd.data.length) {
      if (pending === null && drawn && drawn.gd === gd && drawn.data === gd.data &&
          sameKey(drawn.key, key)) {
        return NO();
      }
      if (now) {  // at once (a slider's own event): no frame's wait behind Dash's work
        pending = null;
        writeTable(rows);
        dropPreviews(gd);
        window.Plotly.react(gd, fig.data, fig.layout);
        drawn = { gd, data: gd.data, key };
        return NO();
      }
      const first = pending === null;
      pending = { fig, rows, gd, key };
      if (first) {
        requestAnimationFrame(() => {
          const job = pending;
          if (!job) return;  // drawn at once in the meantime
          pending = null;
          writeTable(job.rows);
          dropPreviews(job.gd);
          window.Plotly.react(job.gd, job.fig.data, job.fig.layout);
          drawn = { gd: job.gd, data: job.gd.data, key: job.key };
        });
      }
      return NO();
    }
    if (gd) dropPreviews(gd);
    writeTable(rows);
    drawn = null;
    return fig;
  }

  X.compose = function (values, layersOn, starts, frame, certified, heavy, now) {
    S.last = { values, layersOn, starts, frame, certified, heavy };
    const problems = [];
    const on = new Set(layersOn || []);
    const data = [];
    const L = layers(frame, values);
    if (!frame.model_js) {
      problems.push("this model has no JavaScript form: the server draws its portrait, " +
        "and clicks launch no trajectories");
    }
    const heavyOk = heavy && heavy.key === frame.key && same(heavy.values, values);
    const htraces = heavyOk ? heavy.traces : [];
    if (heavyOk && heavy.message) problems.push(heavy.message);
    for (const t of htraces) if (t.meta && t.meta.role === "basins") data.push(t);
    // The field is one SVG path (a layout shape in data coordinates): as a trace of
    // hundreds of separate arrows it made every repaint several times slower.
    const shapes = (frame.layout.shapes || []).slice();
    if (L && on.has("field")) {
      shapes.push(fieldShape(L.field.segments, frame.styles.field));
      // its legend entry: a line sample (a shape's own entry is drawn as a polygon)
      data.push(Object.assign({}, frame.styles.field, { type: "scatter", x: [null], y: [null] }));
    }
    if (L && on.has("nullclines")) {
      for (const [w, role] of [[0, "x-nullcline"], [1, "y-nullcline"]]) {
        const c = L.nc[w];
        data.push(Object.assign({ type: "scatter", x: c.x, y: c.y }, frame.styles[role]));
      }
    }
    for (const t of htraces) if (t.meta && t.meta.role !== "basins") data.push(t);
    const pal = frame.styles.palette;
    let k = 0;
    const backs = [];
    if (L) {
      for (const x0 of (starts || []).slice(-frame.max_trajectories)) {
        const tr = trajectory(frame, values, x0, false);
        if (!tr.ok) {
          const at = x0.map((v) => v.toFixed(3)).join(", ");
          problems.push(`trajectory from [${at}]: ${tr.message}`);
        }
        const xs = tr.x.map((s) => s[frame.ix]), ys = tr.x.map((s) => s[frame.iy]);
        const color = pal[k % pal.length];
        const label = `from (${fmt(x0[frame.ix])}, ${fmt(x0[frame.iy])})`;
        const group = `trajectory: ${label}`;
        data.push({
          type: "scatter", x: xs, y: ys, mode: "lines",
          line: { color, width: frame.styles.trajectory_width },
          name: label, legendgroup: group, hoverinfo: "skip",
          meta: { role: "trajectory", index: k, label },
        });
        data.push({
          type: "scatter", x: xs.slice(0, 1), y: ys.slice(0, 1), mode: "markers",
          marker: { symbol: "circle-open", size: 8, color, line: { width: 2, color } },
          name: label, legendgroup: group, showlegend: false, hoverinfo: "skip",
          meta: { role: "start", index: k },
        });
        const meta = { role: "arrowheads", of: "trajectory", index: k };
        const a = arrowheads(xs, ys, color, meta, group);
        if (a) data.push(a);
        if (on.has("backward")) backs.push(trajectory(frame, values, x0, true));
        k++;
      }
      backs.forEach((b, j) => data.push({
        type: "scatter", x: b.x.map((s) => s[frame.ix]), y: b.x.map((s) => s[frame.iy]),
        mode: "lines", line: { color: "#555555", width: 1.8, dash: "dot" },
        name: "backward in time", legendgroup: "backward", showlegend: j === 0,
        hoverinfo: "skip", meta: { role: "backward-trajectory", index: j },
      }));
      for (const cls of ["stable", "saddle", "unstable", "undecided"]) {
        const g = L.eqs.filter((e) => klass(e) === cls);
        if (!g.length) continue;
        data.push(Object.assign({
          type: "scatter", x: g.map((e) => e.x[frame.ix]), y: g.map((e) => e.x[frame.iy]),
          mode: "markers", hoverinfo: "text",
          hovertext: g.map((e) => `${e.kind} (Newton in the page, not certified)<br>` +
            frame.states.map((n, i) => `${n} = ${fmt(e.x[i])}`).join("<br>")),
          meta: {
            role: "equilibrium", stability: cls, kinds: g.map((e) => e.kind), certified: false,
          } },
          frame.styles.equilibrium[cls]));
      }
    }
    const extra = k || backs.length ? 30 * Math.ceil((k + (backs.length ? 1 : 0)) / 3) : 0;
    const layout = Object.assign({}, frame.layout, { shapes, height: frame.height + extra,
      margin: Object.assign({}, frame.layout.margin || {}, { b: frame.margin_b + extra }) });
    const fits = certified && certified.key === frame.key && same(certified.values, values);
    const cert = fits ? certified : null;
    let rows, complete;
    if (cert && cert.rows) {
      rows = cert.rows;
      complete = `Certified by the server: ${cert.complete}`;
    } else if (L) {
      rows = pageRows(frame, L.eqs);
      complete =
        `${L.eqs.length} equilibria found in the page by Newton's method (not certified); ` +
        "the certified table follows from the server.";
    } else {
      rows = [];
      complete = "equilibria: waiting for the server";
    }
    if (cert && cert.message) problems.push(cert.message);
    const msg = problems.join("\n");
    const key = { sig: JSON.stringify([values, layersOn, starts, frame.key]), certified, heavy };
    const fig = draw({ data, layout }, rows, key, now);
    return [fig, complete, msg, msg ? frame.alert : { display: "none" }];
  };

  X.click = function (pt, _clear, _x, _y, values, starts, frame) {
    const cc = window.dash_clientside.callback_context;
    if (!cc.triggered.some((t) => t.prop_id.startsWith("click-point."))) {
      S.starts = [];  // cleared, or another plane
      return [];
    }
    if (!pt || typeof pt.x !== "number" || typeof pt.y !== "number") return NO();
    if (Array.isArray(pt.starts)) return pt.starts;  // made by the click listener
    return (S.starts = startsAfter(pt, values, starts, frame));
  };
  // The trajectory starts after a click at pt: the clicked point (on a 3-state model's
  // slice, the other states where the slice puts them) after the newest old ones.
  function startsAfter(pt, values, starts, frame) {
    const m = model(frame);
    let x0 = frame.states.map(() => 0);
    if (m && frame.slice) x0 = sliceState(frame, m, pvec(frame, values), frame.inputs).slice();
    x0[frame.ix] = pt.x;
    x0[frame.iy] = pt.y;
    return [...(starts || []).slice(-(frame.max_trajectories - 1)), x0];
  }

  const fmt6 = (v) => String(Number(Number(v).toPrecision(6)));
  function scoreOf(map, values) {
    if (!map || !(map.param in values)) return null;
    const t = (values[map.param] - map.gmin) / (map.gmax - map.gmin);
    const s = map.lo + t * (map.hi - map.lo);
    return Math.round(Math.min(Math.max(s, map.lo), map.hi) * 100) / 100;
  }

  // A slider moved: the parameters, the typed values and the attachment scores follow
  // in the page (no round trip). A slider the server set (e.g. to a typed value beyond
  // its range, shown clamped) is not read back.
  X.sliderParams = function (sliderValues, ids, mins, maxs, params, numIds, frame, texts) {
    const out = Object.assign({}, params);
    let changed = false;
    ids.forEach((id, k) => {
      const v = sliderValues[k];
      if (typeof v !== "number") return;
      const shown = Math.min(Math.max(Number(out[id.param]), mins[k]), maxs[k]);
      if (!(Math.abs(shown - v) <= 1e-12 * Math.max(1, Math.abs(v)))) {
        out[id.param] = v;
        changed = true;
      }
    });
    if (!changed) return [NO(), numIds.map(NO), (frame.ecr || []).map(NO), NO(), NO()];
    // every box that does not show its value (e.g. a rejected text) is rewritten
    const nums = numIds.map((id, k) => {
      const text = fmt6(out[id.param]);
      return texts[k] !== text ? text : NO();
    });
    const scores = (frame.ecr || []).map((map) => {
      const s = scoreOf(map, out);
      return s === null || !map || out[map.param] === params[map.param] ? NO() : s;
    });
    // Draw the new portrait now from the inputs of the one on the page, instead of
    // after Dash has passed the parameters through its stores (~35 ms); Dash's own
    // call of compose with the same inputs then finds it drawn (draw() skips it).
    const last = S.last;
    if (last && last.frame === frame && last.frame.model_js) {
      const starts = S.starts !== undefined ? S.starts : last.starts;
      X.compose(out, last.layersOn, starts, frame, last.certified, last.heavy, true);
    }
    return [out, nums, scores, "", { display: "none" }];
  };

  // A typed value or a score that differs from the parameters in use: a user's edit,
  // for the server to read (values the page or the server wrote are not).
  let editSeq = 0;
  X.userEdit = function (nums, scores, numIds, params, frame) {
    const cc = window.dash_clientside.callback_context;
    for (const t of cc.triggered || []) {
      const cut = t.prop_id.lastIndexOf(".");
      let id;
      try {
        id = JSON.parse(t.prop_id.slice(0, cut));
      } catch (e) {
        continue;
      }
      if (id.type === "num") {
        const k = numIds.findIndex((i) => i.param === id.param);
        const text = String(nums[k] === null || nums[k] === undefined ? "" : nums[k]).trim();
        const v = Number(text), cur = Number(params[id.param]);
        const same = text !== "" && /^[-+0-9.eE]+$/.test(text) &&
          Math.abs(v - cur) <= 1e-6 * Math.max(1, Math.abs(cur));
        if (!same) return { id, seq: ++editSeq };
      } else if (id.type === "ecr") {
        const scoresIds = ["anxiety_1", "avoidance_1", "anxiety_2", "avoidance_2"];
        const k = scoresIds.indexOf(id.score);
        const s = scoreOf((frame.ecr || [])[k], params);
        const same = s !== null && Math.abs(Number(scores[k]) - s) < 0.006;
        if (!same) return { id, seq: ++editSeq };
      }
    }
    return NO();
  };

  let settleSeq = 0;
  X.settle = function (values, ms) {
    const seq = ++settleSeq;
    const latest = () => (seq === settleSeq ? values : NO());
    return new Promise((resolve) => setTimeout(() => resolve(latest()), ms));
  };
})();
"""


#: The editor's fields: id stem -> (heading, rows, placeholder).
_EDITOR_FIELDS = {
    "equations": ("equations, one per line", 4, "x' = y\ny' = mu*(1 - x**2)*y - x"),
    "parameters": ("parameters: value, optional bounds", 4, "mu = 1 in [0, 10]"),
    "ranges": ("plotting ranges (optional)", 4, "x in [-3, 3]\ny in [-3, 3]"),
}
EDITOR_ALERT = {**ALERT, "fontFamily": "ui-monospace, monospace", "fontSize": "12px"}
#: Milliseconds of quiet typing before the panel's text is checked (a debounce).
EDITOR_DEBOUNCE_MS = 600

# Sends the three texts once the user has stopped typing for EDITOR_DEBOUNCE_MS: every
# change starts a timer, and only the last one's timer sends.
_DEBOUNCE_JS = """function(equations, parameters, ranges) {
    const dc = window.dash_clientside;
    if (!window._dyadmodelEditorSeq) {
        // the page filling the panel as it loads: nothing typed, nothing to check; were
        // it sent, the page itself (whose callback follows applied models) would wait
        // for this debounce and the check
        window._dyadmodelEditorSeq = 1;
        return dc.no_update;
    }
    window._dyadmodelEditorSeq += 1;
    const seq = window._dyadmodelEditorSeq;
    return new Promise((resolve) => setTimeout(() => resolve(
        seq === window._dyadmodelEditorSeq
            ? {equations: equations || "", parameters: parameters || "", ranges: ranges || ""}
            : dc.no_update), DEBOUNCE_MS));
}""".replace("DEBOUNCE_MS", str(EDITOR_DEBOUNCE_MS))


def _panel_message(message: str) -> Any:
    """A field's message: the reason wraps; the quoted line and its caret do not (so the
    caret stays under the offending part)."""
    reason, sep, quoted = message.partition("\n")
    if not sep:
        return message
    return [html.Div(reason), html.Pre(quoted, style={"margin": "0", "overflowX": "auto"})]


def _editor_panel(limits: ExplorerLimits) -> html.Details:
    """The equations panel: three texts, their messages, and its buttons."""
    small = {"fontSize": "12px", "color": "#555"}
    columns = []
    for field, (heading, rows, placeholder) in _EDITOR_FIELDS.items():
        columns.append(
            html.Div(
                [
                    html.Label(heading, style={"fontWeight": "600", "fontSize": "13px"}),
                    dcc.Textarea(
                        id=f"editor-{field}",
                        value="",
                        placeholder=placeholder,
                        rows=rows,
                        spellCheck=False,
                        maxLength=limits.max_model_chars,
                        style={
                            "width": "100%",
                            "fontFamily": "ui-monospace, monospace",
                            "fontSize": "13px",
                        },
                    ),
                    html.Div(id=f"editor-{field}-message", role="alert", style=_HIDDEN),
                ],
                style={"flex": "2" if field == "equations" else "1", "minWidth": "260px"},
            )
        )
    return html.Details(
        [
            html.Summary(
                "Equations — edit this model or type your own (pplane style)",
                style={"fontWeight": "600", "cursor": "pointer"},
            ),
            html.P(
                "One equation per line, x' = right-hand side: numbers, the states, the "
                "parameters, + - * / ** and exp log sqrt tanh sin cos abs hill "
                "hill_repressor (read by a whitelist parser, never evaluated). Parameters: "
                "mu = 1 or mu = 1 in [0, 10]. A state or parameter that keeps its name "
                "keeps its meaning, unit and domain of validity. Models with 2 states are "
                "drawn in the plane; with 3 or more, in the plane of two chosen states "
                "(the others held at an equilibrium). The page follows once the text is "
                f"valid (checked {EDITOR_DEBOUNCE_MS} ms after you stop typing; at most "
                f"{limits.max_model_chars} characters).",
                style=small,
            ),
            html.Div(columns, style={"display": "flex", "gap": "10px", "flexWrap": "wrap"}),
            html.Div(
                [
                    html.Button("Blank 2-state system", id="editor-blank", n_clicks=0),
                    html.Button("Back to the model's own equations", id="editor-reset", n_clicks=0),
                    html.Button("Download model file (TOML)", id="editor-download", n_clicks=0),
                    dcc.Download(id="editor-toml"),
                ],
                style={"display": "flex", "gap": "8px", "marginTop": "4px"},
            ),
        ],
        id="editor",
        open=False,
        style={"border": "1px solid #ddd", "padding": "4px 8px", "marginBottom": "6px"},
    )


# ---------------------------------------------------------------------------------------
# the app


def create_app(
    model: str | Path | Model = DEFAULT_MODEL,
    *,
    export_dir: str | Path = "dyadmodel-exports",
    limits: ExplorerLimits = LIMITS,
    client_side: bool = True,
) -> dash.Dash:
    """The explorer for ``model`` (the address may ask for another model).

    Parameters
    ----------
    model : str, path or Model
        What the page shows when the address names no model: a registered name, a model
        file (``my_model.toml``), a ``module:factory`` or ``file.py:factory`` reference
        (runs that Python code, as `dyadmodel.models.load` does), or a `Model`. A model
        that is not registered is offered under its own name beside the registered ones.
    export_dir : path
        Where the export button writes the view (HTML, PNG, provenance JSON).
    limits : ExplorerLimits
        The server's budgets: the time each callback may compute, exports per minute,
        the largest request, the size of a typed model and the time to read it.
        Malformed callback requests are answered with 400.
    client_side : bool
        True (the default): the page computes the vector field, nullclines, equilibria
        (Newton, marked not certified) and trajectories itself, from JavaScript printed
        from the model (`dyadmodel.app._js`), while a slider is dragged; the server adds
        the certified equilibria table, separatrices, basins, the bifurcation diagram
        and the stress response once the parameters rest. False: every update is
        computed on the server (the explorer before issue 17; kept for comparison).

    Returns
    -------
    dash.Dash
        The app (``app.run()`` serves it).

    Raises
    ------
    InvalidTypeError
        ``model`` or ``limits`` of the wrong type.
    NotFoundError
        An unknown model name.

    Examples
    --------
    >>> app = create_app("pursuer-distancer-2d")
    >>> app.title
    'dyadmodel explorer'
    """
    if not isinstance(model, (str, Path, Model)):
        raise dm.errors.InvalidTypeError(
            f"model = {model!r:.80}; expected a model name, a model file path or a Model"
        )
    start_model = dm.models.load(model)  # fail now, with the list of models, on a typo
    model_name = start_model.name
    registered = list(dm.models.names())
    own = None if isinstance(model, str) and model in registered else start_model
    names = registered if own is None or own.name in registered else [*registered, own.name]
    if not isinstance(limits, ExplorerLimits):
        raise dm.errors.InvalidTypeError(
            f"limits = {limits!r}; expected a dyadmodel.app.ExplorerLimits"
        )
    seconds = limits.deadline_seconds
    max_search = 4 * limits.max_model_chars + 4000  # URL-encoded texts and the values
    exports = G.RateLimiter(limits.exports_per_minute, 60.0)
    app = dash.Dash(
        __name__,
        title="dyadmodel explorer",
        suppress_callback_exceptions=True,
        external_scripts=[{"src": "/_dyadmodel/explorer.js"}] if client_side else [],
    )
    if client_side:
        from dyadmodel.app import _js

        page_js = _js.library_js() + "\n" + PAGE_JS

        @app.server.route("/_dyadmodel/explorer.js")
        def _explorer_js():
            from flask import Response

            return Response(
                page_js,
                mimetype="application/javascript",
                headers={"Cache-Control": "max-age=3600"},
            )

    app.layout = html.Div(
        [
            dcc.Location(id="url", refresh=False),
            dcc.Location(id="nav", refresh=True),
            dcc.Store(id="editor-typed"),  # the panel's texts, debounced in the browser
            dcc.Store(id="applied-text"),  # a valid typed model to show: {"texts": ...}
            dcc.Store(id="base-name"),  # the page's model, or the one the text edits
            dcc.Store(id="current-text"),  # the texts of the typed model shown (or None)
            _editor_panel(limits),
            html.Div(id="page"),
        ],
        style={"fontFamily": "system-ui, sans-serif", "margin": "8px"},
    )

    def _base(name: Any) -> Model:
        if own is not None and name == own.name:
            return own  # a model file given to the app shadows a registered namesake
        return dm.models.get(G.expect_model_name(name))

    @functools.lru_cache(maxsize=32)
    def _typed(name: str, equations: str, parameters: str, ranges: str) -> Model:
        texts = {"equations": equations, "parameters": parameters, "ranges": ranges}
        return build_typed_model(texts, _base(name), limits=limits)

    def _build(texts: Mapping[str, str], base: Model) -> Model:
        return _typed(base.name, *(texts.get(f, "") for f in E.FIELDS))

    def _model(name: Any, texts: Any = None) -> Model:
        texts = G.expect_panel_texts(texts, limits.max_model_chars)
        base = _base(name)
        if texts is None:
            return base
        try:
            return _build(texts, base)
        except E.PanelError as err:  # the page only stores texts that were valid
            raise G.BadCallbackRequest(f"typed model: {str(err)[:300]}") from None

    def _address(search: Any) -> C.Address:
        return C.parse_address(
            search if isinstance(search, str) else None,
            model_name,
            get_model=_lookup,
            build=_build,
        )

    def _lookup(name: str) -> Model:
        if own is not None and name == own.name:
            return own
        return dm.models.get(name)

    def _search(search: Any) -> tuple[str | None, list[str]]:
        """The address's query, or None and why when it is longer than the limits allow
        (a typed model of at most ``max_model_chars``, URL-encoded, and the values)."""
        if search is not None and not isinstance(search, str):
            raise G.BadCallbackRequest("url search: expected a string")
        if search is not None and len(search) > max_search:
            return None, [
                f"the address holds {len(search)} characters; at most {max_search} are read "
                f"(a typed model has at most {limits.max_model_chars}): the default view is shown"
            ]
        return search, []

    def _state(model: Model, name: Any) -> str:
        if name not in model.state_names:
            raise G.BadCallbackRequest(
                f"state {str(name)[:100]!r}: expected one of {', '.join(model.state_names)}"
            )
        return name

    @app.callback(
        Output("page", "children"),
        Output("base-name", "data"),
        Output("current-text", "data"),
        Input("url", "pathname"),
        Input("applied-text", "data"),
        State("url", "search"),
        State("base-name", "data"),
    )
    @G.callback_body
    def render(_pathname, applied, search, base_name):
        search, too_long_address = _search(search)
        view, view_problems = C.parse_view(search)
        view_problems = [*too_long_address, *view_problems]
        if dash.ctx.triggered_id == "applied-text" and isinstance(applied, dict):
            texts = G.expect_panel_texts(applied.get("texts"), limits.max_model_chars)
            model = _model(base_name, texts)
            values = {p.name: float(p.default) for p in model.parameters}
            x, y = model.state_names[:2]
            page = _page(
                model,
                values,
                x,
                y,
                view_problems,
                view,
                base_name=base_name,
                texts=texts,
                model_names=names,
                seconds=seconds,
                client_side=client_side,
            )
            return page, base_name, texts
        a = _address(search)
        page = _page(
            a.model,
            a.values,
            a.x,
            a.y,
            [*a.problems, *view_problems],
            view,
            base_name=a.base_name,
            texts=a.texts,
            model_names=names,
            seconds=seconds,
            client_side=client_side,
        )
        return page, a.base_name, a.texts

    app.clientside_callback(
        _DEBOUNCE_JS,
        Output("editor-typed", "data"),
        Input("editor-equations", "value"),
        Input("editor-parameters", "value"),
        Input("editor-ranges", "value"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("editor-equations", "value"),
        Output("editor-parameters", "value"),
        Output("editor-ranges", "value"),
        Output("editor", "open"),
        Input("url", "pathname"),
        Input("editor-blank", "n_clicks"),
        Input("editor-reset", "n_clicks"),
        State("url", "search"),
    )
    @G.callback_body
    def fill_editor(_pathname, _blank, _reset, search):
        search, _too_long = _search(search)
        trigger = dash.ctx.triggered_id
        if trigger == "editor-blank":
            return *(E.BLANK_TEXTS[f] for f in E.FIELDS), True
        a = _address(search)
        if trigger == "editor-reset":
            return *(E.model_texts(_lookup(a.base_name))[f] for f in E.FIELDS), True
        texts = a.texts if a.texts is not None else E.model_texts(a.model)
        return *(texts[f] for f in E.FIELDS), a.texts is not None

    @app.callback(
        *(Output(f"editor-{f}-message", "children") for f in E.FIELDS),
        *(Output(f"editor-{f}-message", "style") for f in E.FIELDS),
        Output("applied-text", "data"),
        Input("editor-typed", "data"),
        State("base-name", "data"),
        State("current-text", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def on_model_text(typed, base_name, current):
        if base_name is None:  # the page is not there yet
            raise PreventUpdate
        base = _base(base_name)
        current = G.expect_panel_texts(current, limits.max_model_chars)
        if not isinstance(typed, dict):
            raise G.BadCallbackRequest("model text: expected an object of the panel's texts")
        messages, applied = check_model_text(typed, base, current, limits=limits)
        styles = [{**EDITOR_ALERT} if m else _HIDDEN for m in messages]
        return (*(_panel_message(m) for m in messages), *styles, applied)

    @app.callback(
        Output("editor-toml", "data"),
        Input("editor-download", "n_clicks"),
        State("base-name", "data"),
        State("current-text", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def on_download(_n, base_name, current):
        return model_file_download(_model(base_name, current))

    @app.callback(
        Output("nav", "href"),
        Input("model", "value"),
        State("model-name", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def switch_model(new, current):
        if not new or new == current:
            raise PreventUpdate
        return f"/?model={_base(new).name}"

    # What changed the parameters: the controls themselves (server path), or, when the
    # page moves the sliders itself, only what the page could not take (a typed value,
    # an attachment score: the 'user-edit' store of PAGE_JS's userEdit). A control the
    # page rewrote is then no server request, and no repaint waits for one.
    controls = (
        Input({"type": "slider", "param": ALL}, "value"),
        Input({"type": "num", "param": ALL}, "value"),
        Input({"type": "ecr", "score": ALL}, "value"),
    )
    if client_side:
        controls = (Input("user-edit", "data"), *(State(c.component_id, "value") for c in controls))

    @app.callback(
        Output({"type": "slider", "param": ALL}, "value"),
        Output({"type": "num", "param": ALL}, "value"),
        Output({"type": "ecr", "score": ALL}, "value"),
        Output("params", "data"),
        Output("param-message", "children"),
        Output("param-message", "style"),
        *controls,
        State({"type": "slider", "param": ALL}, "id"),
        State({"type": "num", "param": ALL}, "id"),
        State("params", "data"),
        State("model-name", "data"),
        State("page-model-text", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def on_params(*args):
        if client_side:
            edit, *args = args
        slider_values, text_values, scores, slider_ids, text_ids, stored, name, texts = args
        model = _model(name, texts)
        for ids, vals, what in (
            (slider_ids, slider_values, "sliders"),
            (text_ids, text_values, "typed values"),
        ):
            G.expect_list(ids, what, dict)
            G.expect_list(vals, what)
            if len(ids) != len(vals) or any(
                i.get("param") not in model.parameter_names for i in ids
            ):
                raise G.BadCallbackRequest(f"{what}: ids and values do not match the model")
            for v in vals:
                G.expect_text(v, what)
        G.expect_list(scores, "attachment scores", (int, float, type(None)))
        G.expect_number_map(stored, "stored parameters")
        if client_side:
            triggered = edit.get("id") if isinstance(edit, Mapping) else None
        else:
            triggered = dash.ctx.triggered_id
        if triggered is not None and not isinstance(triggered, Mapping):
            raise PreventUpdate
        out = update_params(
            model, triggered, slider_ids, slider_values, text_ids, text_values, scores, stored
        )
        if client_side and out[3] == stored:  # nothing new: no repaint
            out = (*out[:3], dash.no_update, out[4])
        return (*out, _alert_style(out[-1]))

    def _portrait_args(model, values, layers, x, y, starts):
        G.expect_number_map(values, "stored parameters")
        G.expect_list(layers, "layers", str)
        return _state(model, x), _state(model, y), G.expect_starts(starts, model.n_states)

    pin = "settled" if client_side else "params"  # what the server's panels follow
    # the portrait and the clicks: in the page (client_side) or on the server
    server_only = _not_registered if client_side else app.callback
    if client_side:
        _page_callbacks(app, _model, _state, seconds)

    @server_only(
        Output("portrait", "figure"),
        Output("eq-table", "children"),
        Output("eq-complete", "children"),
        Output("portrait-message", "children"),
        Output("portrait-message", "style"),
        Input("params", "data"),
        Input("layers", "value"),
        Input("x-state", "value"),
        Input("y-state", "value"),
        Input("starts", "data"),
        State("model-name", "data"),
        State("page-model-text", "data"),
    )
    @G.callback_body
    def on_portrait(values, layers, x, y, starts, name, texts):
        model = _model(name, texts)
        x, y, starts = _portrait_args(model, values, layers, x, y, starts)
        fig, rows, complete, msg = compute_portrait(
            model, values, layers, x, y, starts, seconds=seconds
        )
        table = dash.no_update if rows is dash.no_update else _table(rows)
        return fig, table, complete, msg, _alert_style(msg)

    @server_only(
        Output("starts", "data"),
        Input("portrait", "clickData"),
        Input("clear", "n_clicks"),
        Input("x-state", "value"),
        Input("y-state", "value"),
        State("params", "data"),
        State("starts", "data"),
        State("model-name", "data"),
        State("page-model-text", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def on_click(click, _clear, x, y, values, starts, name, texts):
        if dash.ctx.triggered_id != "portrait":
            return []
        model = _model(name, texts)
        x, y, starts = _portrait_args(model, values, [], x, y, starts)
        if click is not None and not isinstance(click, Mapping):
            raise G.BadCallbackRequest("clickData: expected an object")
        try:
            return _within(seconds, lambda: launch_trajectory(model, click, values, x, y, starts))
        except DeadlineExceeded:
            raise PreventUpdate from None
        except DyadmodelError:  # parameters the model refuses: the portrait says why
            raise PreventUpdate from None

    @app.callback(
        Output("bifurcation", "figure"),
        Output("bif-message", "children"),
        Output("bif-message", "style"),
        Input(pin, "data"),
        Input("bif-param", "value"),
        Input("x-state", "value"),
        State("model-name", "data"),
        State("page-model-text", "data"),
    )
    @G.callback_body
    def on_bifurcation(values, param, x, name, texts):
        model = _model(name, texts)
        G.expect_number_map(values, "stored parameters")
        if param is None and not model.parameter_names:
            msg = "no bifurcation diagram: the model has no parameters"
            return dash.no_update, msg, _alert_style(msg)
        if param not in model.parameter_names:
            raise G.BadCallbackRequest(f"bifurcation parameter {str(param)[:100]!r} unknown")
        fig, msg = compute_bifurcation(model, values, param, _state(model, x), seconds=seconds)
        return fig, msg, _alert_style(msg)

    @app.callback(
        Output("timeseries", "figure"),
        Output("stress-outcome", "children"),
        Output("stress-message", "children"),
        Output("stress-message", "style"),
        Input(pin, "data"),
        Input("stress-start", "value"),
        Input("stress-duration", "value"),
        Input("stress-size", "value"),
        Input("stress-from", "value"),
        Input("intervention", "value"),
        Input("intervention-start", "value"),
        Input("intervention-strength", "value"),
        State("model-name", "data"),
        State("page-model-text", "data"),
    )
    @G.callback_body
    def on_stress(
        values, start, duration, size, start_from, iv, iv_start, iv_strength, name, texts
    ):
        model = _model(name, texts)
        G.expect_number_map(values, "stored parameters")
        for v, what in (
            (start, "stress start"),
            (duration, "stress duration"),
            (size, "stress size"),
            (start_from, "start at"),
            (iv, "intervention"),
            (iv_start, "intervention start"),
            (iv_strength, "intervention strength"),
        ):
            G.expect_text(v, what)
        fig, text, msg = compute_stress(
            model,
            values,
            start,
            duration,
            size,
            start_from,
            iv,
            iv_start,
            iv_strength,
            seconds=seconds,
            max_time=limits.max_pulse_time,
        )
        return fig, text, msg, _alert_style(msg)

    @app.callback(
        Output("stress-from", "options"),
        Input(pin, "data"),
        State("model-name", "data"),
        State("page-model-text", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def on_start_choices(values, name, texts):
        model = _model(name, texts)
        G.expect_number_map(values, "stored parameters")
        try:
            return _within(seconds, lambda: C.start_choices(model, values))
        except (Exception, DeadlineExceeded):  # a UI boundary: keep the previous options
            return dash.no_update

    @app.callback(
        Output("url", "search"),
        Input(pin, "data"),
        Input("x-state", "value"),
        Input("y-state", "value"),
        Input("layers", "value"),
        State("model-name", "data"),
        State("page-model-text", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def on_url(values, x, y, layers, name, texts):
        model = _model(name, texts)
        G.expect_number_map(values, "stored parameters")
        layers = G.expect_list(layers, "layers", str)
        try:
            return C.query_string(
                model,
                values,
                _state(model, x),
                _state(model, y),
                layers,
                base_name=name,
                texts=G.expect_panel_texts(texts, limits.max_model_chars),
            )
        except KeyError as err:  # a parameter missing from the stored set
            raise G.BadCallbackRequest(f"stored parameters: {err} missing") from None

    @app.callback(
        Output("export-message", "children"),
        Input("export", "n_clicks"),
        State("params", "data"),
        State("layers", "value"),
        State("x-state", "value"),
        State("y-state", "value"),
        State("starts", "data"),
        State("model-name", "data"),
        State("page-model-text", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def on_export(_n, values, layers, x, y, starts, name, texts):
        model = _model(name, texts)
        x, y, starts = _portrait_args(model, values, layers, x, y, starts)
        wait = exports.acquire()
        if wait:
            return (
                f"export refused: at most {limits.exports_per_minute} exports per minute on "
                f"this server; try again in {math.ceil(wait)} s"
            )

        def work():
            fig, _eqs, _ = C.portrait_view(
                model, values, x, y, layers=layers or (), starts=starts or ()
            )
            query = C.query_string(model, values, x, y, layers or [], base_name=name, texts=texts)
            return C.export_view(
                fig,
                export_dir,
                model=model,
                values=values,
                query=query,
                view={
                    "layers": list(layers or ()),
                    "states": [x, y],
                    "trajectory_starts": starts or [],
                },
            )

        try:
            files, note = _within(seconds, work)
        except DeadlineExceeded:
            return f"export failed: {too_long('export', seconds)}"
        except Exception as err:  # a UI boundary: show any failure, keep the page alive
            return f"export failed: {_describe(err)}"
        return f"written: {', '.join(str(f) for f in files)}" + (f" — {note}" if note else "")

    @app.callback(
        Output("serverless-html", "data"),
        Output("export-message", "children", allow_duplicate=True),
        Input("export-serverless", "n_clicks"),
        State("params", "data"),
        State("model-name", "data"),
        State("page-model-text", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def on_export_serverless(_n, values, name, texts):
        # the page of `dyadmodel export-explorer` at the current parameters, as a download
        model = _model(name, texts)
        values = G.expect_number_map(values, "stored parameters")
        wait = exports.acquire()
        if wait:
            return dash.no_update, (
                f"export refused: at most {limits.exports_per_minute} exports per minute on "
                f"this server; try again in {math.ceil(wait)} s"
            )
        try:
            page = _within(seconds, lambda: explorer_html(model, values))
        except DeadlineExceeded:
            return dash.no_update, f"export failed: {too_long('export', seconds)}"
        except Exception as err:  # a UI boundary: show any failure, keep the page alive
            return dash.no_update, f"export failed: {_describe(err)}"
        filename = f"{model.name}-explorer.html"
        note = (
            f"downloaded {filename}: one HTML file that works offline (equilibria there are "
            "found by Newton in the page, not certified)"
        )
        return {"content": page, "filename": filename, "type": "text/html"}, note

    G.guard_callbacks(app, limits)
    return app


def _not_registered(*_args: Any, **_kwargs: Any) -> Callable[[Callable], Callable]:
    """A stand-in for ``app.callback`` that registers nothing (the other path's callback)."""
    return lambda func: func


def _js_call(function: str, n_args: int) -> str:
    """A clientside callback calling ``window.dyadmodelExplorer.<function>``."""
    args = ", ".join(f"a{k}" for k in range(n_args))
    return f"function({args}) {{ return window.dyadmodelExplorer.{function}({args}); }}"


def _page_callbacks(
    app: dash.Dash,
    model_of: Callable[[Any, Any], Model],
    state_of: Callable[[Model, Any], str],
    seconds: float | None,
) -> None:
    """The callbacks of a page that draws its own portrait (``client_side=True``).

    In the page: a slider sets the parameters at once (``updatemode='drag'``), the
    portrait and the equilibria table follow from `PAGE_JS`, a click adds a trajectory
    start. On the server, once the parameters rest for `SETTLE_MS`: the certified
    equilibria table and the layers the page does not compute, each sent with the
    values it was computed for, so that the page shows it only while those values hold.
    """
    app.clientside_callback(
        _js_call("sliderParams", 8),
        Output("params", "data", allow_duplicate=True),
        Output({"type": "num", "param": ALL}, "value", allow_duplicate=True),
        Output({"type": "ecr", "score": ALL}, "value", allow_duplicate=True),
        Output("param-message", "children", allow_duplicate=True),
        Output("param-message", "style", allow_duplicate=True),
        Input({"type": "slider", "param": ALL}, "value"),
        State({"type": "slider", "param": ALL}, "id"),
        State({"type": "slider", "param": ALL}, "min"),
        State({"type": "slider", "param": ALL}, "max"),
        State("params", "data"),
        State({"type": "num", "param": ALL}, "id"),
        State("frame", "data"),
        State({"type": "num", "param": ALL}, "value"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        _js_call("userEdit", 5),
        Output("user-edit", "data"),
        Input({"type": "num", "param": ALL}, "value"),
        Input({"type": "ecr", "score": ALL}, "value"),
        State({"type": "num", "param": ALL}, "id"),
        State("params", "data"),
        State("frame", "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        f"function(values) {{ return window.dyadmodelExplorer.settle(values, {SETTLE_MS}); }}",
        Output("settled", "data"),
        Input("params", "data"),
    )
    # The portrait follows the parameters, layers, starts and plane at once; the server's
    # answers are merged in by a second callback: were they inputs of the first, Dash
    # would hold every repaint until the server had answered.
    portrait = (  # the equilibria table is written by PAGE_JS itself
        Output("portrait", "figure"),
        Output("eq-complete", "children"),
        Output("portrait-message", "children"),
        Output("portrait-message", "style"),
    )
    app.clientside_callback(
        _js_call("compose", 6),
        *portrait,
        Input("params", "data"),
        Input("layers", "value"),
        Input("starts", "data"),
        Input("frame", "data"),
        State("certified", "data"),
        State("heavy", "data"),
    )
    app.clientside_callback(
        "function(certified, heavy, values, layers, starts, frame) { return "
        "window.dyadmodelExplorer.compose(values, layers, starts, frame, certified, heavy); }",
        *(Output(o.component_id, o.component_property, allow_duplicate=True) for o in portrait),
        Input("certified", "data"),
        Input("heavy", "data"),
        State("params", "data"),
        State("layers", "value"),
        State("starts", "data"),
        State("frame", "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        _js_call("click", 7),
        Output("starts", "data"),
        Input("click-point", "data"),
        Input("clear", "n_clicks"),
        Input("x-state", "value"),
        Input("y-state", "value"),
        State("params", "data"),
        State("starts", "data"),
        State("frame", "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("frame", "data"),
        Input("x-state", "value"),
        Input("y-state", "value"),
        State("params", "data"),
        State("model-name", "data"),
        State("page-model-text", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def on_frame(x, y, values, name, texts):
        model = model_of(name, texts)
        values = G.expect_number_map(values, "stored parameters")
        x, y = state_of(model, x), state_of(model, y)
        if x == y:
            raise PreventUpdate
        try:
            return _within(seconds, lambda: _frame(model, values, x, y))
        except (Exception, DeadlineExceeded):  # a UI boundary: keep the plane shown
            raise PreventUpdate from None

    @app.callback(
        Output("certified", "data"),
        Input("settled", "data"),
        Input("x-state", "value"),
        Input("y-state", "value"),
        State("model-name", "data"),
        State("page-model-text", "data"),
    )
    @G.callback_body
    def on_certified(values, x, y, name, texts):
        if values is None:
            raise PreventUpdate
        model = model_of(name, texts)
        values = G.expect_number_map(values, "stored parameters")
        key = f"{model.name}:{state_of(model, x)}:{state_of(model, y)}"
        out = {"key": key, "values": values, "rows": None, "complete": "", "message": ""}
        try:
            eqs = _within(seconds, lambda: C._equilibria(model.params(dict(values))))
        except DeadlineExceeded:
            return {**out, "message": too_long("equilibria", seconds)}
        except Exception as err:  # a UI boundary: show any failure, keep the page alive
            return {**out, "message": f"the equilibria could not be certified: {_describe(err)}"}
        rows, complete = C.equilibrium_rows(model, eqs)
        return {**out, "rows": rows, "complete": complete}

    @app.callback(
        Output("heavy", "data"),
        Input("settled", "data"),
        Input("layers", "value"),
        Input("x-state", "value"),
        Input("y-state", "value"),
        State("model-name", "data"),
        State("page-model-text", "data"),
    )
    @G.callback_body
    def on_heavy(values, layers, x, y, name, texts):
        if values is None:
            raise PreventUpdate
        model = model_of(name, texts)
        values = G.expect_number_map(values, "stored parameters")
        layers = G.expect_list(layers, "layers", str)
        x, y = state_of(model, x), state_of(model, y)
        out = {"key": f"{model.name}:{x}:{y}", "values": values, "traces": [], "message": ""}
        if x == y:
            raise PreventUpdate
        page_layers = _model_source(model) is None
        try:
            traces = _within(
                seconds,
                lambda: C.server_layers(model, values, x, y, layers, page_layers=page_layers),
            )
        except DeadlineExceeded:
            return {**out, "message": too_long("portrait", seconds)}
        except Exception as err:  # a UI boundary: show any failure, keep the page alive
            return {**out, "message": f"the portrait could not be computed: {_describe(err)}"}
        return {**out, "traces": traces}


def _table(rows: Sequence[Mapping[str, str]]) -> list:
    cols = ["#", "kind", "couple", "state", "eigenvalues", "certified", "plotted"]
    cell = {"border": "1px solid #ccc", "padding": "2px 4px", "textAlign": "left"}
    head = html.Tr([html.Th("couple label" if c == "couple" else c, style=cell) for c in cols])
    body = [
        html.Tr([html.Td(r[c], style=cell) for c in cols], className=f"eq-row eq-{r['stability']}")
        for r in rows
    ]
    return [html.Thead(head), html.Tbody(body)]
