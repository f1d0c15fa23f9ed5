"""Cross-check export: any model as an XPPAUT ``.ode`` file and as AUTO-07p files.

A reviewer can load the files in XPPAUT (``xppaut model.ode``, then AUTO from its menu)
or in AUTO-07p (``auto`` with ``run(e='name', c='name')``) and verify the special points
of `continuation` independently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from dyadmodel.analysis.equilibria import equilibria
from dyadmodel.model import Model, ParameterSet

__all__ = ["auto_files", "xpp_names", "xppaut_ode"]

_XPP_MAX = 9  # XPPAUT truncates longer names (documented limit: 9-10 characters)
_XPP_RESERVED = {
    "t", "pi", "sin", "cos", "tan", "exp", "ln", "log", "log10", "sqrt", "abs", "sinh",
    "cosh", "tanh", "atan", "asin", "acos", "atan2", "heav", "sign", "mod", "max", "min",
    "flr", "ran", "normal", "if", "then", "else", "delay", "par", "init", "aux", "done",
}  # fmt: skip


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


def _start_state(model, p, u) -> np.ndarray:
    """A stable equilibrium to start from (AUTO needs an equilibrium), else any."""
    try:
        eqs = equilibria(model, p, inputs=u or None)
    except Exception:  # the export is still useful without a start point
        return np.array([0.5 * (lo + hi) for lo, hi in model.domain])
    pick = [e for e in eqs if e.stable] or list(eqs)
    if not pick:
        return np.array([0.5 * (lo + hi) for lo, hi in model.domain])
    return np.asarray(pick[0].state)


def xppaut_ode(
    model: Model,
    params: ParameterSet | Mapping[str, Any] | None = None,
    *,
    inputs: Mapping[str, float] | float | None = None,
    x0: Any = None,
    path: str | Path | None = None,
) -> str:
    """The model as an XPPAUT ``.ode`` file (returned; written to ``path`` if given).

    Parameters are the given values (defaults otherwise); inputs become parameters
    at their constant values. The initial condition is ``x0`` or else a stable
    equilibrium (from `dyadmodel.equilibria`), so that AUTO can start from it. Names
    are shortened by `xpp_names`; the map is in the file's leading comments.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> text = xppaut_ode(dm.models.get("liebovitch"))
    >>> print("\\n".join(line for line in text.splitlines() if "'=" in line))
    x'=b1 + c1*tanh(y) - m1*x
    y'=b2 + c2*tanh(x) - m2*y

    Notes
    -----
    Written from the sympy right-hand side with sympy's string printer (``**`` for
    powers, which XPPAUT accepts). Not run through XPPAUT here.
    """
    p, u = _values(model, params, inputs)
    names = xpp_names(model)
    sub = {sym: sp.Symbol(names[str(sym)], real=True) for sym in model.all_symbols}
    lines = [f"# {model.name}: {model.title}", "# exported by dyadmodel; names (XPP = dyadmodel):"]
    lines += [f"#   {short} = {long}" for long, short in names.items() if short != long]
    for k, v in p.items():
        lines.append(f"par {names[k]}={v!r}")
    for k, v in u.items():
        lines.append(f"par {names[k]}={v!r}  # input, held constant")
    for sym, expr in zip(model.state_symbols, model.rhs_expr):
        lines.append(f"{names[str(sym)]}'={sp.sstr(expr.xreplace(sub))}")
    x0 = _start_state(model, p, u) if x0 is None else np.asarray(x0, dtype=float)
    for name, v in zip(model.state_names, x0):
        lines.append(f"init {names[name]}={v:.10g}")
    lines += ["@ total=200, dt=0.05, bounds=1e6, meth=stiff", "@ ntst=50, nmax=2000, npr=100",
              "@ dsmin=1e-6, dsmax=0.05, ds=0.01", "done"]  # fmt: skip
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
    directory: str | Path | None = None,
    name: str | None = None,
) -> dict[str, str]:
    """AUTO-07p equations (``name.f90``) and constants (``c.name``) files.

    Parameters
    ----------
    model : Model
    params : ParameterSet or mapping or None
    param : str
        The continuation parameter (AUTO's ``ICP``).
    span : (float, float)
        Continuation stops at its ends (``UZSTOP``).
    inputs : mapping or float, optional
        Held constant as extra AUTO parameters.
    x0 : array_like, optional
        The start equilibrium at ``span[0]``; default: a stable one found by
        `dyadmodel.equilibria`.
    directory : path, optional
        Where to write the two files (not written when None).
    name : str, optional
        File stem; default: the model name with ``-`` replaced by ``_``.

    Returns
    -------
    dict
        ``{file name: contents}``.

    Notes
    -----
    Parameters are numbered ``PAR(1), PAR(2), ...`` in the model's order followed by
    the inputs, skipping ``PAR(11)`` (AUTO's period of periodic orbits); the map is
    in the files as ``parnames``. The start point (``STPNT``) is ``x0`` or a stable
    equilibrium at ``span[0]``. Right-hand sides are printed with `sympy.fcode`
    (Fortran 95, free form). Not compiled or run through AUTO here.
    """
    p, u = _values(model, params, inputs)
    model.parameter(param)
    a, b = (float(v) for v in span)
    p = p.replace(**{param: a})
    stem = name or model.name.replace("-", "_")
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
    x0 = _start_state(model, p, u) if x0 is None else np.asarray(x0, dtype=float)
    values = {**dict(p), **u}
    n = model.n_states
    par_lines = [f"  PAR({index[nm]}) = {_fortran(v)}  ! {nm}" for nm, v in values.items()]
    u_lines = [
        f"  U({i + 1}) = {_fortran(v)}  ! {nm}"
        for i, (nm, v) in enumerate(zip(model.state_names, x0))
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
    consts = "\n".join(
        [
            f"# {model.name}: continuation in {param} from {a:g} to {b:g} (dyadmodel export)",
            f"unames = {{{unames}}}",
            f"parnames = {{{parnames}}}",
            f"NDIM = {n}, IPS = 1, IRS = 0, ILP = 1",
            f"ICP = ['{param}']",
            "NTST = 50, NCOL = 4, IAD = 3, ISP = 2, ISW = 1, IPLT = 0, NBC = 0, NINT = 0",
            "NMX = 5000, NPR = 100, MXBF = 10, IID = 2, ITMX = 8, ITNW = 7, NWTN = 3, JAC = 0",
            "EPSL = 1e-10, EPSU = 1e-10, EPSS = 1e-6",
            "DS = 0.01, DSMIN = 1e-8, DSMAX = 0.05, IADS = 1",
            f"UZSTOP = {{'{param}': [{min(a, b)!r}, {max(a, b)!r}]}}",
        ]
    )
    files = {f"{stem}.f90": f90 + "\n", f"c.{stem}": consts + "\n"}
    if directory is not None:
        for fname, text in files.items():
            (Path(directory) / fname).write_text(text)
    return files
