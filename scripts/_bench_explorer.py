"""The explorer as the user sees it: Chromium driven by Playwright (issue 17).

Part ``explorer-browser`` of ``scripts/benchmark.py``; run alone with
``.venv/bin/python scripts/_bench_explorer.py [--events N] [--paths server,client]``.

For the 2D flagship it serves the explorer in a thread, once per path
(``create_app(client_side=False)``: every update computed on the server, the explorer
before issue 17; ``client_side=True``: field, nullclines, Newton equilibria and
trajectories computed in the page, the server adding certified equilibria and the heavy
layers afterwards), and measures, over ``N`` events each:

Times run from the input event as the page received it (its ``keydown`` or
``mousedown`` event's timestamp) to the paint, both in page time: Playwright's own
round trips are not counted.

- slider edit: one keyboard step of ``anxiety_gain_1`` (its slider focused, ArrowRight /
  ArrowLeft) until the portrait has been repainted (plotly's ``afterplot``) AND the
  equilibria table has changed; for the client path also until the certified table from
  the server has arrived;
- click: a click on the plane until a trajectory starting at the clicked point is drawn
  (by plotly as a trace, or by the page as a path before plotly's repaint, whichever
  comes first), and until plotly has drawn it as a trace (with its start marker,
  arrowheads and legend entry);
- page load: ``goto`` until the portrait and the equilibria table are on the page;

and, from hooks on the Flask server, the server time of each callback request
(``/_dash-update-component``, by its outputs) and the bytes of its response. Each event
waits until no request is in flight before the next one starts (a quiet hand: the time
measured is that of one edit, not of a queue). Page load is timed from ``goto`` in
Python; the other times are page time (``performance.timeOrigin + performance.now()``).
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import statistics
import threading
import time
from collections import defaultdict

import numpy as np

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SLIDER = "anxiety_gain_1"

# Marks, in page time (epoch ms), the last repaint of the portrait, the last change of
# the equilibria table and of its certified status; re-armed when Dash replaces nodes.
_ARM = """() => {
  const B = window.__bench = window.__bench ||
    {plot: 0, table: 0, certified: 0, input: 0, traj: 0, trace: 0};
  const now = () => performance.timeOrigin + performance.now();
  if (!window.__benchInputArmed) {
    // the input event itself, in page time: the user's press or click, not Playwright's
    for (const kind of ['keydown', 'mousedown']) {
      document.addEventListener(kind, (ev) => {
        B.input = performance.timeOrigin + ev.timeStamp;
      }, {capture: true});
    }
    window.__benchInputArmed = true;
  }
  const gd = document.querySelector('#portrait .js-plotly-plot');
  if (gd && !gd.__benchArmed) {
    gd.on('plotly_afterplot', () => {
      B.plot = now();
      const want = window.__benchTarget;
      if (want && !B.trace && window.__benchHasTraj(want)) {
        B.trace = B.plot;
        if (!B.traj) B.traj = B.plot;
      }
    });
    // the page's own drawing of a clicked trajectory, before plotly's repaint
    gd.addEventListener('dyadmodel:trajectory', (ev) => {
      const want = window.__benchTarget, [x, y] = ev.detail.start;
      if (want && !B.traj && Math.abs(x - want[0]) < want[2] && Math.abs(y - want[1]) < want[2]) {
        B.traj = now();
      }
    });
    gd.__benchArmed = true;
  }
  for (const [sel, key] of [['#eq-table', 'table'], ['#eq-complete', 'certified']]) {
    const el = document.querySelector(sel);
    if (el && !el.__benchArmed) {
      new MutationObserver(() => { B[key] = now(); }).observe(
        el, {subtree: true, childList: true, characterData: true});
      el.__benchArmed = true;
    }
  }
  return true;
}"""

_TO_PIXELS = """([x, y]) => {
  const gd = document.querySelector('#portrait .js-plotly-plot');
  const r = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  return [r.left + xa.l2p(x), r.top + ya.l2p(y)];
}"""

# True once a trajectory trace starts within tol of (x, y) (arrays may be base64 bdata).
_HAS_TRAJ = """([x, y, tol]) => {
  const gd = document.querySelector('#portrait .js-plotly-plot');
  const first = (v) => {
    if (v && v.bdata !== undefined) {
      const T = {f4: Float32Array, f8: Float64Array}[v.dtype];
      const b = Uint8Array.from(atob(v.bdata), (c) => c.charCodeAt(0));
      return new T(b.buffer)[0];
    }
    return v ? v[0] : NaN;
  };
  return (gd.data || []).some((t) => t.meta && t.meta.role === 'trajectory'
    && Math.abs(first(t.x) - x) < tol && Math.abs(first(t.y) - y) < tol);
}"""


class RequestLog:
    """Server time and response bytes of each Dash callback request (Flask hooks)."""

    def __init__(self, server) -> None:
        self.lock = threading.Lock()
        self.records: list[dict] = []
        self.in_flight = 0
        local = threading.local()

        @server.before_request
        def _start():
            from flask import request

            if request.path.endswith("/_dash-update-component"):
                local.t0 = time.perf_counter()
                local.wall = time.time() * 1e3
                body = request.get_json(silent=True) or {}
                local.output = str(body.get("output", "?"))
                with self.lock:
                    self.in_flight += 1

        @server.after_request
        def _end(response):
            from flask import request

            if request.path.endswith("/_dash-update-component"):
                record = {
                    "output": _short(local.output),
                    "start": local.wall,
                    "server_ms": 1e3 * (time.perf_counter() - local.t0),
                    "bytes": len(response.get_data()) if not response.direct_passthrough else 0,
                    "status": response.status_code,
                }
                with self.lock:
                    self.records.append(record)
                    self.in_flight -= 1
            return response

    def since(self, wall_ms: float) -> list[dict]:
        with self.lock:
            return [r for r in self.records if r["start"] >= wall_ms - 1]


def _short(output: str) -> str:
    """A callback's outputs, short: '..portrait.figure...eq-table.children..' -> names."""
    parts = [p.split(".")[0] for p in output.strip(".").split("...") if p]
    names = []
    for p in parts:
        try:
            p = json.loads(p).get("type", p)  # pattern-matching ids
        except (ValueError, AttributeError):
            pass
        if p not in names:
            names.append(str(p))
    return "+".join(names[:3]) + ("+..." if len(names) > 3 else "")


