"""The comparison: per drug, what each source says about each fact, and whether sources agree."""
from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections import Counter, defaultdict
from typing import Iterable, Mapping

from .claims import display
from .escaping import csv_cell, markdown_text
from .records import ComparisonRow, Fact, PageSummary
from .text import tokenize
from .vocabulary import Vocabulary


# Facts that need a look first: sources in conflict, then facts one independent voice states.
AGREEMENT_ORDER = ("conflict", "one", "some", "all")


def own_words(value: str | None, term: str) -> str:
    """What a source's value adds to its row's term: a quantity, or the page's own words for the term
    ("year-round allergies" of "allergies (year-round allergies)"); empty when it only repeats the term."""
    said: list[str] = []
    for part in (value or "").split("; "):
        if part.startswith(f"{term} (") and part.endswith(")"):
            part = part[len(term) + 2:-1]
        if part and part != term and part not in said:
            said.append(part)
    return "; ".join(said)


def fact_labels(rows: Iterable[ComparisonRow]) -> dict[tuple[str, str], str]:
    """The label of each (topic, key) of one drug's rows: its term, followed by its key in brackets
    when another key of the drug has the same term (two facts never look like one)."""
    terms = {(r.topic, r.key): r.term for r in rows}
    uses = Counter(terms.values())
    return {k: term if uses[term] == 1 else f"{term} [{k[1]}]" for k, term in terms.items()}


def _copied_source(fact: Fact, copied: Mapping[str, list[tuple[int, int, str]]]) -> str | None:
    """The source the sentence holding `fact` was copied from (`copies.copied_evidence`), if any."""
    spans = copied.get(fact.page_id)
    if not spans:
        return None
    k = bisect_right(spans, (fact.char_start, float("inf"), "")) - 1
    return spans[k][2] if k >= 0 and spans[k][0] <= fact.char_start < spans[k][1] else None


def _values(facts: list[Fact], comparable_as: Mapping[str, tuple[str, float]]) -> set[tuple]:
    """The quantities stated, each in the unit of its measure that sources are compared in."""
    values = set()
    for f in facts:
        if f.value_min is not None and not f.negated:
            unit, size = comparable_as.get(f.unit, (f.unit, 1.0))
            values.add((round(f.value_min * size, 6), round(f.value_max * size, 6), unit))
    return values


def _differ(a: set[tuple], b: set[tuple]) -> bool:
    """Two sources' quantities conflict when, in a measure both give (mg/day, mg, weeks...), they share
    no value: "1 g a dose" and "4 g a day" are different measures, not a conflict."""
    for unit in {v[2] for v in a} & {v[2] for v in b}:
        if not {v for v in a if v[2] == unit} & {v for v in b if v[2] == unit}:
            return True
    return False


