"""The outputs of the README's commands and the example files land where git ignores
them, so following the README leaves `git status` clean (issue 13 §5)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_OPTION = re.compile(r"--(?:outdir|out)[ =](\S+)")

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="needs a git checkout (not an unpacked sdist)",
)


def documented_outputs() -> list[str]:
    texts = [ROOT / "README.md", *sorted((ROOT / "examples").glob("*.toml"))]
    found = {
        m.group(1).rstrip(".,;:").strip("`'\"").rstrip(".,;:")
        for p in texts
        for m in OUTPUT_OPTION.finditer(p.read_text())
    }
    return sorted(found)


def ignored(path: str) -> bool:
    probe = path.rstrip("/") + ("/probe.csv" if path.endswith("/") else "")
    out = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", probe], check=False)
    return out.returncode == 0


def test_the_readme_names_output_locations():
    assert "dyadmodel-results/" in documented_outputs()


@pytest.mark.parametrize("path", documented_outputs())
def test_documented_outputs_are_ignored_by_git(path):
    assert ignored(path), f"{path} (an output of a documented command) is not in .gitignore"


def test_default_output_directories_are_ignored():
    for path in ("dyadmodel-results/", "dyadmodel-exports/"):
        assert ignored(path)
    assert not ignored("dyadmodel/model.py")  # the probe can say no
