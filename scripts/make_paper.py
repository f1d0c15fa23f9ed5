"""Generate the paper's equations, tables and bibliography from the code.

Writes into ``paper/generated/``:

- ``equations_2d.tex`` / ``.md``: the reduced flagship model (``pursuer-distancer-2d``),
  from ``model.latex()``;
- ``equations_full.tex`` / ``.md``: the 6-state flagship model (``pursuer-distancer``);
- ``equilibria_table.md``: every equilibrium of the 2D model at its default parameters
  (``dm.equilibria``: state, kind, couple label, eigenvalues, 4 significant digits);
- ``attachment_pairings.md``: the 16 pairings of attachment styles for the 2D model
  (``dyadmodel.continuation.attachment_regime_table``);
- ``paper.bib``: the package, every registered model's references and every method's
  references (``dyadmodel.citation``), plus the software compared in the paper and the
  evidence of its "Phenomena and model design" section.

and then:

- copies ``paper.bib`` to ``paper/paper.bib`` (JOSS wants it beside ``paper.md``);
- fills ``paper/paper.md`` in place: the text between
  ``<!-- begin generated: NAME -->`` and ``<!-- end generated: NAME -->`` is replaced by
  ``generated/NAME``. Everything outside the markers is hand-written and left alone, so
  ``paper.md`` stays a plain, buildable pandoc/JOSS file (pandoc cannot include files).

``tests/test_paper.py`` regenerates everything into a temporary directory and fails when
the committed files differ, i.e. when the paper is stale. After changing a model, the
analysis or the prose around a marker, run:

    .venv/bin/python scripts/make_paper.py

Run with ``--outdir DIR`` to write the generated files (and a filled copy of paper.md)
to DIR instead of updating ``paper/``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import dyadmodel as dm
from dyadmodel.citation import METHODS, references
from dyadmodel.continuation import attachment_regime_table

REPO = Path(__file__).resolve().parent.parent
PAPER_DIR = REPO / "paper"
GENERATED = PAPER_DIR / "generated"
FLAGSHIP_2D = "pursuer-distancer-2d"
FLAGSHIP_FULL = "pursuer-distancer"

_MARKER = re.compile(
    r"(<!-- begin generated: (?P<name>[\w.-]+) -->\n)(?P<body>.*?)"
    r"(<!-- end generated: (?P=name) -->)",
    re.DOTALL,
)

# Works the paper compares with or discusses that are not model or method references.
SOFTWARE_BIBTEX = (
    "@book{polking2003ordinary,\n"
    "  author = {Polking, John C. and Arnold, David},\n"
    "  title = {Ordinary Differential Equations Using {MATLAB}},\n"
    "  edition = {3},\n  publisher = {Pearson Prentice Hall},\n"
    "  address = {Upper Saddle River, NJ},\n  year = {2003}\n}",
    "@book{ermentrout2002simulating,\n"
    "  author = {Ermentrout, Bard},\n"
    "  title = {Simulating, Analyzing, and Animating Dynamical Systems: A Guide to "
    "{XPPAUT} for Researchers and Students},\n"
    "  publisher = {Society for Industrial and Applied Mathematics},\n"
    "  address = {Philadelphia},\n  year = {2002},\n  doi = {10.1137/1.9780898718195}\n}",
    "@article{clewley2012hybrid,\n"
    "  author = {Clewley, Robert},\n"
    "  title = {Hybrid models and biological model reduction with {PyDSTool}},\n"
    "  journal = {PLoS Computational Biology},\n  volume = {8},\n  number = {8},\n"
    "  pages = {e1002628},\n  year = {2012},\n  doi = {10.1371/journal.pcbi.1002628}\n}",
    "@article{doedel1981auto,\n"
    "  author = {Doedel, Eusebius J.},\n"
    "  title = {{AUTO}: a program for the automatic bifurcation analysis of autonomous "
    "systems},\n"
    "  journal = {Congressus Numerantium},\n  volume = {30},\n  pages = {265--284},\n"
    "  year = {1981}\n}",
    "@article{dhooge2003matcont,\n"
    "  author = {Dhooge, Annick and Govaerts, Willy and Kuznetsov, Yuri A.},\n"
    "  title = {{MATCONT}: a {MATLAB} package for numerical bifurcation analysis of "
    "{ODEs}},\n"
    "  journal = {ACM Transactions on Mathematical Software},\n  volume = {29},\n"
    "  number = {2},\n  pages = {141--164},\n  year = {2003},\n"
    "  doi = {10.1145/779359.779362}\n}",
    "@misc{veltz2020bifurcationkit,\n"
    "  author = {Veltz, Romain},\n"
    "  title = {{BifurcationKit.jl}},\n"
    "  howpublished = {Inria Sophia-Antipolis, HAL preprint hal-02902346},\n"
    "  year = {2020},\n  url = {https://hal.archives-ouvertes.fr/hal-02902346}\n}",
    "@article{datseris2018dynamicalsystems,\n"
    "  author = {Datseris, George},\n"
    "  title = {{DynamicalSystems.jl}: a {Julia} software library for chaos and "
    "nonlinear dynamics},\n"
    "  journal = {Journal of Open Source Software},\n  volume = {3},\n  number = {23},\n"
    "  pages = {598},\n  year = {2018},\n  doi = {10.21105/joss.00598}\n}",
    "@article{scheffer2009early,\n"
    "  author = {Scheffer, Marten and Bascompte, Jordi and Brock, William A. and "
    "Brovkin, Victor and Carpenter, Stephen R. and Dakos, Vasilis and Held, Hermann and "
    "van Nes, Egbert H. and Rietkerk, Max and Sugihara, George},\n"
    "  title = {Early-warning signals for critical transitions},\n"
    "  journal = {Nature},\n  volume = {461},\n  pages = {53--59},\n  year = {2009},\n"
    "  doi = {10.1038/nature08227}\n}",
)

# The evidence of the paper's "Phenomena and model design" section: the empirical
# demand-withdraw and attachment literature, and the public blog posts whose
# descriptions of the pursuer-distancer pattern the flagship models paraphrase (their
# docstrings quote them). Details were checked against the publishers' or authors' pages
# where they could be read; a DOI is given only where it was confirmed there.
RATIONALE_BIBTEX = (
    "@incollection{eldridge2002demand,\n"
    "  author = {Eldridge, Kathleen A. and Christensen, Andrew},\n"
    "  title = {Demand-withdraw communication during couple conflict: a review and "
    "analysis},\n"
    "  booktitle = {Understanding Marriage: Developments in the Study of Couple "
    "Interaction},\n"
    "  editor = {Noller, Patricia and Feeney, Judith A.},\n"
    "  publisher = {Cambridge University Press},\n  address = {Cambridge},\n"
    "  pages = {289--322},\n  year = {2002}\n}",
    "@article{schrodt2014meta,\n"
    "  author = {Schrodt, Paul and Witt, Paul L. and Shimkowski, Jenna R.},\n"
    "  title = {A meta-analytical review of the demand/withdraw pattern of interaction "
    "and its associations with individual, relational, and communicative outcomes},\n"
    "  journal = {Communication Monographs},\n  volume = {81},\n  number = {1},\n"
    "  pages = {28--58},\n  year = {2014}\n}",
    "@article{papp2009demand,\n"
    "  author = {Papp, Lauren M. and Kouros, Chrystyna D. and Cummings, E. Mark},\n"
    "  title = {Demand-withdraw patterns in marital conflict in the home},\n"
    "  journal = {Personal Relationships},\n  volume = {16},\n  number = {2},\n"
    "  pages = {285--300},\n  year = {2009},\n"
    "  doi = {10.1111/j.1475-6811.2009.01223.x}\n}",
    "@article{baucom2015interpersonal,\n"
    "  author = {Baucom, Brian R. and Dickenson, Janna A. and Atkins, David C. and "
    "Baucom, Donald H. and Fischer, Melanie S. and Weusthoff, Sarah and Hahlweg, Kurt "
    "and Zimmermann, Tanja},\n"
    "  title = {The interpersonal process model of demand/withdraw behavior},\n"
    "  journal = {Journal of Family Psychology},\n  volume = {29},\n  number = {1},\n"
    "  pages = {80--90},\n  year = {2015}\n}",
    "@book{mikulincer2007attachment,\n"
    "  author = {Mikulincer, Mario and Shaver, Phillip R.},\n"
    "  title = {Attachment in Adulthood: Structure, Dynamics, and Change},\n"
    "  publisher = {Guilford Press},\n  address = {New York},\n  year = {2007}\n}",
    "@misc{rrc_pursuer_distancer,\n"
    "  author = {{Reflective Resilience Counseling}},\n"
    "  title = {I Pursue. You Distance. Understanding the Pursuer-Distancer Dynamic in "
    "Counseling: Navigating Relationship Patterns},\n"
    "  howpublished = {Blog post, Reflective Resilience Counseling},\n"
    "  url = {https://reflectiveresiliencecounseling.com/blog/i-persue-you-distance},\n"
    "  note = {Undated; the address spells the title ``persue''}\n}",
    "@misc{webster_missing_each_other,\n"
    "  author = {Webster, Steven},\n"
    "  title = {Why Couples Keep Missing Each Other},\n"
    "  howpublished = {Blog post, stevenwebster-therapist.co.uk},\n"
    "  url = {https://www.stevenwebster-therapist.co.uk/post/"
    "why-couples-keep-missing-each-other},\n"
    "  note = {Dated 25 January; the year is not shown on the page}\n}",
    "@misc{pdr_relationships_post,\n"
    "  title = {The Pursuer-Distancer Dynamic in Relationships},\n"
    "  howpublished = {Blog post},\n"
    "  note = {Quoted in the model's docstrings; its author and address were not "
    "recorded with the quotes and could not be located again}\n}",
)


def _g(x: float) -> str:
    """4 significant digits, no negative zero."""
    s = f"{float(x) + 0.0:.4g}"
    return "0" if s in ("-0", "0") else s


def _complex(z: complex) -> str:
    z = complex(z)
    scale = max(abs(z), 1.0)
    if abs(z.imag) <= 1e-12 * scale:
        return _g(z.real)
    sign = "+" if z.imag > 0 else "-"
    return f"{_g(z.real)} {sign} {_g(abs(z.imag))}i"


def equations(name: str) -> tuple[str, str]:
    """(LaTeX, pandoc Markdown) for the equations of model ``name``."""
    model = dm.models.get(name)
    tex = model.latex()

    def sym(obj) -> str:
        return f"${obj.latex}$" if obj.latex else f"`{obj.name}`"

    states = "; ".join(f"{sym(v)} {v.meaning}" for v in model.states)
    symbols = ", ".join(f"{sym(v)} `{v.name}`" for v in (*model.parameters, *model.inputs))
    md = (
        f"$$\n{tex}\n$$\n\nStates of `{model.name}`: {states}. "
        f"Parameters and inputs (symbol, name in the API): {symbols}.\n"
    )
    return tex + "\n", md


def equilibria_table() -> str:
    model = dm.models.get(FLAGSHIP_2D)
    p = model.params()
    eqs = dm.equilibria(model, p)
    names = ", ".join(f"`{s}`" for s in model.state_names)
    lines = [
        f"| state ({names}) | kind | couple | eigenvalues |",
        "|---|---|---|---|",
    ]
    for e in eqs:
        state = "(" + ", ".join(_g(v) for v in e.state) + ")"
        eig = ", ".join(_complex(z) for z in e.eigenvalues)
        lines.append(f"| {state} | {e.kind} | {e.label} | {eig} |")
    values = ", ".join(f"{k} = {_g(v)}" for k, v in p.items())
    lines += [
        "",
        f"Table: All equilibria of `{FLAGSHIP_2D}` at its default parameters ({values}; "
        f"no stress), each certified by an interval box with exactly one root; the list "
        f"is {eqs.completeness}. Generated by `dm.equilibria`.",
    ]
    return "\n".join(lines) + "\n"


def attachment_pairings() -> str:
    from dyadmodel.attachment import AttachmentStyle

    model = dm.models.get(FLAGSHIP_2D)
    proto = {str(s.value): s.prototype for s in AttachmentStyle}
    lines = [
        "| partner 1 | partner 2 | anxiety gain $a_1$ | avoidance gain $c_2$ "
        "| equilibria | regime | stable states |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in attachment_regime_table(model):
        lines.append(
            f"| {r.style_1} | {r.style_2} | {_g(r.params['anxiety_gain_1'])} "
            f"| {_g(r.params['avoidance_gain_2'])} | {r.n_equilibria} | {r.regime} "
            f"| {', '.join(r.stable_labels)} |"
        )
    scores = "; ".join(f"{k} ({_g(a)}, {_g(v)})" for k, (a, v) in proto.items())
    lines += [
        "",
        f"Table: The 16 pairings of attachment styles in `{FLAGSHIP_2D}`. Each style "
        f"stands for its prototypical ECR-R (anxiety, avoidance) scores ({scores}), "
        "mapped to parameters by the package's default attachment mapping, a modelling "
        "assumption. The 2D model uses partner 1's anxiety and partner 2's avoidance "
        "only. Generated by `dyadmodel.continuation.attachment_regime_table`.",
    ]
    return "\n".join(lines) + "\n"


def bibliography() -> str:
    """Package, every model's and method's references, then the compared software."""
    entries: dict[str, str] = {}
    for ref in references(None, list(METHODS)):
        entries.setdefault(ref.key, ref.bibtex)
    for name in dm.models.names():
        for ref in references(name):
            entries.setdefault(ref.key, ref.bibtex)
    from dyadmodel.attachment import REFERENCES as ATTACHMENT_REFERENCES

    for ref in ATTACHMENT_REFERENCES:
        entries.setdefault(ref.key, ref.bibtex)
    for bib in SOFTWARE_BIBTEX + RATIONALE_BIBTEX:
        key = re.match(r"@\w+\{([^,]+),", bib).group(1)
        if key in entries:
            raise ValueError(f"BibTeX key {key!r} is defined twice")
        entries[key] = bib
    header = (
        "% Generated by scripts/make_paper.py from dyadmodel.citation and the models'\n"
        "% references; do not edit by hand.\n\n"
    )
    return header + "\n\n".join(entries.values()) + "\n"


def generate() -> dict[str, str]:
    """Every generated file's name and content."""
    tex_2d, md_2d = equations(FLAGSHIP_2D)
    tex_full, md_full = equations(FLAGSHIP_FULL)
    return {
        "equations_2d.tex": tex_2d,
        "equations_2d.md": md_2d,
        "equations_full.tex": tex_full,
        "equations_full.md": md_full,
        "equilibria_table.md": equilibria_table(),
        "attachment_pairings.md": attachment_pairings(),
        "paper.bib": bibliography(),
    }


