"""Shared by the figure scripts: writing a figure with its provenance, and trajectories.

`save_figure` writes, for a figure called ``name``:

- ``name.html``: interactive, offline; every HTML file in the directory shares one
  ``plotly.min.js`` written beside them (no CDN, no external script);
- ``name.png`` and ``name.pdf``: static images through kaleido and a local Chrome or
  Chromium, with one kaleido server per process (started on first use, stopped at exit);
- ``name.json``: provenance (script, models, parameters, methods and tolerances, seed),
  and what decides the bytes: the SHA-256 of the script and of this module, the versions
  of dyadmodel and of the figure toolchain (pinned in ``scripts/constraints-figures.txt``)
  and of the browser; ``"source_state": "dirty"`` only when dyadmodel/ or scripts/ have
  uncommitted changes. No timestamps and no git commit (the commit a regenerated figure
  is committed in is never the one it records), so a rerun writes the same bytes.

Without a browser only HTML and JSON are written and one line says how to get the
images, unless ``DYADMODEL_REQUIRE_STATIC=1`` (set in CI), which makes that an error.

The scripts import this module as ``_common``: the ``scripts/`` directory must be on
``sys.path`` (it is when a script is run directly; ``make_figures.py`` and the tests put
it there).
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import importlib.metadata
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from scipy.integrate import solve_ivp

import dyadmodel as dm

__all__ = [
    "REPO",
    "REQUIRE_STATIC_ENV",
    "TRAJECTORY_SETTINGS",
    "StaticExportError",
    "find_browser",
    "save_figure",
    "start_static_server",
    "stop_static_server",
    "trajectory",
]

REPO = Path(__file__).resolve().parent.parent
REQUIRE_STATIC_ENV = "DYADMODEL_REQUIRE_STATIC"
STATIC_FORMATS = ("png", "pdf")
PNG_SCALE = 1
INSTALL_HINT = "apt-get install -y chromium"
HTML_CONFIG = {"displaylogo": False, "responsive": True}
_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)
# Chromium stamps PDFs with the time of export; a fixed stamp of the same length keeps
# the cross-reference table valid and makes reruns byte-identical.
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9]{14}[^)]*\)")

TRAJECTORY_SETTINGS: dict[str, Any] = {
    "integrator": "scipy.integrate.solve_ivp",
    "method": "DOP853",
    "rtol": 1e-10,
    "atol": 1e-12,
}
"""How `trajectory` integrates (recorded in every figure's provenance that uses it)."""

_REQUIRED = ("script", "models", "parameters", "methods", "seed")


class StaticExportError(RuntimeError):
    """Static export (PNG/PDF) is required but cannot run; the message says how to fix it."""


# ---------------------------------------------------------------------------------------
# trajectories


def trajectory(
    model: dm.Model,
    params: dm.ParameterSet,
    x0: Sequence[float],
    t_end: float,
    *,
    inputs: Mapping[str, float] | None = None,
    n_points: int = 600,
) -> tuple[np.ndarray, np.ndarray]:
    """Solve from ``x0`` over ``[0, t_end]``; return ``t`` (n_points,), ``y`` (n, n_points).

    Uses `TRAJECTORY_SETTINGS`; raises with the model, parameters and start if the
    solver fails.
    """
    t_eval = np.linspace(0.0, float(t_end), n_points)
    sol = solve_ivp(
        model.ode(params, inputs),
        (0.0, float(t_end)),
        np.asarray(x0, dtype=float),
        method=TRAJECTORY_SETTINGS["method"],
        rtol=TRAJECTORY_SETTINGS["rtol"],
        atol=TRAJECTORY_SETTINGS["atol"],
        t_eval=t_eval,
    )
    if not sol.success:
        raise RuntimeError(
            f"trajectory of {model.name!r} from {list(x0)} with {params!r} failed: {sol.message}"
        )
    return sol.t, sol.y


# ---------------------------------------------------------------------------------------
# static export


_SERVER = {"running": False, "warned": False}


def find_browser() -> str | None:
    """Path of the Chrome/Chromium that kaleido would use, or None."""
    try:
        from choreographer.browsers.chromium import Chromium

        path = Chromium.find_browser(skip_local=False)
    except Exception:
        path = None
    if path is None:
        for exe in ("chromium", "chromium-browser", "google-chrome", "chrome"):
            path = shutil.which(exe)
            if path:
                break
    return path


def _static_required() -> bool:
    return os.environ.get(REQUIRE_STATIC_ENV, "").strip() not in ("", "0", "false", "no")


def start_static_server(timeout: float = 120.0) -> bool:
    """Start the one kaleido server of this process, if a browser exists.

    Returns True when static export is available. Without a browser: returns False and
    prints one line with the fix, or raises `StaticExportError` when
    ``DYADMODEL_REQUIRE_STATIC=1``. A first tiny export checks that the browser works
    (a server whose browser fails to start would otherwise wait forever).
    """
    if _SERVER["running"]:
        return True
    browser = find_browser()
    if browser is None:
        message = (
            "no Chrome/Chromium found, so PNG/PDF were not written (HTML and JSON were); "
            f"for static images install one ({INSTALL_HINT}) and rerun"
        )
        if _static_required():
            raise StaticExportError(f"{REQUIRE_STATIC_ENV}=1 but {message}")
        if not _SERVER["warned"]:
            print(f"figures: {message}", file=sys.stderr)
            _SERVER["warned"] = True
        return False
    import kaleido

    # MathJax off: dyadmodel figures use no LaTeX, and its CDN is unreachable offline.
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    _SERVER["running"] = True
    atexit.register(stop_static_server)
    outcome: dict[str, Any] = {}

    def probe() -> None:
        try:
            outcome["png"] = _to_image(go.Figure(), format="png", width=20, height=20)
        except BaseException as err:
            outcome["error"] = err

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive() or "error" in outcome:
        why = "timed out" if thread.is_alive() else f"failed: {outcome['error']!r}"
        raise StaticExportError(
            f"static export with the browser at {browser} {why}; check that it starts "
            f"headless (e.g. `{browser} --headless --no-sandbox --dump-dom about:blank`)"
        )
    return True


def stop_static_server() -> None:
    """Stop the kaleido server if this module started it (safe to call twice)."""
    if _SERVER["running"]:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _SERVER["running"] = False


def _to_image(fig: go.Figure, **kwargs: Any) -> bytes:
    with warnings.catch_warnings():
        # plotly hands its own kaleido options to the running server, which ignores them
        # (it was started once, without MathJax) and warns. Harmless.
        warnings.filterwarnings("ignore", "The kopts argument is ignored", UserWarning)
        return pio.to_image(fig, **kwargs)


def _write_static(fig: go.Figure, base: Path) -> list[Path]:
    width = int(fig.layout.width or 1100)
    height = int(fig.layout.height or 500)
    written = []
    for fmt in STATIC_FORMATS:
        data = _to_image(fig, format=fmt, width=width, height=height, scale=PNG_SCALE)
        if fmt == "pdf":
            data = _PDF_DATE.sub(_fixed_pdf_date, data)
        path = base.with_suffix(f".{fmt}")
        path.write_bytes(data)
        written.append(path)
    return written


def _fixed_pdf_date(m: re.Match[bytes]) -> bytes:
    fixed = b"/" + m.group(1) + b" (D:19700101000000+00'00')"
    return fixed if len(fixed) == len(m.group(0)) else m.group(0)


# ---------------------------------------------------------------------------------------
# provenance


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


# What draws the figures besides dyadmodel: pinned for scripts/reproduce.sh in
# scripts/constraints-figures.txt (numerics, then the plotting and static-export chain).
FIGURE_TOOLCHAIN = (
    "numpy",
    "scipy",
    "sympy",
    "mpmath",
    "python-flint",
    "numba",
    "llvmlite",
    "plotly",
    "kaleido",
    "choreographer",
)

# Whose uncommitted changes make a figure's provenance "dirty": the package and the
# figure scripts (not, say, the paper or the README).
SOURCE_PATHS = ("dyadmodel", "scripts")


def sha256_of(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def browser_version() -> str | None:
    """``--version`` of the browser that renders PNG/PDF (it decides their pixels), or None."""
    if "browser" not in _BROWSER:
        path, version = find_browser(), None
        if path is not None:
            try:
                out = subprocess.run(
                    [path, "--version"], capture_output=True, text=True, timeout=30, check=True
                )
                version = out.stdout.strip() or None
            except (OSError, subprocess.SubprocessError):
                version = None
        _BROWSER["browser"] = version
    return _BROWSER["browser"]


_BROWSER: dict[str, str | None] = {}


def _versions(static: bool) -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version(), "dyadmodel": dm.__version__}
    for pkg in FIGURE_TOOLCHAIN:
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            out[pkg] = None
    if static:
        out["browser"] = browser_version()
    return out


def source_state() -> str | None:
    """``"dirty"`` when dyadmodel/ or scripts/ differ from the git commit checked out,
    ``None`` when they do not or when this is not a git checkout (an unpacked sdist)."""
    status = _git("status", "--porcelain", "--untracked-files=no", "--", *SOURCE_PATHS)
    return "dirty" if status else None


def determinants(script: str | Path) -> dict[str, str]:
    """What decides a figure's bytes besides the toolchain versions: the SHA-256 of the
    figure script and of this module (no git commit: it is never the commit that the
    regenerated figure is then committed in)."""
    path = Path(script)
    if not path.is_absolute():
        path = REPO / path
    return {"script_sha256": sha256_of(path), "common_sha256": sha256_of(__file__)}


def jsonable(obj: Any) -> Any:
    """``obj`` as plain JSON data: mappings (and ParameterSets), dataclasses, arrays."""
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = {f.name: jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        return {"type": type(obj).__name__, **fields}
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (complex, np.complexfloating)):
        return {"re": jsonable(obj.real), "im": jsonable(obj.imag)}
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        v = float(obj)
        return v if math.isfinite(v) else str(v)
    if obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"provenance value of type {type(obj).__name__} is not JSON data: {obj!r}")


