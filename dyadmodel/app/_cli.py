"""``dyadmodel explore``: serve the explorer on 127.0.0.1 (by default)."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["cli_explore", "is_loopback", "main", "network_warning"]


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number; expected a port from 1 to 65535"
        ) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a port from 1 to 65535")
    return port


def _parser() -> argparse.ArgumentParser:
    from dyadmodel.cli import OneLineArgumentParser

    ap = OneLineArgumentParser(
        prog="dyadmodel explore",
        description="Interactive phase-plane explorer in the browser (a Dash app).",
    )
    ap.add_argument(
        "--model",
        default="pursuer-distancer-2d",
        help="a registered model name or a model file (my_model.toml); also "
        "module:factory or file.py:factory, which runs that Python code",
    )
    ap.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only; any other address "
        "lets anyone who can reach it use the explorer and write exports)",
    )
    ap.add_argument("--port", type=_port, default=8050, help="port, 1-65535 (default 8050)")
    ap.add_argument(
        "--export-dir",
        default="dyadmodel-exports",
        help="where the export button writes HTML/PNG/JSON (default ./dyadmodel-exports)",
    )
    return ap


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine (127.0.0.0/8, ::1,
    'localhost')."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name or a wildcard such as 0.0.0.0: reachable from others


def network_warning(host: str, export_dir: str | Path, exports_per_minute: int) -> str | None:
    """The warning printed when the explorer is served beyond this machine (None on a
    loopback address)."""
    if is_loopback(host):
        return None
    return (
        f"warning: serving on {host}, not on this machine only: anyone who can reach this "
        f"address can use the explorer and write exports into {str(export_dir)!r} "
        f"(at most {exports_per_minute} per minute); use --host 127.0.0.1 to keep it private"
    )


def _check_export_dir(path: str) -> None:
    """Refuse an export directory that can never be written (a file, or under a parent
    that is a file); a missing one is created at the first export."""
    from dyadmodel.cli import UsageError

    p = Path(path)
    if p.exists() and not p.is_dir():
        raise UsageError(f"--export-dir {path!r} is a file; expected a directory", prog=None)
    for parent in p.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"--export-dir {path!r}: {str(parent)!r} is not a directory")
            break


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, print the address and serve until interrupted.

    The explorer is built (`create_app`) before anything is served, so a bad argument is
    reported at once; then the address is printed on stdout and the Dash server runs in
    this thread, blocking until Ctrl-C. On a host that is not a loopback address a
    warning goes to stderr first (anyone who can reach it can use the explorer and write
    exports).

    Parameters
    ----------
    argv : sequence of str or None, optional
        The arguments after ``dyadmodel explore``: ``--model NAME|FILE.toml`` (default
        ``pursuer-distancer-2d``; also ``module:factory`` or ``file.py:factory``, which
        run that Python code), ``--host`` (default ``127.0.0.1``), ``--port`` (1-65535,
        default 8050) and ``--export-dir`` (default ``dyadmodel-exports``). None reads
        ``sys.argv[1:]``, as `argparse` does.

    Returns
    -------
    int
        The exit status: 0 after Ctrl-C; 2 (with one line ``dyadmodel explore: error:
        ...`` on stderr) for a bad argument -- an unknown model, a model file that is
        missing or cannot be read, a port outside 1-65535, an export directory that is a
        file or lies under a file -- or for an address that cannot be served (the port is
        taken, the host is not this machine's).

    Notes
    -----
    ``--help`` (``-h``) prints the usage on stdout and raises ``SystemExit(0)`` from
    `argparse`: it does not return. The errors of the package are caught and turned
    into the exit status 2; nothing of the package's error family escapes.

    Examples
    --------
    A port out of range is refused before the explorer is built or served:

    >>> from dyadmodel.app import main
    >>> main(["--port", "70000"])
    2

    ``--help`` exits instead of returning:

    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     try:
    ...         main(["--help"])
    ...     except SystemExit as stop:
    ...         print("exit status", stop.code)
    >>> out.getvalue().splitlines()[-1]
    'exit status 0'
    >>> out.getvalue().startswith("usage: dyadmodel explore")
    True
    """
    from dyadmodel.app._app import EXPORTS_PER_MINUTE, create_app
    from dyadmodel.cli import EXIT_USAGE, UsageError, error_line
    from dyadmodel.errors import DyadmodelError

    prog = "dyadmodel explore"
    try:
        args = _parser().parse_args(argv)
        _check_export_dir(args.export_dir)
        app = create_app(args.model, export_dir=args.export_dir)
    except (UsageError, DyadmodelError, ValueError, OSError) as err:
        print(f"{prog}: error: {error_line(err)}", file=sys.stderr)
        return EXIT_USAGE
    warning = network_warning(args.host, args.export_dir, EXPORTS_PER_MINUTE)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    print(f"dyadmodel explorer: http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    _quiet_server(app)
    try:
        app.run(host=args.host, port=args.port, debug=False)
    except KeyboardInterrupt:
        return 0
    except (OSError, SystemExit) as err:  # the port is taken, the address is not ours
        detail = error_line(err) if isinstance(err, OSError) else "the server could not start"
        print(
            f"{prog}: error: cannot serve on {args.host}:{args.port}: {detail}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return 0


def cli_explore(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``dyadmodel explore [--model NAME|FILE.toml] [--host H] [--port P]``.

    The same as `main` (``dyadmodel explore`` on the command line and ``python -m
    dyadmodel.app`` call it): it builds the explorer and serves it until Ctrl-C.

    Parameters
    ----------
    argv : sequence of str or None, optional
        The arguments after ``dyadmodel explore`` (see `main`); None reads
        ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 after Ctrl-C, 2 for a bad argument or an address that cannot
        be served (one line on stderr). ``--help`` raises ``SystemExit(0)`` instead.

    Examples
    --------
    An unknown model is refused (exit status 2) before anything is served:

    >>> from dyadmodel.app import cli_explore
    >>> cli_explore(["--model", "no-such-model"])
    2
    """
    return main(argv)


def _quiet_server(app) -> None:
    """The line above is the whole start-up output: no Flask banner, no werkzeug
    "development server" warning or per-request lines, no Dash "running on" line, and
    no ANSI colour codes when the output is not a terminal."""
    import logging

    import flask.cli

    flask.cli.show_server_banner = lambda *args, **kwargs: None
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logger = getattr(app, "logger", None)
    if isinstance(logger, logging.Logger):
        logger.setLevel(logging.WARNING)
    if not sys.stderr.isatty():
        import werkzeug.serving

        werkzeug.serving._log_add_style = False
