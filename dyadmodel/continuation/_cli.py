"""``dyadmodel bifurcation MODEL --param NAME --span A B``: the special points table.

`cli_bifurcation` parses its own arguments so that ``dyadmodel.cli`` can delegate the
subcommand to it (``return cli_bifurcation(argv_after_the_subcommand)``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dyadmodel.cli import (
    _MODEL_HELP,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    OneLineArgumentParser,
    UsageError,
    error_line,
)
from dyadmodel.cli import _assignments as _cli_assignments
from dyadmodel.cli import _number as _cli_number
from dyadmodel.errors import DyadmodelError

__all__ = ["MAX_SEEDS", "bifurcation_parser", "cli_bifurcation"]

#: The most seed values ``--seeds`` accepts: each seeds a full equilibrium search, so
#: this bounds the work of one command (the default is 5).
MAX_SEEDS = 200


def _seeds(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number; expected 1 to {MAX_SEEDS}"
        ) from None
    if not 1 <= n <= MAX_SEEDS:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number from 1 to {MAX_SEEDS}")
    return n


def _step(text: str) -> float:
    try:
        v = _cli_number(text, "")
    except UsageError as err:
        raise argparse.ArgumentTypeError(str(err).strip()) from None
    if v <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a positive step")
    return v


def bifurcation_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The arguments of ``dyadmodel bifurcation`` (added to ``parser`` if given)."""
    p = parser or OneLineArgumentParser(
        prog="dyadmodel bifurcation",
        description="Continue every equilibrium branch in one parameter and print the "
        "folds, Hopf points and branch points with the stability change across each "
        "(and whether each Hopf point is super- or subcritical).",
    )
    p.add_argument("model", help=_MODEL_HELP)
    p.add_argument("--param", required=True, help="the continuation parameter")
    p.add_argument("--span", required=True, nargs=2, metavar=("A", "B"))
    p.add_argument("--set", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="another parameter's value")  # fmt: skip
    p.add_argument("--input", "-u", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--preset", help="start from a named parameter region of the model")
    p.add_argument(
        "--seeds",
        type=_seeds,
        default=None,
        help=f"seed values in the span (5; at most {MAX_SEEDS})",
    )
    p.add_argument("--ds-max", type=_step, default=None, help="largest arclength step (0.05)")
    p.add_argument(
        "--seed-search",
        choices=("certified", "newton"),
        default=None,
        help="how the equilibria at the seed values are found: 'certified' (the default) "
        "proves every one is found; 'newton' is faster and not proved complete",
    )
    p.add_argument("--xpp", metavar="FILE", help="also write an XPPAUT .ode file")
    p.add_argument("--auto", metavar="DIR", help="also write AUTO-07p files into DIR")
    p.add_argument(
        "--cycles",
        action="store_true",
        help="also continue the cycles born at every Hopf point (dm.continue_cycle) and "
        "print each branch: period, stability, folds of cycles, homoclinic end",
    )
    return p


def cli_bifurcation(argv: Sequence[str] | None = None) -> int:
    """Run ``dyadmodel bifurcation``; returns the exit status (2 for a bad argument).

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``bifurcation``; argparse reads ``sys.argv`` when None.

    Returns
    -------
    int
        The exit status: 0 on success, 2 for a bad argument.

    Examples
    --------
    >>> cli_bifurcation(["liebovitch", "--param", "c1", "--span", "0", "1.5"])
    ... # doctest: +ELLIPSIS
    liebovitch: continuation in c1 from 0 to 1.5
    parameters: defaults
    <BLANKLINE>
    kind          c1   state   eigenvalues   n_unstable  verified
    ...
    branch point  0.5  (0, 0)  ...           0 -> 1      yes
    ...
    0
    """
    try:
        return _run(bifurcation_parser().parse_args(argv))
    except KeyboardInterrupt:
        print("dyadmodel bifurcation: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (DyadmodelError, ValueError, OSError, RecursionError) as err:
        # a bad argument, a value the continuation refuses, an unwritable --xpp/--auto path
        print(f"dyadmodel bifurcation: error: {error_line(err)}", file=sys.stderr)
        return EXIT_USAGE


def _run(args) -> int:
    from dyadmodel import models
    from dyadmodel.cli import _check_inputs
    from dyadmodel.continuation._branch import continuation
    from dyadmodel.continuation._export import auto_files, xppaut_ode
    from dyadmodel.continuation._types import ContinuationOptions

    model = models.load(args.model)
    values = _cli_assignments(args.set, "set")
    inputs = _check_inputs(model, _cli_assignments(args.input, "input", finite=True))
    span = tuple(_cli_number(v, "--span value") for v in args.span)
    kw = {}
    if args.seeds is not None:
        kw["seeds"] = args.seeds
    if args.ds_max is not None:
        kw["ds_max"] = args.ds_max
        kw["ds"] = min(ContinuationOptions.ds, args.ds_max)
    if args.seed_search is not None:
        kw["seed_search"] = args.seed_search
    opts = ContinuationOptions(**kw)
    p = model.preset(args.preset, **values) if args.preset else model.params(values)
    model.parameter(args.param)  # an unknown name: the list of valid ones
    d = continuation(model, p, args.param, span, opts, inputs=inputs or None)
    print(f"{model.name}: continuation in {args.param} from {span[0]:g} to {span[1]:g}")
    changed = {k: v for k, v in p.items() if k != args.param and v != model.parameter(k).default}
    print("parameters: " + (", ".join(f"{k}={v:g}" for k, v in changed.items()) or "defaults"))
    if inputs:
        print("inputs: " + ", ".join(f"{k}={v:g}" for k, v in inputs.items()))
    print()
    print(d.table())
    print()
    for h in d.hopf_points:
        print(
            f"hopf at {args.param}={h.value:.10g}: first Lyapunov coefficient "
            f"{h.first_lyapunov:.6g}, {h.criticality}"
        )
    stable = sum(int(b.stable.any()) for b in d.branches)
    print(f"{len(d.branches)} branch(es), {stable} with stable parts; {len(d.special_points)} "
          "special point(s)")  # fmt: skip
    for note in d.notes:
        print(f"note: {note}")
    if args.cycles:
        _cycles(model, p, args.param, span, d, inputs)
    if args.xpp:
        xppaut_ode(model, p, inputs=inputs or None, param=args.param, span=span, path=args.xpp)
        print(f"wrote {args.xpp}")
    if args.auto:
        files = auto_files(model, p, args.param, span, inputs=inputs or None, directory=args.auto)
        print(f"wrote {', '.join(files)} in {args.auto}")
    return 0


def _cycles(model, p, param, span, d, inputs) -> list:
    """Continue the cycles from every Hopf point of ``d`` and print one table row per
    branch and one line per cycle bifurcation on it."""
    from dyadmodel.continuation._cycles import continue_cycle

    out = []
    print()
    if not d.hopf_points:
        print("cycles: no Hopf point in the span, so no cycles to continue")
        return out
    header = f"{'from hopf at':<16}{'points':>7}  {param + ' range':<24}{'period range':<22}stable"
    print("cycles")
    print(header)
    for h in d.hopf_points:
        b = continue_cycle(model, p, param, span, start=h, inputs=inputs or None)
        out.append(b)
        lo, hi = float(b.param_values.min()), float(b.param_values.max())
        tl, th = float(b.periods.min()), float(b.periods.max())
        stable = "all" if b.stable.all() else "none" if not b.stable.any() else "part"
        print(
            f"{h.value:<16.8g}{len(b):>7}  {f'{lo:.6g} .. {hi:.6g}':<24}"
            f"{f'{tl:.5g} .. {th:.5g}':<22}{stable}"
        )
        for s in b.special:
            extra = f", {s.saddle_kind}" if s.kind == "homoclinic" else ""
            print(f"  {s.kind} at {param}={s.value:.10g}, period {s.period:.6g}{extra}")
        print(f"  end: {b.end}")
    return out


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(cli_bifurcation())
