"""States against time, with an optional stress input panel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model
from dyadmodel.plot import theme
from dyadmodel.plot._results import time_series_data
from dyadmodel.plot._traces import apply_theme

__all__ = ["time_series"]


def time_series(
    t: Any,
    y: Any = None,
    model: Model | None = None,
    *,
    states: Sequence[str] | None = None,
    stress: Any = None,
    stress_name: str | None = None,
    title: str | None = None,
    time_title: str = "time <i>t</i> (model time units)",
    colors: Sequence[str] | None = None,
    width: int = 760,
    height: int = 460,
) -> go.Figure:
    """The states of one solution against time; optionally the stress input below them.

    Parameters
    ----------
    t : array_like, shape (k,), or Simulation or LimitCycle
        The times; or a result holding times and states (`dyadmodel.simulate`,
        `dyadmodel.limit_cycle`), given alone: ``time_series(run)`` draws the same as
        ``time_series(run.t, run.y, model)``.
    y : array_like, shape (n_states, k)
        The solution, in the model's state order (e.g. ``sol.y`` of `solve_ivp`); omit
        it with a result.
    model : Model
        Gives the states' names, meanings, symbols and units; with a result it defaults
        to the result's model.
    states : sequence of str, optional
        The states to show (default: all), e.g. two of a model whose third state has
        another scale.
    stress : array_like (k,), callable, True or str, optional
        The input over time, drawn in a panel below (shared time axis): values at ``t``,
        or a function of time evaluated at ``t``; with a `Simulation`, True draws its
        first input and a name draws that input (as recorded by the run).
    stress_name : str, optional
        Title of the input panel; default: the model's first input (e.g. "stress s").
    title : str, optional
        Default: the model's title.
    time_title : str
        Title of the time axis.
    colors : sequence of str, optional
        Colours of the state lines in turn (default: blue, vermillion, bluish green,
        orange of the Okabe–Ito palette).
    width, height : int
        Figure size in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        State traces carry ``meta={"role": "state", "state": name}``; the input trace
        ``meta={"role": "stress"}``.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Examples
    --------
    >>> import numpy as np
    >>> import dyadmodel as dm
    >>> from dyadmodel.plot import time_series
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> t = np.linspace(0, 1, 5)
    >>> fig = time_series(t, np.vstack([t, 2 * t]), m, stress=np.zeros(5))
    >>> [tr.meta["role"] for tr in fig.data]
    ['state', 'state', 'stress']
    >>> run = dm.simulate(m, None, [0.1, 0.1], (0, 5))
    >>> [tr.meta["role"] for tr in time_series(run, stress=True).data]
    ['state', 'state', 'stress']
    """
    t, y, model, stress = time_series_data(t, y, model, stress)
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    if t.ndim != 1 or t.size < 2:
        raise InvalidInputError(f"t must be a 1-D array of at least 2 times; got shape {t.shape}")
    if y.shape != (model.n_states, t.size):
        raise InvalidInputError(
            f"y must have shape (n_states, len(t)) = ({model.n_states}, {t.size}) for model "
            f"{model.name!r}; got {y.shape}"
        )
    names = list(states) if states is not None else list(model.state_names)
    idx = [model.state_index(n) for n in names]

    s_values = None
    if stress is not None:
        s_values = np.asarray(stress(t) if callable(stress) else stress, dtype=float)
        s_values = np.broadcast_to(s_values, t.shape) if s_values.ndim == 0 else s_values
        if s_values.shape != t.shape:
            raise InvalidInputError(
                f"stress must have one value per time (shape {t.shape}); got {s_values.shape}"
            )
        fig = make_subplots(
            rows=2, cols=1, shared_xaxes=True, row_heights=[0.74, 0.26], vertical_spacing=0.06
        )
    else:
        fig = go.Figure()

    row = {"row": 1, "col": 1} if s_values is not None else {}
    colors = (
        list(colors)
        if colors
        else [theme.OKABE_ITO[k] for k in ("blue", "vermillion", "bluish_green", "orange")]
    )
    dashes = ["solid", "dash", "dot", "dashdot"]
    for k, i in enumerate(idx):
        s = model.states[i]
        sym = theme.symbol_html(s)
        fig.add_trace(
            go.Scatter(
                x=t,
                y=y[i],
                mode="lines",
                line={
                    "color": colors[k % len(colors)],
                    "width": 2.2,
                    "dash": dashes[k // len(colors) % len(dashes)],
                },
                name=f"{sym}: {theme.state_label(s)}",
                hovertemplate=f"{sym} = %{{y:.4g}} at t = %{{x:.4g}}<extra></extra>",
                meta={"role": "state", "state": s.name},
            ),
            **row,
        )

    units = {model.states[i].unit for i in idx}
    y_title = units.pop() if len(units) == 1 else "state value"
    apply_theme(fig)
    fig.update_layout(
        title={"text": title if title is not None else model.title},
        width=width,
        height=height,
        meta={"kind": "time series", "model": model.name, "states": names},
    )
    if s_values is not None:
        u = model.inputs[0] if model.inputs else None
        label = stress_name or (f"{u.name} {theme.symbol_html(u)}" if u else "input")
        st = theme.STYLE["stress"]
        fig.add_trace(
            go.Scatter(
                x=t,
                y=s_values,
                mode="lines",
                line={"color": st["color"], "width": st["width"]},
                fill="tozeroy",
                fillcolor=st["fill"],
                name=label,
                hovertemplate=f"{label} = %{{y:.4g}} at t = %{{x:.4g}}<extra></extra>",
                meta={"role": "stress"},
            ),
            row=2,
            col=1,
        )
        fig.update_yaxes(title_text=y_title, row=1, col=1)
        fig.update_yaxes(title_text=label, row=2, col=1, rangemode="tozero")
        fig.update_xaxes(title_text=time_title, row=2, col=1)
    else:
        fig.update_layout(xaxis_title_text=time_title, yaxis_title_text=y_title)
    return fig
