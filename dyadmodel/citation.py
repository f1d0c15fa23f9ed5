"""BibTeX for exactly what a piece of work used: the package, the model, the methods.

`citation` returns one BibTeX string with, in this order and without duplicate keys:

1. the package itself (``@software{dyadmodel, ...}``, always first);
2. the source papers of the model (its ``references``);
3. the papers behind the numerical methods named in ``methods`` (`METHODS`).

`references` returns the same entries as `dyadmodel.model.Reference` objects, for tools
that assemble a bibliography (``scripts/make_paper.py`` writes ``paper/paper.bib`` from
it, so the paper's references cannot drift from the code's).

>>> import dyadmodel as dm
>>> from dyadmodel.citation import citation
>>> bib = citation(dm.models.get("strogatz-linear"), ["equilibria"])
>>> print(bib.splitlines()[0])
@software{dyadmodel,
>>> [line for line in bib.splitlines() if line.startswith("@")]
['@software{dyadmodel,', '@article{strogatz1988love,', '@book{strogatz2015nonlinear,',
 '@article{krawczyk1969newton,', '@book{moore2009introduction,',
 '@article{johansson2017arb,', '@inproceedings{hart2010flint,']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dyadmodel._version import __version__
from dyadmodel.errors import InvalidInputError, InvalidTypeError
from dyadmodel.model import Model, Reference

__all__ = ["METHODS", "PACKAGE", "citation", "references"]

PACKAGE = Reference(
    key="dyadmodel",
    text=f"The dyadmodel developers (2026). dyadmodel: the pursuer-distancer pattern in "
    f"couples as a dynamical system (version {__version__}) [Computer software].",
    bibtex="@software{dyadmodel,\n"
    "  title = {dyadmodel: the pursuer-distancer pattern in couples as a dynamical system},\n"
    "  author = {{The dyadmodel developers}},\n"
    "  year = {2026},\n"
    f"  version = {{{__version__}}},\n"
    "  license = {BSD-3-Clause}\n"
    "}",
)
"""The package itself (matches ``CITATION.cff`` and the README's BibTeX block)."""

# -- the numerical methods ---------------------------------------------------------------
_KRAWCZYK = Reference(
    key="krawczyk1969newton",
    text="Krawczyk, R. (1969). Newton-Algorithmen zur Bestimmung von Nullstellen mit "
    "Fehlerschranken. Computing, 4(3), 187-201.",
    bibtex="@article{krawczyk1969newton,\n"
    "  author = {Krawczyk, Rudolf},\n"
    "  title = {{Newton-Algorithmen} zur {Bestimmung} von {Nullstellen} mit "
    "{Fehlerschranken}},\n"
    "  journal = {Computing},\n  volume = {4},\n  number = {3},\n  pages = {187--201},\n"
    "  year = {1969},\n  doi = {10.1007/BF02234767}\n}",
    doi="10.1007/BF02234767",
)
_MOORE = Reference(
    key="moore2009introduction",
    text="Moore, R. E., Kearfott, R. B., & Cloud, M. J. (2009). Introduction to Interval "
    "Analysis. SIAM.",
    bibtex="@book{moore2009introduction,\n"
    "  author = {Moore, Ramon E. and Kearfott, R. Baker and Cloud, Michael J.},\n"
    "  title = {Introduction to Interval Analysis},\n"
    "  publisher = {Society for Industrial and Applied Mathematics},\n"
    "  address = {Philadelphia},\n  year = {2009},\n  doi = {10.1137/1.9780898717716}\n}",
    doi="10.1137/1.9780898717716",
)
_ARB = Reference(
    key="johansson2017arb",
    text="Johansson, F. (2017). Arb: efficient arbitrary-precision midpoint-radius "
    "interval arithmetic. IEEE Transactions on Computers, 66(8), 1281-1292.",
    bibtex="@article{johansson2017arb,\n"
    "  author = {Johansson, Fredrik},\n"
    "  title = {{Arb}: efficient arbitrary-precision midpoint-radius interval arithmetic},\n"
    "  journal = {IEEE Transactions on Computers},\n  volume = {66},\n  number = {8},\n"
    "  pages = {1281--1292},\n  year = {2017},\n  doi = {10.1109/TC.2017.2690633}\n}",
    doi="10.1109/TC.2017.2690633",
)
_FLINT = Reference(
    key="hart2010flint",
    text="Hart, W. B. (2010). Fast Library for Number Theory: an introduction. In "
    "Mathematical Software - ICMS 2010, LNCS 6327 (pp. 88-91). Springer.",
    bibtex="@inproceedings{hart2010flint,\n"
    "  author = {Hart, William B.},\n"
    "  title = {Fast {Library} for {Number} {Theory}: an introduction},\n"
    "  booktitle = {Mathematical Software -- {ICMS} 2010},\n"
    "  series = {Lecture Notes in Computer Science},\n  volume = {6327},\n"
    "  pages = {88--91},\n  publisher = {Springer},\n  year = {2010},\n"
    "  doi = {10.1007/978-3-642-15582-6_18}\n}",
    doi="10.1007/978-3-642-15582-6_18",
)
_KELLER = Reference(
    key="keller1977numerical",
    text="Keller, H. B. (1977). Numerical solution of bifurcation and nonlinear "
    "eigenvalue problems. In P. H. Rabinowitz (Ed.), Applications of Bifurcation Theory "
    "(pp. 359-384). Academic Press.",
    bibtex="@incollection{keller1977numerical,\n"
    "  author = {Keller, Herbert B.},\n"
    "  title = {Numerical solution of bifurcation and nonlinear eigenvalue problems},\n"
    "  booktitle = {Applications of Bifurcation Theory},\n"
    "  editor = {Rabinowitz, Paul H.},\n  pages = {359--384},\n"
    "  publisher = {Academic Press},\n  address = {New York},\n  year = {1977}\n}",
)
_KUZNETSOV = Reference(
    key="kuznetsov2004elements",
    text="Kuznetsov, Y. A. (2004). Elements of Applied Bifurcation Theory (3rd ed.). Springer.",
    bibtex="@book{kuznetsov2004elements,\n"
    "  author = {Kuznetsov, Yuri A.},\n"
    "  title = {Elements of Applied Bifurcation Theory},\n  edition = {3},\n"
    "  series = {Applied Mathematical Sciences},\n  volume = {112},\n"
    "  publisher = {Springer},\n  address = {New York},\n  year = {2004},\n"
    "  doi = {10.1007/978-1-4757-3978-7}\n}",
    doi="10.1007/978-1-4757-3978-7",
)
_DORMAND_PRINCE = Reference(
    key="dormand1980family",
    text="Dormand, J. R., & Prince, P. J. (1980). A family of embedded Runge-Kutta "
    "formulae. Journal of Computational and Applied Mathematics, 6(1), 19-26.",
    bibtex="@article{dormand1980family,\n"
    "  author = {Dormand, John R. and Prince, Peter J.},\n"
    "  title = {A family of embedded {Runge-Kutta} formulae},\n"
    "  journal = {Journal of Computational and Applied Mathematics},\n  volume = {6},\n"
    "  number = {1},\n  pages = {19--26},\n  year = {1980},\n"
    "  doi = {10.1016/0771-050X(80)90013-3}\n}",
    doi="10.1016/0771-050X(80)90013-3",
)
_HAIRER = Reference(
    key="hairer1993solving",
    text="Hairer, E., Nørsett, S. P., & Wanner, G. (1993). Solving Ordinary Differential "
    "Equations I: Nonstiff Problems (2nd ed.). Springer.",
    bibtex="@book{hairer1993solving,\n"
    "  author = {Hairer, Ernst and N{\\o}rsett, Syvert P. and Wanner, Gerhard},\n"
    "  title = {Solving Ordinary Differential Equations {I}: Nonstiff Problems},\n"
    "  edition = {2},\n  series = {Springer Series in Computational Mathematics},\n"
    "  volume = {8},\n  publisher = {Springer},\n  address = {Berlin},\n  year = {1993}\n}",
)
_SCIPY = Reference(
    key="virtanen2020scipy",
    text="Virtanen, P., Gommers, R., Oliphant, T. E., et al. (2020). SciPy 1.0: "
    "fundamental algorithms for scientific computing in Python. Nature Methods, 17, "
    "261-272.",
    bibtex="@article{virtanen2020scipy,\n"
    "  author = {Virtanen, Pauli and Gommers, Ralf and Oliphant, Travis E. and "
    "Haberland, Matt and Reddy, Tyler and Cournapeau, David and Burovski, Evgeni and "
    "Peterson, Pearu and Weckesser, Warren and Bright, Jonathan and others},\n"
    "  title = {{SciPy} 1.0: fundamental algorithms for scientific computing in "
    "{Python}},\n"
    "  journal = {Nature Methods},\n  volume = {17},\n  pages = {261--272},\n"
    "  year = {2020},\n  doi = {10.1038/s41592-019-0686-2}\n}",
    doi="10.1038/s41592-019-0686-2",
)
_NUMBA = Reference(
    key="lam2015numba",
    text="Lam, S. K., Pitrou, A., & Seibert, S. (2015). Numba: a LLVM-based Python JIT "
    "compiler. In Proceedings of the Second Workshop on the LLVM Compiler Infrastructure "
    "in HPC (LLVM '15). ACM.",
    bibtex="@inproceedings{lam2015numba,\n"
    "  author = {Lam, Siu Kwan and Pitrou, Antoine and Seibert, Stanley},\n"
    "  title = {{Numba}: a {LLVM}-based {Python} {JIT} compiler},\n"
    "  booktitle = {Proceedings of the Second Workshop on the {LLVM} Compiler "
    "Infrastructure in {HPC}},\n"
    "  series = {LLVM '15},\n  pages = {7:1--7:6},\n  publisher = {ACM},\n"
    "  year = {2015},\n  doi = {10.1145/2833157.2833162}\n}",
    doi="10.1145/2833157.2833162",
)
_SYMPY = Reference(
    key="meurer2017sympy",
    text="Meurer, A., Smith, C. P., Paprocki, M., et al. (2017). SymPy: symbolic "
    "computing in Python. PeerJ Computer Science, 3, e103.",
    bibtex="@article{meurer2017sympy,\n"
    "  author = {Meurer, Aaron and Smith, Christopher P. and Paprocki, Mateusz and "
    "{\\v{C}}ert{\\'i}k, Ond{\\v{r}}ej and Kirpichev, Sergey B. and Rocklin, Matthew "
    "and Kumar, Amit and Ivanov, Sergiu and Moore, Jason K. and Singh, Sartaj and "
    "others},\n"
    "  title = {{SymPy}: symbolic computing in {Python}},\n"
    "  journal = {PeerJ Computer Science},\n  volume = {3},\n  pages = {e103},\n"
    "  year = {2017},\n  doi = {10.7717/peerj-cs.103}\n}",
    doi="10.7717/peerj-cs.103",
)


def _article(key, text, authors, title, journal, volume, pages, year, doi, number=None):
    num = f"  number = {{{number}}},\n" if number else ""
    return Reference(
        key=key,
        text=text,
        bibtex=f"@article{{{key},\n  author = {{{authors}}},\n  title = {{{title}}},\n"
        f"  journal = {{{journal}}},\n  volume = {{{volume}}},\n{num}  pages = {{{pages}}},\n"
        f"  year = {{{year}}},\n  doi = {{{doi}}}\n}}",
        doi=doi,
    )


_XARRAY = _article(
    "hoyer2017xarray",
    "Hoyer, S., & Hamman, J. (2017). xarray: N-D labeled arrays and datasets in Python. "
    "Journal of Open Research Software, 5(1), 10.",
    "Hoyer, Stephan and Hamman, Joe",
    "{xarray}: {N-D} labeled arrays and datasets in {Python}",
    "Journal of Open Research Software",
    "5",
    "10",
    "2017",
    "10.5334/jors.148",
    number="1",
)
_DASK = Reference(
    key="rocklin2015dask",
    text="Rocklin, M. (2015). Dask: parallel computation with blocked algorithms and task "
    "scheduling. In Proceedings of the 14th Python in Science Conference (pp. 126-132).",
    bibtex="@inproceedings{rocklin2015dask,\n  author = {Rocklin, Matthew},\n"
    "  title = {Dask: parallel computation with blocked algorithms and task scheduling},\n"
    "  booktitle = {Proceedings of the 14th {Python} in Science Conference},\n"
    "  pages = {126--132},\n  year = {2015},\n  doi = {10.25080/Majora-7b98e3ed-013}\n}",
    doi="10.25080/Majora-7b98e3ed-013",
)
_MCKAY = _article(
    "mckay1979comparison",
    "McKay, M. D., Beckman, R. J., & Conover, W. J. (1979). A comparison of three methods "
    "for selecting values of input variables in the analysis of output from a computer "
    "code. Technometrics, 21(2), 239-245.",
    "McKay, M. D. and Beckman, R. J. and Conover, W. J.",
    "A comparison of three methods for selecting values of input variables in the "
    "analysis of output from a computer code",
    "Technometrics",
    "21",
    "239--245",
    "1979",
    "10.1080/00401706.1979.10489755",
    number="2",
)
_SOBOL = _article(
    "sobol2001global",
    "Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical models and "
    "their Monte Carlo estimates. Mathematics and Computers in Simulation, 55(1-3), 271-280.",
    "Sobol', I. M.",
    "Global sensitivity indices for nonlinear mathematical models and their {Monte Carlo} "
    "estimates",
    "Mathematics and Computers in Simulation",
    "55",
    "271--280",
    "2001",
    "10.1016/S0378-4754(00)00270-6",
    number="1--3",
)
_SALTELLI2002 = _article(
    "saltelli2002making",
    "Saltelli, A. (2002). Making best use of model evaluations to compute sensitivity "
    "indices. Computer Physics Communications, 145(2), 280-297.",
    "Saltelli, Andrea",
    "Making best use of model evaluations to compute sensitivity indices",
    "Computer Physics Communications",
    "145",
    "280--297",
    "2002",
    "10.1016/S0010-4655(02)00280-1",
    number="2",
)
_SALTELLI2010 = _article(
    "saltelli2010variance",
    "Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., & Tarantola, S. "
    "(2010). Variance based sensitivity analysis of model output. Design and estimator for "
    "the total sensitivity index. Computer Physics Communications, 181(2), 259-270.",
    "Saltelli, Andrea and Annoni, Paola and Azzini, Ivano and Campolongo, Francesca and "
    "Ratto, Marco and Tarantola, Stefano",
    "Variance based sensitivity analysis of model output. {D}esign and estimator for the "
    "total sensitivity index",
    "Computer Physics Communications",
    "181",
    "259--270",
    "2010",
    "10.1016/j.cpc.2009.09.018",
    number="2",
)
_JANSEN = _article(
    "jansen1999analysis",
    "Jansen, M. J. W. (1999). Analysis of variance designs for model output. Computer "
    "Physics Communications, 117(1-2), 35-43.",
    "Jansen, Michiel J. W.",
    "Analysis of variance designs for model output",
    "Computer Physics Communications",
    "117",
    "35--43",
    "1999",
    "10.1016/S0010-4655(98)00154-4",
    number="1--2",
)
_SALIB = _article(
    "herman2017salib",
    "Herman, J., & Usher, W. (2017). SALib: an open-source Python library for sensitivity "
    "analysis. Journal of Open Source Software, 2(9), 97.",
    "Herman, Jon and Usher, Will",
    "{SALib}: an open-source {Python} library for sensitivity analysis",
    "Journal of Open Source Software",
    "2",
    "97",
    "2017",
    "10.21105/joss.00097",
    number="9",
)
_SALIB2 = _article(
    "iwanaga2022toward",
    "Iwanaga, T., Usher, W., & Herman, J. (2022). Toward SALib 2.0: advancing the "
    "accessibility and interpretability of global sensitivity analyses. Socio-Environmental "
    "Systems Modelling, 4, 18155.",
    "Iwanaga, Takuya and Usher, William and Herman, Jonathan",
    "Toward {SALib} 2.0: advancing the accessibility and interpretability of global "
    "sensitivity analyses",
    "Socio-Environmental Systems Modelling",
    "4",
    "18155",
    "2022",
    "10.18174/sesmo.18155",
)


def _fraley2000() -> Reference:
    from dyadmodel.attachment import FRALEY2000

    return FRALEY2000


METHODS: dict[str, tuple[str, ...]] = {
    "equilibria": (
        "krawczyk1969newton",
        "moore2009introduction",
        "johansson2017arb",
        "hart2010flint",
    ),
    "continuation": ("keller1977numerical", "kuznetsov2004elements"),
    "simulate": ("dormand1980family", "hairer1993solving", "virtanen2020scipy"),
    "ensemble": ("dormand1980family", "hairer1993solving", "lam2015numba"),
    "attachment": ("fraley2000item",),
    "sympy": ("meurer2017sympy",),
    "sweep": ("hoyer2017xarray", "rocklin2015dask"),
    "latin-hypercube": ("mckay1979comparison",),
    "sobol": (
        "sobol2001global",
        "saltelli2002making",
        "saltelli2010variance",
        "jansen1999analysis",
        "herman2017salib",
        "iwanaga2022toward",
    ),
}
"""Method name -> BibTeX keys of the works to cite when the method is used.

- ``equilibria``: Krawczyk interval certification and interval branch-and-bound
  (Krawczyk 1969; Moore, Kearfott & Cloud 2009), certified real-root isolation with
  FLINT/Arb ball arithmetic (Johansson 2017; Hart 2010);
- ``continuation``: pseudo-arclength continuation (Keller 1977) and the fold/Hopf test
  functions (Kuznetsov 2004);
- ``simulate``: Dormand-Prince Runge-Kutta pairs (Dormand & Prince 1980; Hairer,
  Nørsett & Wanner 1993) in scipy's ``solve_ivp`` (Virtanen et al. 2020);
- ``ensemble`` (also basin maps and tipping statistics): the same Dormand-Prince pair,
  compiled with numba (Lam, Pitrou & Seibert 2015);
- ``attachment``: the ECR-R questionnaire and its two dimensions (Fraley, Waller &
  Brennan 2000);
- ``sympy``: symbolic model definitions, Jacobians and resultants (Meurer et al. 2017);
- ``sweep``: labelled sweep results (xarray; Hoyer & Hamman 2017) computed on dask
  (Rocklin 2015);
- ``latin-hypercube``: Latin hypercube samples (McKay, Beckman & Conover 1979);
- ``sobol``: Sobol' indices (Sobol' 2001) with Saltelli's sampling and estimators
  (Saltelli 2002; Saltelli et al. 2010; Jansen 1999) as implemented in SALib (Herman &
  Usher 2017; Iwanaga, Usher & Herman 2022).
"""


def _method_references() -> dict[str, Reference]:
    refs = (
        _KRAWCZYK,
        _MOORE,
        _ARB,
        _FLINT,
        _KELLER,
        _KUZNETSOV,
        _DORMAND_PRINCE,
        _HAIRER,
        _SCIPY,
        _NUMBA,
        _SYMPY,
        _XARRAY,
        _DASK,
        _MCKAY,
        _SOBOL,
        _SALTELLI2002,
        _SALTELLI2010,
        _JANSEN,
        _SALIB,
        _SALIB2,
        _fraley2000(),
    )
    return {r.key: r for r in refs}


def references(
    model: Model | str | None = None, methods: Iterable[str] = ()
) -> tuple[Reference, ...]:
    """The works to cite, as `Reference` objects: package, model sources, methods.

    Parameters and ordering are those of `citation`; duplicate keys appear once, at
    their first position.

    Parameters
    ----------
    model : Model or str, optional
        The model used (or its registry name); its ``references`` are included.
    methods : iterable of str, optional
        Names of the numerical methods used, from `METHODS`.

    Returns
    -------
    tuple of Reference
        The package first, then the model's sources, then the methods' references.

    Raises
    ------
    InvalidInputError
        For an argument with an invalid value (the message says which and why).
    InvalidTypeError
        For an argument of the wrong type.

    Examples
    --------
    >>> from dyadmodel.citation import references
    >>> [r.key for r in references("strogatz-linear", ["equilibria"])][:3]
    ['dyadmodel', 'strogatz1988love', 'strogatz2015nonlinear']
    """
    if isinstance(methods, str):  # a lone name, not an iterable of one-letter names
        methods = (methods,)
    if isinstance(methods, Mapping) or not isinstance(methods, Iterable):
        raise InvalidTypeError(
            f"methods = {methods!r:.120} is a {type(methods).__name__}; expected an iterable "
            f"of method names from: {', '.join(METHODS)}"
        )
    methods = tuple(methods)
    bad = [m for m in methods if not isinstance(m, str)]
    if bad:
        raise InvalidTypeError(
            f"methods contains {bad[0]!r:.80}, a {type(bad[0]).__name__}; expected method "
            f"names from: {', '.join(METHODS)}"
        )
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise InvalidInputError(
            f"unknown method name(s) {', '.join(map(repr, unknown))}; valid names are: "
            f"{', '.join(METHODS)}"
        )
    if isinstance(model, str):
        from dyadmodel import models

        model = models.get(model)
    elif model is not None and not isinstance(model, Model):
        raise InvalidTypeError(
            f"model = {model!r} is a {type(model).__name__}; expected a Model, a model "
            "name (dyadmodel.models.names()) or None"
        )
    by_key = _method_references()
    chosen: dict[str, Reference] = {PACKAGE.key: PACKAGE}
    for ref in model.references if model is not None else ():
        chosen.setdefault(ref.key, ref)
    for name in methods:
        for key in METHODS[name]:
            chosen.setdefault(key, by_key[key])
    return tuple(chosen.values())


def citation(
    model: Model | str | None = None, methods: Iterable[str] = (), *, format: str = "bibtex"
) -> str:
    """BibTeX for the package, the source paper(s) of ``model`` and the ``methods`` used.

    Parameters
    ----------
    model : Model or str, optional
        The model used (or its registry name); its ``references`` are included.
    methods : iterable of str, optional
        Names of the numerical methods used, from `METHODS`: ``"equilibria"``,
        ``"continuation"``, ``"simulate"``, ``"ensemble"``, ``"attachment"``,
        ``"sympy"``, ``"sweep"``, ``"latin-hypercube"``, ``"sobol"``.
    format : {'bibtex'}
        The only format so far.

    Returns
    -------
    str
        BibTeX entries separated by blank lines, the package's entry first, each key once.

    Raises
    ------
    InvalidInputError
        For an unknown method name (the message lists the valid ones) or format
        (a `ValueError`).
    InvalidTypeError
        For a ``model`` that is not a Model, a name or None, or ``methods`` that is not
        an iterable of names (a `TypeError`).

    Notes
    -----
    Each model's ``references`` are the papers its equations and default values come
    from; cite them together with the package.

    Examples
    --------
    >>> print(citation())
    @software{dyadmodel,
      title = {dyadmodel: the pursuer-distancer pattern in couples as a dynamical system},
      author = {{The dyadmodel developers}},
      year = {2026},
      version = {0.1.0},
      license = {BSD-3-Clause}
    }
    >>> import re
    >>> bib = citation("pursuer-distancer-2d", ["simulate", "ensemble"])
    >>> re.findall(r"^@\\w+\\{([^,]+),", bib, flags=re.M)
    ['dyadmodel', 'lerner2009pursuer', 'christensen1990gender', 'dormand1980family',
     'hairer1993solving', 'virtanen2020scipy', 'lam2015numba']
    >>> citation(methods=["bifurcations"])
    Traceback (most recent call last):
    ...
    dyadmodel.errors.InvalidInputError: unknown method name(s) 'bifurcations'; valid names
    are: equilibria, continuation, simulate, ensemble, attachment, sympy, sweep,
    latin-hypercube, sobol

    """
    if not isinstance(format, str) or format != "bibtex":
        raise InvalidInputError(f"format = {format!r:.80} is not supported; expected 'bibtex'")
    return "\n\n".join(ref.bibtex for ref in references(model, methods)) + "\n"
