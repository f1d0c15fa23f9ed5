"""The paper's sections and references as site pages, written at build time.

``paper/paper.md`` (pandoc markdown with ``[@key]`` citations) holds the models'
rationale; the site shows the same text instead of a copy: `paper_section` takes a
section and turns its citations into author–year text, and `references` lists the
cited entries of ``paper/paper.bib``. ``docs/conf.py`` writes both into
``docs/_build/generated/`` and ``docs/science.md`` includes them.
"""

from __future__ import annotations

import re
from pathlib import Path

_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,")
_CITE_GROUP = re.compile(r"\[(-?@[\w:-]+(?:\s*;\s*-?@[\w:-]+)*)\]")
_CITE_BARE = re.compile(r"(?<![\w@\[])@([A-Za-z][\w:-]*[A-Za-z0-9])")


def parse_bib(text: str) -> dict[str, dict[str, str]]:
    """Entries of a BibTeX file: key -> fields (lower-case names, outer braces removed)."""
    entries: dict[str, dict[str, str]] = {}
    for match in _ENTRY.finditer(text):
        kind, key = match.group(1).lower(), match.group(2)
        i, depth, start = match.end(), 1, match.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        body = text[start : i - 1]
        fields = {"type": kind}
        for fm in re.finditer(r"(\w+)\s*=\s*", body):
            j = fm.end()
            if j < len(body) and body[j] == "{":
                d, k = 0, j
                while k < len(body):
                    d += {"{": 1, "}": -1}.get(body[k], 0)
                    k += 1
                    if d == 0:
                        break
                value = body[j + 1 : k - 1]
            else:
                value = re.match(r"[^,\n]*", body[j:]).group(0)
            fields.setdefault(fm.group(1).lower(), _clean(value))
        entries[key] = fields
    return entries


def _clean(value: str) -> str:
    value = value.replace("{", "").replace("}", "").replace("--", "–")
    value = value.replace("``", "“").replace("''", "”").replace("\\&", "&")
    return re.sub(r"\s+", " ", value).strip()


def _surnames(entry: dict[str, str]) -> list[str]:
    authors = entry.get("author", "")
    if not authors:
        return []
    return [a.split(",")[0].strip() for a in authors.split(" and ")]


def cite(entry: dict[str, str]) -> str:
    """Author–year text of one entry, e.g. ``Christensen & Heavey 1990``."""
    names = _surnames(entry)
    if not names:
        who = entry.get("title", "?")
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    year = entry.get("year", "n.d.")
    return f"{who} {year}"


def paper_section(
    paper: str, title: str, entries: dict[str, dict[str, str]]
) -> tuple[str, set[str]]:
    """The body of the top-level section ``# title`` of ``paper``, citations as text."""
    m = re.search(rf"^# {re.escape(title)}\s*$(.*?)(?=^# |\Z)", paper, re.M | re.S)
    if not m:
        raise LookupError(f"paper/paper.md has no section {title!r}")
    body = m.group(1)
    used: set[str] = set()

    def group(match: re.Match) -> str:
        keys = [k.strip().lstrip("-@") for k in match.group(1).split(";")]
        used.update(keys)
        return "(" + "; ".join(cite(entries[k]) if k in entries else k for k in keys) + ")"

    def bare(match: re.Match) -> str:
        key = match.group(1)
        if key not in entries:
            return match.group(0)
        used.add(key)
        e = entries[key]
        text = cite(e)
        who, year = text.rsplit(" ", 1)
        return f"{who} ({year})"

    body = _CITE_GROUP.sub(group, body)
    body = _CITE_BARE.sub(bare, body)
    body = body.replace("--", "–")
    return body.strip() + "\n", used


def references(keys: set[str], entries: dict[str, dict[str, str]]) -> str:
    """A markdown list of the entries ``keys``, sorted by their author–year text."""
    lines = []
    for key in sorted((k for k in keys if k in entries), key=lambda k: cite(entries[k])):
        e = entries[key]
        parts = [f"{e.get('author', '').replace(' and ', '; ') or e.get('title', '')}"]
        parts.append(f"({e.get('year', 'n.d.')}).")
        if e.get("author"):
            parts.append(f"{e.get('title', '')}.")
        venue = (
            e.get("journal") or e.get("booktitle") or e.get("publisher") or e.get("howpublished")
        )
        if venue:
            vol = f" {e['volume']}" if e.get("volume") else ""
            pages = f", {e['pages']}" if e.get("pages") else ""
            parts.append(f"*{venue}*{vol}{pages}.")
        if e.get("doi"):
            parts.append(f"doi:{e['doi']}")
        elif e.get("url"):
            parts.append(f"<{e['url']}>")
        if e.get("note"):
            parts.append(f"({e['note']})")
        lines.append("- " + " ".join(p for p in parts if p.strip()))
    return "\n".join(lines) + "\n"


def write_generated(repo: Path, out: Path) -> list[Path]:
    """Write the paper's rationale and its references into ``out``; the paths written."""
    entries = parse_bib((repo / "paper" / "paper.bib").read_text(encoding="utf-8"))
    paper = (repo / "paper" / "paper.md").read_text(encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    text, used = paper_section(paper, "Phenomena and model design", entries)
    # the paper's own tables are included from paper/generated on the same page
    written = []
    for name, content in {"phenomena.md": text}.items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
        written.append(path)
    extra = {
        "scheffer2009early",
        "keller1977numerical",
        "kuznetsov2004elements",
        "krawczyk1969newton",
        "moore2009introduction",
        "johansson2017arb",
        "hart2010flint",
        "dormand1980family",
        "hairer1993solving",
        "fraley2000item",
        "bartholomew1991attachment",
        "doedel1981auto",
        "ermentrout2002simulating",
        "boker2006dynamical",
        "butner2007attachment",
        "helm2012assessing",
        "strogatz1988love",
        "rinaldi1998linear",
        "rinaldi1998laura",
        "gragnani1997cyclic",
        "rinaldi2013gone",
        "liebovitch2008dynamics",
        "gottman2002mathematics",
        "tung2007topics",
        "sobol2001global",
        "saltelli2010variance",
    }
    refs = references(used | extra, entries)
    path = out / "references.md"
    if not path.is_file() or path.read_text(encoding="utf-8") != refs:
        path.write_text(refs, encoding="utf-8")
    written.append(path)
    return written
