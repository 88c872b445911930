"""Typed records passed between stages, and the explicit pyarrow schema of every table.

Each record class has a schema of the same name (upper case) whose field names and order
match the dataclass fields; `tests/test_records.py` checks that the two agree.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

import pyarrow as pa

TOPICS: tuple[str, ...] = (
    "indication", "mechanism", "dosage", "administration", "duration", "efficacy",
    "side_effects", "warnings", "contraindications", "pregnancy", "monitoring",
    "interactions", "storage", "access",
)

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class PageText:
    """A page read from the raw folder and decoded, before any analysis."""

    page_id: str
    source: str
    format: str
    encoding: str
    content_sha256: str
    bytes: int
    title: str | None
    text: str
    layout: tuple[LineLayout, ...] = ()


@dataclass(frozen=True)
class LineLayout:
    """Markup facts about one line of an HTML page's text: block kind, ancestor tokens, link share."""

    kind: str
    context: str
    link_ratio: float


@dataclass(frozen=True)
class Rejection:
    """A raw file that could not be processed, with the reason why."""

    path: str
    reason: str
    detail: str
    bytes: int | None
    seen_at: datetime


@dataclass(frozen=True)
class Block:
    """A paragraph, heading, list item or table row of a page, with offsets into the page text."""

    page_id: str
    block_index: int
    kind: str
    text: str
    char_start: int
    char_end: int
    section: str | None
    is_boilerplate: bool = False
    boilerplate_reason: str | None = None
    dup_group: str | None = None
    dup_kind: str | None = None
    dup_of: str | None = None


@dataclass(frozen=True)
class Claim:
    """A sentence (or clause) of a content block that asserts something about the drug."""

    claim_id: str
    page_id: str
    source: str
    drug: str | None
    block_index: int
    topic: str
    text: str
    char_start: int
    char_end: int
    negated: bool
    hedged: bool
    dup_of: str | None


@dataclass(frozen=True)
class Fact:
    """A normalised fact: a canonical term or a quantity, traced to its claim and evidence."""

    fact_id: str
    claim_id: str
    page_id: str
    source: str
    drug: str | None
    topic: str
    key: str
    term: str
    value_min: float | None
    value_max: float | None
    unit: str | None
    negated: bool
    hedged: bool
    evidence: str
    char_start: int
    char_end: int
    counted: bool


@dataclass(frozen=True)
class PageSummary:
    """One row of the `pages` table: a processed page with its counts."""

    page_id: str
    source: str
    drug: str | None
    brands: tuple[str, ...]
    format: str
    encoding: str
    content_sha256: str
    bytes: int
    title: str | None
    n_blocks: int
    n_boilerplate: int
    n_duplicate: int
    n_claims: int
    n_facts: int
    processed_at: datetime


@dataclass(frozen=True)
class ComparisonRow:
    """What one source says about one (drug, topic, key)."""

    drug: str
    topic: str
    key: str
    term: str
    source: str
    stated: bool
    negated: bool
    value: str | None
    evidence: str | None
    n_mentions: int
    agreement: str
    n_sources: int
    copied_from: str | None


PAGE_TEXT = pa.schema([
    ("page_id", pa.string()), ("source", pa.string()), ("format", pa.string()),
    ("encoding", pa.string()), ("content_sha256", pa.string()), ("bytes", pa.int64()),
    ("title", pa.string()), ("text", pa.large_string()),
    ("layout", pa.list_(pa.struct([("kind", pa.string()), ("context", pa.string()), ("link_ratio", pa.float32())]))),
])

REJECTION = pa.schema([
    ("path", pa.string()), ("reason", pa.string()), ("detail", pa.string()),
    ("bytes", pa.int64()), ("seen_at", UTC_TIMESTAMP),
])

BLOCK = pa.schema([
    ("page_id", pa.string()), ("block_index", pa.int32()), ("kind", pa.string()),
    ("text", pa.string()), ("char_start", pa.int32()), ("char_end", pa.int32()),
    ("section", pa.string()), ("is_boilerplate", pa.bool_()), ("boilerplate_reason", pa.string()),
    ("dup_group", pa.string()), ("dup_kind", pa.string()), ("dup_of", pa.string()),
])

