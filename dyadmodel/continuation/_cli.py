"""``dyadmodel bifurcation MODEL --param NAME --span A B``: the special points table.

`cli_bifurcation` parses its own arguments so that ``dyadmodel.cli`` can delegate the
subcommand to it (``return cli_bifurcation(argv_after_the_subcommand)``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["bifurcation_parser", "cli_bifurcation"]


class _UsageError(Exception):
    pass


def bifurcation_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The arguments of ``dyadmodel bifurcation`` (added to ``parser`` if given)."""
    p = parser or argparse.ArgumentParser(
        prog="dyadmodel bifurcation",
        description="Continue every equilibrium branch in one parameter and print the "
        "folds, Hopf points and branch points with the stability change across each.",
    )
    p.add_argument("model")
    p.add_argument("--param", required=True, help="the continuation parameter")
    p.add_argument("--span", required=True, nargs=2, metavar=("A", "B"))
    p.add_argument("--set", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="another parameter's value")  # fmt: skip
    p.add_argument("--input", "-u", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--preset", help="start from a named parameter region of the model")
    p.add_argument("--seeds", type=int, default=None, help="seed values in the span (5)")
    p.add_argument("--ds-max", type=float, default=None, help="largest arclength step (0.05)")
    p.add_argument("--xpp", metavar="FILE", help="also write an XPPAUT .ode file")
    p.add_argument("--auto", metavar="DIR", help="also write AUTO-07p files into DIR")
    return p


def _number(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise _UsageError(f"{what} {text!r} is not a number") from None


def _assignments(items: Sequence[str], what: str) -> dict[str, float]:
    out = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise _UsageError(f"--{what} {item!r}: expected NAME=VALUE, e.g. avoidance_gain_2=2.5")
        out[name.strip()] = _number(text, f"--{what} {name.strip()}:")
    return out


def cli_bifurcation(argv: Sequence[str] | None = None) -> int:
    """Run ``dyadmodel bifurcation``; returns the exit status (2 for a bad argument).

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
    args = bifurcation_parser().parse_args(argv)
    try:
        return _run(args)
    except _UsageError as err:
        print(f"dyadmodel bifurcation: error: {err}", file=sys.stderr)
        return 2


def _run(args) -> int:
    from dyadmodel import models
    from dyadmodel.continuation._branch import continuation
    from dyadmodel.continuation._export import auto_files, xppaut_ode
    from dyadmodel.continuation._types import ContinuationOptions
    from dyadmodel.model import ParameterError

    try:
        model = models.get(args.model)
    except models.ModelNotFoundError as err:
        raise _UsageError(str(err)) from None
    values = _assignments(args.set, "set")
    inputs = _assignments(args.input, "input")
    span = tuple(_number(v, "--span value") for v in args.span)
    kw = {}
    if args.seeds is not None:
        kw["seeds"] = args.seeds
    if args.ds_max is not None:
        kw["ds_max"] = args.ds_max
        kw["ds"] = min(ContinuationOptions.ds, args.ds_max)
    try:
        opts = ContinuationOptions(**kw)
        p = model.preset(args.preset, **values) if args.preset else model.params(values)
        d = continuation(model, p, args.param, span, opts, inputs=inputs or None)
    except (ParameterError, ValueError) as err:
        raise _UsageError(str(err)) from None
    print(f"{model.name}: continuation in {args.param} from {span[0]:g} to {span[1]:g}")
    changed = {k: v for k, v in p.items() if k != args.param and v != model.parameter(k).default}
    print("parameters: " + (", ".join(f"{k}={v:g}" for k, v in changed.items()) or "defaults"))
    if inputs:
        print("inputs: " + ", ".join(f"{k}={v:g}" for k, v in inputs.items()))
    print()
    print(d.table())
    print()
    stable = sum(int(b.stable.any()) for b in d.branches)
    print(f"{len(d.branches)} branch(es), {stable} with stable parts; {len(d.special_points)} "
          "special point(s)")  # fmt: skip
    for note in d.notes:
        print(f"note: {note}")
    if args.xpp:
        xppaut_ode(model, p, inputs=inputs or None, path=args.xpp)
        print(f"wrote {args.xpp}")
    if args.auto:
        files = auto_files(model, p, args.param, span, inputs=inputs or None, directory=args.auto)
        print(f"wrote {', '.join(files)} in {args.auto}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(cli_bifurcation())