# ---------------------------------------------------------------------------------------
# saving


def save_figure(
    fig: go.Figure, outdir: str | Path, name: str, provenance: Mapping[str, Any]
) -> list[Path]:
    """Write ``name``.html (+ .png, .pdf when a browser exists) and ``name``.json.

    Parameters
    ----------
    fig : plotly Figure
        Its ``layout.width`` and ``layout.height`` set the static image size.
    outdir : path
        Created if missing; ``plotly.min.js`` is written there once.
    name : str
        File stem, e.g. ``"fig01_balanced_vs_entrenched"``.
    provenance : mapping
        At least ``script``, ``models``, ``parameters``, ``methods`` and ``seed``; any
        other keys (``caption``, ``inputs``, ``tolerances``, ...) are kept. ParameterSets,
        option dataclasses and arrays are converted to JSON data.

    Returns
    -------
    list of Path
        The files written, in the order HTML, PNG, PDF, JSON.
    """
    missing = [k for k in _REQUIRED if k not in provenance]
    if missing:
        raise ValueError(f"provenance of {name!r} lacks {', '.join(missing)}")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise ValueError(f"figure name {name!r} must be a plain file stem")
    script = Path(str(provenance["script"]))
    if not (script if script.is_absolute() else REPO / script).is_file():
        raise ValueError(
            f"provenance script {provenance['script']!r} of {name!r} is not a file; expected "
            "the figure script's path relative to the repository (its SHA-256 is recorded)"
        )
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    base = out / name

    html_path = base.with_suffix(".html")
    pio.write_html(
        fig,
        html_path,
        include_plotlyjs="directory",
        full_html=True,
        div_id=f"figure-{name}",  # a fixed id: plotly's default is a random uuid
        config=HTML_CONFIG,
        include_mathjax=False,
        validate=True,
    )
    html = html_path.read_text(encoding="utf-8")
    if _EXTERNAL_SCRIPT.search(html):
        raise RuntimeError(f"{html_path} loads a script from the network; figures must be offline")
    if not (out / "plotly.min.js").is_file():
        raise RuntimeError(f"plotly.min.js was not written beside {html_path}")
    written = [html_path]

    static = start_static_server()
    if static:
        written += _write_static(fig, base)

    record = {
        "figure": name,
        **{k: v for k, v in provenance.items() if k != "figure"},
        "files": [p.name for p in [*written, base.with_suffix(".json")]],
        "versions": _versions(static),
        **determinants(provenance["script"]),
    }
    if (state := source_state()) is not None:
        record["source_state"] = state
    json_path = base.with_suffix(".json")
    json_path.write_text(
        json.dumps(jsonable(record), indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    written.append(json_path)
    return written
