"""The comparison as one self-contained HTML file (`report.html`) an analyst can open offline.

Per drug: the sources with their pages, facts and boilerplate share; a topic x source heatmap;
then every fact, conflicts and single-voice facts first, each cell opening the evidence sentence
with its page and the page's URL. Everything that comes from a page (text, terms, sources, URLs,
paths) is escaped, and the file's Content-Security-Policy allows no script, no request and no
image, so a hostile page stays text even if a value slipped through.
"""
from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

from .compare import AGREEMENT_ORDER, fact_labels, own_words
from .records import TOPICS, ComparisonRow, CopiedPage, PageSummary

AGREEMENT_TITLES = {
    "conflict": "Conflicts: sources give different values or contradict each other",
    "one": "One voice: a single independent source says it",
    "some": "Some sources",
    "all": "Every source",
}
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)  # escaped where written

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1400px;padding:0 16px 48px;color:#1d2327}
h1{margin:20px 0 4px}h2{margin:36px 0 8px;padding-top:8px;border-top:2px solid #ccd0d4}h3{margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid #dcdcde;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f6f7f7;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.summary{color:#50575e}.legend span{display:inline-block;padding:1px 8px;margin-right:6px;border-radius:3px}
.heatmap td{text-align:center;min-width:44px}
.h-conflict{background:#d63638;color:#fff}.h-negated{background:#f0b849}.h-silent{background:#f6f7f7;color:#a7aaad}
.h-stated1{background:#c5e6c9}.h-stated2{background:#8fd19a}.h-stated3{background:#4ab866;color:#fff}
tr.group th{background:#e9eaeb;font-size:15px}table.facts td:nth-child(2){min-width:14em;max-width:30em}
td.stated{background:#edfaef}td.negated{background:#fcf0e1}td.silent{color:#a7aaad}
td.copied{background:repeating-linear-gradient(135deg,#f0f6fc,#f0f6fc 6px,#e5eef7 6px,#e5eef7 12px)}
.agreement-conflict{color:#b32d2e;font-weight:600}.agreement-one{color:#996800;font-weight:600}
details>summary{cursor:pointer}blockquote{margin:4px 0;padding:2px 8px;border-left:3px solid #8c8f94;background:#fff;max-width:42em}
.page{font-size:12px;color:#50575e;word-break:break-all}.copy{font-size:12px;color:#2271b1}
nav table td,nav table th{padding:2px 8px}
section.drug{content-visibility:auto;contain-intrinsic-size:auto 3000px}
"""  # content-visibility: a browser lays out only the drugs on screen (a 2,000-page report opens 4x faster)


@dataclass(frozen=True)
class SourceCounts:
    """What one source contributes for one drug: its pages, facts and boilerplate share."""

    pages: tuple[PageSummary, ...]
    n_facts: int  # distinct facts (topic, key) the source states or negates about the drug
    boilerplate_share: float


def _e(value: object) -> str:
    """Page data as HTML text: every markup character escaped, quotes included."""
    return html.escape(str(value), quote=True)


def _link(url: str | None, label: str) -> str:
    """A link to an http(s) URL, or the label alone: no other scheme (javascript:, data:) is linked."""
    if url and _SAFE_URL.fullmatch(url):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(label)}</a>'
    return _e(label)


def _source_counts(drug: str, rows: list[ComparisonRow], sources: list[str], pages_of: dict[str, list[PageSummary]],
                   page_of: dict[str, PageSummary]) -> dict[str, SourceCounts]:
    """Per source of a drug: its pages about the drug and the pages its evidence for it is on, the
    distinct facts it states or negates about the drug, and the boilerplate share of those pages."""
    evidence_pages: dict[str, set[str]] = defaultdict(set)
    facts: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in rows:
        facts[r.source].add((r.topic, r.key))
        if r.page_id in page_of:
            evidence_pages[r.source].add(r.page_id)
    counts = {}
    for source in sources:
        about = {p.page_id for p in pages_of.get(source, []) if p.drug == drug} | evidence_pages[source]
        shown = tuple(page_of[page_id] for page_id in sorted(about))
        blocks = sum(p.n_blocks for p in shown)
        counts[source] = SourceCounts(shown, len(facts[source]),
                                      sum(p.n_boilerplate for p in shown) / blocks if blocks else 0.0)
    return counts


def _heat_class(rows: list[ComparisonRow], most: int) -> tuple[str, str]:
    """The heatmap class and label of one topic x source cell."""
    if any(r.agreement == "conflict" for r in rows):
        return "h-conflict", f"⚠ {len(rows)}"
    n_stated = sum(r.stated for r in rows)
    if n_stated:
        level = 1 + min(2, (3 * n_stated - 1) // max(most, 1))
        return f"h-stated{level}", str(n_stated)
    if any(r.negated for r in rows):
        return "h-negated", "not"
    return "h-silent", ""


def _heatmap(rows: list[ComparisonRow], sources: list[str], copied_from: dict[str, list[str]]) -> list[str]:
    """The topic x source table of a drug: stated / negated / not mentioned / in conflict."""
    cells: dict[tuple[str, str], list[ComparisonRow]] = defaultdict(list)
    for r in rows:
        cells[r.topic, r.source].append(r)
    topics = [t for t in TOPICS if any((t, s) in cells for s in sources)]
    most = max((sum(r.stated for r in c) for c in cells.values()), default=1)
    out = ['<table class="heatmap"><tr><th>topic</th>' + "".join(_source_header(s, copied_from) for s in sources)
           + "</tr>"]
    for topic in topics:
        out.append(f"<tr><th>{_e(topic)}</th>")
        for source in sources:
            css, label = _heat_class(cells.get((topic, source), []), most)
            out.append(f'<td class="{css}" title="{_e(source)}: {_e(topic)}">{_e(label)}</td>')
        out.append("</tr>")
    out.append("</table>")
    return out


def _source_header(source: str, copied_from: dict[str, list[str]]) -> str:
    """A source's column header, saying whose pages it copied."""
    copies = copied_from.get(source)
    note = f'<div class="copy">copies {_e(", ".join(sorted(set(copies))))}</div>' if copies else ""
    return f"<th>{_e(source)}{note}</th>"


def _cell(row: ComparisonRow | None, pages: dict[str, PageSummary]) -> str:
    """One source's cell of a fact: a mark and the value, opening its evidence, page and URL."""
    if row is None:
        return '<td class="silent">·</td>'
    mark = "✓" if row.stated else "✗ not"
    own = own_words(row.value, row.term)
    value = f" {_e(own)}" if own else ""
    css = "stated" if row.stated else "negated"
    copied = ""
    if row.copied_from:
        css += " copied"
        copied = f'<div class="copy">copied from {_e(row.copied_from)}</div>'
    page = pages.get(row.page_id)
    mentions = f" ({row.n_mentions} sentences)" if row.n_mentions > 1 else ""
    where = f'<div class="page">{_link(page.url if page else None, row.page_id)}{mentions}</div>'
    return (f'<td class="{css}"><details><summary>{mark}{value}</summary><blockquote>{_e(row.evidence)}</blockquote>'
            f"{where}</details>{copied}</td>")


def _fact_table(rows: list[ComparisonRow], sources: list[str], pages: dict[str, PageSummary],
                copied_from: dict[str, list[str]]) -> list[str]:
    """Every fact of a drug, grouped by agreement (conflicts and single voices first), one column per source."""
    facts: dict[tuple[str, str], dict[str, ComparisonRow]] = defaultdict(dict)
    agreement: dict[tuple[str, str], str] = {}
    for r in rows:
        facts[r.topic, r.key][r.source] = r
        agreement[r.topic, r.key] = r.agreement
    terms = fact_labels(rows)
    topic_rank = {t: i for i, t in enumerate(TOPICS)}
    out = ['<table class="facts"><tr><th>topic</th><th>fact</th><th>agreement</th>'
           + "".join(_source_header(s, copied_from) for s in sources) + "</tr>"]
    for group in AGREEMENT_ORDER:
        keys = sorted((k for k, a in agreement.items() if a == group), key=lambda k: (topic_rank.get(k[0], 99), terms[k]))
        if not keys:
            continue
        out.append(f'<tr class="group"><th colspan="{3 + len(sources)}">{_e(AGREEMENT_TITLES[group])} '
                   f"({len(keys)})</th></tr>")
        for k in keys:
            out.append(f'<tr><td>{_e(k[0])}</td><td>{_e(terms[k])}</td><td class="agreement-{group}">{group}</td>'
                       + "".join(_cell(facts[k].get(s), pages) for s in sources) + "</tr>")
    out.append("</table>")
    return out


def _source_table(drug: str, rows: list[ComparisonRow], sources: list[str], pages_of: dict[str, list[PageSummary]],
                  page_of: dict[str, PageSummary], copies: list[CopiedPage]) -> list[str]:
    """The sources of a drug: pages (linked to their URLs), facts, boilerplate share, and whom they copied."""
    counts = _source_counts(drug, rows, sources, pages_of, page_of)
    copied_from: dict[str, list[str]] = defaultdict(list)
    for c in copies:
        copied_from[c.source].append(f"{c.other_source} ({c.kind}, {c.share:.0%} of the page)")
    out = ['<table class="sources"><tr><th>source</th><th>pages</th><th class="num">facts</th>'
           '<th class="num">boilerplate</th><th>copied from</th></tr>']
    for source in sources:
        c = counts[source]
        links = "<br>".join(_link(p.url, p.page_id) for p in c.pages)
        copied = "; ".join(_e(x) for x in copied_from.get(source, [])) or "—"
        out.append(f"<tr><td>{_e(source)}</td><td class=\"page\">{links}</td><td class=\"num\">{c.n_facts}</td>"
                   f'<td class="num">{c.boilerplate_share:.0%}</td><td>{copied}</td></tr>')
    out.append("</table>")
    return out


def html_report(rows: Iterable[ComparisonRow], pages: Iterable[PageSummary], copies: Iterable[CopiedPage]) -> str:
    """The whole report: a summary and a table of drugs, then one section per drug."""
    rows, pages, copies = list(rows), sorted(pages, key=lambda p: p.page_id), list(copies)
    by_drug: dict[str, list[ComparisonRow]] = defaultdict(list)
    for r in rows:
        by_drug[r.drug].append(r)
    page_of = {p.page_id: p for p in pages}
    pages_of: dict[str, list[PageSummary]] = defaultdict(list)
    for p in pages:
        pages_of[p.source].append(p)
    copies_of: dict[str, list[CopiedPage]] = defaultdict(list)
    for c in copies:
        copies_of[c.drug].append(c)
    n_conflicts = len({(r.drug, r.topic, r.key) for r in rows if r.agreement == "conflict"})
    out = ['<!doctype html><html lang="en"><head><meta charset="utf-8">',
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>What each source says</title><style>{_STYLE}</style></head><body>",
           "<h1>What each source says</h1>",
           f'<p class="summary">{len(by_drug)} drugs, {len({p.source for p in pages})} sources, {len(pages)} pages, '
           f"{len({(r.drug, r.topic, r.key) for r in rows})} facts compared, {n_conflicts} in conflict. "
           "Open a cell to read the sentence it comes from and the page it is on.</p>",
           '<p class="legend legend-heat">Heatmap: <span class="h-stated2">facts stated</span>'
           '<span class="h-negated">only negated</span><span class="h-conflict">in conflict</span>'
           '<span class="h-silent">not mentioned</span></p>',
           '<nav><table class="drugs"><tr><th>drug</th><th class="num">sources</th><th class="num">facts</th>'
           '<th class="num">conflicts</th><th class="num">one voice</th></tr>']
    drugs = sorted(by_drug)
    for i, drug in enumerate(drugs):
        agreement = {(r.topic, r.key): r.agreement for r in by_drug[drug]}
        tally = Counter(agreement.values())
        out.append(f'<tr><td><a href="#drug-{i}">{_e(drug)}</a></td>'
                   f'<td class="num">{by_drug[drug][0].n_sources}</td><td class="num">{len(agreement)}</td>'
                   f'<td class="num">{tally["conflict"]}</td><td class="num">{tally["one"]}</td></tr>')
    out.append("</table></nav>")
    for i, drug in enumerate(drugs):
        drug_rows = by_drug[drug]
        # the sources of pages about the drug, then any other source with facts about it
        sources = list(dict.fromkeys([*(p.source for p in pages if p.drug == drug), *(r.source for r in drug_rows)]))
        out.append(f'<section class="drug" id="drug-{i}"><h2>{_e(drug)}</h2>')
        out.append("<h3>Sources</h3>")
        copying = [c for c in copies_of[drug] if c.copied]
        copied_from: dict[str, list[str]] = defaultdict(list)
        for c in copying:
            copied_from[c.source].append(c.other_source)
        out.extend(_source_table(drug, drug_rows, sources, pages_of, page_of, copying))
        out.append("<h3>Topics by source</h3>")
        out.extend(_heatmap(drug_rows, sources, copied_from))
        out.append("<h3>Facts</h3>")
        out.extend(_fact_table(drug_rows, sources, page_of, copied_from))
        out.append("</section>")
    out.append("</body></html>\n")
    return "\n".join(out)
