"""Command line: ``dyadmodel models | describe | analyze | simulate | sweep | bifurcation |
explore | export-explorer | fit | figures``.

Every bad input gives one line on stderr that names the value and what was expected,
and exit status 2, never a traceback: bad or non-finite numbers, unknown names,
out-of-bounds values, unusable paths (missing, read-only, a file where a directory is
expected), malformed or too deeply nested TOML files. Ctrl-C gives one line and exit
status 130. Values are parsed as numbers with ``float``, never evaluated.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from dyadmodel.errors import DyadmodelError

__all__ = ["OneLineArgumentParser", "UsageError", "error_line", "main"]

#: Exit status for a bad input (argparse's own convention) and after Ctrl-C (128 + SIGINT).
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(DyadmodelError, ValueError):
    """A bad command-line argument (exit status 2).

    ``prog`` is the command that refused it (e.g. ``"dyadmodel analyze"``), used as
    the prefix of the error line; None lets `main` choose it.
    """

    def __init__(self, message: str, prog: str | None = None) -> None:
        super().__init__(message)
        self.prog = prog


class OneLineArgumentParser(argparse.ArgumentParser):
    """An `argparse.ArgumentParser` whose errors raise `UsageError` instead of printing
    the usage block and exiting, so that `main` prints one line."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(message, prog=self.prog)


@contextlib.contextmanager
def _one_line_argparse_errors() -> Iterator[None]:
    """Make every `argparse` parser used inside (the delegated subcommands' too) raise
    `UsageError` on a bad argument instead of printing its multi-line usage block.

    Parsers that define their own ``error`` keep it. The class attribute is restored on
    exit; the command line runs on one thread, so nothing else sees the change.
    """
    original = argparse.ArgumentParser.error
    argparse.ArgumentParser.error = OneLineArgumentParser.error  # type: ignore[method-assign]
    try:
        yield
    finally:
        argparse.ArgumentParser.error = original  # type: ignore[method-assign]


def error_line(err: BaseException) -> str:
    """The message of ``err`` on one line (newlines and runs of blanks become one space).

    `OSError` is written as ``<strerror>: <path>`` (e.g. ``Permission denied:
    'out/run.csv'``); an error that is not one of the package's own classes, nor a
    `ValueError`, carries its type name so a bug is recognisable.
    """
    if isinstance(err, OSError) and err.strerror:
        text = err.strerror
        if err.filename is not None:
            text += f": {str(err.filename)!r}"
        if err.filename2 is not None:
            text += f" -> {str(err.filename2)!r}"
    elif isinstance(err, RecursionError):
        text = "the input is nested too deeply to be read (a malformed file?)"
    else:
        text = str(err) or type(err).__name__
        if not isinstance(err, (DyadmodelError, ValueError)):
            text = f"{type(err).__name__}: {text}"
    return " ".join(text.split())


def _number(text: str, what: str) -> float:
    """``text`` as a finite float (``float`` parsing only: nothing is evaluated)."""
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise UsageError(f"{what} {text!r} is not finite; expected a finite number")
    return value


