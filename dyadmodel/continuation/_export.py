"""Cross-check export: any model as an XPPAUT ``.ode`` file and as AUTO-07p files.

A reviewer can load the files in XPPAUT (``xppaut model.ode``, then AUTO from its menu)
or in AUTO-07p (``auto-07p name.auto``) and verify the special points of
`continuation` independently. Both exports are run in the real tools by
``tests/peers`` (required in CI). Measured: for every registered model XPPAUT 6.11's
trajectories agree with `dyadmodel.simulate` to 8.6e-8 relative to ``max(1, |x|)`` (the
8 digits XPPAUT prints), and every fold, Hopf and branch point AUTO-07p 0.9.2 finds
agrees with `continuation` in the parameter to 3.9e-10 (laura-petrarch's Hopf point in
beta2; the others 1e-17 .. 9e-11), and AUTO's equilibria to 5e-11.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from dyadmodel.analysis.equilibria import equilibria
from dyadmodel.errors import InvalidInputError
from dyadmodel.model import Model, ParameterSet

__all__ = ["auto_constants", "auto_files", "xpp_names", "xppaut_ode"]

_XPP_MAX = 9  # XPPAUT rejects names of 11 characters or more; 9 leaves room for suffixes
_XPP_RESERVED = {
    "t", "pi", "sin", "cos", "tan", "exp", "ln", "log", "log10", "sqrt", "abs", "sinh",
    "cosh", "tanh", "atan", "asin", "acos", "atan2", "heav", "sign", "mod", "max", "min",
    "flr", "ran", "normal", "if", "then", "else", "delay", "par", "init", "aux", "done",
}  # fmt: skip
# XPPAUT's integrators, as its ``@ meth=`` option spells them
XPP_METHODS = (
    "cvode", "stiff", "rungekutta", "qualrk", "dorprin", "dorpri8", "gear", "adams",
    "modeuler", "backeuler", "euler", "rosen",
)  # fmt: skip


# AUTO-07p calls these for other problem types; empty stubs as in AUTO's demos
_STUBS = (
    "SUBROUTINE BCND(NDIM,PAR,ICP,NBC,U0,U1,FB,IJAC,DBC)\nEND SUBROUTINE BCND\n",
    "SUBROUTINE ICND(NDIM,PAR,ICP,NINT,U,UOLD,UDOT,UPOLD,FI,IJAC,DINT)\nEND SUBROUTINE ICND\n",
    "SUBROUTINE FOPT(NDIM,U,ICP,PAR,IJAC,FS,DFDU,DFDP)\nEND SUBROUTINE FOPT\n",
    "SUBROUTINE PVLS(NDIM,U,PAR)\nEND SUBROUTINE PVLS\n",
)


def xpp_names(model: Model) -> dict[str, str]:
    """Short XPPAUT names for the model's states, parameters and inputs.

    A name of at most 9 letters, digits and underscores that is not reserved by XPPAUT
    is kept; a longer one becomes the first three letters of each ``_``-separated word
    followed by its digits (``anxiety_gain_1`` -> ``anxgai1``), truncated to 9 characters
    and made unique with a numeric suffix. The map is written at the top of every
    exported file.

    Parameters
    ----------
    model : Model
        The model.

    Returns
    -------
    dict
        Name in the model -> name in the XPPAUT file.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> names = xpp_names(dm.models.get("pursuer-distancer-2d"))
    >>> names["anxiety_gain_1"], names["distance_2"], names["pursuit_1"]
    ('anxgai1', 'dis2', 'pursuit_1')
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in (*model.state_names, *model.parameter_names, *model.input_names):
        clean = re.sub(r"[^A-Za-z0-9_]", "", name)
        if len(clean) > _XPP_MAX or clean.lower() in _XPP_RESERVED or not clean[:1].isalpha():
            words = [w for w in clean.split("_") if w]
            short = "".join(w if w.isdigit() else w[:3] for w in words) or "v"
            if not short[0].isalpha():
                short = "v" + short
            clean = short[:_XPP_MAX]
            if clean.lower() in _XPP_RESERVED:
                clean = (clean + "_")[:_XPP_MAX]
        base, k = clean, 1
        while clean.lower() in used:
            suffix = str(k)
            clean = base[: _XPP_MAX - len(suffix)] + suffix
            k += 1
        used.add(clean.lower())
        out[name] = clean
    return out


