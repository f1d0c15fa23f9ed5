"""Serve the explorer in a thread, and the README screenshot (``figures/explorer.png``).

Run ``python -m dyadmodel.app._screenshot [figures/explorer.png]``; it needs Playwright
for Python and a Chromium (``/usr/bin/chromium`` by default, ``CHROMIUM`` to change it).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

__all__ = ["BROWSER_ARGS", "screenshot", "serve_in_thread"]

#: Chromium flags that work headless in containers and offline CI (no sandbox, no GPU,
#: no background network traffic).
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def serve_in_thread(app, host: str = "127.0.0.1") -> tuple[str, Callable[[], None]]:
    """Serve a Dash app on a free port of ``host`` in a daemon thread.

    Returns the base URL and a function that stops the server.
    """
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server(host, 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)

    return f"http://{host}:{server.server_port}/", stop


def screenshot(out: str | Path = "figures/explorer.png", *, query: str = "") -> Path:
    """A 1200 x 800 screenshot of the explorer with one trajectory launched."""
    from playwright.sync_api import sync_playwright

    from dyadmodel.app import create_app

    url, stop = serve_in_thread(create_app())
    out = Path(out)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                headless=True,
                args=BROWSER_ARGS,
            )
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.goto(url + query)
            page.wait_for_selector("#portrait .js-plotly-plot .nsewdrag")
            page.wait_for_selector("#eq-table tbody tr")
            for k, target in enumerate(((3.2, 0.6), (0.6, 2.6), (0.75, 0.1))):
                px = page.evaluate(_TO_PIXELS, list(target))
                page.mouse.move(*px, steps=4)
                page.wait_for_timeout(250)  # plotly throttles hover; click uses the hover
                page.mouse.click(*px)
                page.wait_for_function(f"{_N_TRAJ} >= {k + 1}")
            page.mouse.move(5, 5)  # no hover label in the picture
            page.wait_for_timeout(800)
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            browser.close()
    finally:
        stop()
    return out


#: JavaScript: page coordinates of a data point (x, y) of the portrait.
_TO_PIXELS = """([x, y]) => {
  const gd = document.querySelector('#portrait .js-plotly-plot');
  const r = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  return [r.left + xa.l2p(x), r.top + ya.l2p(y)];
}"""
_N_TRAJ = """document.querySelector('#portrait .js-plotly-plot').data
  .filter(t => t.meta && t.meta.role === 'trajectory').length"""


if __name__ == "__main__":
    print(screenshot(*sys.argv[1:2]))
