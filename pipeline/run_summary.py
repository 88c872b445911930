"""What a finished run tells an analyst first: its counts, and the facts that need a look
(conflicts, then facts only one independent source states). Plain data and Markdown, so the
Prefect flow publishes them as artifacts and anything else can print them."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from .compare import AGREEMENT_ORDER, fact_labels
from .escaping import markdown_text
from .records import ComparisonRow

ATTENTION = AGREEMENT_ORDER[:2]  # conflict, one


def _said(row: ComparisonRow) -> str:
    """What a source says of a fact: its value, or 'not ...' for the opposite."""
    return ("not: " if row.negated else "") + row.value


def attention_rows(rows: Iterable[ComparisonRow], limit: int) -> list[dict]:
    """Up to `limit` comparison rows of conflicting and single-voice facts, conflicts first, one row per
    source that speaks, as plain dicts (drug, topic, fact, agreement, source, value, copied_from, page_id, evidence)."""
    chosen = [r for r in rows if r.agreement in ATTENTION]
    chosen.sort(key=lambda r: (ATTENTION.index(r.agreement), r.drug, r.topic, r.term, r.source))
    return [{"drug": r.drug, "topic": r.topic, "fact": r.term, "agreement": r.agreement, "source": r.source,
             "value": _said(r), "copied_from": r.copied_from or "",
             "page_id": r.page_id, "evidence": r.evidence} for r in chosen[:limit]]


def summary_markdown(run: dict, rows: Iterable[ComparisonRow], max_conflicts: int) -> str:
    """A run's counts and its conflicting facts (up to `max_conflicts`, with what each source says), in Markdown."""
    rows = list(rows)
    facts = {(r.drug, r.topic, r.key): r.agreement for r in rows}
    conflicts: dict[tuple[str, str, str], list[ComparisonRow]] = defaultdict(list)
    for r in rows:
        if r.agreement == "conflict":
            conflicts[r.drug, r.topic, r.key].append(r)
    lines = [
        f"# Run {markdown_text(run['run_id'])}", "",
        "| seen | pages | new | changed | unchanged | removed | rejected | claims | facts | seconds |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {run['pages_seen']} | {run['pages_seen'] - run['pages_rejected']} | {run['pages_new']} | "
        f"{run['pages_changed']} | {run['pages_unchanged']} | {run['pages_removed']} | {run['pages_rejected']} | "
        f"{run['n_claims']} | {run['n_facts']} | {run['seconds_total']:.1f} |", "",
        f"{len({r.drug for r in rows})} drugs, {len(facts)} facts compared: "
        + ", ".join(f"{sum(a == kind for a in facts.values())} {kind}" for kind in AGREEMENT_ORDER)
        + ".", "",
        f"## Conflicts ({len(conflicts)})", "",
    ]
    if not conflicts:
        lines.append("No source contradicts another.")
    rows_of: dict[str, list[ComparisonRow]] = defaultdict(list)
    for r in rows:
        rows_of[r.drug].append(r)
    labels = {drug: fact_labels(drug_rows) for drug, drug_rows in rows_of.items()}
    for (drug, topic, key), speakers in sorted(conflicts.items())[:max_conflicts]:
        label = labels[drug][topic, key]
        said = "; ".join(f"{markdown_text(r.source)}: {markdown_text(_said(r))}" for r in speakers)
        lines.append(f"- **{markdown_text(drug)}**, {markdown_text(topic)}, {markdown_text(label)}: {said}")
    if len(conflicts) > max_conflicts:
        lines.append(f"- ... and {len(conflicts) - max_conflicts} more (see the report)")
    return "\n".join(lines) + "\n"
