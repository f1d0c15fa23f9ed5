"""The one look of every dyadmodel figure: fonts, colours, line styles, axis titles.

Colours are the Okabe–Ito palette (Okabe & Ito, 2008, "Color Universal Design"), which
stays distinguishable under the common forms of colour-vision deficiency; every role
that must be told apart also differs in dash or width, so the figures survive greyscale
printing. Text uses Unicode and HTML only (``x′``, ``A<sub>1</sub>``, ``<i>s</i>``):
LaTeX would need MathJax, which plotly loads from a CDN and which is therefore not
available offline.
"""

from __future__ import annotations

import re
from typing import Any

import plotly.graph_objects as go

from dyadmodel.model import State

__all__ = [
    "FONT_FAMILY",
    "OKABE_ITO",
    "STYLE",
    "TEMPLATE",
    "TRAJECTORY_COLORS",
    "axis_title",
    "fmt_number",
    "parameter_title",
    "state_label",
    "symbol_html",
]

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The eight Okabe–Ito colours by name."""

# Yellow is left out of the cycle: it has too little contrast on white.
_COLORWAY = [
    OKABE_ITO[k]
    for k in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "black")
]

TRAJECTORY_COLORS: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["black"],
    OKABE_ITO["reddish_purple"],
)
"""Colours given to trajectories in turn (distinct from nullclines and separatrices)."""

FONT_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"

STYLE: dict[str, dict[str, Any]] = {
    "field": {"color": "#ABABAB", "width": 1.0},
    "x-nullcline": {"color": OKABE_ITO["orange"], "width": 2.6, "dash": "dash"},
    "y-nullcline": {"color": OKABE_ITO["sky_blue"], "width": 2.6, "dash": "dashdot"},
    "stable-manifold": {"color": OKABE_ITO["vermillion"], "width": 4.0},
    "unstable-manifold": {"color": OKABE_ITO["reddish_purple"], "width": 1.6, "dash": "dot"},
    "trajectory": {"width": 2.0},
    "equilibrium": {"color": "#000000", "size": 12, "line": 2.0},
    "stress": {"color": "#555555", "fill": "rgba(120, 120, 120, 0.25)", "width": 1.5},
}
"""Line and marker style of each role in a figure (colour, width in px, dash)."""

EQUILIBRIUM_SYMBOLS: dict[str, dict[str, str]] = {
    # Filled = attracting; white-filled (drawn open) = repelling; a diamond with a cross
    # (the two manifolds) = saddle; open circle with a dot = undecided (non-hyperbolic).
    "stable": {"symbol": "circle", "fill": "#000000"},
    "unstable": {"symbol": "circle", "fill": "#FFFFFF"},
    "saddle": {"symbol": "diamond-x", "fill": "#FFFFFF"},
    "undecided": {"symbol": "circle-dot", "fill": "#FFFFFF"},
}
"""Marker symbol and fill colour for each stability class of equilibria."""

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 14, "color": "#222222"},
        title={"font": {"size": 17}, "x": 0.5, "xanchor": "center"},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        colorway=_COLORWAY,
        xaxis={
            "showline": True,
            "linecolor": "#444444",
            "linewidth": 1,
            "mirror": True,
            "ticks": "outside",
            "tickcolor": "#444444",
            "showgrid": True,
            "gridcolor": "#EBEBEB",
            "zeroline": False,
            "title": {"font": {"size": 14}, "standoff": 8},
            "tickfont": {"size": 12},
        },
        yaxis={
            "showline": True,
            "linecolor": "#444444",
            "linewidth": 1,
            "mirror": True,
            "ticks": "outside",
            "tickcolor": "#444444",
            "showgrid": True,
            "gridcolor": "#EBEBEB",
            "zeroline": False,
            "title": {"font": {"size": 14}, "standoff": 8},
            "tickfont": {"size": 12},
        },
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.01,
            "yanchor": "bottom",
            "x": 0.5,
            "xanchor": "center",
            "font": {"size": 13},
            "bgcolor": "rgba(255, 255, 255, 0)",
        },
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 13}, "bgcolor": "#FFFFFF"},
        hovermode="closest",
        # The legend sits in the bottom margin, below the x axis title (two rows fit).
        margin={"l": 70, "r": 20, "t": 60, "b": 125},
    )
)
"""The plotly template applied to every figure (white, light grid, legend below)."""

_SYMBOL = re.compile(r"^\\?([A-Za-z]+)(?:_\{?([A-Za-z0-9]+)\}?)?$")
_GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "theta": "θ",
    "lambda": "λ",
    "mu": "μ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "omega": "ω",
}


def symbol_html(state: State) -> str:
    """The state's mathematical symbol as HTML: ``A_1`` -> ``<i>A</i><sub>1</sub>``.

    Uses ``state.latex`` when it is a simple symbol with an optional subscript, the
    state's name otherwise; multi-letter names stay upright (they are words).

    Parameters
    ----------
    state : State
        A state of a model.

    Returns
    -------
    str
        HTML for plotly labels.

    Examples
    --------
    >>> from dyadmodel.model import State
    >>> symbol_html(State("approach_1", "approach", latex="A_1"))
    '<i>A</i><sub>1</sub>'
    >>> symbol_html(State("R", "Romeo's love"))
    '<i>R</i>'
    """
    text = state.latex or state.name
    m = _SYMBOL.match(text)
    if not m:
        return state.name
    base, sub = m.groups()
    if base in _GREEK:
        base = f"<i>{_GREEK[base]}</i>"
    elif len(base) == 1:
        base = f"<i>{base}</i>"
    elif state.latex is None:
        return state.name
    return base + (f"<sub>{sub}</sub>" if sub else "")


def state_label(state: State) -> str:
    """A short name of the state in words: its meaning up to the first colon, semicolon,
    comma or parenthesis.

    Parameters
    ----------
    state : State
        A state of a model.

    Returns
    -------
    str
        Its meaning, shortened.

    Examples
    --------
    >>> from dyadmodel.model import State
    >>> state_label(State("x", "partner 1's pursuit: bids for connection"))
    "Partner 1's pursuit"
    >>> state_label(State("x", ""))  # a typed model's state without a meaning: its name
    'x'
    """
    head = re.split(r"[:;,(]", state.meaning, maxsplit=1)[0].strip()
    if not head:
        return state.name
    return head[0].upper() + head[1:]


def _named_only(item: Any) -> bool:
    """Whether `symbol_html` would only repeat ``item``'s multi-letter name (no symbol)."""
    return getattr(item, "latex", None) is None and symbol_html(item) == item.name