def _assignments(items: Sequence[str], what: str, *, finite: bool = False) -> dict[str, float]:
    """``NAME=VALUE`` items as a dict. Values are floats; with ``finite`` they must be
    finite here (inputs), else the model's parameter check says why (parameters)."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--{what} {item!r}: expected NAME=VALUE, e.g. anxiety_gain_1=2.5")
        if finite:
            out[name.strip()] = _number(text, f"--{what} {name.strip()}: value")
            continue
        try:
            out[name.strip()] = float(text)
        except ValueError:
            raise UsageError(f"--{what} {item!r}: value {text!r} is not a number") from None
    return out


def _fmt_eigs(lam: np.ndarray) -> str:
    parts = []
    for z in lam:
        if abs(z.imag) <= 1e-12 * max(1.0, abs(z)):
            parts.append(f"{z.real:.4g}")
        else:
            parts.append(f"{z.real:.4g}{z.imag:+.4g}i")
    return ", ".join(parts)


def analyze_table(eqs, model) -> str:
    """The equilibria of an `EquilibriumSet` as a plain-text table."""
    header = ["#", *model.state_names, "kind", "label", "eigenvalues", "certified", "plotted"]
    rows = []
    for i, e in enumerate(eqs, 1):
        rows.append(
            [
                str(i),
                *(f"{v:.6g}" for v in e.state),
                e.kind,
                e.label or "-",
                _fmt_eigs(e.eigenvalues),
                "yes" if e.enclosure is not None else "no",
                "yes" if e.in_plot_range else "no (outside the plotting range)",
            ]
        )
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cmd_models(args) -> int:
    from dyadmodel import models

    for name in models.names():
        print(f"{name:<24} {models.get(name).title}")
    return 0


def _get_model(source: str):
    """The model named on the command line: a registered or plugin name, a model file
    (``my_model.toml``), ``file.py:factory`` or ``module:factory`` (`dyadmodel.models.load`;
    a Python reference runs that code, as running the script would)."""
    from dyadmodel import models

    return models.load(source)


def _cmd_describe(args) -> int:
    model = _get_model(args.model)
    print(model.describe())
    if model.presets:  # named parameter regions: `analyze --preset NAME`
        print("presets (analyze --preset NAME):")
        for name, preset in model.presets.items():
            print(f"  {name}: {' '.join(preset.description.split())}")
    return 0


def _check_inputs(model, inputs: dict[str, float]) -> dict[str, float]:
    """Known input names with values the input accepts (its own ``check`` when it has
    one: bounds and meaning)."""
    known = {u.name: u for u in model.inputs}
    for name, value in inputs.items():
        if name not in known:
            valid = ", ".join(known) or "none"
            raise UsageError(
                f"--input {name}: unknown input for model {model.name!r}; valid inputs: {valid}"
            )
        check = getattr(known[name], "check", None)
        if callable(check):
            inputs[name] = float(check(value))
    return inputs


def completeness_text(eqs, model) -> str:
    """The sentence saying how far the list of equilibria is proved complete.

    Uses the set's own statement (``completeness`` or ``scope``) when it has one;
    otherwise says where the search ran.
    """
    for attr in ("completeness", "scope"):
        text = getattr(eqs, attr, None)
        if isinstance(text, str) and text:
            return text
    dom = ", ".join(
        f"{n} in [{lo:g}, {hi:g}]" for n, (lo, hi) in zip(model.state_names, eqs.domain)
    )
    verdict = (
        "COMPLETE: no other equilibrium" if eqs.complete else "INCOMPLETE: there may be others"
    )
    return f"{verdict} in {dom} ({eqs.method})."


def _cmd_analyze(args) -> int:
    from dyadmodel import equilibria

    model = _get_model(args.model)
    values = _assignments(args.param, "param")
    inputs = _check_inputs(model, _assignments(args.input, "input", finite=True))
    p = model.preset(args.preset, **values) if args.preset else model.params(values)
    eqs = equilibria(model, p, inputs=inputs or None)
    print(f"{model.name}: {model.title}")
    changed = {k: v for k, v in p.items() if v != model.parameter(k).default}
    print("parameters: " + (", ".join(f"{k}={v:g}" for k, v in changed.items()) or "defaults"))
    if inputs:
        print("inputs: " + ", ".join(f"{k}={v:g}" for k, v in inputs.items()))
    print()
    print(analyze_table(eqs, model) if len(eqs) else "(no equilibria in the domain)")
    print()
    if eqs.degenerate:
        print(f"degenerate: {eqs.degenerate}")
    print(completeness_text(eqs, model))
    if len(eqs.undecided):
        print(f"{len(eqs.undecided)} undecided box(es) remain; raise max_boxes to search them.")
    return 0


def _cmd_figures(args) -> int:
    script = Path(__file__).resolve().parent.parent / "scripts" / "make_figures.py"
    if not script.exists():
        raise UsageError(
            "scripts/make_figures.py not found: 'dyadmodel figures' runs from a source checkout"
        )
    return subprocess.call([sys.executable, str(script), *args.rest])


def _cmd_simulate(args) -> int:
    from dyadmodel.scenarios import cli_simulate

    return cli_simulate(args.rest)


def _cmd_sweep(args) -> int:
    from dyadmodel.sweeps._spec import cli_sweep

    return cli_sweep(args.rest)


def _cmd_bifurcation(args) -> int:
    from dyadmodel.continuation import cli_bifurcation

    return cli_bifurcation(args.rest)


def _cmd_explore(args) -> int:
    from dyadmodel.app import cli_explore

    return cli_explore(args.rest)


def _cmd_fit(args) -> int:
    from dyadmodel.fit._cli import cli_fit

    return cli_fit(args.rest)


def _cmd_export_explorer(args) -> int:
    from dyadmodel.app._export import export_explorer

    model = _get_model(args.model)
    values = _assignments(args.param, "param")
    path = export_explorer(
        model, args.output, model.params(values), certified=args.certified, force=args.force
    )
    print(f"wrote {path} (open it in a browser; it needs no server and no network)")
    return 0


_MODEL_HELP = (
    "a registered model name (dyadmodel models), a model file (my_model.toml), "
    "'file.py:factory' or 'module:factory' (runs that Python code)"
)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineArgumentParser(
        prog="dyadmodel",
        description="The pursuer-distancer pattern in couples as a dynamical system.",
    )
    from dyadmodel._version import __version__

    parser.add_argument("--version", action="version", version=f"dyadmodel {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("models", help="list the registered models").set_defaults(func=_cmd_models)
    d = sub.add_parser("describe", help="equations, states and parameters of a model")
    d.add_argument("model", help=_MODEL_HELP)
    d.set_defaults(func=_cmd_describe)
    a = sub.add_parser("analyze", help="all equilibria of a model, classified and certified")
    a.add_argument("model", help=_MODEL_HELP)
    a.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE")
    a.add_argument("--input", "-u", action="append", default=[], metavar="NAME=VALUE")
    a.add_argument("--preset", help="start from a named parameter region of the model")
    a.set_defaults(func=_cmd_analyze)
    sim = sub.add_parser(
        "simulate", help="run a scenario file: SCENARIO.toml [--outdir DIR]", add_help=False
    )
    sim.add_argument("rest", nargs=argparse.REMAINDER)
    sim.set_defaults(func=_cmd_simulate)
    sw = sub.add_parser(
        "sweep",
        help="run a parameter sweep spec file (resumable): SPEC.toml [--out PATH] [--workers N]",
        add_help=False,
    )
    sw.add_argument("rest", nargs=argparse.REMAINDER)
    sw.set_defaults(func=_cmd_sweep)
    bif = sub.add_parser(
        "bifurcation",
        help="continue equilibria in a parameter: MODEL --param NAME --span A B",
        add_help=False,
    )
    bif.add_argument("rest", nargs=argparse.REMAINDER)
    bif.set_defaults(func=_cmd_bifurcation)
    exp = sub.add_parser(
        "explore",
        help="interactive phase-plane explorer in the browser: [--model NAME] [--port P]",
        add_help=False,
    )
    exp.add_argument("rest", nargs=argparse.REMAINDER)
    exp.set_defaults(func=_cmd_explore)
    fit = sub.add_parser(
        "fit",
        help="fit a model to couples' data: DATA.csv --dyad COL --person COL --time COL "
        "--value COL [--distinguish COL] [--model NAME] [--out results.csv]",
        add_help=False,
    )
    fit.add_argument("rest", nargs=argparse.REMAINDER)
    fit.set_defaults(func=_cmd_fit)
    ee = sub.add_parser(
        "export-explorer",
        help="write a serverless explorer, one self-contained HTML file: MODEL -o FILE.html",
    )
    ee.add_argument("model", help=_MODEL_HELP)
    ee.add_argument("-o", "--output", required=True, metavar="FILE.html")
    ee.add_argument(
        "--param", "--params", "-p", action="extend", nargs="+", default=[], metavar="NAME=VALUE"
    )
    ee.add_argument(
        "--certified",
        metavar="NAME",
        help="embed certified equilibria (dyadmodel.equilibria) over a grid of this parameter",
    )
    ee.add_argument(
        "--force", action="store_true", help="replace a file that dyadmodel did not write"
    )
    ee.set_defaults(func=_cmd_export_explorer)
    f = sub.add_parser("figures", help="regenerate every figure (scripts/make_figures.py)")
    f.add_argument("rest", nargs=argparse.REMAINDER)
    f.set_defaults(func=_cmd_figures)
    return parser


_DELEGATED = {
    "simulate": _cmd_simulate,
    "sweep": _cmd_sweep,
    "bifurcation": _cmd_bifurcation,
    "explore": _cmd_explore,
    "fit": _cmd_fit,
}
_COMMANDS = ("models", "describe", "analyze", "figures", "export-explorer", *_DELEGATED)


def _fail(prog: str, err: BaseException) -> int:
    print(f"{prog}: error: {error_line(err)}", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    0 on success; 2 with one line ``dyadmodel <command>: error: ...`` on stderr for any
    bad input (an unknown name or option, a value that is not a finite number or is out
    of bounds, a file that cannot be read or written, a malformed file, a budget that a
    value would exceed); 130 with one line after Ctrl-C; a subcommand's own status
    otherwise (e.g. 1 when ``simulate``'s solver failed). An error of another kind is an
    internal bug and keeps its traceback.
    """
    argv = [str(a) for a in (sys.argv[1:] if argv is None else argv)]
    command = argv[0] if argv and argv[0] in _COMMANDS else None
    prog = f"dyadmodel {command}" if command else "dyadmodel"
    try:
        with _one_line_argparse_errors():
            if command in _DELEGATED:
                # these subcommands own their argument parsing (options may come first)
                return _DELEGATED[command](argparse.Namespace(rest=argv[1:]))
            args = build_parser().parse_args(argv)
            return args.func(args)
    except UsageError as err:
        return _fail(err.prog or prog, err)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (DyadmodelError, ValueError, OSError, RecursionError) as err:
        # bad input met below the command line: a value out of range, a path that
        # cannot be written, a file nested too deeply, a budget too small for it
        return _fail(prog, err)
    except SystemExit as done:  # --help and --version print and exit 0
        code = done.code
        if isinstance(code, str):
            print(code, file=sys.stderr)
        return code if isinstance(code, int) else (0 if code is None else 1)


if __name__ == "__main__":
    raise SystemExit(main())