def _quiet(page, log: RequestLog, timeout: float = 30.0, calm_ms: float = 150.0) -> None:
    """Wait until no callback request has been in flight for ``calm_ms``."""
    deadline = time.time() + timeout
    calm_since = None
    while time.time() < deadline:
        page.wait_for_timeout(20)
        with log.lock:
            busy = log.in_flight > 0
        if busy:
            calm_since = None
        elif calm_since is None:
            calm_since = time.time()
        elif (time.time() - calm_since) * 1e3 >= calm_ms:
            return
    raise TimeoutError("the explorer did not become quiet")


def _stats(values: list[float]) -> str:
    if not values:
        return "   n/a"
    return (
        f"median {statistics.median(values):7.0f} ms  max {max(values):7.0f} ms  (n={len(values)})"
    )


def _slider_of(model) -> str:
    """The parameter whose slider is moved: anxiety_gain_1, else the model's first."""
    names = model.parameter_names
    return SLIDER if SLIDER in names else names[0]


def measure(
    client_side: bool, events: int, browser, model_name: str = "pursuer-distancer-2d"
) -> dict:
    """The numbers of one path of the explorer (see the module docstring)."""
    import dyadmodel as dm

    model = dm.models.get(model_name)
    slider = _slider_of(model)
    box_lo, box_hi = (model.states[0].domain, model.states[1].domain)
    from dyadmodel.app import create_app
    from dyadmodel.app._screenshot import serve_in_thread

    kwargs = {"client_side": client_side} if _has_option() else {}
    app = create_app(model_name, **kwargs)
    log = RequestLog(app.server)
    url, stop = serve_in_thread(app)
    out: dict = defaultdict(list)
    try:
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.set_default_timeout(30_000)
        # page loads (the first one warms the server's caches and is not counted)
        for k in range(events + 1):
            t0 = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#portrait .js-plotly-plot .nsewdrag")
            page.wait_for_selector("#eq-table tbody tr")
            if k:
                out["load"].append(1e3 * (time.perf_counter() - t0))
            _quiet(page, log)
        page.evaluate(f"() => {{ window.__benchHasTraj = {_HAS_TRAJ}; return true; }}")
        page.evaluate(_ARM)
        handle = page.locator(f".param-{slider} [role=slider]")
        box = page.locator(f".param-{slider} input")
        # slider edits: one step right each, so that every value is new (no cache helps)
        for _k in range(events):
            key = "ArrowRight"
            handle.focus()
            before = box.input_value()
            page.evaluate(_ARM)
            t0 = time.time() * 1e3
            handle.press(key)
            page.wait_for_function(
                "([t0, v, sel]) => window.__bench.plot > t0 && window.__bench.table > t0"
                " && document.querySelector(sel).value !== v",
                arg=[t0, before, f".param-{slider} input"],
            )
            marks = page.evaluate("window.__bench")
            out["slider"].append(max(marks["plot"], marks["table"]) - marks["input"])
            if client_side:
                page.wait_for_function(
                    "t0 => window.__bench.certified > t0 && document.querySelector("
                    "'#eq-complete').innerText.startsWith('Certified by the server')",
                    arg=t0,
                )
            _quiet(page, log)
            marks = page.evaluate("window.__bench")
            if client_side:
                out["certified"].append(marks["certified"] - t0)
            for r in log.since(t0):
                out[f"server:{r['output']}"].append(r["server_ms"])
                out[f"bytes:{r['output']}"].append(r["bytes"])
            out["bytes per slider edit"].append(sum(r["bytes"] for r in log.since(t0)))
        # clicks on the plane at points of a fixed pseudo-random sequence
        rng = np.random.default_rng(17)
        page.locator("#portrait").scroll_into_view_if_needed()
        for k in range(events):
            if k and k % 6 == 0:
                page.click("#clear")
                _quiet(page, log)
                page.wait_for_timeout(100)
            u = rng.uniform(0.05, 0.95, 2)
            target = [
                float(box_lo[0] + u[0] * (box_lo[1] - box_lo[0])),
                float(box_hi[0] + u[1] * (box_hi[1] - box_hi[0])),
            ]
            px = page.evaluate(_TO_PIXELS, target)
            page.mouse.move(*px, steps=3)
            page.wait_for_timeout(250)  # plotly throttles hover; a click uses the hovered point
            tol = 0.03 * max(box_lo[1] - box_lo[0], box_hi[1] - box_hi[0])
            page.evaluate(
                "(want) => { window.__benchTarget = want;"
                " window.__bench.traj = window.__bench.trace = 0; }",
                [*target, tol],
            )
            page.evaluate(_ARM)
            t0 = time.time() * 1e3
            page.mouse.click(*px)
            page.wait_for_function("() => window.__bench.traj > 0 && window.__bench.trace > 0")
            marks = page.evaluate("window.__bench")
            out["click"].append(marks["traj"] - marks["input"])
            out["click-trace"].append(marks["trace"] - marks["input"])
            _quiet(page, log)
            for r in log.since(t0):
                out[f"server:{r['output']}"].append(r["server_ms"])
                out[f"bytes:{r['output']}"].append(r["bytes"])
            out["bytes per click"].append(sum(r["bytes"] for r in log.since(t0)))
        page.close()
    finally:
        stop()
    return dict(out)


