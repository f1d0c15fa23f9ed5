"""Profile likelihoods: -2 log-likelihood ratio against the parameter, one panel each.

Draws the `dyadmodel.fit.Profile` objects that `dyadmodel.fit.profile_likelihood` (or
``dm.fit(..., method="ml", profile=True)``) returns; computes nothing. The profile's rise
``delta_nll = nll - min nll`` is drawn as ``-2 log LR = 2 delta_nll``, so the threshold
line of the 95% interval is ``chi2(1, 0.95) = 3.84`` (twice
`dyadmodel.fit.PROFILE_THRESHOLD`, Raue et al. 2009).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.fit._ml import PROFILE_THRESHOLD, Profile
from dyadmodel.plot.theme import OKABE_ITO, TEMPLATE, fmt_number

__all__ = ["profile_likelihood"]

#: Colour of each role in a profile panel.
_COLOURS = {
    "profile": OKABE_ITO["blue"],
    "threshold": OKABE_ITO["vermillion"],
    "interval": OKABE_ITO["black"],
    "estimate": OKABE_ITO["black"],
}


def _as_list(profiles: Any) -> list[Profile]:
    if isinstance(profiles, Profile):
        return [profiles]
    if isinstance(profiles, Mapping):
        items = list(profiles.values())
    elif isinstance(profiles, Sequence) and not isinstance(profiles, str):
        items = list(profiles)
    else:
        raise InvalidTypeError(
            "profiles must be a Profile, a dict of Profiles (from "
            f"dyadmodel.fit.profile_likelihood) or a list of them, got {type(profiles).__name__}"
        )
    for item in items:
        if not isinstance(item, Profile):
            raise InvalidTypeError(
                f"profiles must hold dyadmodel.fit.Profile objects, got {type(item).__name__}"
            )
    if not items:
        raise InvalidInputError("profiles is empty: nothing to draw")
    return items


def profile_likelihood(
    profiles: Profile | Mapping[str, Profile] | Sequence[Profile],
    *,
    labels: Sequence[str] | None = None,
    columns: int = 2,
    y_max: float | None = None,
) -> go.Figure:
    """Draw profile likelihoods with the 95% threshold, the interval and the verdict.

    Parameters
    ----------
    profiles : Profile, dict of str -> Profile, or sequence of Profile
        From `dyadmodel.fit.profile_likelihood`; one panel each, in order.
    labels : sequence of str, optional
        Panel labels (default: each profile's parameter name); the panel title is
        ``"<label>: <verdict>"``.
    columns : int
        Panels per row.
    y_max : float, optional
        Top of every y axis (default: the highest drawn point, at most three times the
        threshold, so the threshold line stays readable).

    Returns
    -------
    plotly.graph_objects.Figure
        Per panel, traces whose ``meta["role"]`` is ``"profile"`` (values against
        ``2 delta_nll``), ``"threshold"`` (``chi2(1, 0.95)``), ``"interval"`` (the
        interval on the threshold line; an open end, NaN in ``ci``, is drawn to the last
        profiled value with an arrowhead and named "open") and ``"estimate"``.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Examples
    --------
    >>> import numpy as np
    >>> from dyadmodel.fit import Profile
    >>> p = Profile("k", 1.0, np.array([0.5, 1.0, 1.5]), np.array([3.0, 0.0, 2.5]),
    ...             (0.7, 1.4), "identifiable")
    >>> fig = profile_likelihood(p)
    >>> [tr.meta["role"] for tr in fig.data]
    ['profile', 'threshold', 'interval', 'estimate']
    >>> fig.layout.annotations[0].text
    'k: identifiable'
    """
    items = _as_list(profiles)
    if labels is None:
        labels = [p.parameter for p in items]
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise InvalidTypeError(f"labels must be a sequence of str, got {labels!r:.60}")
    if len(labels) != len(items) or not all(isinstance(s, str) for s in labels):
        raise InvalidInputError(
            f"labels must be {len(items)} strings, one per profile, got {list(labels)!r:.80}"
        )
    if isinstance(columns, bool) or not isinstance(columns, (int, np.integer)):
        raise InvalidTypeError(f"columns must be an integer, got {columns!r}")
    if not 1 <= columns <= 12:
        raise InvalidInputError(f"columns = {columns}; expected 1 to 12")
    threshold = 2.0 * PROFILE_THRESHOLD
    if y_max is not None:
        if isinstance(y_max, bool) or not isinstance(y_max, (int, float)):
            raise InvalidTypeError(f"y_max must be a number, got {y_max!r}")
        if not (math.isfinite(y_max) and y_max > 0):
            raise InvalidInputError(f"y_max = {y_max!r}; expected a positive finite number")
    cols = min(columns, len(items))
    rows = -(-len(items) // cols)
    titles = [f"{label}: {p.verdict}" for label, p in zip(labels, items)]
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.1, vertical_spacing=0.14
    )
    top = 0.0
    for k, prof in enumerate(items):
        row, col = k // cols + 1, k % cols + 1
        first = k == 0
        lr = 2.0 * np.asarray(prof.delta_nll, dtype=float)
        values = np.asarray(prof.values, dtype=float)
        finite = lr[np.isfinite(lr)]
        top = max(top, float(finite.max()) if finite.size else 0.0)
        fig.add_trace(
            go.Scatter(
                x=values,
                y=lr,
                mode="lines+markers",
                line={"color": _COLOURS["profile"], "width": 2},
                marker={"size": 5},
                name="profile: −2 log-likelihood ratio",
                legendgroup="profile",
                showlegend=first,
                meta={"role": "profile", "parameter": prof.parameter},
            ),
            row=row,
            col=col,
        )
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        fig.add_trace(
            go.Scatter(
                x=[lo, hi],
                y=[threshold, threshold],
                mode="lines",
                line={"color": _COLOURS["threshold"], "width": 1.5, "dash": "dash"},
                name=f"χ²(1, 0.95) = {fmt_number(threshold, 3)}",
                legendgroup="threshold",
                showlegend=first,
                hoverinfo="skip",
                meta={"role": "threshold", "value": threshold},
            ),
            row=row,
            col=col,
        )
        low, high = prof.ci
        ends = [low if math.isfinite(low) else lo, high if math.isfinite(high) else hi]
        words = [
            fmt_number(low) if math.isfinite(low) else "open",
            fmt_number(high) if math.isfinite(high) else "open",
        ]
        symbols = [
            "line-ns-open" if math.isfinite(low) else "triangle-left",
            "line-ns-open" if math.isfinite(high) else "triangle-right",
        ]
        fig.add_trace(
            go.Scatter(
                x=ends,
                y=[threshold, threshold],
                mode="lines+markers",
                line={"color": _COLOURS["interval"], "width": 3},
                marker={
                    "symbol": symbols,
                    "size": 14,
                    "line": {"width": 2},
                },
                name="95% profile-likelihood interval",
                legendgroup="interval",
                showlegend=first,
                text=[f"lower end: {words[0]}", f"upper end: {words[1]}"],
                hoverinfo="text",
                meta={"role": "interval", "ci": [low, high]},
            ),
            row=row,
            col=col,
        )
        fig.add_trace(
            go.Scatter(
                x=[prof.estimate],
                y=[0.0],
                mode="markers",
                marker={"color": _COLOURS["estimate"], "size": 9},
                name="estimate",
                legendgroup="estimate",
                showlegend=first,
                text=[f"estimate {fmt_number(prof.estimate)}"],
                hoverinfo="text",
                meta={"role": "estimate"},
            ),
            row=row,
            col=col,
        )
        fig.update_xaxes(title_text=prof.parameter, row=row, col=col)
        fig.update_yaxes(title_text="−2 log LR" if col == 1 else None, row=row, col=col)
    upper = y_max if y_max is not None else min(max(top, threshold) * 1.08, 3.0 * threshold)
    fig.update_yaxes(range=[-0.05 * upper, upper])
    fig.update_layout(
        template=TEMPLATE,
        height=330 * rows + 150,
        width=520 * cols + 80,
        meta={"kind": "profile-likelihood", "threshold": threshold},
    )
    return fig
