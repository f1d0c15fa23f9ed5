"""Tables for notebooks and data frames: the shared helpers of the result objects'
``_repr_html_`` and ``to_dataframe`` / ``to_xarray`` methods.

pandas is imported only when a data frame is asked for; the HTML tables need nothing
beyond the standard library, so a notebook shows results without pandas installed.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from dyadmodel.errors import DyadmodelError

__all__ = ["eigenvalue_columns", "fmt", "html_table", "optional_module", "state_columns"]

MAX_HTML_ROWS = 40
"""Rows shown by a result's HTML table before it says how many were left out."""


class MissingDependencyError(DyadmodelError, ImportError):
    """An optional package (pandas, xarray) that a conversion needs is not installed."""


def optional_module(name: str, what: str) -> Any:
    """Import ``name`` for ``what``, or say how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise MissingDependencyError(
            f"{what} needs {name}, which is not installed; install it with "
            f'pip install "dyadmodel[notebook]" (or pip install {name})'
        ) from exc


def fmt(v: Any, digits: int = 6) -> str:
    """A number (real or complex), bool, None or text as short display text."""
    if v is None:
        return ""
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if isinstance(v, complex | np.complexfloating):
        z = complex(v)
        if abs(z.imag) < 1e-12 * max(1.0, abs(z.real)):
            return f"{z.real:.{digits}g}"
        return f"{z.real:.{digits}g}{z.imag:+.{digits}g}j"
    if isinstance(v, float | np.floating):
        return f"{float(v):.{digits}g}"
    return str(v)


def html_table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    caption: str = "",
    note: str = "",
    max_rows: int = MAX_HTML_ROWS,
) -> str:
    """An HTML table with every cell escaped; at most ``max_rows`` rows are shown."""
    rows = list(rows)
    cell = "padding:2px 8px;text-align:left"
    out = ['<table style="border-collapse:collapse">']
    if caption:
        out.append(f'<caption style="text-align:left">{html.escape(caption)}</caption>')
    out.append(
        "<thead><tr>"
        + "".join(f'<th style="{cell}">{html.escape(str(h))}</th>' for h in header)
        + "</tr></thead><tbody>"
    )
    for row in rows[:max_rows]:
        out.append(
            "<tr>"
            + "".join(f'<td style="{cell}">{html.escape(fmt(v))}</td>' for v in row)
            + "</tr>"
        )
    out.append("</tbody></table>")
    notes = [note] if note else []
    if len(rows) > max_rows:
        notes.append(f"{len(rows) - max_rows} more rows not shown; to_dataframe() gives them all")
    out.extend(f"<p>{html.escape(n)}</p>" for n in notes)
    return "\n".join(out)


def state_columns(values: np.ndarray, names: Sequence[str]) -> dict[str, np.ndarray]:
    """Columns ``{name: values[:, i]}`` of an (m, n_states) array."""
    values = np.asarray(values, dtype=float).reshape(-1, len(names))
    return {n: values[:, i].copy() for i, n in enumerate(names)}


def eigenvalue_columns(eigenvalues: np.ndarray) -> dict[str, np.ndarray]:
    """Columns ``eigenvalue_1``, ``eigenvalue_2``, ... (complex) of an (m, n) array."""
    ev = np.asarray(eigenvalues, dtype=complex)
    ev = ev.reshape(-1, ev.shape[-1] if ev.ndim else 1)
    return {f"eigenvalue_{k + 1}": ev[:, k].copy() for k in range(ev.shape[1])}
