"""``dyadmodel fit DATA.csv --dyad COL --person COL --time COL --value COL [...]``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from dyadmodel.errors import InvalidInputError

__all__ = ["build_parser", "cli_fit"]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dyadmodel fit",
        description=(
            "Fit a model to every couple of a long-format CSV file (one row per person and "
            "time point); one row per couple with estimates, standard errors, fit "
            "statistics and a status."
        ),
    )
    p.add_argument("data", help="CSV file with a header line")
    p.add_argument(
        "--model",
        default="coupled-oscillator",
        help="coupled-oscillator (default), inertia-coordination, any registered model, "
        "or a model file (my_model.toml, file.py:factory, module:factory) with --method ml",
    )
    p.add_argument("--dyad", required=True, help="column of the couple id")
    p.add_argument("--person", required=True, help="column of the person id")
    p.add_argument("--time", required=True, help="column of the time point")
    p.add_argument("--value", required=True, help="column of the observed value")
    p.add_argument("--distinguish", help="0/1 column telling partners apart (0 = partner 1)")
    p.add_argument("--covariate", action="append", default=[], metavar="COL")
    p.add_argument("--input", action="append", default=[], metavar="COL")
    p.add_argument("--method", help="estimation method (default: the model's own: glla, ols)")
    p.add_argument("--tau", type=int, action="append", metavar="N", help="GLLA delays to try")
    p.add_argument("--embed", type=int, action="append", metavar="N", help="GLLA embeddings")
    p.add_argument("--delta", type=float, help="GLLA: time between rows (default 1)")
    p.add_argument("--uncoupled", action="store_true", help="GLLA: fit without coupling")
    p.add_argument("--lag", type=int, help="inertia-coordination: lag in rows (default 1)")
    p.add_argument("--free", action="append", metavar="PARAM", help="ml: a parameter to estimate")
    p.add_argument(
        "--observed",
        action="append",
        metavar="STATE",
        help="ml: partner 1's observed state, then partner 2's (give twice)",
    )
    p.add_argument("--profile", action="store_true", help="ml: profile-likelihood intervals")
    p.add_argument(
        "--process-noise",
        action="store_true",
        help="ml: the model as an SDE, extended Kalman filter likelihood",
    )
    p.add_argument(
        "--workers", type=int, default=1, metavar="N", help="couples fitted at once (default 1)"
    )
    p.add_argument(
        "--backend", choices=("local", "dask"), default="local", help="with --workers > 1"
    )
    p.add_argument(
        "--out",
        help=(
            "write the table here (CSV); an existing file is replaced only when it is an "
            "earlier result with the same columns. Default: print to stdout"
        ),
    )
    return p


def _write(table, out: Path) -> None:
    text = table.to_csv(index=False)
    header = text.split("\n", 1)[0]
    if out.is_dir():
        raise InvalidInputError(f"--out {str(out)!r} is a directory; expected a CSV file path")
    if out.exists():
        with out.open(encoding="utf-8", errors="replace") as handle:
            existing = handle.readline().rstrip("\r\n")
        if existing != header:
            raise InvalidInputError(
                f"--out {str(out)!r} exists and is not an earlier result of this fit (its "
                "first line differs); choose another path or remove the file yourself"
            )
    if not out.parent.is_dir():
        raise InvalidInputError(f"--out directory {str(out.parent)!r} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cli_fit(argv: Sequence[str]) -> int:
    """Run ``dyadmodel fit``; returns the exit status (bad input raises, and
    `dyadmodel.cli.main` turns it into one stderr line and status 2)."""
    from dyadmodel.data import read_dyadic
    from dyadmodel.fit import fit

    args = build_parser().parse_args(list(argv))
    data = read_dyadic(
        args.data,
        dyad=args.dyad,
        person=args.person,
        time=args.time,
        value=args.value,
        distinguish=args.distinguish,
        covariates=tuple(args.covariate),
        inputs=tuple(args.input),
    )
    overrides: dict[str, object] = {}
    for option, name in (("tau", "taus"), ("embed", "embeds")):
        if getattr(args, option) is not None:
            overrides[name] = tuple(getattr(args, option))
    if args.delta is not None:
        overrides["delta"] = args.delta
    if args.uncoupled:
        overrides["coupled"] = False
    if args.lag is not None:
        overrides["lag"] = args.lag
    for option in ("free", "observed"):
        if getattr(args, option) is not None:
            overrides[option] = tuple(getattr(args, option))
    if args.profile:
        overrides["profile"] = True
    if args.process_noise:
        overrides["process_noise"] = True
    result = fit(
        args.model, data, args.method, n_workers=args.workers, backend=args.backend, **overrides
    )
    table = result.to_dataframe()
    if args.out is None:
        table.to_csv(sys.stdout, index=False)
        return 0
    _write(table, Path(args.out))
    counts = ", ".join(f"{n} {s}" for s, n in result.status.value_counts().items())
    print(f"{result.model} ({result.method}): {len(result)} dyads ({counts}) -> {args.out}")
    return 0
