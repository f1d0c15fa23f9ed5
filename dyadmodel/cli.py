"""Command line: ``dyadmodel models | describe | analyze | simulate | sweep | bifurcation |
explore | figures``.

Every bad argument gives one line on stderr that names the value and what was expected,
and exit status 2; values are parsed as numbers with ``float``, never evaluated.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["main"]


class UsageError(Exception):
    """A bad command-line argument (exit status 2)."""


def _assignments(items: Sequence[str], what: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--{what} {item!r}: expected NAME=VALUE, e.g. anxiety_gain_1=2.5")
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
    header = ["#", *model.state_names, "kind", "label", "eigenvalues", "certified"]
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


def _get_model(name: str):
    from dyadmodel import models

    try:
        return models.get(name)
    except models.ModelNotFoundError as err:
        raise UsageError(str(err)) from None


def _cmd_describe(args) -> int:
    print(_get_model(args.model).describe())
    return 0


def _cmd_analyze(args) -> int:
    from dyadmodel import ParameterError, equilibria

    model = _get_model(args.model)
    values = _assignments(args.param, "param")
    inputs = _assignments(args.input, "input")
    try:
        p = model.preset(args.preset, **values) if args.preset else model.params(values)
    except ParameterError as err:
        raise UsageError(str(err)) from None
    try:
        eqs = equilibria(model, p, inputs=inputs or None)
    except ValueError as err:
        raise UsageError(str(err)) from None
    print(f"{model.name}: {model.title}")
    changed = {k: v for k, v in p.items() if v != model.parameter(k).default}
    print("parameters: " + (", ".join(f"{k}={v:g}" for k, v in changed.items()) or "defaults"))
    if inputs:
        print("inputs: " + ", ".join(f"{k}={v:g}" for k, v in inputs.items()))
    print()
    print(analyze_table(eqs, model) if len(eqs) else "(no equilibria in the domain)")
    print()
    dom = ", ".join(
        f"{n} in [{lo:g}, {hi:g}]" for n, (lo, hi) in zip(model.state_names, eqs.domain)
    )
    if eqs.degenerate:
        print(f"degenerate: {eqs.degenerate}")
    verdict = (
        "COMPLETE: no other equilibrium" if eqs.complete else "INCOMPLETE: there may be others"
    )
    print(f"{verdict} in {dom} ({eqs.method}).")
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
    from dyadmodel.simulate._scenario import cli_simulate

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dyadmodel",
        description="The pursuer-distancer pattern in couples as a dynamical system.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("models", help="list the registered models").set_defaults(func=_cmd_models)
    d = sub.add_parser("describe", help="equations, states and parameters of a model")
    d.add_argument("model")
    d.set_defaults(func=_cmd_describe)
    a = sub.add_parser("analyze", help="all equilibria of a model, classified and certified")
    a.add_argument("model")
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
    f = sub.add_parser("figures", help="regenerate every figure (scripts/make_figures.py)")
    f.add_argument("rest", nargs=argparse.REMAINDER)
    f.set_defaults(func=_cmd_figures)
    return parser


_DELEGATED = {
    "simulate": _cmd_simulate,
    "sweep": _cmd_sweep,
    "bifurcation": _cmd_bifurcation,
    "explore": _cmd_explore,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _DELEGATED:
        # these subcommands own their argument parsing (options may come first)
        return _DELEGATED[argv[0]](argparse.Namespace(rest=argv[1:]))
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as err:
        print(f"dyadmodel {args.command}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
