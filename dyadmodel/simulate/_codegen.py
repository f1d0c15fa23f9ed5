"""Code generation: the model's sympy right-hand side as plain Python source.

The ensemble engine (`dyadmodel.simulate._ensemble`) and `compiled_rhs` need the
right-hand side as fast straight-line code. It is generated here from ``model.rhs_expr``
(the model's own expressions: no user text is ever evaluated) in three steps:

1. **Hoisting.** Every maximal subexpression that involves no state (parameter and
   input combinations such as ``K**2`` or ``r * a``) becomes a *derived constant*,
   computed once per trajectory instead of once per evaluation.
2. **Common subexpressions** (`sympy.cse`) of the state-dependent part.
3. **Printing** with a numpy printer in which integer powers are multiplications
   (``z**2 -> z*z``, ``z**-3 -> 1/(z*z*z)``), so that no ``pow`` call is made for the
   Hill functions of the flagship models.

Two flavours are printed from the same expressions: *scalar* code for numba (one state,
one trajectory) and *vector* code for numpy (rows are arrays over trajectories).

Generated files live in a cache directory, by default ``~/.cache/dyadmodel/numba``
(``$XDG_CACHE_HOME/dyadmodel/numba`` when set; ``$DYADMODEL_CACHE_DIR`` overrides both),
named by the model and a hash of their source, so a changed model or generator gives a
new file. numba's ``cache=True`` stores the compiled machine code next to them in
``__pycache__``: the first process compiles (a few seconds), later ones load in well
under a second. Deleting the directory is always safe.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import os
import re
import sys
import tempfile
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from dyadmodel.model import Model, ParameterSet

__all__ = ["CompiledRHS", "RHSCode", "cache_dir", "compiled_rhs", "numba_available", "rhs_code"]

# Bump when the generated code changes in a way the source hash would not see
# (e.g. a different integrator template).
GENERATOR_VERSION = "1"


def numba_available() -> bool:
    """True when numba can be imported (the fast ensemble backend)."""
    return importlib.util.find_spec("numba") is not None


def cache_dir() -> Path:
    """Directory of the generated modules and numba's compiled-code cache.

    ``$DYADMODEL_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/dyadmodel/numba``, else
    ``~/.cache/dyadmodel/numba``. When it cannot be created, a per-process temporary
    directory is used (code is then compiled again in every process).
    """
    override = os.environ.get("DYADMODEL_CACHE_DIR")
    if override:
        base = Path(override)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = Path(xdg) if xdg else Path.home() / ".cache"
        base = root / "dyadmodel" / "numba"
    try:
        base.mkdir(parents=True, exist_ok=True)
        probe = base / f".probe-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
        return base
    except OSError:
        return _fallback_dir()


_FALLBACK: list[Path] = []


def _fallback_dir() -> Path:
    if not _FALLBACK:
        _FALLBACK.append(Path(tempfile.mkdtemp(prefix="dyadmodel-numba-")))
    return _FALLBACK[0]


# ---------------------------------------------------------------------------------------
# printing


class _PowMixin:
    """Integer powers as products (exponentiation by squaring), square roots as sqrt."""

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:  # type: ignore[override]
        base, exp = expr.base, expr.exp
        if exp.is_Integer and exp != 0 and abs(int(exp)) <= 64:
            k = abs(int(exp))
            b = self.parenthesize(base, 1000)  # atom-level: always safe to repeat
            prod = _product(b, k)
            return prod if k == int(exp) else f"(1.0/{prod})"
        if exp == sp.Rational(1, 2):
            return f"{self._module_format('numpy.sqrt')}({self._print(base)})"
        if exp == -sp.Rational(1, 2):
            return f"(1.0/{self._module_format('numpy.sqrt')}({self._print(base)}))"
        return super()._print_Pow(expr, rational=rational)  # type: ignore[misc]


def _product(b: str, k: int) -> str:
    """Source for ``b**k`` using multiplications only (``b`` must be an atom or
    parenthesised)."""
    if k == 1:
        return b
    if k % 2 == 0:
        half = _product(b, k // 2)
        return f"({half}*{half})" if k > 2 else f"({b}*{b})"
    return f"({_product(b, k - 1)}*{b})"


class _VectorPrinter(_PowMixin, NumPyPrinter):
    """numpy source whose names may be arrays (rows over trajectories)."""

    def _print_Max(self, expr: Any) -> str:
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"numpy.maximum({out}, {a})"
        return out

    def _print_Min(self, expr: Any) -> str:
        args = [self._print(a) for a in expr.args]
        out = args[0]
        for a in args[1:]:
            out = f"numpy.minimum({out}, {a})"
        return out


class _ScalarPrinter(_VectorPrinter):
    """Source for numba, where every name is a float: conditionals instead of
    ``numpy.select`` for piecewise expressions."""

    def _print_Piecewise(self, expr: Any) -> str:
        out = "numpy.nan"
        for e, c in reversed(expr.args):
            if c == sp.true:
                out = self._print(e)
            else:
                out = f"({self._print(e)} if {self._print(c)} else {out})"
        return out


# ---------------------------------------------------------------------------------------
# symbolic preparation


@dataclasses.dataclass(frozen=True)
class RHSCode:
    """The right-hand side of one model, prepared for printing.

    Attributes
    ----------
    model_name : str
    n_states, n_args : int
        ``n_args`` = number of parameters + number of inputs: the per-trajectory
        argument vector ``q`` holds the parameters (model order), then the inputs.
    derived : tuple of str
        Source lines ``c_k = ...`` computing derived constants from ``q_*``.
    scalar_body, vector_body : tuple of str
        Source lines ``w_k = ...`` (common subexpressions) then ``f_i = ...`` from
        ``y_*``, ``q_*``, ``c_*``, in scalar (numba) and vector (numpy) flavour.
    derived_vector : tuple of str
        ``derived`` printed for numpy.
    uses_q : tuple of int
        Indices of ``q`` that the state-dependent body uses directly.
    """

    model_name: str
    n_states: int
    n_args: int
    derived: tuple[str, ...]
    derived_vector: tuple[str, ...]
    scalar_body: tuple[str, ...]
    vector_body: tuple[str, ...]
    uses_q: tuple[int, ...]
    n_derived: int


_RHS_CODE: weakref.WeakKeyDictionary[Model, RHSCode] = weakref.WeakKeyDictionary()
_LOCK = threading.RLock()


def rhs_code(model: Model) -> RHSCode:
    """The prepared right-hand side of ``model`` (memoised per model object)."""
    with _LOCK:
        code = _RHS_CODE.get(model)
        if code is None:
            code = _prepare(model)
            _RHS_CODE[model] = code
        return code


def _prepare(model: Model) -> RHSCode:
    n = model.n_states
    ys = [sp.Symbol(f"y_{i}", real=True) for i in range(n)]
    arg_syms = (*model.parameter_symbols, *model.input_symbols)
    qs = [sp.Symbol(f"q_{k}", real=True) for k in range(len(arg_syms))]
    rename = dict(zip(model.state_symbols, ys)) | dict(zip(arg_syms, qs))
    exprs = [sp.sympify(e).xreplace(rename) for e in model.rhs_expr]

    states = frozenset(ys)
    table: dict[sp.Expr, sp.Symbol] = {}

    def constant(e: sp.Expr) -> sp.Expr:
        if e.is_Atom:
            return e
        if e not in table:
            table[e] = sp.Symbol(f"c_{len(table)}", real=True)
        return table[e]

    def hoist(e: sp.Expr) -> sp.Expr:
        if not (e.free_symbols & states):
            return constant(e)
        if e.is_Atom:
            return e
        if e.is_Add or e.is_Mul:
            fixed = [a for a in e.args if not (a.free_symbols & states)]
            moving = [hoist(a) for a in e.args if a.free_symbols & states]
            if fixed:
                moving.insert(0, constant(e.func(*fixed)))
            return e.func(*moving)
        return e.func(*[hoist(a) for a in e.args])

    hoisted = [hoist(e) for e in exprs]

    # derived constants, themselves with common subexpressions
    c_syms = list(table.values())
    c_exprs = list(table.keys())
    scalar_p, vector_p = _ScalarPrinter(), _VectorPrinter()
    derived: list[str] = []
    derived_vec: list[str] = []
    if c_exprs:
        reps, reduced = sp.cse(c_exprs, symbols=sp.numbered_symbols("v_", real=True))
        for sym, e in reps:
            derived.append(f"{sym} = {scalar_p.doprint(e)}")
            derived_vec.append(f"{sym} = {vector_p.doprint(e)}")
        for sym, e in zip(c_syms, reduced):
            derived.append(f"{sym} = {scalar_p.doprint(e)}")
            derived_vec.append(f"{sym} = {vector_p.doprint(e)}")

    reps, reduced = sp.cse(hoisted, symbols=sp.numbered_symbols("w_", real=True))
    scalar_body, vector_body = [], []
    for sym, e in reps:
        scalar_body.append(f"{sym} = {scalar_p.doprint(e)}")
        vector_body.append(f"{sym} = {vector_p.doprint(e)}")
    for i, e in enumerate(reduced):
        scalar_body.append(f"f_{i} = {scalar_p.doprint(e)}")
        vector_body.append(f"f_{i} = {vector_p.doprint(e)}")
    used = set()
    for e in (*(e for _, e in reps), *reduced):
        used |= {int(s.name[2:]) for s in e.free_symbols if s.name.startswith("q_")}
    return RHSCode(
        model_name=model.name,
        n_states=n,
        n_args=len(qs),
        derived=tuple(derived),
        derived_vector=tuple(derived_vec),
        scalar_body=tuple(scalar_body),
        vector_body=tuple(vector_body),
        uses_q=tuple(sorted(used)),
        n_derived=len(c_syms),
    )


def _renamed(lines: Sequence[str], mapping: Mapping[str, str]) -> list[str]:
    """``lines`` with whole-word names replaced (``y_0`` -> ``z_0`` etc.)."""
    if not mapping:
        return list(lines)
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in mapping) + r")\b")
    return [pattern.sub(lambda m: mapping[m.group(1)], line) for line in lines]


def rhs_lines(
    code: RHSCode, inputs: Sequence[str], outputs: Sequence[str], *, vector: bool = False
) -> list[str]:
    """Source lines evaluating the rhs at the state names ``inputs`` into ``outputs``."""
    body = code.vector_body if vector else code.scalar_body
    mapping = {f"y_{i}": v for i, v in enumerate(inputs) if v != f"y_{i}"}
    mapping |= {f"f_{i}": v for i, v in enumerate(outputs) if v != f"f_{i}"}
    return _renamed(body, mapping)


# ---------------------------------------------------------------------------------------
# module loading


_MODULES: dict[str, ModuleType] = {}


def load_module(kind: str, model_name: str, source: str) -> ModuleType:
    """Write ``source`` to the cache directory (once, atomically) and import it.

    The file name carries a hash of the source, so its content never changes once
    written; numba's cache, keyed by the file's path and timestamp, stays valid.
    """
    digest = hashlib.sha256(source.encode()).hexdigest()[:20]
    with _LOCK:
        if digest in _MODULES:
            return _MODULES[digest]
        safe = re.sub(r"[^0-9A-Za-z]+", "_", model_name).strip("_").lower() or "model"
        name = f"dm_{kind}_{safe}_{digest}"
        path = cache_dir() / f"{name}.py"
        if not (path.exists() and path.read_text() == source):
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w") as fh:
                fh.write(source)
            os.replace(tmp, path)
        spec = importlib.util.spec_from_file_location(f"_dyadmodel_generated.{name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        _MODULES[digest] = module
        return module


def _indent(lines: Sequence[str], level: int) -> str:
    pad = "    " * level
    return "\n".join(pad + line for line in lines)


def vector_rhs(model: Model) -> Callable[[Sequence[Any], Sequence[Any]], tuple]:
    """numpy flavour: ``rhs(y, q) -> tuple of n arrays``; ``y`` and ``q`` are sequences
    of rows (arrays over trajectories, or scalars)."""
    code = rhs_code(model)
    n, m = code.n_states, code.n_args
    lines = [
        f"# Generated by dyadmodel (generator {GENERATOR_VERSION}) from the sympy rhs of",
        f"# model {model.name!r}: numpy flavour. Do not edit; safe to delete.",
        "import numpy",
        "",
        "",
        "def rhs(y, q):",
    ]
    if n:
        lines.append(f"    {', '.join(f'y_{i}' for i in range(n))}, = y")
    if m:
        lines.append(f"    {', '.join(f'q_{k}' for k in range(m))}, = q")
    lines.append(_indent(code.derived_vector, 1) if code.derived_vector else "    pass")
    lines.append(_indent(code.vector_body, 1))
    lines.append(f"    return ({', '.join(f'f_{i}' for i in range(n))},)")
    source = "\n".join(lines) + "\n"
    return load_module("np", model.name, source).rhs


def scalar_rhs_source(model: Model) -> str:
    """Source of the numba per-point functions (``rhs_into``, ``rhs_point``)."""
    code = rhs_code(model)
    n, m = code.n_states, code.n_args
    ys = ", ".join(f"y[{i}]" for i in range(n))
    qs = ", ".join(f"q[{k}]" for k in range(m))
    lines = [
        "@njit(cache=True, error_model='numpy', fastmath=FASTMATH)",
        "def rhs_into(y, q, out):",
        f"    {', '.join(f'y_{i}' for i in range(n))}, = {ys},",
    ]
    if m:
        lines.append(f"    {', '.join(f'q_{k}' for k in range(m))}, = {qs},")
    lines += [_indent(code.derived, 1), _indent(code.scalar_body, 1)]
    lines += [f"    out[{i}] = f_{i}" for i in range(n)]
    lines += [
        "",
        "",
        "@njit(cache=True, error_model='numpy')",
        "def rhs_point(t, y, q):",
        f"    out = numpy.empty({n})",
        "    rhs_into(y, q, out)",
        "    return out",
    ]
    return "\n".join(line for line in lines if line.strip() or line == "") + "\n"


# ---------------------------------------------------------------------------------------
# public: the compiled per-point rhs


@dataclasses.dataclass(frozen=True, eq=False)
class CompiledRHS:
    """A model's right-hand side compiled by numba, for one point at a time.

    Attributes
    ----------
    model_name : str
    rhs : numba function ``rhs(t, y, q) -> ndarray``
        ``y`` of shape (n_states,), ``q`` the argument vector (see `arguments`); ``t``
        is ignored (inputs are constant) but kept for the ``solve_ivp`` signature.
        Callable from Python and from other numba functions.
    rhs_into : numba function ``rhs_into(y, q, out)``
        Writes the rhs into ``out`` without allocating (for use inside numba code).
    argument_names : tuple of str
        The entries of ``q``: the model's parameters, then its inputs.
    path : str
        The generated source file (in `cache_dir`).

    Examples
    --------
    >>> import numpy as np, dyadmodel as dm
    >>> from dyadmodel.simulate._codegen import compiled_rhs
    >>> from scipy.integrate import solve_ivp
    >>> m = dm.models.get("pursuer-distancer-2d")
    >>> crhs = compiled_rhs(m)
    >>> sol = solve_ivp(crhs.ode(m.params()), (0, 50), [1.0, 1.0], rtol=1e-8)
    >>> np.round(sol.y[:, -1], 4)
    array([1.4633, 1.4633])
    """

    model_name: str
    rhs: Callable[..., np.ndarray]
    rhs_into: Callable[..., None]
    argument_names: tuple[str, ...]
    path: str
    _model: Model = dataclasses.field(repr=False)

    def arguments(
        self,
        params: ParameterSet | Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | float | None = None,
    ) -> np.ndarray:
        """The argument vector ``q`` for validated ``params`` and constant ``inputs``.

        Parameters
        ----------
        params : ParameterSet or mapping or None, optional
            Parameter values: a `ParameterSet` of the model, a mapping of overrides of
            the defaults (validated against the parameters' bounds), or None for the
            defaults.
        inputs : mapping or float or None, optional
            Constant input values: input name -> number, a bare number for a one-input
            model, or None for the inputs' defaults. Arrays (time-varying inputs) are
            refused.

        Returns
        -------
        ndarray, shape (len(argument_names),)
            ``q`` as floats, laid out as ``argument_names``: the model's parameters in
            their order, then its inputs. A new array at each call.

        Raises
        ------
        ParameterError
            For an unknown parameter name, a value outside its bounds, or a parameter
            set of another model.
        InvalidInputError
            For an input value that is an array or is not admissible.

        Examples
        --------
        >>> import dyadmodel as dm
        >>> crhs = dm.compiled_rhs(dm.models.get("pursuer-distancer-2d"))
        >>> q = crhs.arguments({"anxiety_gain_1": 3.0}, inputs=0.5)
        >>> crhs.argument_names[1], float(q[1]), crhs.argument_names[-1], float(q[-1])
        ('anxiety_gain_1', 3.0, 'stress', 0.5)
        >>> len(q) == len(crhs.argument_names)
        True
        """
        model = self._model
        pv = model.parameter_set(params).as_array()
        uv = np.array(list(model.constant_inputs(inputs, "a compiled rhs").values()), float)
        return np.concatenate([pv, uv])

    def ode(
        self,
        params: ParameterSet | Mapping[str, Any] | None = None,
        inputs: Mapping[str, Any] | float | None = None,
    ) -> Callable[[float, np.ndarray], np.ndarray]:
        """``f(t, y)`` for `scipy.integrate.solve_ivp`, like `Model.ode` but compiled.

        Parameters
        ----------
        params : ParameterSet or mapping or None, optional
            Parameter values (see `arguments`); validated once, here, not at each call
            of ``f``.
        inputs : mapping or float or None, optional
            Constant input values (see `arguments`).

        Returns
        -------
        callable
            ``f(t, y) -> ndarray of shape (n_states,)``, the time derivative of the state
            ``y`` (array_like of shape (n_states,), in the model's state order). ``t`` is
            ignored (the inputs are constant); ``y`` is copied to a contiguous float
            array when it is not one. The arguments are fixed when ``f`` is made.

        Raises
        ------
        ParameterError
            For an unknown parameter name, a value outside its bounds, or a parameter
            set of another model.
        InvalidInputError
            For an input value that is an array or is not admissible.

        Examples
        --------
        The same values as the model's own (sympy-compiled) right-hand side:

        >>> import numpy as np, dyadmodel as dm
        >>> m = dm.models.get("pursuer-distancer-2d")
        >>> f = dm.compiled_rhs(m).ode({"anxiety_gain_1": 3.0}, inputs=0.5)
        >>> f(0.0, [1.0, 1.0]).round(6)
        array([1.176923, 0.484615])
        >>> g = m.ode({"anxiety_gain_1": 3.0}, 0.5)
        >>> bool(np.allclose(f(0.0, [1.0, 1.0]), g(0.0, np.array([1.0, 1.0]))))
        True
        """
        q = self.arguments(params, inputs)
        fn = self.rhs

        def f(t: float, y: np.ndarray) -> np.ndarray:
            return fn(float(t), np.ascontiguousarray(y, dtype=float), q)

        return f


FASTMATH_FLAGS: frozenset[str] = frozenset()
"""LLVM fast-math flags for the generated code: none. Measured on the flagship models,
reassociation, contraction into fused multiply-adds and reciprocal rewrites gained
nothing measurable (the lane loop is already SIMD) and cost the bit-for-bit agreement
with the numpy backend; ``nnan``/``ninf`` would also hide the NaN and infinity by which
the engine detects divergence."""


def numba_header(model: Model, what: str) -> list[str]:
    return [
        f"# Generated by dyadmodel (generator {GENERATOR_VERSION}) from the sympy rhs of",
        f"# model {model.name!r}: {what}. Do not edit; safe to delete.",
        "import math",
        "",
        "import numpy",
        "from numba import njit",
        "",
        "FASTMATH = "
        + (
            "{" + ", ".join(repr(f) for f in sorted(FASTMATH_FLAGS)) + "}"
            if FASTMATH_FLAGS
            else "False"
        ),
        "",
        "",
    ]


_COMPILED: weakref.WeakKeyDictionary[Model, CompiledRHS] = weakref.WeakKeyDictionary()


def compiled_rhs(model: Model) -> CompiledRHS:
    """The model's right-hand side compiled with numba (cached on disk).

    Parameters
    ----------
    model : Model
        The model.

    Returns
    -------
    CompiledRHS
        The compiled right-hand side and Jacobian, with their argument layout.

    Raises
    ------
    ImportError
        When numba is not installed (``pip install numba``).

    Examples
    --------
    >>> import dyadmodel as dm
    >>> rhs = dm.compiled_rhs(dm.models.get("pursuer-distancer-2d"))
    >>> type(rhs).__name__
    'CompiledRHS'
    """
    if not numba_available():
        raise ImportError(
            "compiled_rhs needs numba: install it with `pip install numba` (or use "
            "model.ode(params), the numpy version)"
        )
    with _LOCK:
        got = _COMPILED.get(model)
        if got is not None:
            return got
        source = "\n".join(numba_header(model, "per-point rhs")) + scalar_rhs_source(model)
        mod = load_module("rhs", model.name, source)
        got = CompiledRHS(
            model_name=model.name,
            rhs=mod.rhs_point,
            rhs_into=mod.rhs_into,
            argument_names=(*model.parameter_names, *model.input_names),
            path=str(mod.__file__),
            _model=model,
        )
        _COMPILED[model] = got
        return got