def axis_title(state: State) -> str:
    """Axis title with the state's meaning, symbol and unit.

    Parameters
    ----------
    state : State
        A state of a model.

    Returns
    -------
    str
        HTML: meaning, symbol and unit.

    Examples
    --------
    >>> from dyadmodel.model import State
    >>> axis_title(State("pursuit_1", "partner 1's pursuit: bids", latex="x"))
    "Partner 1's pursuit <i>x</i> (intensity, arbitrary units)"

    A state without a meaning, symbol or unit (a model typed as equations) is named
    once, without empty parts:

    >>> axis_title(State("x", "", unit=""))
    '<i>x</i>'
    >>> axis_title(State("pursuit_1", "partner 1's pursuit", unit=""))
    "Partner 1's pursuit"
    """
    unit = state.unit.strip()
    # "intensity (arbitrary units)" reads better in one parenthesis.
    m = re.match(r"^(.*?)\s*\((.*)\)$", unit)
    unit_text = f"{m.group(1)}, {m.group(2)}" if m and m.group(1) else unit
    if not state.meaning.strip():
        parts = [symbol_html(state)]
    elif _named_only(state):  # the name again after its meaning says nothing new
        parts = [state_label(state)]
    else:
        parts = [state_label(state), symbol_html(state)]
    if unit_text:
        parts.append(f"({unit_text})")
    return " ".join(parts)


def parameter_title(param: Any) -> str:
    """Axis title for a model parameter: its name in words, its symbol and unit.

    A trailing partner index becomes the owner ("anxiety_gain_1" -> "partner 1's
    anxiety gain"); a unit of "1" is written "dimensionless".

    Parameters
    ----------
    param : Parameter
        A parameter record (anything with ``name``, ``latex`` and ``unit``).

    Returns
    -------
    str
        HTML: the name in words, its symbol and unit.

    Examples
    --------
    >>> from dyadmodel.model import Parameter
    >>> parameter_title(Parameter("anxiety_gain_1", 2.0, "attachment anxiety", latex="a_1"))
    "Partner 1's anxiety gain <i>a</i><sub>1</sub> (dimensionless)"
    """
    m = re.match(r"^(.*?)_(\d+)$", param.name)
    words = f"partner {m.group(2)}'s {m.group(1)}" if m else param.name
    words = words.replace("_", " ")
    unit = str(getattr(param, "unit", "1")).strip()
    # "1" is declared dimensionless; "" (a typed model) is an unknown unit: left out
    unit_text = " (dimensionless)" if unit == "1" else f" ({unit})" if unit else ""
    symbol = symbol_html(param)
    if re.sub(r"<[^>]+>", "", symbol) == param.name and len(param.name) == 1:
        return symbol + unit_text  # "a", not "A a"
    if _named_only(param):
        return f"{words[0].upper()}{words[1:]}{unit_text}"
    return f"{words[0].upper()}{words[1:]} {symbol}{unit_text}"


def fmt_number(v: float, digits: int = 4) -> str:
    """``v`` with ``digits`` significant digits and a true minus sign (−).

    Parameters
    ----------
    v : float or complex
        The number.
    digits : int, default 4
        Significant digits.

    Returns
    -------
    str
        The number as text, with a true minus sign.

    Examples
    --------
    >>> fmt_number(-0.4731661), fmt_number(2.0), fmt_number(complex(0.1, -1.6))
    ('−0.4732', '2', '0.1 − 1.6i')
    """
    if isinstance(v, complex):
        scale = max(abs(v.real), abs(v.imag), 1.0)
        if abs(v.imag) <= 1e-12 * scale:
            return fmt_number(v.real, digits)
        sign = "−" if v.imag < 0 else "+"
        re_part = fmt_number(v.real, digits) if abs(v.real) > 1e-12 * scale else "0"
        return f"{re_part} {sign} {fmt_number(abs(v.imag), digits)}i"
    text = f"{float(v):.{digits}g}"
    if text in ("-0", "0"):
        return "0"
    return text.replace("-", "−")
