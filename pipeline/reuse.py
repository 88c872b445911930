"""What a rerun keeps of the previous corpus-wide results: a drug's copies and comparison rows stand
when what they are made of has not changed.

Copies are found among the pages of one drug, and a drug's comparison rows are made of its facts,
its sources and the copied spans of the pages holding those facts, so each drug's part is a function
of a few inputs. A digest of those inputs (`copies_digests`, `comparison_digests`) is kept with the
outputs; a rerun under the same pipeline version and vocabularies works again only on the drugs whose
digest changed and takes the others' rows from the previous outputs, so its result equals a full run.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Mapping

import pyarrow as pa
import xxhash

from .records import Block, Fact, PageSummary, column, table_schema

DRUG_DIGESTS = table_schema(
    "drug_digests",
    column("drug", pa.string(), "generic name of the drug", key=True),
    column("copies", pa.string(), "digest of what the drug's copies are found from (its pages and their blocks)",
           key=True),
    column("comparison", pa.string(), "digest of what the drug's comparison rows are made of (its facts, sources "
                                      "and copied spans)", key=True),
)


def _digest(parts: Iterable[object]) -> str:
    hasher = xxhash.xxh3_128()
    for part in parts:
        hasher.update(repr(part).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


def copies_digests(pages: Iterable[PageSummary], blocks: Iterable[Block]) -> dict[str, str]:
    """Per drug, a digest of its pages (id, source) and of what `copies` reads of their blocks."""
    blocks_of: dict[str, list[Block]] = defaultdict(list)
    for b in blocks:
        blocks_of[b.page_id].append(b)
    parts: dict[str, list[object]] = defaultdict(list)
    for p in sorted(pages, key=lambda p: p.page_id):
        if p.drug:
            parts[p.drug].append((p.page_id, p.source))
            parts[p.drug].extend((b.block_index, b.kind, b.is_boilerplate, b.boilerplate_reason, b.text, b.cuts)
                                 for b in sorted(blocks_of[p.page_id], key=lambda b: b.block_index))
    return {drug: _digest(drug_parts) for drug, drug_parts in parts.items()}


def comparison_digests(facts: Iterable[Fact], pages: Iterable[PageSummary],
                       copied: Mapping[str, list[tuple[int, int, str]]]) -> dict[str, str]:
    """Per drug, a digest of its facts, of its pages' sources and of the copied spans of the pages its
    facts are on (`copies.copied_evidence`)."""
    parts: dict[str, list[object]] = defaultdict(list)
    for p in sorted(pages, key=lambda p: p.page_id):
        if p.drug:
            parts[p.drug].append((p.page_id, p.source))
    fact_pages: dict[str, set[str]] = defaultdict(set)
    for f in sorted(facts, key=lambda f: f.fact_id):
        if f.drug:
            parts[f.drug].append(f)
            fact_pages[f.drug].add(f.page_id)
    for drug, page_ids in fact_pages.items():
        parts[drug].extend((page_id, copied.get(page_id)) for page_id in sorted(page_ids))
    return {drug: _digest(drug_parts) for drug, drug_parts in parts.items()}


def unchanged_drugs(digests: Mapping[str, str], previous: Mapping[str, str] | None) -> set[str]:
    """The drugs whose digest equals the previous run's."""
    if previous is None:
        return set()
    return {drug for drug, digest in digests.items() if previous.get(drug) == digest}


def digests_table(copies: Mapping[str, str], comparison: Mapping[str, str]) -> pa.Table:
    """The digests of every drug, to keep with the outputs."""
    drugs = sorted(copies.keys() | comparison.keys())
    return pa.Table.from_pydict({"drug": drugs, "copies": [copies.get(d, "") for d in drugs],
                                 "comparison": [comparison.get(d, "") for d in drugs]}, schema=DRUG_DIGESTS)