def auto_constants(span: tuple[float, float], accuracy: float = 1e-10) -> dict[str, Any]:
    """AUTO's step and accuracy constants for a continuation over ``span``.

    Parameters
    ----------
    span : (float, float)
        The continuation starts at ``span[0]`` and goes towards ``span[1]``.
    accuracy : float
        Wanted accuracy of the special points (relative, in AUTO's arclength); between
        1e-13 and 1e-3.

    Returns
    -------
    dict
        ``DS``, ``DSMIN``, ``DSMAX``, ``NMX``, ``EPSL``, ``EPSU``, ``EPSS``, ``ITMX``.

    Notes
    -----
    - ``EPSS = accuracy``: AUTO stops refining a special point when its arclength
      correction is below EPSS. With ``EPSS = 1e-6`` AUTO placed the Hopf point of
      ``laura-petrarch`` in ``alpha3`` (0.05 .. 0.3) 1.3e-8 away from `continuation`'s
      0.2810355116; with ``EPSS = 1e-10``, 8.8e-11.
    - ``EPSL = EPSU = min(1e-10, accuracy)``: the Newton corrector must converge at least
      as tightly as the points are to be located.
    - ``DSMAX = min(0.01, |span| / 50)``: at least 50 steps across the span. With
      ``DSMAX = 0.05`` AUTO misplaced a sharp fold of ``pursuer-distancer-2d``
      (``avoidance_gain_2 = 2.5, threshold_1 = 1.2, approach_baseline_1 = 0.05``,
      ``anxiety_gain_1`` in 0..8; true fold 6.1161716072) by 3.7e-4; with
      ``DSMAX <= 0.01`` every fold, Hopf and branch point of the registered models
      agreed with `continuation` to about 1e-10 (``tests/peers``).
    - ``DS = DSMAX / 10`` with the sign of ``span[1] - span[0]``; ``DSMIN = DSMAX * 1e-6``.
    - ``NMX = max(20000, 100 |span| / DSMAX)``: branches are longer than the span when
      the states move (folds turn them back; ``rinaldi-synergic``'s branch in ``alpha1``
      from 0.36 to 0.5 is about 6 long in arclength), and AUTO needs a bound on the
      steps (20000 steps of a 2-state model take about 2 s).
    - ``ITMX = 20`` iterations to locate a special point (AUTO's default 8 is too few
      for EPSS = 1e-10).

    Examples
    --------
    >>> c = auto_constants((0.0, 4.0))
    >>> c["DSMAX"], c["DS"], c["EPSS"], c["NMX"]
    (0.01, 0.001, 1e-10, 40000)
    >>> auto_constants((8.0, 0.0))["DS"]
    -0.001
    """
    a, b = (float(v) for v in span)
    if not (math.isfinite(a) and math.isfinite(b)) or a == b:
        raise InvalidInputError(f"span {span!r} must be two different finite numbers (start, end)")
    accuracy = float(accuracy)
    if not 1e-13 <= accuracy <= 1e-3:
        raise InvalidInputError(
            f"accuracy {accuracy!r} must be between 1e-13 and 1e-3 (AUTO's EPSS)"
        )
    length = abs(b - a)
    dsmax = min(0.01, length / 50)
    return {
        "DS": math.copysign(dsmax / 10, b - a),
        "DSMIN": dsmax * 1e-6,
        "DSMAX": dsmax,
        "NMX": max(20000, math.ceil(100 * length / dsmax)),
        "EPSL": min(1e-10, accuracy),
        "EPSU": min(1e-10, accuracy),
        "EPSS": accuracy,
        "ITMX": 20,
    }