def fill_markers(paper: str, generated: dict[str, str]) -> str:
    """``paper`` with each marked section replaced by the generated file it names."""

    def body(match: re.Match) -> str:
        name = match.group("name")
        if name not in generated:
            raise KeyError(f"paper.md marks {name!r}, which make_paper.py does not generate")
        return match.group(1) + generated[name] + match.group(4)

    return _MARKER.sub(body, paper)


def marked_names(paper: str) -> list[str]:
    return [m.group("name") for m in _MARKER.finditer(paper)]


def main(outdir: Path | None = None) -> dict[str, str]:
    """Write the generated files; update ``paper/`` unless ``outdir`` is given."""
    generated = generate()
    gen_dir = GENERATED if outdir is None else Path(outdir)
    gen_dir.mkdir(parents=True, exist_ok=True)
    for name, text in generated.items():
        (gen_dir / name).write_text(text, encoding="utf-8")
    paper = fill_markers((PAPER_DIR / "paper.md").read_text(encoding="utf-8"), generated)
    target = PAPER_DIR if outdir is None else Path(outdir)
    (target / "paper.md").write_text(paper, encoding="utf-8")
    (target / "paper.bib").write_text(generated["paper.bib"], encoding="utf-8")
    return generated


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", type=Path, default=None, help="write here, not paper/")
    args = parser.parse_args()
    t0 = time.perf_counter()
    out = main(args.outdir)
    where = args.outdir or PAPER_DIR
    print(
        f"wrote {len(out)} generated files and paper.md under {where} "
        f"in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