def _has_option() -> bool:
    from dyadmodel.app import create_app

    return "client_side" in inspect.signature(create_app).parameters


def bench_explorer_browser(
    events: int = 20,
    paths: tuple[str, ...] = ("server", "client"),
    model: str = "pursuer-distancer-2d",
):
    """Print the user-side times of the explorer, old (server) and new (client) path."""
    from playwright.sync_api import sync_playwright

    from dyadmodel.app._screenshot import BROWSER_ARGS

    if not _has_option():
        paths = ("server",)
    print(
        f"\n== explorer in Chromium (Playwright), {model}, {events} events "
        f"each; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}, "
        f"{os.cpu_count()} cores =="
    )
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        for path in paths:
            results[path] = measure(path == "client", events, browser, model)
        browser.close()
    for path, out in results.items():
        print(f"-- {path} path ({'client_side=True' if path == 'client' else 'client_side=False'})")
        print(f"  slider edit -> portrait + table   {_stats(out.get('slider', []))}")
        if out.get("certified"):
            print(f"  slider edit -> certified table    {_stats(out['certified'])}")
        print(f"  click -> trajectory drawn         {_stats(out.get('click', []))}")
        if out.get("click-trace") != out.get("click"):
            print(f"  click -> trajectory as a trace    {_stats(out.get('click-trace', []))}")
        print(f"  page load                         {_stats(out.get('load', []))}")
        for key in ("bytes per slider edit", "bytes per click"):
            v = out.get(key, [])
            if v:
                print(f"  {key:<32}  median {statistics.median(v) / 1e3:7.1f} kB")
        for key in sorted(k for k in out if k.startswith("server:")):
            v = out[key]
            name = key.split(":", 1)[1]
            size = out.get(f"bytes:{name}", [])
            kb = f"  {statistics.median(size) / 1e3:7.1f} kB" if size else ""
            print(
                f"  server {name[:40]:<40} median {statistics.median(v):6.0f} ms "
                f"max {max(v):6.0f} ms (n={len(v)}){kb}"
            )
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--paths", default="server,client")
    parser.add_argument("--model", default="pursuer-distancer-2d")
    args = parser.parse_args()
    bench_explorer_browser(args.events, tuple(args.paths.split(",")), args.model)