def _fortran(v: float) -> str:
    """A double-precision Fortran literal: 0.1 -> 0.1d0, 1e-08 -> 1d-08."""
    text = repr(float(v))
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}d{exponent}"
    return f"{text}d0"


def _values(model, params, inputs):
    p = model.parameter_set(params)
    u = model.constant_inputs(inputs, "export")
    return p, u


def _equilibrium_states(model, p, u, *, fallback: bool = True) -> list[np.ndarray]:
    """Every equilibrium (stable ones first); when none is found, the domain's centre
    (``fallback``) or nothing."""
    try:
        eqs = list(equilibria(model, p, inputs=u or None))
    except Exception:  # the export is still useful without a start point
        eqs = []
    if not eqs:
        return [np.array([0.5 * (lo + hi) for lo, hi in model.domain])] if fallback else []
    eqs.sort(key=lambda e: not e.stable)  # stable first, otherwise in the search's order
    return [np.asarray(e.state, dtype=float) for e in eqs]


def _continuation_value(model, p, u, param, span):
    """Check ``param`` and ``span``; return ``(p, u)`` with ``param`` set to span[0]."""
    a, b = (float(v) for v in span)
    if param in model.input_names:
        u = {**u, param: a}
    else:
        model.parameter(param)  # raises ParameterError naming the valid ones
        p = p.replace(**{param: a})
    auto_constants((a, b))  # validates the span
    return p, u


