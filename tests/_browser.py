"""Shared set-up of the browser tests: Playwright for Python driving Debian's chromium.

Without /usr/bin/chromium (or Playwright) a browser test is skipped, unless
``DYADMODEL_REQUIRE_BROWSER=1`` (set in CI), which makes that a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

CHROMIUM = "/usr/bin/chromium"


def need_browser() -> None:
    """Skip the calling test without chromium or Playwright (fail if they are required)."""
    reason = None
    if not shutil.which(CHROMIUM):
        reason = f"{CHROMIUM} not found (apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright for Python is not installed (pip install playwright)"
    if reason:
        if os.environ.get("DYADMODEL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (DYADMODEL_REQUIRE_BROWSER=1): {reason}")
        pytest.skip(reason)


@contextmanager
def launch_browser() -> Iterator:
    """A headless chromium (after `need_browser`), closed on exit."""
    need_browser()
    from playwright.sync_api import sync_playwright

    from dyadmodel.app._screenshot import BROWSER_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()
