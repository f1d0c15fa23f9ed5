"""`dyadmodel.citation`: BibTeX for the package, the model's sources and the methods."""

import re

import pytest

import dyadmodel as dm
from dyadmodel.citation import METHODS, PACKAGE, citation, references

_HEAD = re.compile(r"^@(\w+)\{([^,\s{}]+),\s*$")


def parse_bibtex(text: str) -> list[tuple[str, str, str]]:
    """Split ``text`` into (type, key, entry) and check each entry's structure.

    Every entry starts at a line ``@type{key,``, its braces balance (never below zero
    inside it) and it closes exactly at its last character; only blank lines lie between
    entries.
    """
    entries = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        assert text[i] == "@", f"text outside an entry at {i}: {text[i : i + 40]!r}"
        depth, j = 0, i
        while True:
            assert j < len(text), f"unbalanced braces in entry at {i}: {text[i : i + 60]!r}"
            if text[j] == "\\":  # an escaped character such as \{ does not count
                j += 2
                continue
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                assert depth >= 0
                if depth == 0:
                    break
            j += 1
        entry = text[i : j + 1]
        head = _HEAD.match(entry.splitlines()[0])
        assert head, f"entry does not start with '@type{{key,': {entry.splitlines()[0]!r}"
        assert len(re.findall(r"^@\w+\{", entry, flags=re.M)) == 1, entry
        entries.append((head.group(1).lower(), head.group(2), entry))
        i = j + 1
    return entries


def keys(text: str) -> list[str]:
    return [key for _, key, _ in parse_bibtex(text)]


def test_package_only():
    bib = citation()
    assert keys(bib) == ["dyadmodel"]
    assert f"version = {{{dm.__version__}}}" in bib
    assert bib == PACKAGE.bibtex + "\n"


@pytest.mark.parametrize("name", dm.models.names())
def test_every_model_cites_its_sources(name):
    model = dm.models.get(name)
    ks = keys(citation(model))
    assert ks[0] == "dyadmodel"
    assert ks[1:] == [r.key for r in model.references]
    assert keys(citation(name)) == ks  # a registry name works too


@pytest.mark.parametrize("method", list(METHODS))
def test_each_method(method):
    ks = keys(citation(methods=[method]))
    assert ks[0] == "dyadmodel"
    assert ks[1:] == list(METHODS[method])


def test_everything_at_once_parses_without_duplicates():
    model = dm.models.get("pursuer-distancer")
    bib = citation(model, list(METHODS))
    ks = keys(bib)
    assert len(ks) == len(set(ks))
    assert ks[0] == "dyadmodel"
    for ref in model.references:
        assert ref.key in ks
    for method_keys in METHODS.values():
        assert set(method_keys) <= set(ks)
    # the expected works, by key
    for key in (
        "krawczyk1969newton",
        "moore2009introduction",
        "johansson2017arb",
        "keller1977numerical",
        "kuznetsov2004elements",
        "dormand1980family",
        "hairer1993solving",
        "virtanen2020scipy",
        "lam2015numba",
        "fraley2000item",
        "meurer2017sympy",
    ):
        assert key in ks


def test_shared_keys_appear_once_at_first_use():
    ks = keys(citation(methods=["simulate", "ensemble", "simulate"]))
    assert ks == [
        "dyadmodel",
        "dormand1980family",
        "hairer1993solving",
        "virtanen2020scipy",
        "lam2015numba",
    ]


def test_a_single_method_name_as_a_string():
    assert keys(citation(methods="sympy")) == ["dyadmodel", "meurer2017sympy"]


def test_references_match_citation():
    refs = references("laura-petrarch", ["continuation"])
    assert (
        citation("laura-petrarch", ["continuation"]) == "\n\n".join(r.bibtex for r in refs) + "\n"
    )
    for ref in refs:
        assert ref.bibtex.startswith("@") and f"{{{ref.key}," in ref.bibtex.splitlines()[0]


def test_unknown_method_lists_the_valid_ones():
    with pytest.raises(ValueError, match="'bifurcation'") as err:
        citation(methods=["equilibria", "bifurcation"])
    for name in METHODS:
        assert name in str(err.value)


def test_bad_format_and_bad_model():
    with pytest.raises(ValueError, match="format"):
        citation(format="ris")
    with pytest.raises(TypeError, match="expected a Model"):
        citation(42)
    with pytest.raises(dm.models.ModelNotFoundError):
        citation("no-such-model")
