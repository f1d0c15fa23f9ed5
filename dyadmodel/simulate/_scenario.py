"""Scenario files: a simulation described in TOML, validated, run, written to disk.

A scenario file names a model and its parameters (or the partners' ECR-R attachment
scores), an initial state, a time span, stress inputs, interventions, events, solver
settings and outputs. It is read by the package's one TOML reader
(`dyadmodel.models._toml.read_toml_file`) and checked key by key; nothing in it is
evaluated. A malformed file raises ONE `ScenarioError` naming the file, the key path
(``stress[1].duration``, 0-based list positions), the bad value and what was expected;
unknown keys are errors with a did-you-mean.

File layout (every table but ``[model]`` and ``[time]`` optional)::

    name = "stress-pulse-tipping"        # default: the file name
    description = "..."

    [model]
    name = "pursuer-distancer-2d"        # a registered model, a model file
                                         # ("my_model.toml", relative to this file) or
                                         # "file.py:factory" (runs that code); the short
                                         # form model = "my_model.toml" is the same
    preset = "anxious-avoidant"          # optional documented parameter region

    [attachment]                         # optional: ECR-R scores (1-7) mapped by
    anxiety_1 = 5.5                      # dyadmodel.attachment.couple_params
    avoidance_1 = 2.0
    anxiety_2 = 2.0
    avoidance_2 = 5.5

    [parameters]                         # values on top of preset / attachment mapping
    anxiety_gain_1 = 2.0

    [initial]                            # exactly one of:
    equilibrium = "balanced"             #   a stable equilibrium's label (prefix)
    # state = { pursuit_1 = 0.1, distance_2 = 0.1 }   #   every state's value

    [time]
    span = [0.0, 200.0]
    samples = 2001                       # output points (default 1001)

    [[stress]]                           # summed; type = pulse | step | periodic |
    type = "pulse"                       #   piecewise_linear (fields as in dm.stress)
    start = 10.0
    duration = 5.0
    size = 0.5

    [[interventions]]                    # type = parameter | self_soothing |
    type = "self_soothing"               #   emotional_availability | scheduled_checkins |
    partner = 1                          #   regulation_skills | naming_the_cycle
    to = 1.2                             #   (fields as in the constructors of
    start = 60.0                         #   dyadmodel.simulate.interventions)
    ramp = 5.0
    end = 120.0

    [[events]]                           # type = separation | tipping_threshold
    type = "tipping_threshold"

    [solver]
    method = "auto"                      # rtol, atol, max_step, max_evaluations,
                                         # max_seconds too (as in dm.simulate)

    [output]
    csv = "trajectory.csv"               # always written (default "<name>.csv")
    netcdf = true                        # written when xarray is installed
    figure = true                        # HTML time series when dyadmodel.plot exists
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from dyadmodel import models as _models
from dyadmodel.analysis import equilibria as _equilibria
from dyadmodel.errors import DyadmodelError, InvalidInputError, SpecFileError, ToleranceError
from dyadmodel.model import Model, ParameterError, ParameterSet
from dyadmodel.models._toml import read_toml_file
from dyadmodel.simulate import events as _events
from dyadmodel.simulate import interventions as _iv
from dyadmodel.simulate import stress as _stress
from dyadmodel.simulate._checks import SpecError, check_tolerances, show
from dyadmodel.simulate._forcing import Forcing
from dyadmodel.simulate._simulate import Simulation, simulate
from dyadmodel.simulate.events import Event
from dyadmodel.simulate.interventions import Intervention, validate_all

__all__ = [
    "Scenario",
    "ScenarioError",
    "ScenarioRun",
    "load_scenario",
]


class ScenarioError(SpecFileError):
    """A malformed scenario file: the message names the file, the key, the bad value
    and what was expected.

    Examples
    --------
    >>> import dyadmodel as dm
    >>> try:
    ...     dm.load_scenario("no-such-scenario.toml")
    ... except dm.ScenarioError as err:
    ...     print(isinstance(err, dm.InvalidInputError))
    True
    """


# -- field kinds --------------------------------------------------------------------------
class _Bad(Exception):
    """Raised by a field check: ``expected`` says what the key needs."""

    def __init__(self, expected: str) -> None:
        self.expected = expected


def _number(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _Bad("a number")
    try:
        x = float(v)
    except OverflowError:  # an integer beyond the float range
        raise _Bad("a finite number") from None
    if not math.isfinite(x):
        raise _Bad("a finite number")
    return x


def _time(v: Any) -> float:
    try:
        return _number(v)
    except _Bad:
        raise _Bad("a finite number (a time)") from None


def _positive(v: Any) -> float:
    try:
        x = _number(v)
    except _Bad:
        raise _Bad("a positive number") from None
    if not x > 0:
        raise _Bad("a positive number")
    return x


def _nonneg(v: Any) -> float:
    x = _number(v)
    if x < 0:
        raise _Bad("a non-negative number")
    return x


def _any_number(v: Any) -> Any:
    # type (and float range) only; the model checks values (NaN, bounds) with its own
    # messages
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _Bad("a number")
    if isinstance(v, int):
        try:
            float(v)
        except OverflowError:
            raise _Bad("a finite number") from None
    return v


def _string(v: Any) -> str:
    if not isinstance(v, str) or not v:
        raise _Bad("a non-empty string")
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise _Bad("true or false")
    return v


def _partner(v: Any) -> int:
    if isinstance(v, bool) or v not in (1, 2):
        raise _Bad("1 or 2")
    return int(v)


MAX_SAMPLES = 1_000_000
"""Most output times a scenario may ask for (``[time] samples``): each is a CSV row."""


def _samples(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 2 <= v <= MAX_SAMPLES:
        raise _Bad(f"an integer from 2 to {MAX_SAMPLES:,} (output times)")
    return v


def _direction(v: Any) -> int:
    if isinstance(v, bool) or v not in (-1, 0, 1):
        raise _Bad("-1, 0 or 1")
    return int(v)


def _numbers(v: Any) -> list[float]:
    if not isinstance(v, list) or not v:
        raise _Bad("a non-empty list of numbers")
    out = []
    for x in v:
        if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
            raise _Bad("a list of finite numbers")
        out.append(float(x))
    return out


def _strings(v: Any) -> list[str]:
    if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v):
        raise _Bad("a non-empty list of names")
    return list(v)


def _pair(v: Any) -> tuple[float, float]:
    if not isinstance(v, list) or len(v) != 2:
        raise _Bad("a list [t0, t1] of two times with t1 > t0")
    a, b = (_number(x) for x in v)
    if not b > a:
        raise _Bad("a list [t0, t1] of two times with t1 > t0")
    return a, b


def _method(v: Any) -> str:
    allowed = ("auto", "RK45", "RK23", "DOP853", "Radau", "BDF", "LSODA")
    if v not in allowed:
        raise _Bad("one of " + ", ".join(repr(m) for m in allowed))
    return v


def _filename(v: Any) -> str:
    if not isinstance(v, str) or not re.fullmatch(r"[A-Za-z0-9_.\-]+", v) or v in (".", ".."):
        raise _Bad("a plain file name (letters, digits, '_', '-', '.'; no directories)")
    return v


Field = tuple[Callable[[Any], Any], bool]  # (check, required)

_TOP: dict[str, Any] = {
    "name": "string",
    "description": "string",
    "model": "table",
    "parameters": "table",
    "attachment": "table",
    "initial": "table",
    "time": "table",
    "stress": "list",
    "interventions": "list",
    "events": "list",
    "solver": "table",
    "output": "table",
}
_MODEL = {"name": (_string, True), "preset": (_string, False)}
_ATTACHMENT = {k: (_number, True) for k in ("anxiety_1", "avoidance_1", "anxiety_2", "avoidance_2")}
_TIME = {"span": (_pair, True), "samples": (_samples, False)}


def _budget(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 10**12:
        raise _Bad("an integer from 1 to 10^12")
    return v


_SOLVER = {
    "method": (_method, False),
    "rtol": (_positive, False),
    "atol": (_positive, False),
    "max_step": (_positive, False),
    "max_evaluations": (_budget, False),
    "max_seconds": (_positive, False),
}
_OUTPUT = {"csv": (_filename, False), "netcdf": (_bool, False), "figure": (_bool, False)}
_TIMING = {"start": (_time, False), "ramp": (_nonneg, False), "end": (_time, False)}

_STRESS: dict[str, tuple[dict[str, Field], Callable[..., Any]]] = {
    "pulse": (
        {"start": (_time, True), "duration": (_positive, True), "size": (_number, True)},
        _stress.pulse,
    ),
    "step": ({"start": (_time, True), "size": (_number, True)}, _stress.step),
    "periodic": (
        {
            "period": (_positive, True),
            "duration": (_positive, True),
            "size": (_number, True),
            "start": (_time, False),
        },
        _stress.periodic,
    ),
    "piecewise_linear": (
        {"times": (_numbers, True), "values": (_numbers, True)},
        _stress.piecewise_linear,
    ),
}

_INTERVENTIONS: dict[str, tuple[dict[str, Field], Callable[..., Intervention]]] = {
    "parameter": (
        {
            "parameter": (_string, True),
            "to": (_number, False),
            "factor": (_nonneg, False),
            "name": (_string, False),
            **_TIMING,
        },
        _iv.intervention,
    ),
    "self_soothing": (
        {
            "partner": (_partner, False),
            "to": (_number, False),
            "factor": (_nonneg, False),
            **_TIMING,
        },
        _iv.self_soothing,
    ),
    "emotional_availability": (
        {
            "partner": (_partner, False),
            "avoidance_gain": (_number, False),
            "openness": (_number, False),
            "approach_baseline": (_number, False),
            **_TIMING,
        },
        _iv.emotional_availability,
    ),
    "scheduled_checkins": (
        {
            "period": (_positive, True),
            "duration": (_positive, True),
            "size": (_number, True),
            "partner": (_partner, False),
            "parameter": (_string, False),
            "start": (_time, False),
            "end": (_time, False),
        },
        _iv.scheduled_checkins,
    ),
    "regulation_skills": (
        {
            "partner": (_partner, False),
            "recovery_factor": (_positive, False),
            "gain_factor": (_nonneg, False),
            **_TIMING,
        },
        _iv.regulation_skills,
    ),
    "naming_the_cycle": ({"factor": (_nonneg, True), **_TIMING}, _iv.naming_the_cycle),
}

_EVENTS: dict[str, dict[str, Field]] = {
    "separation": {
        "threshold": (_number, True),
        "states": (_strings, False),
        "terminal": (_bool, False),
    },
    "tipping_threshold": {"terminal": (_bool, False), "direction": (_direction, False)},
}


# -- the scenario ---------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True, eq=False)
class Scenario:
    """A validated scenario (see the module docstring for the file format).

    Attributes
    ----------
    path : Path or None
    name, description : str
    model : Model
    params : ParameterSet
    x0 : ndarray
    t_span : (float, float)
    samples : int
        Number of output times (evenly spaced over ``t_span``).
    stress : Stress or None
        The sum of the ``[[stress]]`` entries.
    interventions : tuple of Intervention
    events : tuple of Event
    solver : mapping
        ``method``, ``rtol``, ``atol``, ``max_step``.
    csv : str
        CSV file name.
    netcdf, figure : bool

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import dyadmodel as dm
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "calm.toml"
    >>> _ = path.write_text('''
    ... [model]
    ... name = "pursuer-distancer-2d"
    ... [initial]
    ... equilibrium = "balanced"
    ... [time]
    ... span = [0, 10]
    ... ''')
    >>> scenario = dm.load_scenario(path)
    >>> scenario.model.name, scenario.t_span, scenario.x0.round(4).tolist()
    ('pursuer-distancer-2d', (0.0, 10.0), [0.1367, 0.1367])
    """

    path: Path | None
    name: str
    description: str
    model: Model
    params: ParameterSet
    x0: np.ndarray
    t_span: tuple[float, float]
    samples: int
    stress: _stress.Stress | None
    interventions: tuple[Intervention, ...]
    events: tuple[Event, ...]
    solver: Mapping[str, Any]
    csv: str
    netcdf: bool
    figure: bool

    def simulate(self) -> Simulation:
        """Run the scenario's simulation (no files written).

        Returns
        -------
        Simulation
            The run, at the scenario's ``samples`` output times.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> import dyadmodel as dm
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "calm.toml"
        >>> _ = path.write_text('''
        ... [model]
        ... name = "pursuer-distancer-2d"
        ... [initial]
        ... equilibrium = "balanced"
        ... [time]
        ... span = [0, 10]
        ... ''')
        >>> dm.load_scenario(path).simulate().y.shape
        (2, 1001)
        """
        return simulate(
            self.model,
            self.params,
            self.x0,
            self.t_span,
            stress=self.stress,
            interventions=self.interventions,
            events=self.events,
            t_eval=np.linspace(*self.t_span, self.samples),
            **self.solver,
        )


@dataclasses.dataclass(frozen=True, eq=False)
class ScenarioRun:
    """What `run_scenario` did.

    Attributes
    ----------
    scenario : Scenario
        The scenario run.
    simulation : Simulation
        Its simulation.
    files : tuple of Path
        Files written.
    notes : tuple of str
        Outputs skipped and why (e.g. netCDF without xarray).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import dyadmodel as dm
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "calm.toml").write_text('''
    ... [model]
    ... name = "pursuer-distancer-2d"
    ... [initial]
    ... equilibrium = "balanced"
    ... [time]
    ... span = [0, 10]
    ... [output]
    ... figure = false
    ... netcdf = false
    ... ''')
    >>> run = dm.run_scenario(folder / "calm.toml", folder / "out")
    >>> [f.name for f in run.files], run.notes
    (['calm.csv'], ())
    """

    scenario: Scenario
    simulation: Simulation
    files: tuple[Path, ...]
    notes: tuple[str, ...]


class _Reader:
    """Validates one parsed file; every failure is a ScenarioError naming the key."""

    def __init__(self, path: str) -> None:
        self.file = path

    def fail(self, key: str, value: Any, expected: str) -> ScenarioError:
        shown = ("true" if value else "false") if isinstance(value, bool) else show(value)
        return ScenarioError(f"{self.file}: {key} = {shown}: expected {expected}")

    def message(self, key: str, text: str) -> ScenarioError:
        return ScenarioError(f"{self.file}: {key}: {text}")

    def unknown(self, key: str, allowed: Sequence[str], where: str) -> ScenarioError:
        leaf = key.rsplit(".", 1)[-1]
        close = difflib.get_close_matches(leaf, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return ScenarioError(
            f"{self.file}: unknown key {key!r}{hint}; allowed keys {where}: {', '.join(allowed)}"
        )

    def table(self, data: Any, key: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(key, data, "a table")
        return data

    def fields(
        self, data: dict[str, Any], spec: Mapping[str, Field], prefix: str, skip: Sequence[str] = ()
    ) -> dict[str, Any]:
        where = f"in {prefix}" if prefix else "at the top level"
        allowed = [k for k in spec if k not in skip]
        for k in data:
            if k not in spec and k not in skip:
                raise self.unknown(_join(prefix, k), [*skip, *allowed], where)
        out = {}
        for k, (check, required) in spec.items():
            if k not in data:
                if required:
                    raise self.message(
                        _join(prefix, k), f"missing; {where} the key {k!r} is required"
                    )
                continue
            try:
                out[k] = check(data[k])
            except _Bad as bad:
                raise self.fail(_join(prefix, k), data[k], bad.expected) from None
        return out

    def typed(self, entry: Any, key: str, kinds: Mapping[str, Any]) -> tuple[str, dict]:
        entry = self.table(entry, key)
        if "type" not in entry:
            raise self.message(
                f"{key}.type", f"missing; expected one of {', '.join(map(repr, kinds))}"
            )
        kind = entry["type"]
        if not isinstance(kind, str) or kind not in kinds:
            close = difflib.get_close_matches(str(kind), list(kinds), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise self.fail(f"{key}.type", kind, f"one of {', '.join(map(repr, kinds))}{hint}")
        return kind, entry


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path : str or pathlib.Path
        The scenario file (TOML).

    Returns
    -------
    Scenario
        The validated scenario; `Scenario.simulate` runs it.

    Raises
    ------
    ScenarioError
        One error for the first problem found: unreadable file, TOML syntax, unknown
        key (with a did-you-mean), wrong type, bad value, unknown model, parameter or
        state, an intervention that would leave a parameter's bounds. The message
        starts with the file name and names the key path.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from dyadmodel.simulate import load_scenario
    >>> text = '''
    ... [model]
    ... name = "pursuer-distancer-2d"
    ... [initial]
    ... equilibrium = "balanced"
    ... [time]
    ... span = [0, 10]
    ... [[stress]]
    ... type = "pulse"
    ... start = 1
    ... duraton = 2
    ... size = 0.5
    ... '''
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "s.toml"
    >>> _ = f.write_text(text)
    >>> load_scenario(f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dyadmodel.simulate._scenario.ScenarioError: ...s.toml: unknown key 'stress[0].duraton' (did
    you mean 'duration'?); ...
    """
    p = Path(path)
    r = _Reader(str(p))
    data = read_toml_file(p, error=ScenarioError, what="scenario file")
    try:
        return _build(r, data, p)
    except RecursionError:
        raise ScenarioError(f"{p}: a value is nested too deeply to check") from None


