"""Typed records passed between stages, and the explicit pyarrow schema of every table.

Each record class has a schema of the same name (upper case) whose field names and order
match the dataclass fields; `tests/test_records.py` checks that the two agree.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

import pyarrow as pa

from .escaping import percent_encoded

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
    url: str | None = None


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


def rejection_now(path: str, reason: str, detail: str, size: int | None = None) -> Rejection:
    """A `Rejection` seen now, its detail printable on one line (`escaping.percent_encoded`)."""
    return Rejection(path, reason, percent_encoded(detail, encode_percent=False), size, datetime.now(timezone.utc))


@dataclass(frozen=True)
class Cut:
    """A boilerplate span inside a content block (a selling fragment stuffed into a sentence)."""

    char_start: int  # offsets in the page text, like the block's
    char_end: int
    reason: str


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
    cuts: tuple[Cut, ...] = ()


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
    key_kind: str
    term: str
    canonical: str
    surface: str
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
    url: str | None = None


@dataclass(frozen=True)
class ComparisonRow:
    """What one source states or negates about one (drug, topic, key); a silent source has no row."""

    drug: str
    topic: str
    key: str
    key_kind: str
    term: str
    source: str
    stated: bool
    negated: bool
    value: str
    evidence: str
    page_id: str
    char_start: int
    char_end: int
    n_mentions: int
    agreement: str
    n_sources: int
    copied_from: str | None
    n_voices: int


@dataclass(frozen=True)
class CopiedPage:
    """One page of a copy pair: how much of it the other page shares, and which one copied."""

    drug: str
    page_id: str
    source: str
    other_page_id: str
    other_source: str
    kind: str
    copied: bool
    n_shared: int
    n_sentences: int
    share: float
    similarity: float


@dataclass(frozen=True)
class CopiedSentence:
    """A sentence of a copying page aligned to the sentence of its source page it was taken from."""

    page_id: str
    char_start: int
    char_end: int
    text: str
    other_page_id: str
    other_char_start: int
    other_char_end: int
    other_text: str
    similarity: float
    match: str


# Bumped whenever a table gains, loses or changes a column; stored in every Parquet file's metadata.
SCHEMA_VERSION = "9"


def column(name: str, type_: pa.DataType, description: str, key: bool = False) -> pa.Field:
    """A table column: key columns are never null; the description travels as field metadata."""
    return pa.field(name, type_, nullable=not key, metadata={"description": description})


def table_schema(table: str, *columns: pa.Field) -> pa.Schema:
    """The schema of one output table, naming the table and the schema version in its metadata."""
    return pa.schema(columns, metadata={"drugpages.table": table, "drugpages.schema_version": SCHEMA_VERSION})


_PAGE_ID = "path of the page relative to the raw folder, '/'-separated; the join key"
_SOURCE = ("publisher: the site of the page's URL from its sidecar or WARC record, else HTML canonical/og:url "
           "domain, else a text page's copyright domain, else the page's top folder under the raw folder, else "
           "the file stem")
_CONTENT_SHA256 = ("SHA-256 of the raw bytes; of a page with a sidecar, of its raw bytes followed by the sidecar's; "
                   "of a WARC page, of its HTTP payload")
_URL = ("the page's URL: its sidecar's url, its WARC record's target URI, else an HTML page's canonical/og:url "
        "URL; null if none")

PAGE_TEXT = table_schema(
    "texts",
    column("page_id", pa.string(), _PAGE_ID, key=True),
    column("source", pa.string(), _SOURCE, key=True),
    column("format", pa.string(), "'html' or 'text'", key=True),
    column("encoding", pa.string(), "encoding the raw bytes were decoded with", key=True),
    column("content_sha256", pa.string(), _CONTENT_SHA256, key=True),
    column("bytes", pa.int64(), "size of the raw file in bytes (of a WARC page: of its HTTP payload)", key=True),
    column("title", pa.string(), "HTML <title>, or a short first line of a text page; null if none"),
    column("text", pa.large_string(), "the page text every char_start/char_end offset points into", key=True),
    column("layout", pa.list_(pa.struct([("kind", pa.string()), ("context", pa.string()), ("link_ratio", pa.float32())])),
           "HTML only: per line of text, block kind, ancestor tags/roles/class tokens and share of link text"),
    column("url", pa.string(), _URL),
)

REJECTION = table_schema(
    "rejected",
    column("path", pa.string(), "path of the raw file relative to the raw folder", key=True),
    column("reason", pa.string(), "why it was rejected: empty, unsupported_type, undecodable, too_large, hidden_file, "
                                  "symlink_outside_raw, symlink_to_folder, unreadable, no_text, no_drug_content, "
                                  "warc_record_skipped, corrupt_warc, ... (README, rejected)", key=True),
    column("detail", pa.string(), "a readable explanation", key=True),
    column("bytes", pa.int64(), "file size when known"),
    column("seen_at", UTC_TIMESTAMP, "when the file was looked at (UTC)", key=True),
)

BLOCK = table_schema(
    "blocks",
    column("page_id", pa.string(), _PAGE_ID, key=True),
    column("block_index", pa.int32(), "position of the block in its page, from 0; cut fragments come after the "
                                      "page's other blocks", key=True),
    column("kind", pa.string(), "heading, paragraph, list_item, table_row, caption, or cut (a fragment cut out of a "
                                "content block: see cuts)", key=True),
    column("text", pa.string(), "the block's text: the page text at its offsets, cut fragments blanked with spaces",
           key=True),
    column("char_start", pa.int32(), "offset of the block's first character in the page text", key=True),
    column("char_end", pa.int32(), "offset just past the block's last character in the page text", key=True),
    column("section", pa.string(), "nearest heading at or above the block; null if none"),
    column("is_boilerplate", pa.bool_(), "true if the block is not drug information", key=True),
    column("boilerplate_reason", pa.string(), "why the block is boilerplate (cart, byline, navigation, template, ...); "
                                              "null for content"),
    column("dup_group", pa.string(), "id shared by every copy of a repeated block; null if unique"),
    column("dup_kind", pa.string(), "'exact' or 'near' on a copy; null on first occurrences and unique blocks"),
    column("dup_of", pa.string(), "page_id#block_index of the first occurrence, on copies"),
    column("cuts", pa.list_(pa.struct([("char_start", pa.int32()), ("char_end", pa.int32()), ("reason", pa.string())])),
           "boilerplate spans cut out of a content block (a selling fragment stuffed into a sentence): "
           "page-text offsets and reason; empty when none; claims never read them", key=True),
)

CLAIM = table_schema(
    "claims",
    column("claim_id", pa.string(), "page_id#block_index:sentence_index:topic", key=True),
    column("page_id", pa.string(), _PAGE_ID, key=True),
    column("source", pa.string(), _SOURCE, key=True),
    column("drug", pa.string(), "generic name (INN, lower case) of the drug the sentence is about; null if none"),
    column("block_index", pa.int32(), "block the sentence is in", key=True),
    column("topic", pa.string(), "one of the 14 topics", key=True),
    column("text", pa.string(), "the sentence", key=True),
    column("char_start", pa.int32(), "offset of the sentence in the page text", key=True),
    column("char_end", pa.int32(), "offset just past the sentence in the page text", key=True),
    column("negated", pa.bool_(), "every fact of the claim is negated", key=True),
    column("hedged", pa.bool_(), "the sentence hedges (may, might, can, rarely, ...)", key=True),
    column("dup_of", pa.string(), "page_id#block_index:sentence_index of an earlier sentence of the page saying "
                                  "nearly the same; its facts are not counted again"),
)

FACT = table_schema(
    "facts",
    column("fact_id", pa.string(), "claim_id:n", key=True),
    column("claim_id", pa.string(), "the claim the fact comes from", key=True),
    column("page_id", pa.string(), _PAGE_ID, key=True),
    column("source", pa.string(), _SOURCE, key=True),
    column("drug", pa.string(), "generic name of the drug the fact is about; null if none"),
    column("topic", pa.string(), "one of the 14 topics", key=True),
    column("key", pa.string(), "canonical id, stable across pages (side_effects.dry_lips, dosage.max_dose): "
                               "the comparison's join key", key=True),
    column("key_kind", pa.string(), "'concept' (a vocabulary concept), 'quantity' (a number with its unit) or 'open' "
                                    "(an item of a list or slot the vocabulary does not name: its key is made from "
                                    "its own word stems)", key=True),
    column("term", pa.string(), "the fact as shown: the canonical term, followed for a concept by the page's own "
                                "words in brackets when they say more ('heart rhythm problems (irregular "
                                "heartbeat)'); for quantities the kind, e.g. 'course length'", key=True),
    column("canonical", pa.string(), "the canonical term alone: the vocabulary's name of a concept, an open item's "
                                     "own words, a quantity's kind", key=True),
    column("surface", pa.string(), "the page's own words for the fact (text[char_start:char_end])", key=True),
    column("value_min", pa.float64(), "lower end of a quantity (equal to value_max for one value); null for terms"),
    column("value_max", pa.float64(), "upper end of a quantity; null for terms"),
    column("unit", pa.string(), "canonical unit of a quantity (mg, mg/day, mg/kg/day, %, weeks, ...); null for terms"),
    column("negated", pa.bool_(), "the page says this does not hold; a negated fact never counts as stated", key=True),
    column("hedged", pa.bool_(), "stated with a hedge", key=True),
    column("evidence", pa.string(), "the sentence the fact came from (equals the claim's text)", key=True),
    column("char_start", pa.int32(), "offset of the matched words in the page text", key=True),
    column("char_end", pa.int32(), "offset just past the matched words in the page text", key=True),
    column("counted", pa.bool_(), "false when the sentence repeats an earlier one of the page", key=True),
)

PAGE_SUMMARY = table_schema(
    "pages",
    column("page_id", pa.string(), _PAGE_ID, key=True),
    column("source", pa.string(), _SOURCE, key=True),
    column("drug", pa.string(), "generic name (INN, lower case) the page is mostly about; null if none found"),
    column("brands", pa.list_(pa.string()), "brand names the page uses for that drug", key=True),
    column("format", pa.string(), "'html' or 'text'", key=True),
    column("encoding", pa.string(), "encoding the raw bytes were decoded with", key=True),
    column("content_sha256", pa.string(), _CONTENT_SHA256, key=True),
    column("bytes", pa.int64(), "size of the raw file in bytes (of a WARC page: of its HTTP payload)", key=True),
    column("title", pa.string(), "HTML <title>, or a short first line of a text page; null if none"),
    column("n_blocks", pa.int32(), "blocks of the page", key=True),
    column("n_boilerplate", pa.int32(), "blocks marked boilerplate", key=True),
    column("n_duplicate", pa.int32(), "blocks repeating an earlier block", key=True),
    column("n_claims", pa.int32(), "claims extracted from the page", key=True),
    column("n_facts", pa.int32(), "facts extracted from the page", key=True),
    column("processed_at", UTC_TIMESTAMP, "when the page was processed (UTC)", key=True),
    column("url", pa.string(), _URL),
)

COMPARISON_ROW = table_schema(
    "comparison",
    column("drug", pa.string(), "generic name of the drug", key=True),
    column("topic", pa.string(), "one of the 14 topics", key=True),
    column("key", pa.string(), "canonical fact id, as facts.key; for open facts of several wordings, the key of the "
                               "shortest wording they were aligned to", key=True),
    column("key_kind", pa.string(), "concept, quantity or open (as facts.key_kind)", key=True),
    column("term", pa.string(), "readable fact", key=True),
    column("source", pa.string(), "a source that states or negates the fact (a silent source has no row: for concept "
                                  "and quantity facts, the drug's other sources are silent; an open fact's other "
                                  "sources may have worded it differently)", key=True),
    column("stated", pa.bool_(), "the source states the fact (not negated)", key=True),
    column("negated", pa.bool_(), "the source only states the opposite", key=True),
    column("value", pa.string(), "what the source says: a quantity such as '16-24 weeks', or the term", key=True),
    column("evidence", pa.string(), "one sentence of the source saying it", key=True),
    column("page_id", pa.string(), "the page the evidence is on (join pages/texts on it)", key=True),
    column("char_start", pa.int32(), "offset of the words stating the fact in that page's text", key=True),
    column("char_end", pa.int32(), "offset just past those words", key=True),
    column("n_mentions", pa.int32(), "distinct sentences of the source stating it, repeats counted once", key=True),
    column("agreement", pa.string(), "for the whole (drug, topic, key): all, some, one or conflict", key=True),
    column("n_sources", pa.int32(), "sources that speak about the drug", key=True),
    column("copied_from", pa.string(), "the source this source's evidence for the fact was copied from (its sentence is "
                                       "aligned to a sentence of that source, which speaks about the fact too: see "
                                       "copied_sentences); null if its own"),
    column("n_voices", pa.int32(), "independent sources speaking about the fact: a source whose evidence was copied "
                                   "from another speaking source is not counted; agreement 'one' means one voice",
           key=True),
)

COPIES = table_schema(
    "copies",
    column("drug", pa.string(), "the drug both pages are about", key=True),
    column("page_id", pa.string(), _PAGE_ID, key=True),
    column("source", pa.string(), _SOURCE, key=True),
    column("other_page_id", pa.string(), "the other page of the pair", key=True),
    column("other_source", pa.string(), "the other page's source", key=True),
    column("kind", pa.string(), "verbatim, spun (synonyms swapped, order kept), paraphrase (reworded, reordered) or "
                                "partial (one section taken into an otherwise different page)", key=True),
    column("copied", pa.bool_(), "true on the copying page's row, false on the source page's row", key=True),
    column("n_shared", pa.int32(), "sentences aligned between the two pages", key=True),
    column("n_sentences", pa.int32(), "the page's compared sentences (content, not headings, long enough)", key=True),
    column("share", pa.float64(), "n_shared / n_sentences: how much of this page the other shares", key=True),
    column("similarity", pa.float64(), "median cosine (character n-gram TF-IDF) of the aligned sentences", key=True),
)

COPIED_SENTENCES = table_schema(
    "copied_sentences",
    column("page_id", pa.string(), "the copying page (copies.copied is true for it)", key=True),
    column("char_start", pa.int32(), "offset of the sentence in the copying page's text", key=True),
    column("char_end", pa.int32(), "offset just past it", key=True),
    column("text", pa.string(), "the sentence, as scraped", key=True),
    column("other_page_id", pa.string(), "the page it was copied from", key=True),
    column("other_char_start", pa.int32(), "offset of the source sentence in that page's text", key=True),
    column("other_char_end", pa.int32(), "offset just past it", key=True),
    column("other_text", pa.string(), "the source sentence", key=True),
    column("similarity", pa.float64(), "cosine of the two sentences' character n-gram TF-IDF vectors", key=True),
    column("match", pa.string(), "exact (same words), near (cosine >= verbatim_similarity) or reworded", key=True),
)

RUN = table_schema(
    "runs",
    column("run_id", pa.string(), "id of the run (UTC start time and a random suffix)", key=True),
    column("started_at", UTC_TIMESTAMP, "when the run started (UTC)", key=True),
    column("finished_at", UTC_TIMESTAMP, "when the run published its output (UTC)", key=True),
    column("pages_seen", pa.int32(), "pages and rejected entries found under the raw folder (a WARC "
                                      "file's responses count one each; a sidecar counts with its page)", key=True),
    column("pages_new", pa.int32(), "pages not in the previous pages table", key=True),
    column("pages_changed", pa.int32(), "pages whose bytes changed since the previous run", key=True),
    column("pages_unchanged", pa.int32(), "pages whose rows were reused", key=True),
    column("pages_removed", pa.int32(), "pages of the previous run no longer in the raw folder", key=True),
    column("pages_rejected", pa.int32(), "files in the rejected table", key=True),
    column("pages_processed", pa.int32(), "pages run through the stages in this run", key=True),
    column("n_blocks", pa.int32(), "rows of blocks", key=True),
    column("n_claims", pa.int32(), "rows of claims", key=True),
    column("n_facts", pa.int32(), "rows of facts", key=True),
    column("seconds_ingest", pa.float64(), "seconds spent reading raw files"),
    column("seconds_pages", pa.float64(), "seconds spent on the per-page work: blocks, boilerplate, claims, facts"),
    column("seconds_dedup", pa.float64(), "seconds spent on duplicate blocks"),
    column("seconds_compare", pa.float64(), "seconds spent on the comparison"),
    column("seconds_total", pa.float64(), "seconds for the whole run", key=True),
    column("pipeline_version", pa.string(), "version of the pipeline that wrote the run", key=True),
)

SCHEMA_OF: dict[type, pa.Schema] = {
    PageText: PAGE_TEXT, Rejection: REJECTION, Block: BLOCK, Claim: CLAIM, Fact: FACT,
    PageSummary: PAGE_SUMMARY, ComparisonRow: COMPARISON_ROW, CopiedPage: COPIES, CopiedSentence: COPIED_SENTENCES,
}


def _column_values(records: list[Any], field: pa.Field) -> list[Any]:
    """One column's values, read straight from the records' attributes (or dict keys).

    Nested records (a list of structs) become dicts."""
    name = field.name
    values = [r[name] if isinstance(r, dict) else getattr(r, name) for r in records]
    if pa.types.is_list(field.type) and pa.types.is_struct(field.type.value_type):
        names = [f.name for f in field.type.value_type]
        values = [None if v is None else [x if isinstance(x, dict) else {n: getattr(x, n) for n in names} for x in v]
                  for v in values]
    return values


def to_table(records: Iterable[Any], schema: pa.Schema) -> pa.Table:
    """Build an Arrow table with `schema` from dataclass records (or plain dicts), column by column."""
    records = list(records)
    return pa.Table.from_pydict({field.name: _column_values(records, field) for field in schema}, schema=schema)


def from_table(table: pa.Table, record_type: type) -> list[Any]:
    """Turn an Arrow table back into a list of `record_type` instances."""
    names = [f.name for f in dataclasses.fields(record_type)]
    rows = table.select(names).to_pylist()
    if record_type is PageSummary:
        return [record_type(**{**r, "brands": tuple(r["brands"] or ())}) for r in rows]
    if record_type is Block:
        return [record_type(**{**r, "cuts": tuple(Cut(**c) for c in r["cuts"] or ())}) for r in rows]
    if record_type is PageText:
        return [record_type(**{**r, "layout": tuple(LineLayout(**x) for x in r["layout"] or ())}) for r in rows]
    return [record_type(**r) for r in rows]

