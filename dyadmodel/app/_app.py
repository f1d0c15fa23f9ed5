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


def _param_control(model: Model, name: str, value: float) -> html.Div:
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
                            updatemode="mouseup",
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
) -> html.Div:
    """The page for ``model`` (typed in the equations panel when ``texts`` is given,
    edited from the model ``base_name``)."""
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
            *[_param_control(model, n, values[n]) for n in model.parameter_names],
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
                ],
                style={"display": "flex", "gap": "8px", "alignItems": "center", "flexWrap": "wrap"},
            ),
            html.Div(id="portrait-message", role="alert", style=_HIDDEN),
            html.Div(id="export-message", style={"fontSize": "12px"}),
            html.Div(
                [
                    dcc.Graph(id="portrait", config={"displaylogo": False}, style={"flex": "none"}),
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
            html.H3(f"dyadmodel explorer — {model.title}", style={"margin": "4px 0"}),
            html.Div([controls, main], style={"display": "flex", "gap": "12px"}),
        ]
    )


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
    window._dyadmodelEditorSeq = (window._dyadmodelEditorSeq || 0) + 1;
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
    app = dash.Dash(__name__, title="dyadmodel explorer", suppress_callback_exceptions=True)
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

    @app.callback(
        Output({"type": "slider", "param": ALL}, "value"),
        Output({"type": "num", "param": ALL}, "value"),
        Output({"type": "ecr", "score": ALL}, "value"),
        Output("params", "data"),
        Output("param-message", "children"),
        Output("param-message", "style"),
        Input({"type": "slider", "param": ALL}, "value"),
        Input({"type": "num", "param": ALL}, "value"),
        Input({"type": "ecr", "score": ALL}, "value"),
        State({"type": "slider", "param": ALL}, "id"),
        State({"type": "num", "param": ALL}, "id"),
        State("params", "data"),
        State("model-name", "data"),
        State("page-model-text", "data"),
        prevent_initial_call=True,
    )
    @G.callback_body
    def on_params(slider_values, text_values, scores, slider_ids, text_ids, stored, name, texts):
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
        triggered = dash.ctx.triggered_id
        if triggered is not None and not isinstance(triggered, Mapping):
            raise PreventUpdate
        out = update_params(
            model, triggered, slider_ids, slider_values, text_ids, text_values, scores, stored
        )
        return (*out, _alert_style(out[-1]))

    def _portrait_args(model, values, layers, x, y, starts):
        G.expect_number_map(values, "stored parameters")
        G.expect_list(layers, "layers", str)
        return _state(model, x), _state(model, y), G.expect_starts(starts, model.n_states)

    @app.callback(
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

    @app.callback(
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
        Input("params", "data"),
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
        Input("params", "data"),
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
        Input("params", "data"),
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
        Input("params", "data"),
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

    G.guard_callbacks(app, limits)
    return app


def _table(rows: Sequence[Mapping[str, str]]) -> list:
    cols = ["#", "kind", "couple", "state", "eigenvalues", "certified", "plotted"]
    cell = {"border": "1px solid #ccc", "padding": "2px 4px", "textAlign": "left"}
    head = html.Tr([html.Th("couple label" if c == "couple" else c, style=cell) for c in cols])
    body = [
        html.Tr([html.Td(r[c], style=cell) for c in cols], className=f"eq-row eq-{r['stability']}")
        for r in rows
    ]
    return [html.Thead(head), html.Tbody(body)]
