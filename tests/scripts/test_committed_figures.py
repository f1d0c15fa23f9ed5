"""The committed figures: every script has its outputs, PNGs are not blank, HTML is offline."""

import json
import re
import struct
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "figures"
SCRIPTS = sorted((ROOT / "scripts").glob("fig[0-9][0-9]_*.py"))


def png_pixels(path: Path) -> bytes:
    """The decompressed image data of a PNG (filter bytes included)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return zlib.decompress(idat)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_each_script_has_its_committed_outputs(script):
    for ext in ("html", "png", "pdf", "json"):
        assert (FIGURES / f"{script.stem}.{ext}").is_file(), f"{script.stem}.{ext} missing"
    meta = json.loads((FIGURES / f"{script.stem}.json").read_text())
    assert meta["script"].endswith(script.name)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_pngs_are_not_blank(script):
    pixels = png_pixels(FIGURES / f"{script.stem}.png")
    # a blank (single-colour) image filters to a handful of distinct byte values; a plot
    # with lines, markers and text has many
    assert len(set(pixels)) > 50


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_html_loads_no_remote_script(script):
    html = (FIGURES / f"{script.stem}.html").read_text()
    assert not re.search(r"<script[^>]+src=[\"']https?:", html)
    assert 'src="plotly.min.js"' in html