def build_comparison(
    facts: Iterable[Fact], pages: Iterable[PageSummary], copied: Mapping[str, list[tuple[int, int, str]]],
    vocab: Vocabulary,
) -> list[ComparisonRow]:
    """One row per (drug, topic, key) and source stating or negating it; a silent source has no row
    (`n_sources` counts every source of the drug).

    A drug's sources are the sources of pages mainly about it, then any other source with facts
    about it (a page comparing two drugs speaks about both). `copied` holds, per copying page, the
    spans of its copied sentences and their sources (`copies.copied_evidence`): a source whose
    evidence for a fact was all copied from another source speaking about it is no voice of its own.
    """
    facts = list(facts)
    sources_of: dict[str, list[str]] = defaultdict(list)
    for p in sorted(pages, key=lambda p: p.page_id):
        if p.drug and p.source not in sources_of[p.drug]:
            sources_of[p.drug].append(p.source)
    aligned = align_open_keys(facts, vocab.open_key_overlap)
    grouped: dict[tuple[str, str, str], dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for f in facts:
        if f.drug:
            grouped[(f.drug, f.topic, aligned.get((f.drug, f.topic, f.key), f.key))][f.source].append(f)
    for f in sorted(facts, key=lambda f: f.page_id):
        if f.drug and f.source not in sources_of[f.drug]:
            sources_of[f.drug].append(f.source)
    stated_keys: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (drug, _, key), by_source in grouped.items():
        for source, fs in by_source.items():
            if any(not f.negated for f in fs):
                stated_keys[drug][key].add(source)
    rows: list[ComparisonRow] = []
    for (drug, topic, key), by_source in sorted(grouped.items()):
        sources = sources_of[drug]
        stating = [s for s in sources if any(not f.negated for f in by_source.get(s, []))]
        negating = [s for s in sources if by_source.get(s) and s not in stating]
        shown_of = {s: _shown(fs) for s, fs in by_source.items()}
        copied_from = {}
        for s, shown in shown_of.items():
            origins = {_copied_source(f, copied) for f in shown}
            if len(origins) == 1 and (origin := origins.pop()) in by_source and origin != s:
                copied_from[s] = origin
        voices = stating or negating
        # at least one voice, even if copies of equal share each took the other as their source
        n_voices = max(1, sum(1 for s in voices if copied_from.get(s) not in voices)) if voices else 0
        agreement = _agreement(drug, key, sources, stating, negating, n_voices, by_source, stated_keys, vocab)
        term = Counter(f.canonical for fs in by_source.values() for f in fs).most_common(1)[0][0]
        kind = next(f.key_kind for fs in by_source.values() for f in fs)
        for source in (s for s in sources if s in by_source):
            fs = by_source[source]
            shown = shown_of[source]
            rows.append(ComparisonRow(
                drug=drug, topic=topic, key=key, key_kind=kind, term=term, source=source,
                stated=source in stating, negated=source in negating,
                value="; ".join(dict.fromkeys(display(f) for f in shown)),
                evidence=shown[0].evidence, page_id=shown[0].page_id,
                char_start=shown[0].char_start, char_end=shown[0].char_end,
                n_mentions=len({f.claim_id for f in _counted(fs)}),
                agreement=agreement, n_sources=len(sources), copied_from=copied_from.get(source),
                n_voices=n_voices,
            ))
    return rows


def align_open_keys(facts: list[Fact], min_overlap: float) -> dict[tuple[str, str, str], str]:
    """For each (drug, topic, open key) that says what another key of the same drug and topic says,
    that key: an open key folds into a concept key whose term's stems it holds ("painful
    headache" into `side_effects.headache`), else into the open key of fewer words whose stems it
    holds or shares at least `min_overlap` of (Jaccard). Two concept keys are never merged."""
    concepts: dict[tuple[str, str], dict[str, frozenset[str]]] = defaultdict(dict)
    opens: dict[tuple[str, str], dict[str, frozenset[str]]] = defaultdict(dict)
    for f in facts:
        if not f.drug:
            continue
        if f.key_kind == "concept":
            concepts[f.drug, f.topic].setdefault(f.key, frozenset(t.norm for t in tokenize(f.canonical)))
        elif f.key_kind == "open":
            opens[f.drug, f.topic].setdefault(f.key, frozenset(f.key.split(".", 1)[1].split("_")))
    aligned: dict[tuple[str, str, str], str] = {}
    for (drug, topic), keys in opens.items():
        known = concepts.get((drug, topic), {})
        by_size = sorted(keys.items(), key=lambda kv: (len(kv[1]), kv[0]))
        for key, stems in by_size:
            target = next((k for k, c in sorted(known.items()) if c and c <= stems), None)
            if target is None:
                target = next((k for k, other in by_size if k != key and len(other) <= len(stems)
                               and (other <= stems or len(other & stems) / len(other | stems) >= min_overlap)
                               and aligned.get((drug, topic, k), k) == k), None)
            if target is not None:
                aligned[drug, topic, key] = aligned.get((drug, topic, target), target)
    return aligned


def _counted(facts: list[Fact]) -> list[Fact]:
    """The facts not in in-page repeats (all of them when every one is)."""
    return [f for f in facts if f.counted] or facts


def _shown(facts: list[Fact]) -> list[Fact]:
    """The facts a source's row shows: counted, stated before negated."""
    counted = _counted(facts)
    return [f for f in counted if not f.negated] or counted


def _agreement(drug, key, sources, stating, negating, n_voices, by_source, stated_keys, vocab) -> str:
    if stating and negating:
        return "conflict"
    value_sets = [_values(by_source[s], vocab.units.comparable_as) for s in stating]
    if any(_differ(a, b) for i, a in enumerate(value_sets) for b in value_sets[i + 1:]):
        return "conflict"
    for pair in vocab.contradictions:
        if key in pair:
            (other,) = pair - {key}
            others = stated_keys[drug].get(other, set())
            if stating and others - set(stating):
                return "conflict"
    if len(stating or negating) == len(sources):
        return "all"
    return "one" if n_voices == 1 else "some"


def _csv_cell(row: ComparisonRow) -> str:
    """A wide CSV cell: the source's value or the opposite it states, and whose text it copied."""
    cell = row.value if row.stated else f"NOT: {row.value}"
    return f"{cell} (copied from {row.copied_from})" if row.copied_from else cell


def wide_csv(rows: list[ComparisonRow]) -> str:
    """The comparison as a human table: drug, topic, fact, agreement, then one column per source (by
    name), empty where the source is silent. A cell whose evidence was copied from another source says so. Every cell is text to a
    spreadsheet (no formulas)."""
    sources = sorted({r.source for r in rows})
    table: dict[tuple, dict[str, str]] = defaultdict(dict)
    meta: dict[tuple, str] = {}
    for r in rows:
        k = (r.drug, r.topic, r.key, r.term)
        meta[k] = r.agreement
        table[k][r.source] = _csv_cell(r)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(cell) for cell in ("drug", "topic", "key", "fact", "agreement", *sources)])
    for k in sorted(meta):
        cells = table[k]
        writer.writerow([*(csv_cell(cell) for cell in (*k, meta[k])), *(csv_cell(cells.get(s, "")) for s in sources)])
    return out.getvalue()


