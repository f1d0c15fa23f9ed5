"""Browser-side numerics: JavaScript generated from the sympy model, and a small library.

`model_js` prints a model's right-hand side and Jacobian as JavaScript functions with
sympy's JavaScript code printer (common subexpressions eliminated, ``Math.*`` calls), so
that a page can compute the vector field, nullclines, equilibria and trajectories
without a round trip to a server. The source is generated from the model's sympy
expressions only, never from user text: a model read from a TOML file or typed in the
explorer is turned into sympy by the package's own parser first, and it is those
expressions that are printed. Names in the generated code are stand-ins (``x[i]``,
``p[k]``, ``u[j]``), so no state or parameter name ever reaches the JavaScript source
except inside JSON strings.

`library_js` returns ``window.dyadmodel``: an explicit Dormand--Prince 5(4) integrator
with the step-size control of `scipy.integrate.solve_ivp`'s RK45 and the default
tolerances of `dyadmodel.simulate` (``rtol = 1e-8``, ``atol = 1e-10``, no ``max_step``),
the vector field on a grid, nullclines by marching squares, and equilibria by Newton's
method from a grid of starts, classified from the Jacobian's eigenvalues with the same
vocabulary and tolerances as `dyadmodel.classify`. Equilibria found in the page are
never certified (``certified: false``); certified ones come from `dyadmodel.equilibria`.
"""

from __future__ import annotations

import functools
import json
import math
from importlib import resources

import sympy as sp
from sympy.printing.jscode import JavascriptCodePrinter

from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model

__all__ = ["JS_DEFAULTS", "UnsupportedExpressionError", "library_js", "model_js"]

#: The defaults the page's integrator shares with `dyadmodel.simulate` (RK45 there).
JS_DEFAULTS = {"rtol": 1e-8, "atol": 1e-10, "max_step": math.inf}


class UnsupportedExpressionError(InvalidInputError):
    """A model expression that has no JavaScript equivalent (e.g. ``gamma(x)``)."""


class _Printer(JavascriptCodePrinter):
    """sympy's JavaScript printer, with floats printed as exact IEEE doubles (``repr``)."""

    def __init__(self) -> None:
        super().__init__({"strict": True})

    def _print_Float(self, expr: sp.Float) -> str:
        return repr(float(expr))


def _js_number(v: float) -> float | str | None:
    """A float as JSON can carry it (infinite ends as the strings 'inf' / '-inf')."""
    v = float(v)
    if math.isfinite(v):
        return v
    if math.isnan(v):
        return None
    return "inf" if v > 0 else "-inf"


def _function_body(
    exprs: list[sp.Expr], stand_in: dict[sp.Symbol, sp.Symbol], model: Model, what: str
) -> tuple[list[str], list[str]]:
    """Lines ``const c_k = ...;`` and the printed outputs, after CSE on stand-in symbols."""
    printer = _Printer()
    subbed = [sp.sympify(e).xreplace(stand_in) for e in exprs]
    replacements, reduced = sp.cse(subbed, symbols=sp.numbered_symbols("c_"), optimizations=None)
    try:
        lines = [f"const {sym} = {printer.doprint(val)};" for sym, val in replacements]
        outs = [printer.doprint(e) for e in reduced]
    except Exception as err:  # sympy raises PrintMethodNotImplementedError (a NotImplementedError)
        raise UnsupportedExpressionError(
            f"model {model.name!r}: its {what} uses a function with no JavaScript equivalent "
            f"({' '.join(str(err).split()[:12])}); expected elementary functions "
            "(powers, exp, log, trigonometric and hyperbolic functions, Abs, Min, Max, "
            "Piecewise)"
        ) from None
    return [" ".join(s.split()) for s in lines], [" ".join(s.split()) for s in outs]


@functools.lru_cache(maxsize=64)
def _model_js_cached(model: Model) -> str:
    xs = [sp.Symbol(f"X{i}", real=True) for i in range(model.n_states)]
    ps = [sp.Symbol(f"P{k}", real=True) for k in range(len(model.parameters))]
    us = [sp.Symbol(f"U{j}", real=True) for j in range(len(model.inputs))]
    stand_in = dict(zip(model.state_symbols, xs))
    stand_in |= dict(zip(model.parameter_symbols, ps))
    stand_in |= dict(zip(model.input_symbols, us))
    unpack = (
        [f"const X{i} = x[{i}];" for i in range(len(xs))]
        + [f"const P{k} = p[{k}];" for k in range(len(ps))]
        + [f"const U{j} = u[{j}];" for j in range(len(us))]
    )
    rhs_lines, rhs_out = _function_body(list(model.rhs_expr), stand_in, model, "right-hand side")
    jac = model.jacobian_expr
    n = model.n_states
    jac_lines, jac_out = _function_body(
        [jac[i, j] for i in range(n) for j in range(n)], stand_in, model, "Jacobian"
    )
    rows = ", ".join("[" + ", ".join(jac_out[i * n : (i + 1) * n]) + "]" for i in range(n))
    meta = {
        "name": model.name,
        "title": model.title,
        "states": [
            {
                "name": s.name,
                "domain": [_js_number(v) for v in s.domain],
                "validity": [_js_number(v) for v in s.validity],
                "meaning": s.meaning,
                "unit": s.unit,
            }
            for s in model.states
        ],
        "params": [
            {
                "name": p.name,
                "default": _js_number(p.default),
                "bounds": [_js_number(v) for v in p.bounds],
                "lower_inclusive": bool(p.lower_inclusive),
                "meaning": p.meaning,
            }
            for p in model.parameters
        ],
        "inputs": [
            {
                "name": u.name,
                "default": _js_number(u.default),
                "bounds": [_js_number(v) for v in u.bounds],
                "meaning": u.meaning,
            }
            for u in model.inputs
        ],
    }
    # JSON is valid JavaScript; "</" is escaped so that the source can sit in <script>.
    meta_js = json.dumps(meta, ensure_ascii=True).replace("</", "<\\/")
    indent = "\n    "
    return (
        "(function () {\n"
        '  "use strict";\n'
        "  const dm = (window.dyadmodel = window.dyadmodel || {});\n"
        "  dm.models = dm.models || {};\n"
        f"  const m = {meta_js};\n"
        "  m.rhs = function (t, x, p, u) {"
        + indent
        + indent.join(unpack + rhs_lines)
        + indent
        + f"return [{', '.join(rhs_out)}];\n"
        "  };\n"
        "  m.jac = function (t, x, p, u) {"
        + indent
        + indent.join(unpack + jac_lines)
        + indent
        + f"return [{rows}];\n"
        "  };\n"
        "  dm.models[m.name] = m;\n"
        "})();\n"
    )