def xppaut_ode(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    *,
    inputs: Mapping[str, float] | float | None = None,
    x0: Any = None,
    param: str | None = None,
    span: tuple[float, float] | None = None,
    t_end: float = 200.0,
    dt: float = 0.05,
    method: str = "cvode",
    tolerance: float = 1e-10,
    path: str | Path | None = None,
) -> str:
    """The model as an XPPAUT ``.ode`` file (returned; written to ``path`` if given).

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        Parameter values (defaults otherwise).
    inputs : mapping or float, optional
        Constant input values; they become XPPAUT parameters.
    x0 : array_like, optional
        The initial condition; default: a stable equilibrium (from
        `dyadmodel.equilibria`) at the start of the continuation, so that XPPAUT's AUTO
        can start from it.
    param : str, optional
        The continuation parameter (a parameter or input name). XPPAUT's AUTO continues
        in the first ``par`` of the file, so it is written first, at ``span[0]``.
    span : (float, float), optional
        The continuation range, written as AUTO's ``parmin``/``parmax``; required with
        ``param``. Steps and tolerances follow `auto_constants`.
    t_end, dt : float
        XPPAUT's ``total`` and output step ``dt``.
    method : str
        XPPAUT's integrator (``@ meth=``), one of `XPP_METHODS`.
    tolerance : float
        Relative and absolute tolerance of the adaptive integrators (``toler``,
        ``atoler``).
    path : path, optional
        Where to write the file.

    Returns
    -------
    str
        The file's text.

    Raises
    ------
    InvalidInputError
        For a bad ``span``, ``param``, ``method`` or step (the message names it).

    Notes
    -----
    Written from the sympy right-hand side with sympy's string printer (``**`` for
    powers, which XPPAUT accepts). Comments stand on their own lines: XPPAUT reads the
    words after a ``#`` on a ``par`` line as more parameters. Checked in XPPAUT 6.11
    (``xppaut model.ode -silent``) by ``tests/peers``: for every registered model the
    trajectory agrees with `dyadmodel.simulate` to the 8 significant digits XPPAUT
    prints (``toler = atoler = 1e-12``, ``meth=cvode``).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> text = xppaut_ode(dm.models.get("liebovitch"), param="c1", span=(0, 2))
    >>> print("\\n".join(line for line in text.splitlines() if "'=" in line))
    x'=b1 + c1*tanh(y) - m1*x
    y'=b2 + c2*tanh(x) - m2*y
    >>> [line for line in text.splitlines() if line.startswith("par")][0]
    'par c1=0.0'
    """
    p, u = _values(model, params, inputs)
    if (param is None) != (span is None):
        raise InvalidInputError(
            f"param={param!r} and span={span!r}: give both (the continuation parameter and "
            "its range) or neither"
        )
    if method not in XPP_METHODS:
        raise InvalidInputError(
            f"method {method!r} is not an XPPAUT integrator; expected one of "
            f"{', '.join(XPP_METHODS)}"
        )
    for label, value in (("t_end", t_end), ("dt", dt), ("tolerance", tolerance)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise InvalidInputError(f"{label} = {value!r} must be a positive finite number")
    if param is not None and span is not None:
        p, u = _continuation_value(model, p, u, param, span)
    names = xpp_names(model)
    sub = {sym: sp.Symbol(names[str(sym)], real=True) for sym in model.all_symbols}
    lines = [f"# {model.name}: {model.title}", "# exported by dyadmodel; names (XPP = dyadmodel):"]
    lines += [f"#   {short} = {long}" for long, short in names.items() if short != long]
    entries = [(k, v, False) for k, v in p.items()] + [(k, v, True) for k, v in u.items()]
    entries.sort(key=lambda e: e[0] != param)  # XPPAUT's AUTO continues in the first par
    if param is not None:
        lines.append(f"# continuation parameter (first par, as XPPAUT's AUTO requires): {param}")
    for k, v, is_input in entries:
        if is_input:
            lines.append(f"# {k}: input, held constant")
        lines.append(f"par {names[k]}={float(v)!r}")
    for sym, expr in zip(model.state_symbols, model.rhs_expr):
        lines.append(f"{names[str(sym)]}'={sp.sstr(expr.xreplace(sub))}")
    if x0 is None:
        x0 = _equilibrium_states(model, p, u)[0]
    x0 = np.asarray(x0, dtype=float)
    if x0.shape != (model.n_states,):
        raise InvalidInputError(
            f"x0 has shape {x0.shape}; expected {model.n_states} values "
            f"({', '.join(model.state_names)})"
        )
    for name, v in zip(model.state_names, x0):
        lines.append(f"init {names[name]}={float(v)!r}")
    lines += [
        f"@ total={float(t_end)!r}, dt={float(dt)!r}, bounds=1e6, meth={method}",
        f"@ toler={float(tolerance)!r}, atoler={float(tolerance)!r}, maxstor=1000000",
    ]
    if param is not None and span is not None:
        c = auto_constants(span)
        lo, hi = sorted(float(v) for v in span)
        lines += [
            f"@ parmin={lo!r}, parmax={hi!r}, autoxmin={lo!r}, autoxmax={hi!r}",
            f"@ ntst=50, nmax={c['NMX']}, npr={c['NMX']}",
            f"@ ds={c['DS']!r}, dsmin={c['DSMIN']!r}, dsmax={c['DSMAX']!r}",
            f"@ epsl={c['EPSL']!r}, epsu={c['EPSU']!r}, epss={c['EPSS']!r}",
        ]
    lines.append("done")
    text = "\n".join(lines) + "\n"
    if path is not None:
        Path(path).write_text(text)
    return text


def auto_files(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None,
    param: str,
    span: tuple[float, float],
    *,
    inputs: Mapping[str, float] | float | None = None,
    x0: Any = None,
    accuracy: float = 1e-10,
    directory: str | Path | None = None,
    name: str | None = None,
    cycles: bool = False,
    cycle_span: tuple[float, float] | None = None,
    cycle_ds_max: float | None = None,
    max_period: float = 1000.0,
    ntst: int = 50,
    cycle_steps: int = 3000,
) -> dict[str, str]:
    """AUTO-07p equations (``name.f90``), constants (``c.name``) and script (``name.auto``).

    Parameters
    ----------
    model : Model
        The model.
    params : ParameterSet or mapping or None
        Parameter values; the model's defaults when None.
    param : str
        The continuation parameter (AUTO's ``ICP``); a parameter or an input.
    span : (float, float)
        Continuation starts at ``span[0]``, goes towards ``span[1]`` and stops at either
        end (``UZSTOP``).
    inputs : mapping or float, optional
        Held constant as extra AUTO parameters.
    x0 : array_like, optional
        One start equilibrium at ``span[0]``; default: every equilibrium at ``span[0]``
        found by `dyadmodel.equilibria`, one AUTO run from each, then one run backwards
        from every equilibrium at ``span[1]`` (a branch that exists only beyond a fold
        inside the span has none at ``span[0]``).
    accuracy : float
        Wanted accuracy of the special points; sets AUTO's tolerances (see
        `auto_constants`).
    directory : path, optional
        Where to write the files (created if missing; not written when None).
    name : str, optional
        File stem; default: the model name with ``-`` replaced by ``_``.
    cycles : bool
        Also continue the periodic orbits born at every Hopf point (HB) the equilibrium
        runs find: AUTO's ``IPS = 2`` from the HB label with ``ISW = 1`` (branch switch
        onto the cycles), in ``ICP = [param, 11]`` (the period is ``PAR(11)``), with
        folds of cycles (LP), period doublings (PD) and tori (TR) detected (``ILP = 1``,
        ``ISP = 2``). Run *k*'s *j*-th Hopf point's cycles are saved as
        ``b.name_k_cycles_j`` (columns: parameter, L2-NORM, MAX of each state,
        PERIOD); a Hopf point already continued from an earlier run is skipped.
    cycle_span : (float, float), optional
        The parameter range of the cycle runs (``UZSTOP``); default: ``span``. Cycles
        often live beyond the equilibria's span: ``rinaldi-synergic``'s, born at the
        Hopf point alpha1 = 0.36656, exist down to alpha1 = 0.3037.
    cycle_ds_max : float, optional
        Largest step of the cycle runs (``DSMAX``); default ``min(0.1, |cycle_span| /
        10)``. Smaller steps give more points on the branch to interpolate between.
    max_period : float
        The cycle runs stop when the period reaches this value (``UZSTOP`` on
        ``PAR(11)``): the approach to a homoclinic orbit or a saddle-node on the cycle,
        where the period grows without bound; also at either end of ``cycle_span``.
    ntst : int
        Mesh intervals of the cycles' collocation (``NTST``; 4 Gauss points each,
        ``NCOL = 4``, adaptive mesh ``IAD = 3``); 50 resolves periods up to 1000 of the
        registered models (``tests/peers``).
    cycle_steps : int
        Step budget of each cycle run (``NMX``).

    Returns
    -------
    dict
        ``{file name: contents}``.

    Raises
    ------
    InvalidInputError
        A bad span, accuracy, start, file stem, cycle setting, or a directory that
        cannot be created.
    ParameterError
        ``param`` is not a parameter or input of the model.

    Notes
    -----
    Parameters are numbered ``PAR(1), PAR(2), ...`` in the model's order followed by
    the inputs, skipping ``PAR(11)`` (AUTO's period of periodic orbits); the map is
    in the files as ``parnames``. ``STPNT`` holds the first start equilibrium; the
    script ``name.auto`` runs AUTO once from each start (``U=...``) and saves run *k*
    as ``b.name_k``, ``s.name_k``, ``d.name_k``. AUTO follows one branch per run, so
    starting from every equilibrium reaches folds on branches that the first start
    does not lead to. Run it with ``auto-07p name.auto`` in the directory of the files
    (on Debian, AUTO's Python front end needs Debian's own ``/usr/bin/python3`` first
    on ``PATH`` when another Python with numpy 2 is active). A single start from the
    stable equilibrium missed the fold of ``gone-with-the-wind`` in ``A_R`` (1 .. 2.5, at
    1.6378553933), which lies on another branch. Right-hand sides are
    printed with `sympy.fcode` (Fortran 95, free form). Step and tolerance constants
    follow `auto_constants`; checked in AUTO-07p 0.9.2 by ``tests/peers``, where every
    LP, HB and BP agrees with `continuation` to about 1e-10 in the parameter.

    The cycle runs start with the equilibrium runs' ``DS``; ``DSMAX = cycle_ds_max``,
    ``EPSL = EPSU = 1e-8`` and ``EPSS = 1e-6``; their ``NMX`` is
    ``cycle_steps``. Measured in AUTO-07p 0.9.2: ``rinaldi-synergic``'s cycles from
    alpha1 = 0.36656 to period 1000 take 184 steps with DSMAX = 0.02 and 1247 with
    0.0028; both end at alpha1 = 0.3037046887 (within 2e-10), and the periods of
    `continue_cycle` agree with a cubic spline through AUTO's points to 4.8e-6 (184
    points) and 2.6e-8 (1247 points) up to period 500: the spline, not the
    collocation, sets the difference. AUTO's Fortran is built with OpenMP: on a busy
    two-core machine the cycle runs took 40 s with the default threads and 3.8 s with
    ``OMP_NUM_THREADS=1``.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> m = dm.models.get("strogatz-linear")
    >>> files = auto_files(m, None, "a", (-1.0, 1.0), x0=[0.0, 0.0], cycles=True)
    >>> sorted(files)
    ['c.strogatz_linear', 'strogatz_linear.auto', 'strogatz_linear.f90']
    >>> "IPS=2, ICP=['a', 11], ISW=1" in files["strogatz_linear.auto"]
    True
    """
    if not isinstance(cycles, bool):
        raise InvalidInputError(f"cycles = {cycles!r}; expected True or False")
    if not (
        isinstance(max_period, int | float)
        and not isinstance(max_period, bool)
        and math.isfinite(max_period)
        and max_period > 0
    ):
        raise InvalidInputError(f"max_period = {max_period!r}; expected a positive finite number")
    for label, value, least in (("ntst", ntst, 2), ("cycle_steps", cycle_steps, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise InvalidInputError(f"{label} = {value!r}; expected an integer >= {least}")
    p, u = _values(model, params, inputs)
    p, u = _continuation_value(model, p, u, param, span)
    a, b = (float(v) for v in span)
    if cycle_span is None:
        cycle_span = (a, b)
    try:
        lo, hi = sorted(float(v) for v in cycle_span)
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"cycle_span = {cycle_span!r}; expected two numbers (the cycle runs' range)"
        ) from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise InvalidInputError(
            f"cycle_span = {cycle_span!r}; expected two different finite numbers"
        )
    if cycle_ds_max is None:
        cycle_ds_max = min(0.1, (hi - lo) / 10)
    if not (
        isinstance(cycle_ds_max, int | float)
        and not isinstance(cycle_ds_max, bool)
        and math.isfinite(cycle_ds_max)
        and cycle_ds_max > 0
    ):
        raise InvalidInputError(
            f"cycle_ds_max = {cycle_ds_max!r}; expected a positive finite number"
        )
    cycle_ds_max = float(cycle_ds_max)
    constants = auto_constants((a, b), accuracy)
    stem = name or model.name.replace("-", "_")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", stem):
        raise InvalidInputError(
            f"name {stem!r} must start with a letter and hold only letters, digits and _"
        )
    index = {}
    k = 1
    for nm in (*model.parameter_names, *model.input_names):
        if k == 11:
            k += 1
        index[nm] = k
        k += 1
    # stand-in symbols U__i, PAR__k, F__i, printed as arrays U(i), PAR(k), F(i)
    sub = {s: sp.Symbol(f"U__{i + 1}", real=True) for i, s in enumerate(model.state_symbols)}
    sub.update(
        {
            s: sp.Symbol(f"PAR__{index[str(s)]}", real=True)
            for s in (*model.parameter_symbols, *model.input_symbols)
        }
    )
    f_lines = []
    for i, expr in enumerate(model.rhs_expr, 1):
        code = sp.fcode(
            expr.xreplace(sub), assign_to=sp.Symbol(f"F__{i}"), source_format="free", standard=95
        )
        code = re.sub(r"\b(U|PAR|F)__(\d+)\b", r"\1(\2)", code)
        f_lines.append("  " + code.replace("\n", "\n  "))
    ends: list[np.ndarray] = []
    if x0 is None:
        starts = _equilibrium_states(model, p, u)
        # and from the far end backwards: a branch that exists only beyond a fold inside
        # the span (rinaldi-synergic's x2 ~ 27 for alpha1 > 0.4987 in (0.36, 0.5)) has no
        # equilibrium at span[0] and would never be reached
        p_end, u_end = _continuation_value(model, p, u, param, (b, a))
        ends = _equilibrium_states(model, p_end, u_end, fallback=False)
    else:
        starts = [np.asarray(x0, dtype=float)]
        if starts[0].shape != (model.n_states,):
            raise InvalidInputError(
                f"x0 has shape {starts[0].shape}; expected {model.n_states} values "
                f"({', '.join(model.state_names)})"
            )
    values = {**dict(p), **u}
    n = model.n_states
    par_lines = [f"  PAR({index[nm]}) = {_fortran(v)}  ! {nm}" for nm, v in values.items()]
    u_lines = [
        f"  U({i + 1}) = {_fortran(v)}  ! {nm}"
        for i, (nm, v) in enumerate(zip(model.state_names, starts[0]))
    ]
    f90 = "\n".join(
        [
            f"! {model.name}: {model.title}",
            "! exported by dyadmodel for AUTO-07p",
            "SUBROUTINE FUNC(NDIM,U,ICP,PAR,IJAC,F,DFDU,DFDP)",
            "  IMPLICIT NONE",
            "  INTEGER, INTENT(IN) :: NDIM, ICP(*), IJAC",
            "  DOUBLE PRECISION, INTENT(IN) :: U(NDIM), PAR(*)",
            "  DOUBLE PRECISION, INTENT(OUT) :: F(NDIM)",
            "  DOUBLE PRECISION, INTENT(INOUT) :: DFDU(NDIM,NDIM), DFDP(NDIM,*)",
            *f_lines,
            "END SUBROUTINE FUNC",
            "",
            "SUBROUTINE STPNT(NDIM,U,PAR,T)",
            "  IMPLICIT NONE",
            "  INTEGER, INTENT(IN) :: NDIM",
            "  DOUBLE PRECISION, INTENT(INOUT) :: U(NDIM), PAR(*)",
            "  DOUBLE PRECISION, INTENT(IN) :: T",
            *par_lines,
            *u_lines,
            "END SUBROUTINE STPNT",
            "",
            *_STUBS,
        ]
    )
    unames = ", ".join(f"{i + 1}: '{nm}'" for i, nm in enumerate(model.state_names))
    parnames = ", ".join(f"{index[nm]}: '{nm}'" for nm in values)
    c = constants
    consts = "\n".join(
        [
            f"# {model.name}: continuation in {param} from {a:g} to {b:g} (dyadmodel export)",
            "# DS, DSMAX, NMX from the span; EPSL, EPSU, EPSS from the wanted accuracy "
            "(dyadmodel.continuation.auto_constants)",
            f"unames = {{{unames}}}",
            f"parnames = {{{parnames}}}",
            f"NDIM = {n}, IPS = 1, IRS = 0, ILP = 1",
            f"ICP = ['{param}']",
            "NTST = 50, NCOL = 4, IAD = 3, ISP = 2, ISW = 1, IPLT = 0, NBC = 0, NINT = 0",
            f"NMX = {c['NMX']}, NPR = {c['NMX']}, MXBF = 10, IID = 2, ITMX = {c['ITMX']}, "
            "ITNW = 7, NWTN = 3, JAC = 0",
            f"EPSL = {c['EPSL']!r}, EPSU = {c['EPSU']!r}, EPSS = {c['EPSS']!r}",
            f"DS = {c['DS']!r}, DSMIN = {c['DSMIN']!r}, DSMAX = {c['DSMAX']!r}, IADS = 1",
            f"UZSTOP = {{'{param}': [{min(a, b)!r}, {max(a, b)!r}]}}",
        ]
    )

    def _start_lines(states):
        return [
            "    {" + ", ".join(f"{i + 1}: {float(v)!r}" for i, v in enumerate(x)) + "},"
            for x in states
        ]

    lines = [
        f"# {model.name}: continuation in {param} from {a:g} to {b:g} (dyadmodel export)",
        f"# one AUTO run from each equilibrium at {param} = {a:g}, then one backwards from",
        f"# each equilibrium at {param} = {b:g} not reached by those; run k is saved as",
        f"# b.{stem}_k, s.{stem}_k, d.{stem}_k. Run with: auto-07p {stem}.auto",
        "starts = [",
        *_start_lines(starts),
        "]",
        "ends = [",
        *_start_lines(ends),
        "]",
        "runs = [(start, {}) for start in starts] + [",
        f"    (start, {{'PAR': {{'{param}': {b!r}}}, 'DS': {-c['DS']!r}}}) for start in ends",
        "]",
    ]
    if cycles:
        lines.append("hopf_done = []  # parameter values of the Hopf points already continued")
    names = ", ".join(repr(nm) for nm in model.state_names)
    lines += [
        f"names = [{names}]",
        f"reached = []  # states at {param} = {b:g} that a run has reached",
        "",
        "def on_a_reached_branch(start):",
        "    x = [start[i + 1] for i in range(len(names))]",
        "    scale = 1 + max(abs(v) for v in x)",
        "    return any(max(abs(u - v) for u, v in zip(x, y)) <= 1e-6 * scale for y in reached)",
        "",
        "for number, (start, at_end) in enumerate(runs, 1):",
        "    if at_end and on_a_reached_branch(start):",
        "        continue  # its branch was traced from the span's start: once is enough",
        f"    branch = run(e='{stem}', c='{stem}', U=start, **at_end)",
        f"    save(branch, '{stem}_%d' % number)",
        "    for s in branch('UZ') + branch('EP'):",
        f"        if abs(s.PAR['{param}'] - {b!r}) <= 1e-9 * (1 + abs({b!r})):",
        "            reached.append([s[n][0] for n in names])",
    ]
    if cycles:
        lines += [
            f"    # periodic orbits from each Hopf point, until the period reaches {max_period:g}",
            "    for j, hopf in enumerate(branch('HB'), 1):",
            f"        value = hopf.PAR['{param}']",
            "        if any(abs(value - v) <= 1e-8 * (1 + abs(v)) for v in hopf_done):",
            "            continue",
            "        hopf_done.append(value)",
            "        orbits = run(",
            f"            hopf, IPS=2, ICP=['{param}', 11], ISW=1, NTST={ntst}, NCOL=4, IAD=3,",
            f"            ILP=1, ISP=2, NMX={cycle_steps}, NPR={cycle_steps}, EPSL=1e-08,",
            f"            EPSU=1e-08, EPSS=1e-06, DS={abs(c['DS'])!r}, DSMAX={cycle_ds_max!r},",
            f"            UZSTOP={{'{param}': [{lo!r}, {hi!r}], 11: {float(max_period)!r}}},",
            "        )",
            f"        save(orbits, '{stem}_%d_cycles_%d' % (number, j))",
        ]
    script = "\n".join(lines)
    files = {f"{stem}.f90": f90 + "\n", f"c.{stem}": consts + "\n", f"{stem}.auto": script + "\n"}
    if directory is not None:
        folder = Path(directory)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise InvalidInputError(
                f"directory {str(folder)!r} cannot be created: a file is in the way ({exc})"
            ) from None
        for fname, text in files.items():
            (folder / fname).write_text(text)
    return files
