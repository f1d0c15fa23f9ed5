"""The repository stands on its own: no reference to notes that are not in it.

The model's scientific rationale (the numbered phenomena, the term that carries each and
its evidence) is the section "Phenomena and model design" of ``paper/paper.md``. A
tracked file that points to a design note, "source texts" or a seeds folder outside the
repository, or names a phenomenon number the paper does not define, sends the reader
nowhere; these tests fail on either.
"""

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAPER = REPO / "paper" / "paper.md"
SECTION = "Phenomena and model design"

#: Wording that points outside the repository. Case-insensitive.
# spelled in pieces so that this file does not itself match what it forbids
FORBIDDEN = ("DESIGN" + ".md", "shared/" + "seeds", "design " + "notes", "source " + "texts")

#: Files that may mention the forbidden wording: the changelog records history, and
#: this test names the wording it forbids.
EXEMPT = {"CHANGELOG.md", "tests/test_repo.py"}

#: "phenomenon 3", "Phenomena 1, 2, 3, 7, 8", "phenomena 2 and 3", "phenomena 1-9".
_MENTION = re.compile(
    r"\bphenomen(?:on|a)\s+(\d+(?:\s*(?:,|-|–|and|or|\(and)\s*\d+)*)", flags=re.IGNORECASE
)


def _tracked_text_files() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        pytest.skip("not a git checkout (e.g. an unpacked sdist)")
    files = []
    for name in out.decode().split("\0"):
        if not name or name in EXEMPT:
            continue
        path = REPO / name
        if path.suffix.lower() in {".png", ".pdf", ".zarr", ".ico", ".gz", ".zip"}:
            continue
        if path.is_file():
            files.append(path)
    return files


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None


def defined_phenomena(paper: str) -> set[int]:
    """The numbers of the bold "**Phenomenon N: ...**" headings in the paper's section."""
    match = re.search(rf"^# {re.escape(SECTION)}\n(.*?)(?=^# )", paper, flags=re.M | re.S)
    assert match, f'paper/paper.md has no section "# {SECTION}"'
    numbers = [int(n) for n in re.findall(r"^\*\*Phenomenon (\d+):", match.group(1), re.M)]
    assert len(numbers) == len(set(numbers)), f"a phenomenon is defined twice: {numbers}"
    return set(numbers)


def mentioned_phenomena(text: str) -> set[int]:
    """Every phenomenon number ``text`` mentions; a range ``1-8`` counts each number."""
    found: set[int] = set()
    for match in _MENTION.finditer(text):
        group = match.group(1)
        for a, b in re.findall(r"(\d+)\s*[-–]\s*(\d+)", group):
            found.update(range(int(a), int(b) + 1))
        found.update(int(n) for n in re.findall(r"\d+", group))
    return found


def test_the_paper_numbers_the_phenomena_one_to_nine_in_order():
    paper = PAPER.read_text(encoding="utf-8")
    assert defined_phenomena(paper) == set(range(1, 10))
    section = paper.split(f"# {SECTION}\n", 1)[1].split("\n# ", 1)[0]
    order = [int(n) for n in re.findall(r"^\*\*Phenomenon (\d+):", section, re.M)]
    assert order == sorted(order)
    # each phenomenon names the model term or preset that carries it and cites evidence
    for block in re.split(r"^\*\*Phenomenon \d+:", section, flags=re.M)[1:]:
        assert "Model:" in block, block[:80]
        assert "[@" in block, block[:80]


def test_the_flagship_section_cites_the_empirical_demand_withdraw_literature():
    section = PAPER.read_text(encoding="utf-8").split(f"# {SECTION}\n", 1)[1]
    section = section.split("\n# ", 1)[0]
    for key in ("christensen1990gender", "eldridge2002demand", "schrodt2014meta"):
        assert f"@{key}" in section, key


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("see phenomenon 3 of the paper", {3}),
        ("Phenomena 1, 2, 3, 7, 8: the default couple", {1, 2, 3, 7, 8}),
        ("phenomena 2 and 3", {2, 3}),
        ("Phenomenon 3 (and 9): bistable", {3, 9}),
        ("phenomena 1-9", set(range(1, 10))),
        ("phenomena 7\nand 8 of the paper", {7, 8}),
        ("which phenomenon, which couple", set()),
        ("phenomenon 12", {12}),
    ],
)
def test_mentions_are_parsed(text, numbers):
    assert mentioned_phenomena(text) == numbers


def test_no_tracked_file_points_outside_the_repository():
    offenders = []
    for path in _tracked_text_files():
        text = _read(path)
        if text is None:
            continue
        lowered = text.lower()
        for word in FORBIDDEN:
            if word.lower() in lowered:
                line = lowered[: lowered.index(word.lower())].count("\n") + 1
                offenders.append(f"{path.relative_to(REPO)}:{line}: {word!r}")
    assert not offenders, (
        "these files refer to notes outside the repository; point them to "
        f'paper/paper.md, "{SECTION}", or to the cited source instead:\n' + "\n".join(offenders)
    )


def test_every_phenomenon_mentioned_is_defined_in_the_paper():
    defined = defined_phenomena(PAPER.read_text(encoding="utf-8"))
    offenders = []
    for path in _tracked_text_files():
        text = _read(path)
        if text is None:
            continue
        unknown = mentioned_phenomena(text) - defined
        if unknown:
            offenders.append(f"{path.relative_to(REPO)}: phenomenon {sorted(unknown)}")
    assert not offenders, (
        f'phenomena not defined in paper/paper.md, "{SECTION}" '
        f"(defined: {sorted(defined)}):\n" + "\n".join(offenders)
    )