def _build(r: _Reader, data: dict[str, Any], path: Path | None) -> Scenario:
    data = model_shorthand(data)
    for k in data:
        if k not in _TOP:
            raise r.unknown(k, list(_TOP), "at the top level")
        want_list = _TOP[k] == "list"
        if _TOP[k] == "table" and not isinstance(data[k], dict):
            raise r.fail(k, data[k], f"a table [{k}]")
        if want_list and not (
            isinstance(data[k], list) and all(isinstance(e, dict) for e in data[k])
        ):
            raise r.fail(k, data[k], f"an array of tables [[{k}]]")
    name = _string_or(r, data, "name", path.stem if path is not None else "scenario")
    description = _string_or(r, data, "description", "")
    # parameters: preset, then attachment mapping, then explicit values
    model, values = read_model(r, data, path.parent if path is not None else None)
    if "attachment" in data:
        scores = r.fields(data["attachment"], _ATTACHMENT, "attachment")
        from dyadmodel.attachment import DEFAULT_MAPPING, AttachmentInputError, couple_params

        try:
            mapped = couple_params(model, **scores)
        except (AttachmentInputError, ParameterError) as err:
            raise r.message("attachment", str(err)) from None
        names = DEFAULT_MAPPING.parameter_values(**scores)
        values.update({k: mapped[k] for k in names if k in model.parameter_names})
    params = read_parameters(r, data, model, values)

    # time
    if "time" not in data:
        raise r.message("time", "missing; the table [time] with span = [t0, t1] is required")
    tspec = r.fields(data["time"], _TIME, "time")
    t_span = tspec["span"]
    samples = tspec.get("samples", 1001)

    x0 = _initial(r, data.get("initial"), model, params)
    stress_obj = _stress_sum(r, data.get("stress", []))
    ivs = _interventions(r, data.get("interventions", []), model, params)
    evs = _event_list(r, data.get("events", []), model, params)
    solver = r.fields(data.get("solver", {}), _SOLVER, "solver")
    if "rtol" in solver or "atol" in solver:
        try:
            check_tolerances(solver.get("rtol", 1e-8), solver.get("atol", 1e-10))
        except ToleranceError as err:
            key = "solver.rtol" if str(err).startswith("rtol") else "solver.atol"
            raise r.message(key, str(err)) from None
    if stress_obj is not None:
        try:
            Forcing(model, params, stress_obj, ()).check_inputs(*t_span)
        except InvalidInputError as err:
            raise r.message("stress", str(err)) from None
    out = r.fields(data.get("output", {}), _OUTPUT, "output")
    safe = re.sub(r"[^A-Za-z0-9_.\-]+", "_", name).strip("._") or "scenario"
    return Scenario(
        path=path,
        name=name,
        description=description,
        model=model,
        params=params,
        x0=x0,
        t_span=t_span,
        samples=samples,
        stress=stress_obj,
        interventions=ivs,
        events=evs,
        solver=MappingProxyType(dict(solver)),
        csv=out.get("csv", f"{safe}.csv"),
        netcdf=out.get("netcdf", True),
        figure=out.get("figure", True),
    )