def model_js(model: Model) -> str:
    """JavaScript source that registers ``model`` in ``window.dyadmodel.models``.

    The entry ``window.dyadmodel.models[<name>]`` holds ``name``, ``title``, ``states``
    (name, plotting ``domain``, ``validity``), ``params`` (name, default, bounds),
    ``inputs`` (name, default, bounds), ``rhs(t, x, p, u)`` returning the array of
    derivatives and ``jac(t, x, p, u)`` returning the Jacobian as an array of rows.
    ``x``, ``p`` and ``u`` are arrays in the model's state, parameter and input order.
    Infinite bounds are written as the strings ``"inf"`` and ``"-inf"``.

    Parameters
    ----------
    model : Model
        Any model: registered, read from a file or typed (its sympy expressions are
        printed; nothing is evaluated from text).

    Returns
    -------
    str
        JavaScript source (self-contained; it does not need `library_js` to load first).

    Raises
    ------
    InvalidTypeError
        ``model`` is not a `Model`.
    UnsupportedExpressionError
        An expression uses a function that has no JavaScript equivalent.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> src = model_js(dm.models.get("strogatz-linear"))
    >>> "Math" in src or "x[0]" in src, 'models[m.name] = m' in src
    (True, True)
    """
    if not isinstance(model, Model):
        raise InvalidTypeError(
            f"model = {type(model).__name__} object; expected a dyadmodel Model "
            "(dm.models.get(name) or dm.models.load(path))"
        )
    return _model_js_cached(model)


def library_js() -> str:
    """JavaScript source of ``window.dyadmodel``: the page-side numerics.

    Functions (``m`` is a model registered by `model_js`; ``p`` and ``u`` arrays of
    parameter and input values; ``fixed`` gives the displayed plane, see below):

    - ``rk45(m, x0, p, u, t0, t1, opts)`` -> ``{t, x, status, message, nfev}``: the
      Dormand--Prince 5(4) pair with `scipy.integrate.solve_ivp`'s step-size control and
      initial step; ``opts`` may set ``rtol`` (1e-8), ``atol`` (1e-10), ``max_step``
      (Infinity), ``max_steps`` (200000: the budget) and ``breakpoints`` (times where
      the integration restarts; ``u`` may then be a function of ``t``, evaluated at the
      middle of each piece, as for a pulse). ``x`` is a list of state arrays, one per
      accepted step; ``status`` is 0 on success and -1 when the budget ran out or the
      state left ``|x| < 1e6`` or stopped being finite.
    - ``field(m, p, u, xs, ys, fixed)`` -> ``{x, y, dx, dy, speed, segments, path}``:
      the vector field at the grid points ``xs`` x ``ys``, with ``segments`` (plotly
      line coordinates, arrows of 0.8 grid cell, ``null`` between arrows) and the same
      arrows as one SVG ``path`` string in data coordinates (a plotly layout shape of
      type "path" draws it several times faster than a gapped scatter trace).
    - ``nullclines(m, p, u, xs, ys, fixed)`` -> one entry per displayed state
      ``{state, index, lines: [{x, y}], x, y}``: the zero contour of that state's
      derivative by marching squares on the grid (linear interpolation on the cell
      edges, polished by regula falsi in each edge's bracket; sign changes at poles are
      dropped), joined into polylines (``x``/``y`` concatenate them with ``null``
      between, for plotly).
    - ``equilibria(m, p, u, box, opts)`` -> ``[{x, kind, stable, eigenvalues,
      residual, certified: false}]``: Newton's method (damped) from a grid of starts in
      ``box`` (one ``[lo, hi]`` per state), deduplicated, classified like
      `dyadmodel.classify`.

    ``fixed`` is ``null`` (displayed states 0 and 1, the others at the middle of their
    plotting range) or ``{ix, iy, state}``: the indices of the horizontal and vertical
    states and a full state vector giving the values of the others.

    Returns
    -------
    str
        JavaScript source.

    Raises
    ------
    FileNotFoundError
        The packaged file ``dyadmodel/app/js/dyadmodel.js`` is missing (a broken
        installation).

    Examples
    --------
    >>> src = library_js()
    >>> "rk45" in src and "nullclines" in src and "equilibria" in src
    True
    """
    return resources.files("dyadmodel.app").joinpath("js", "dyadmodel.js").read_text("utf-8")