def _short_cell(row: ComparisonRow) -> str:
    """A report.md cell: a mark and what the source adds to the fact's term, and whose text it copied."""
    own = own_words(row.value, row.term)
    cell = ("✓" if row.stated else "not") + (f" {own}" if own else "")
    return f"{cell} (copied from {row.copied_from})" if row.copied_from else cell


def markdown_report(rows: list[ComparisonRow]) -> str:
    """A readable report of the comparison, one table per drug, conflicts and single-voice facts
    first, with the sources that copied others; every value from a page or a path is escaped, so it
    renders as the text it is."""
    lines = ["# What each source says", ""]
    by_drug: dict[str, list[ComparisonRow]] = defaultdict(list)
    for r in rows:
        by_drug[r.drug].append(r)
    for drug, drug_rows in sorted(by_drug.items()):
        sources = sorted({r.source for r in drug_rows})
        lines += [f"## {markdown_text(drug)}", ""]
        copied = Counter((r.source, r.copied_from) for r in drug_rows if r.copied_from)
        if copied:
            lines += ["Copied evidence: " + "; ".join(
                f"{markdown_text(s)} copied {n} fact{'s' * (n > 1)} from {markdown_text(o)}"
                for (s, o), n in sorted(copied.items())) + ". A fact a copy and its source state counts as one voice.", ""]
        lines += ["| topic | fact | agreement | " + " | ".join(markdown_text(s) for s in sources) + " |",
                  "|---|---|---|" + "---|" * len(sources)]
        cells: dict[tuple, dict[str, str]] = defaultdict(dict)
        agreement: dict[tuple, str] = {}
        for r in drug_rows:
            k = (r.topic, r.key)
            agreement[k] = r.agreement
            cells[k][r.source] = _short_cell(r)
        labels = fact_labels(drug_rows)
        for k in sorted(agreement, key=lambda k: (AGREEMENT_ORDER.index(agreement[k]), k[0], labels[k])):
            row = [markdown_text(cell) for cell in (k[0], labels[k], agreement[k], *(cells[k].get(s, "") for s in sources))]
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    return "\n".join(lines)
