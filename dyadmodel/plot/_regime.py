"""Regime maps over a parameter plane, and the attachment-pairing table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dyadmodel.continuation._twoparam import AttachmentRegime, RegimeMap
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.plot import theme
from dyadmodel.plot._traces import apply_theme

__all__ = ["REGIME_COLOURS", "attachment_regimes", "regime_map"]

REGIME_COLOURS: dict[str, str] = {
    "balanced only": "#BFE6D8",  # light bluish green
    "bistable": "#F7DFA6",  # light orange
    "entrenched only": "#F2B99A",  # light vermillion
    "mutual withdrawal": "#C4E2F6",  # light sky blue
    "oscillating": "#E8C5DC",  # light reddish purple
    "cycle and steady state": "#D9C3E6",  # light purple: a cycle and a rest point
    "monostable": "#D6E4F0",
    "multistable": "#F0EBB0",
    "other": "#D9D9D9",
}
"""Fill colour of each regime (`dyadmodel.continuation.classify_regime`): pale tints of
the Okabe–Ito colours, so that lines drawn over them stay visible."""


def _categorical(regimes: np.ndarray) -> tuple[np.ndarray, list[str], list[list[Any]]]:
    """Integer codes of the regimes present (in `REGIME_COLOURS` order) and a stepped
    colour scale with one band per code."""
    present = {str(r) for r in np.ravel(regimes)}
    names = [r for r in REGIME_COLOURS if r in present]
    names += sorted(present - set(names))
    code = {r: k for k, r in enumerate(names)}
    z = np.vectorize(lambda r: code[str(r)], otypes=[int])(regimes)
    n = len(names)
    scale: list[list[Any]] = []
    for k, r in enumerate(names):
        c = REGIME_COLOURS.get(r, "#D9D9D9")
        scale += [[k / n, c], [(k + 1) / n, c]]
    return z, names, scale


_LEGEND_NAMES = {"other": "other (e.g. a one-sided stable state)"}


def _legend_swatch(name: str, colour: str) -> go.Scatter:
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={
            "symbol": "square",
            "size": 15,
            "color": colour,
            "line": {"color": "#888888", "width": 1},
        },
        # No legend group: plotly stacks a group's entries vertically.
        name=_LEGEND_NAMES.get(name, name),
        meta={"role": "regime-legend", "regime": name},
    )


def regime_map(
    result: RegimeMap,
    *,
    fold_curves: bool = True,
    hopf_curves: bool = False,
    cycle_curves: bool = True,
    title: str | None = None,
    width: int = 700,
    height: int = 600,
) -> go.Figure:
    """Draw a regime map (`dyadmodel.regime_map`): regimes as colours, fold curves as lines.

    Parameters
    ----------
    result : RegimeMap
        The result to draw.
    fold_curves : bool
        Draw the fold curves traced by continuation (the exact regime boundaries where
        equilibria appear or vanish in pairs) and the cusps on them.
    hopf_curves : bool
        Draw the Hopf curves (where a steady state starts to oscillate) with their
        Bogdanov-Takens and Bautin points.
    cycle_curves : bool
        Draw the curves of folds of cycles and of homoclinic ends, when the map has them
        (``dm.regime_map(..., cycle_curves=True)``).
    title : str, optional
        Default: the model's title.
    width, height : int
        Figure size in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces carry ``meta={"role": ...}``: 'regimes' (the heatmap; ``"regimes"``: the
        names of its codes), 'regime-legend' (one swatch per regime present),
        'fold-curve' (one per curve, with ``"index"`` into ``result.fold_curves``),
        'cusp', and 'incomplete' (grid points whose equilibrium search was not proved
        complete, marked with small crosses, if any); with ``hopf_curves``,
        'hopf-curve' (with ``"index"``) and 'bogdanov-takens' / 'bautin'; with cycle
        curves, 'lpc-curve' and 'homoclinic-curve' (one trace per curve, pieces
        NaN-separated, with ``"index"``).

    Raises
    ------
    InvalidTypeError
        For an argument of the wrong type.

    Notes
    -----
    Each grid cell shows the regime at its centre; the boundaries between cells are
    therefore only as good as the grid, while the fold curves are exact (to the
    continuation's tolerance). A boundary without a fold curve is a change of
    stability (e.g. a Hopf point), which is not continued.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.plot import regime_map
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> r = dm.regime_map(m, None, ("anxiety_gain_1", (0, 4)), ("avoidance_gain_2", (0, 4)), 5)
    >>> fig = regime_map(r)
    >>> sorted(t.meta["role"] for t in fig.data if t.meta["role"] != "regime-legend")
    ['fold-curve', 'fold-curve', 'regimes']
    """
    if not isinstance(result, RegimeMap):
        raise InvalidTypeError(
            f"result is a {type(result).__name__}; expected a RegimeMap (from dyadmodel.regime_map)"
        )
    model = result.params.model
    px, py = model.parameter(result.x_param), model.parameter(result.y_param)
    sx, sy = theme.symbol_html(px), theme.symbol_html(py)
    z, names, scale = _categorical(result.regimes)
    hover = np.empty(z.shape, dtype=object)
    for (r, c), regime in np.ndenumerate(result.regimes):
        hover[r, c] = (
            f"<b>{regime}</b><br>{result.n_equilibria[r, c]} equilibria, "
            f"{result.n_stable[r, c]} stable"
            + ("" if result.complete[r, c] else "<br>(search not proved complete)")
        )
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            x=result.x_values,
            y=result.y_values,
            z=z,
            zmin=0,
            zmax=len(names),
            colorscale=scale,
            showscale=False,
            text=hover,
            hovertemplate=f"{sx} = %{{x:.3g}}, {sy} = %{{y:.3g}}<br>%{{text}}<extra></extra>",
            name="regimes",
            meta={"role": "regimes", "regimes": names},
        )
    )
    for name in names:
        fig.add_trace(_legend_swatch(name, REGIME_COLOURS.get(name, "#D9D9D9")))

    if fold_curves:
        for k, fc in enumerate(result.fold_curves):
            fig.add_trace(
                go.Scatter(
                    x=fc.x_values,
                    y=fc.y_values,
                    mode="lines",
                    line={"color": "#000000", "width": 2.6},
                    name="fold curve (tipping boundary)",
                    legendgroup="fold-curve",
                    showlegend=k == 0,
                    hovertemplate=f"fold: {sx} = %{{x:.4g}}, {sy} = %{{y:.4g}}<extra></extra>",
                    meta={"role": "fold-curve", "index": k},
                )
            )
        if result.cusps:
            fig.add_trace(
                go.Scatter(
                    x=[c.x_value for c in result.cusps],
                    y=[c.y_value for c in result.cusps],
                    mode="markers",
                    marker={
                        "symbol": "star",
                        "size": 15,
                        "color": theme.OKABE_ITO["reddish_purple"],
                    },
                    name="cusp (two folds meet)",
                    hovertemplate=f"cusp: {sx} = %{{x:.4g}}, {sy} = %{{y:.4g}}<extra></extra>",
                    meta={"role": "cusp"},
                )
            )
    if hopf_curves:
        _draw_hopf_curves(fig, result, sx, sy)
    if cycle_curves:
        _draw_cycle_curves(fig, result, sx, sy)
    rows, cols = np.nonzero(~np.asarray(result.complete, dtype=bool))
    if rows.size:
        fig.add_trace(
            go.Scatter(
                x=np.asarray(result.x_values)[cols],
                y=np.asarray(result.y_values)[rows],
                mode="markers",
                marker={"symbol": "x-thin", "size": 6, "line": {"width": 1, "color": "#555555"}},
                name="search not proved complete",
                meta={"role": "incomplete"},
            )
        )

    dx = np.diff(result.x_values[:2]).item() / 2 if len(result.x_values) > 1 else 0.5
    dy = np.diff(result.y_values[:2]).item() / 2 if len(result.y_values) > 1 else 0.5
    apply_theme(fig)
    fig.update_layout(
        title={"text": title if title is not None else f"{model.title}: regimes"},
        xaxis={
            "title": {"text": theme.parameter_title(px)},
            "range": [result.x_values[0] - dx, result.x_values[-1] + dx],
            "showgrid": False,
        },
        yaxis={
            "title": {"text": theme.parameter_title(py)},
            "range": [result.y_values[0] - dy, result.y_values[-1] + dy],
            "showgrid": False,
        },
        width=width,
        height=height,
        meta={
            "kind": "regime map",
            "model": result.model_name,
            "x": result.x_param,
            "y": result.y_param,
        },
    )
    return fig


_CYCLE_CURVE_STYLE = {
    "lpc": {
        "line": {"color": theme.OKABE_ITO["blue"], "width": 2.4, "dash": "dash"},
        "name": "fold of cycles (a stable and an unstable cycle meet)",
    },
    "homoclinic": {
        "line": {"color": theme.OKABE_ITO["vermillion"], "width": 2.4, "dash": "dot"},
        "name": "homoclinic end (cycles end on a saddle or saddle-node)",
    },
}


def _draw_hopf_curves(fig: go.Figure, result: RegimeMap, sx: str, sy: str) -> None:
    for k, hc in enumerate(result.hopf_curves):
        fig.add_trace(
            go.Scatter(
                x=hc.x_values,
                y=hc.y_values,
                mode="lines",
                line={"color": theme.OKABE_ITO["reddish_purple"], "width": 2.4},
                name="Hopf curve (onset of oscillation)",
                legendgroup="hopf-curve",
                showlegend=k == 0,
                hovertemplate=f"Hopf: {sx} = %{{x:.4g}}, {sy} = %{{y:.4g}}<extra></extra>",
                meta={"role": "hopf-curve", "index": k},
            )
        )
    for kind, symbol, name in (
        ("bogdanov-takens", "diamond", "Bogdanov-Takens point"),
        ("bautin", "circle", "Bautin point (Hopf turns subcritical)"),
    ):
        pts = [p for hc in result.hopf_curves for p in hc.points if p.kind == kind]
        if not pts:
            continue
        fig.add_trace(
            go.Scatter(
                x=[p.x_value for p in pts],
                y=[p.y_value for p in pts],
                mode="markers",
                marker={"symbol": symbol, "size": 12, "color": "#000000"},
                name=name,
                hovertemplate=f"{name}: {sx} = %{{x:.5g}}, {sy} = %{{y:.5g}}<extra></extra>",
                meta={"role": kind},
            )
        )


def _draw_cycle_curves(fig: go.Figure, result: RegimeMap, sx: str, sy: str) -> None:
    for family, curves in (("lpc", result.lpc_curves), ("homoclinic", result.homoclinic_curves)):
        shown = False
        for k, c in enumerate(curves):
            if not len(c):
                continue
            xs: list[float] = []
            ys: list[float] = []
            for piece in range(c.n_pieces):
                px, py = c.piece(piece)
                if xs:
                    xs.append(np.nan)
                    ys.append(np.nan)
                xs.extend(px.tolist())
                ys.extend(py.tolist())
            style = _CYCLE_CURVE_STYLE[family]
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines+markers" if len(c) < 3 else "lines",
                    line=style["line"],
                    name=style["name"],
                    legendgroup=f"{family}-curve",
                    showlegend=not shown,
                    hovertemplate=f"{family}: {sx} = %{{x:.4g}}, {sy} = %{{y:.4g}}<extra></extra>",
                    meta={"role": f"{family}-curve", "index": k},
                )
            )
            shown = True


def attachment_regimes(
    table: Sequence[AttachmentRegime],
    *,
    title: str | None = None,
    width: int = 620,
    height: int = 560,
) -> go.Figure:
    """The regimes of the attachment-style pairings as a coloured grid with labels.

    Parameters
    ----------
    table : sequence of AttachmentRegime
        E.g. the 16 rows of `dyadmodel.continuation.attachment_regime_table`.
    title : str, optional
        Figure title.
    width, height : int
        Figure size in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        Rows are partner 1's style, columns partner 2's, in order of first appearance;
        each cell shows the regime and its stable states. The heatmap trace has
        ``meta={"role": "pairings", "regimes": [[...]], "styles_1": [...],
        "styles_2": [...]}``, with the regimes exactly as in ``table``.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> from dyadmodel.continuation import attachment_regime_table
    >>> from dyadmodel.plot import attachment_regimes
    >>> fig = attachment_regimes(attachment_regime_table(dm.models.get("pursuer-distancer-2d")))
    >>> fig.data[0].meta["regimes"][1][2]  # anxious partner 1, avoidant partner 2
    'bistable'
    """
    rows = list(table)
    if not rows:
        raise InvalidInputError("the attachment table is empty")
    s1 = list(dict.fromkeys(r.style_1 for r in rows))
    s2 = list(dict.fromkeys(r.style_2 for r in rows))
    grid = np.full((len(s1), len(s2)), "", dtype=object)
    cell = np.full((len(s1), len(s2)), "", dtype=object)
    for r in rows:
        i, j = s1.index(r.style_1), s2.index(r.style_2)
        grid[i, j] = r.regime
        stable = ", ".join(r.stable_labels) or "none"
        cell[i, j] = f"<b>{r.regime}</b><br><span style='font-size:11px'>{stable}</span>"
    if np.any(grid == ""):
        raise InvalidInputError("the attachment table does not cover every pairing of its styles")
    z, names, scale = _categorical(grid)
    fig = go.Figure(
        go.Heatmap(
            x=s2,
            y=s1,
            z=z,
            zmin=0,
            zmax=len(names),
            colorscale=scale,
            showscale=False,
            text=cell,
            texttemplate="%{text}",
            textfont={"size": 13},
            xgap=3,
            ygap=3,
            hovertemplate="partner 1 %{y}, partner 2 %{x}<br>%{text}<extra></extra>",
            meta={
                "role": "pairings",
                "regimes": grid.tolist(),
                "styles_1": s1,
                "styles_2": s2,
            },
        )
    )
    for name in names:
        fig.add_trace(_legend_swatch(name, REGIME_COLOURS.get(name, "#D9D9D9")))
    apply_theme(fig)
    fig.update_layout(
        title={"text": title if title is not None else "Attachment-style pairings"},
        xaxis={
            "title": {"text": "Partner 2's attachment style"},
            "showgrid": False,
            "side": "bottom",
            "type": "category",
        },
        yaxis={
            "title": {"text": "Partner 1's attachment style"},
            "showgrid": False,
            "autorange": "reversed",
            "type": "category",
        },
        width=width,
        height=height,
        meta={"kind": "attachment pairings", "model": rows[0].model_name},
    )
    return fig