CLAIM = pa.schema([
    ("claim_id", pa.string()), ("page_id", pa.string()), ("source", pa.string()),
    ("drug", pa.string()), ("block_index", pa.int32()), ("topic", pa.string()),
    ("text", pa.string()), ("char_start", pa.int32()), ("char_end", pa.int32()),
    ("negated", pa.bool_()), ("hedged", pa.bool_()), ("dup_of", pa.string()),
])

FACT = pa.schema([
    ("fact_id", pa.string()), ("claim_id", pa.string()), ("page_id", pa.string()),
    ("source", pa.string()), ("drug", pa.string()), ("topic", pa.string()), ("key", pa.string()),
    ("term", pa.string()), ("value_min", pa.float64()), ("value_max", pa.float64()),
    ("unit", pa.string()), ("negated", pa.bool_()), ("hedged", pa.bool_()),
    ("evidence", pa.string()), ("char_start", pa.int32()), ("char_end", pa.int32()),
    ("counted", pa.bool_()),
])

PAGE_SUMMARY = pa.schema([
    ("page_id", pa.string()), ("source", pa.string()), ("drug", pa.string()),
    ("brands", pa.list_(pa.string())), ("format", pa.string()), ("encoding", pa.string()),
    ("content_sha256", pa.string()), ("bytes", pa.int64()), ("title", pa.string()),
    ("n_blocks", pa.int32()), ("n_boilerplate", pa.int32()), ("n_duplicate", pa.int32()),
    ("n_claims", pa.int32()), ("n_facts", pa.int32()), ("processed_at", UTC_TIMESTAMP),
])

COMPARISON_ROW = pa.schema([
    ("drug", pa.string()), ("topic", pa.string()), ("key", pa.string()), ("term", pa.string()),
    ("source", pa.string()), ("stated", pa.bool_()), ("negated", pa.bool_()), ("value", pa.string()),
    ("evidence", pa.string()), ("n_mentions", pa.int32()), ("agreement", pa.string()),
    ("n_sources", pa.int32()), ("copied_from", pa.string()),
])

RUN = pa.schema([
    ("run_id", pa.string()), ("started_at", UTC_TIMESTAMP), ("finished_at", UTC_TIMESTAMP),
    ("pages_seen", pa.int32()), ("pages_new", pa.int32()), ("pages_changed", pa.int32()),
    ("pages_unchanged", pa.int32()), ("pages_removed", pa.int32()), ("pages_rejected", pa.int32()),
    ("pages_processed", pa.int32()),
    ("n_blocks", pa.int32()), ("n_claims", pa.int32()), ("n_facts", pa.int32()),
    ("seconds_ingest", pa.float64()), ("seconds_blocks", pa.float64()),
    ("seconds_dedup", pa.float64()), ("seconds_claims", pa.float64()),
    ("seconds_compare", pa.float64()), ("seconds_total", pa.float64()),
    ("pipeline_version", pa.string()),
])

SCHEMA_OF: dict[type, pa.Schema] = {
    PageText: PAGE_TEXT, Rejection: REJECTION, Block: BLOCK, Claim: CLAIM, Fact: FACT,
    PageSummary: PAGE_SUMMARY, ComparisonRow: COMPARISON_ROW,
}


def to_table(records: Iterable[Any], schema: pa.Schema) -> pa.Table:
    """Build an Arrow table with `schema` from dataclass records (or plain dicts)."""
    rows = [dataclasses.asdict(r) if dataclasses.is_dataclass(r) else dict(r) for r in records]
    columns = {name: [row[name] for row in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


def from_table(table: pa.Table, record_type: type) -> list[Any]:
    """Turn an Arrow table back into a list of `record_type` instances."""
    names = [f.name for f in dataclasses.fields(record_type)]
    rows = table.select(names).to_pylist()
    if record_type is PageSummary:
        return [record_type(**{**r, "brands": tuple(r["brands"] or ())}) for r in rows]
    if record_type is PageText:
        return [record_type(**{**r, "layout": tuple(LineLayout(**x) for x in r["layout"] or ())}) for r in rows]
    return [record_type(**r) for r in rows]