def model_shorthand(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with a top-level ``model = "SOURCE"`` written as ``[model] name = "SOURCE"``
    (shared by scenario and sweep spec files)."""
    if isinstance(data.get("model"), str):
        return {**data, "model": {"name": data["model"]}}
    return data


def read_model(
    r: _Reader, data: dict[str, Any], base_dir: Path | None = None
) -> tuple[Model, dict[str, Any]]:
    """The ``[model]`` table: the model and its preset's values (if any).

    ``name`` is anything `dyadmodel.models.load` takes: a registered or plugin model
    name, a model file (``"my_model.toml"``), ``"file.py:factory"`` or
    ``"module:factory"``; relative paths are resolved against ``base_dir`` (the folder of
    the spec file). Shared by scenario and sweep spec files.
    """
    if "model" not in data:
        raise r.message("model", 'missing; the table [model] with name = "..." is required')
    mspec = r.fields(data["model"], _MODEL, "model")
    try:
        model = _models.load(mspec["name"], base_dir=base_dir)
    except _models.ModelNotFoundError as err:
        raise r.fail(
            "model.name",
            mspec["name"],
            f"a registered model name, a model file (.toml) or 'file.py:factory'; {err}",
        ) from None
    except DyadmodelError as err:  # a model file or factory that cannot be used
        raise r.message(
            "model.name", f"the model {mspec['name']!r} cannot be used: {err}"
        ) from None
    values: dict[str, Any] = {}
    if "preset" in mspec:
        if mspec["preset"] not in model.presets:
            raise r.fail(
                "model.preset",
                mspec["preset"],
                f"a preset of {model.name!r}: {', '.join(model.presets) or '(none)'}",
            )
        values.update(model.presets[mspec["preset"]].values)
    return model, values


def read_parameters(
    r: _Reader, data: dict[str, Any], model: Model, values: dict[str, Any]
) -> ParameterSet:
    """``values`` updated by the ``[parameters]`` table, validated by the model."""
    explicit = data.get("parameters", {})
    for k, v in explicit.items():
        if k not in model.parameter_names:
            raise r.unknown(
                f"parameters.{k}",
                list(model.parameter_names),
                f"in [parameters] of model {model.name!r}",
            )
        try:
            _any_number(v)
        except _Bad as bad:
            raise r.fail(f"parameters.{k}", v, bad.expected) from None
    values = {**values, **explicit}
    try:
        return model.params(values)
    except ParameterError as err:
        bad_key = next((k for k in explicit if f"'{k}'" in str(err)), None)
        key = f"parameters.{bad_key}" if bad_key else "parameters"
        raise r.message(key, str(err)) from None


def _string_or(r: _Reader, data: dict, key: str, default: str) -> str:
    if key not in data:
        return default
    try:
        return _string(data[key])
    except _Bad as bad:
        raise r.fail(key, data[key], bad.expected) from None


def _initial(r: _Reader, spec: Any, model: Model, params: ParameterSet) -> np.ndarray:
    if spec is None:
        raise r.message(
            "initial",
            'missing; give [initial] with equilibrium = "balanced" (a stable equilibrium\'s '
            "label) or state = { ... } (every state's value)",
        )
    allowed = ["equilibrium", "state"]
    for k in spec:
        if k not in allowed:
            raise r.unknown(f"initial.{k}", allowed, "in [initial]")
    if ("equilibrium" in spec) == ("state" in spec):
        raise r.message("initial", "give exactly one of 'equilibrium' and 'state'")
    if "state" in spec:
        st = spec["state"]
        if not isinstance(st, dict):
            raise r.fail("initial.state", st, "a table {state name = value}")
        for k in st:
            if k not in model.state_names:
                raise r.unknown(
                    f"initial.state.{k}",
                    list(model.state_names),
                    f"(states of model {model.name!r})",
                )
        missing = [s for s in model.state_names if s not in st]
        if missing:
            raise r.message(f"initial.state.{missing[0]}", "missing; every state needs a value")
        x0 = []
        for s in model.state_names:
            try:
                x0.append(_number(st[s]))
            except _Bad as bad:
                raise r.fail(f"initial.state.{s}", st[s], bad.expected) from None
        return np.array(x0)
    label = spec["equilibrium"]
    try:
        _string(label)
    except _Bad as bad:
        raise r.fail("initial.equilibrium", label, bad.expected) from None
    zero = dict.fromkeys(model.input_names, 0.0)
    try:
        eqs = [e for e in _equilibria(model, params, inputs=zero) if e.stable]
    except DyadmodelError as err:
        raise r.message(
            "initial.equilibrium", f"the equilibria could not be found: {err}"
        ) from None
    for e in eqs:
        if e.label.startswith(label):
            return np.array(e.state, dtype=float)
    labels = ", ".join(repr(e.label) for e in eqs) or "none"
    raise r.fail(
        "initial.equilibrium",
        label,
        f"the label of a stable equilibrium of {model.name!r} at these parameters "
        f"(without stress): {labels}",
    )


def _construct(r: _Reader, key: str, factory: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    try:
        return factory(**kwargs)
    except SpecError as err:
        field = err.field.split("[")[0]
        if field in kwargs:
            raise r.fail(f"{key}.{field}", kwargs[field], err.expected) from None
        raise r.message(key, f"{err.field}: expected {err.expected}") from None
    except DyadmodelError as err:
        raise r.message(key, str(err)) from None


def _stress_sum(r: _Reader, entries: list) -> _stress.Stress | None:
    total = None
    for k, entry in enumerate(entries):
        key = f"stress[{k}]"
        kind, entry = r.typed(entry, key, _STRESS)
        spec, factory = _STRESS[kind]
        kwargs = r.fields(entry, spec, key, skip=("type",))
        s = _construct(r, key, factory, kwargs)
        total = s if total is None else total + s
    return total


def _interventions(
    r: _Reader, entries: list, model: Model, params: ParameterSet
) -> tuple[Intervention, ...]:
    out: list[Intervention] = []
    for k, entry in enumerate(entries):
        key = f"interventions[{k}]"
        kind, entry = r.typed(entry, key, _INTERVENTIONS)
        spec, factory = _INTERVENTIONS[kind]
        kwargs = r.fields(entry, spec, key, skip=("type",))
        iv = _construct(r, key, factory, kwargs)
        try:
            validate_all((*out, iv), model, params)
        except ParameterError as err:
            raise r.message(key, str(err)) from None
        out.append(iv)
    return tuple(out)


def _event_list(r: _Reader, entries: list, model: Model, params: ParameterSet) -> tuple:
    out = []
    for k, entry in enumerate(entries):
        key = f"events[{k}]"
        kind, entry = r.typed(entry, key, _EVENTS)
        kwargs = r.fields(entry, _EVENTS[kind], key, skip=("type",))
        if kind == "separation":
            if "states" in kwargs:
                for s in kwargs["states"]:
                    if s not in model.state_names:
                        raise r.fail(
                            f"{key}.states",
                            kwargs["states"],
                            f"names of states of {model.name!r}: {', '.join(model.state_names)}",
                        )
            ev = _construct(r, key, _events.separation, kwargs)
            try:
                ev.build(model, params)
            except (ValueError, DyadmodelError) as err:
                raise r.message(key, str(err)) from None
        else:
            try:
                ev = _events.crossing_tipping_threshold(model, params, **kwargs)
            except (ValueError, DyadmodelError) as err:
                raise r.message(key, str(err)) from None
        out.append(ev)
    return tuple(out)
