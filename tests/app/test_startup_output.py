"""`dyadmodel explore` prints one line with its address and nothing else at start-up or
per request: no Flask banner, no "development server" warning, no ANSI colour when the
output is not a terminal (issue 13 §5). Also `dyadmodel --version` and `describe`'s
presets, the other first-run outputs."""

import socket
import subprocess
import sys
import time
import urllib.request

import dyadmodel as dm
from dyadmodel.cli import main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_explore_prints_one_line_with_the_address_and_no_banner(tmp_path):
    port = free_port()
    log = tmp_path / "out.txt"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; from dyadmodel.cli import main; sys.exit(main(sys.argv[1:]))",
                "explore",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline, answered = time.monotonic() + 90, False
            while time.monotonic() < deadline and not answered and proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                        answered = r.status == 200
                except OSError:
                    time.sleep(0.3)
            assert answered, f"the explorer did not answer: {log.read_text()!r}"
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    text = log.read_text()
    assert text.splitlines() == [
        f"dyadmodel explorer: http://127.0.0.1:{port}/ (Ctrl+C to stop)"
    ], text
    assert "\x1b[" not in text


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"dyadmodel {dm.__version__}"


def test_describe_lists_the_presets(capsys):
    model = dm.models.get("pursuer-distancer-2d")
    assert main(["describe", model.name]) == 0
    out = capsys.readouterr().out
    assert "presets (analyze --preset NAME):" in out
    for name in model.presets:
        assert f"\n  {name}: " in out
