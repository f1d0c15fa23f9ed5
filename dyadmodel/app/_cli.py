"""``dyadmodel explore``: serve the explorer on 127.0.0.1 (by default)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["cli_explore", "main"]


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="dyadmodel explore",
        description="Interactive phase-plane explorer in the browser (a Dash app).",
    )
    ap.add_argument("--model", default="pursuer-distancer-2d", help="registered model name")
    ap.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only)",
    )
    ap.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    ap.add_argument(
        "--export-dir",
        default="dyadmodel-exports",
        help="where the export button writes HTML/PNG/JSON (default ./dyadmodel-exports)",
    )
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, print the address and serve until interrupted. Returns 0."""
    args = _parser().parse_args(argv)
    import dyadmodel as dm
    from dyadmodel.app._app import create_app

    try:
        app = create_app(args.model, export_dir=args.export_dir)
    except dm.models.ModelNotFoundError as err:
        print(f"dyadmodel explore: {err.args[0]}", file=sys.stderr)
        return 2
    print(f"dyadmodel explorer: http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    app.run(host=args.host, port=args.port, debug=False)
    return 0


def cli_explore(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``dyadmodel explore [--model NAME] [--host H] [--port P]``."""
    return main(argv)
