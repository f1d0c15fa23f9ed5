"""The paper: its generated equations, tables and bibliography are current and complete.

`scripts/make_paper.py` regenerates everything into a temporary directory; the test
fails when the committed ``paper/generated/*``, ``paper/paper.bib`` or the marked
sections of ``paper/paper.md`` differ, i.e. when the paper is stale. Fix by running
``.venv/bin/python scripts/make_paper.py`` and committing the result.
"""

import importlib.util
import re
from pathlib import Path

import pytest

import dyadmodel as dm
from tests.test_citation import parse_bibtex

REPO = Path(__file__).resolve().parents[1]
PAPER = REPO / "paper"
STALE = "stale: run `.venv/bin/python scripts/make_paper.py` and commit paper/"


def _load_make_paper():
    spec = importlib.util.spec_from_file_location("make_paper", REPO / "scripts" / "make_paper.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_paper = _load_make_paper()


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("paper")
    generated = make_paper.main(out)
    return out, generated


@pytest.fixture(scope="module")
def paper_md():
    return (PAPER / "paper.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bib_keys():
    return [key for _, key, _ in parse_bibtex(_strip_comments(PAPER / "paper.bib"))]


def _strip_comments(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("%"))


def test_generated_files_are_current(regenerated):
    out, generated = regenerated
    committed = {p.name for p in (PAPER / "generated").iterdir()}
    assert committed == set(generated), f"paper/generated/ holds other files; {STALE}"
    for name in sorted(generated):
        fresh = (out / name).read_text(encoding="utf-8")
        old = (PAPER / "generated" / name).read_text(encoding="utf-8")
        assert old == fresh, f"paper/generated/{name} is {STALE}"


def test_paper_md_and_bib_are_current(regenerated, paper_md):
    out, _ = regenerated
    assert paper_md == (out / "paper.md").read_text(encoding="utf-8"), f"paper.md is {STALE}"
    bib = (PAPER / "paper.bib").read_text(encoding="utf-8")
    assert bib == (out / "paper.bib").read_text(encoding="utf-8"), f"paper.bib is {STALE}"


def test_every_generated_table_and_equation_is_in_the_paper(paper_md):
    marked = make_paper.marked_names(paper_md)
    assert len(marked) == len(set(marked))
    for name in (
        "equations_2d.md",
        "equations_full.md",
        "equilibria_table.md",
        "attachment_pairings.md",
    ):
        assert name in marked
        body = (PAPER / "generated" / name).read_text(encoding="utf-8")
        assert body in paper_md


def test_a_stale_section_is_detected(paper_md, regenerated):
    _, generated = regenerated
    tampered = paper_md.replace("| saddle |", "| stable node |")
    assert tampered != paper_md
    assert make_paper.fill_markers(tampered, generated) == paper_md


def test_equilibria_table_matches_the_analysis():
    table = (PAPER / "generated" / "equilibria_table.md").read_text(encoding="utf-8")
    m = dm.models.get(make_paper.FLAGSHIP_2D)
    for e in dm.equilibria(m, m.params()):
        assert f"| {e.kind} | {e.label} |" in table
    assert "(0.1367, 0.1367)" in table and "(1.463, 1.463)" in table


def test_attachment_table_has_16_pairings():
    table = (PAPER / "generated" / "attachment_pairings.md").read_text(encoding="utf-8")
    rows = [
        line for line in table.splitlines() if re.match(r"\| (secure|anxious|avoid|fear)", line)
    ]
    assert len(rows) == 16


def test_front_matter(paper_md):
    assert paper_md.startswith("---\n")
    front = paper_md.split("\n---\n", 1)[0]
    for field in ("title:", "tags:", "authors:", "affiliations:", "date:", "bibliography:"):
        assert re.search(rf"^{field}", front, flags=re.M), field
    assert "name: The dyadmodel developers" in front
    assert re.search(r"^bibliography: paper\.bib$", front, flags=re.M)
    for section in (
        "Summary",
        "Statement of need",
        "State of the field",
        "Software design",
        "Research use",
        "Acknowledgements",
        "References",
    ):
        assert re.search(rf"^# {section}$", paper_md, flags=re.M), section


def test_bibliography_has_every_cited_key_and_every_model_reference(paper_md, bib_keys):
    assert len(bib_keys) == len(set(bib_keys)), "duplicate keys in paper.bib"
    body = paper_md.split("\n---\n", 1)[1]
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    cited = set(re.findall(r"(?<![\w.])@([A-Za-z][\w:-]*\w)", body))
    assert cited, "the paper cites nothing"
    assert cited <= set(bib_keys), f"cited but not in paper.bib: {sorted(cited - set(bib_keys))}"
    for name in dm.models.names():
        for ref in dm.models.get(name).references:
            assert ref.key in bib_keys, (name, ref.key)
            assert ref.key in cited, f"the paper does not cite {ref.key} ({name})"
    assert bib_keys[0] == "dyadmodel"


def test_referenced_figures_exist(paper_md):
    figures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", paper_md)
    assert len(figures) >= 3
    for fig in figures:
        assert (PAPER / fig).resolve().is_file(), fig
