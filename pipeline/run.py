"""The pipeline's stages over a batch of pages. Each stage reads and writes Parquet files in a
work folder and returns their paths, so an orchestrator (Prefect, or `run_pipeline`) can pass
paths between stages. `publish` moves the finished tables into the output folder atomically.
"""
from __future__ import annotations

import json
import logging
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa

from . import __version__
from .blocks import split_blocks
from .boilerplate import classify_blocks
from .claims import ClaimExtractor, PageContext
from .compare import build_comparison, copied_sources, markdown_report, wide_csv
from .dedup import mark_duplicates
from .drugs import identify_drug
from .ingest import DEFAULT_MAX_BYTES, IngestOptions, RawFolderError, ingest_folder
from .records import (
    BLOCK, CLAIM, COMPARISON_ROW, FACT, PAGE_SUMMARY, PAGE_TEXT, REJECTION, RUN, Block, Claim,
    Fact, PageSummary, PageText, Rejection, from_table, to_table,
)
from .storage import output_lock, read_parquet, write_parquet, write_text
from .vocabulary import load_vocabulary

log = logging.getLogger("pipeline")

TABLES = {
    "pages": PAGE_SUMMARY, "texts": PAGE_TEXT, "blocks": BLOCK, "claims": CLAIM, "facts": FACT,
    "comparison": COMPARISON_ROW, "rejected": REJECTION,
}
WORK_DIR_NAME = ".work"


@dataclass(frozen=True)
class RunOptions:
    """Where a run reads and writes, and its limits."""

    raw_dir: Path
    out_dir: Path
    vocab_dir: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


def _timed(work: Path, stage: str, started: float) -> None:
    timings_path = work / "timings.json"
    timings = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    timings[stage] = round(time.perf_counter() - started, 4)
    timings_path.write_text(json.dumps(timings))


def prepare_work_dir(out_dir: Path) -> Path:
    """A fresh work folder inside the output folder (left-overs of crashed runs are removed)."""
    shutil.rmtree(out_dir / WORK_DIR_NAME, ignore_errors=True)
    work = out_dir / WORK_DIR_NAME / uuid.uuid4().hex[:12]
    work.mkdir(parents=True)
    return work


def stage_ingest(raw_dir: Path, work: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Path:
    """Read every raw file: decoded pages to `texts.parquet`, failures to `rejected.parquet`."""
    started = time.perf_counter()
    pages, rejected = ingest_folder(raw_dir, IngestOptions(max_bytes=max_bytes))
    log.info("ingest: %d pages read, %d rejected", len(pages), len(rejected))
    write_parquet(to_table(pages, PAGE_TEXT), work / "texts.parquet")
    write_parquet(to_table(rejected, REJECTION), work / "rejected.parquet")
    _timed(work, "ingest", started)
    return work


def stage_blocks(work: Path, vocab_dir: Path | None = None) -> Path:
    """Split pages into blocks and mark boilerplate, into `blocks.parquet`."""
    started = time.perf_counter()
    vocab = load_vocabulary(vocab_dir)
    pages = from_table(read_parquet(work / "texts.parquet", PAGE_TEXT), PageText)
    blocks: list[Block] = []
    for page in pages:
        blocks.extend(classify_blocks(split_blocks(page, vocab), page, vocab))
    log.info("blocks: %d blocks, %d boilerplate", len(blocks), sum(b.is_boilerplate for b in blocks))
    write_parquet(to_table(blocks, BLOCK), work / "blocks.parquet")
    _timed(work, "blocks", started)
    return work


def stage_dedup(work: Path) -> Path:
    """Mark exact and near-duplicate blocks within and across pages, in `blocks.parquet`."""
    started = time.perf_counter()
    blocks = from_table(read_parquet(work / "blocks.parquet", BLOCK), Block)
    blocks = mark_duplicates(blocks)
    log.info("dedup: %d duplicate blocks", sum(b.dup_of is not None for b in blocks))
    write_parquet(to_table(blocks, BLOCK), work / "blocks.parquet")
    _timed(work, "dedup", started)
    return work


def stage_claims(work: Path, vocab_dir: Path | None = None) -> Path:
    """Identify each page's drug, extract claims and facts, and summarise pages."""
    started = time.perf_counter()
    vocab = load_vocabulary(vocab_dir)
    extractor = ClaimExtractor(vocab)
    pages = from_table(read_parquet(work / "texts.parquet", PAGE_TEXT), PageText)
    blocks_by_page: dict[str, list[Block]] = {}
    for b in from_table(read_parquet(work / "blocks.parquet", BLOCK), Block):
        blocks_by_page.setdefault(b.page_id, []).append(b)
    claims: list[Claim] = []
    facts: list[Fact] = []
    summaries: list[PageSummary] = []
    now = datetime.now(timezone.utc)
    for page in pages:
        blocks = sorted(blocks_by_page.get(page.page_id, []), key=lambda b: b.block_index)
        content = "\n".join(b.text for b in blocks if not b.is_boilerplate)
        drug, brands = identify_drug(content, vocab)
        page_claims, page_facts = extractor.extract(PageContext(page.page_id, page.source, drug), blocks)
        claims.extend(page_claims)
        facts.extend(page_facts)
        summaries.append(PageSummary(
            page_id=page.page_id, source=page.source, drug=drug, brands=brands, format=page.format,
            encoding=page.encoding, content_sha256=page.content_sha256, bytes=page.bytes, title=page.title,
            n_blocks=len(blocks), n_boilerplate=sum(b.is_boilerplate for b in blocks),
            n_duplicate=sum(b.dup_of is not None for b in blocks), n_claims=len(page_claims),
            n_facts=len(page_facts), processed_at=now,
        ))
    log.info("claims: %d claims, %d facts on %d pages", len(claims), len(facts), len(pages))
    write_parquet(to_table(claims, CLAIM), work / "claims.parquet")
    write_parquet(to_table(facts, FACT), work / "facts.parquet")
    write_parquet(to_table(summaries, PAGE_SUMMARY), work / "pages.parquet")
    _timed(work, "claims", started)
    return work


def stage_compare(work: Path, vocab_dir: Path | None = None) -> Path:
    """Build the comparison table (long Parquet, wide CSV, Markdown report)."""
    started = time.perf_counter()
    vocab = load_vocabulary(vocab_dir)
    pages = from_table(read_parquet(work / "pages.parquet", PAGE_SUMMARY), PageSummary)
    facts = from_table(read_parquet(work / "facts.parquet", FACT), Fact)
    blocks = from_table(read_parquet(work / "blocks.parquet", BLOCK), Block)
    copies = copied_sources(blocks, {p.page_id: p.source for p in pages})
    rows = build_comparison(facts, pages, copies, vocab)
    log.info("compare: %d rows for %d drugs", len(rows), len({r.drug for r in rows}))
    write_parquet(to_table(rows, COMPARISON_ROW), work / "comparison.parquet")
    write_text(wide_csv(rows), work / "comparison_wide.csv")
    write_text(markdown_report(rows), work / "report.md")
    _timed(work, "compare", started)
    return work


def _previous_hashes(out_dir: Path) -> dict[str, str]:
    path = out_dir / "pages.parquet"
    if not path.exists():
        return {}
    try:
        table = read_parquet(path, PAGE_SUMMARY)
    except (OSError, pa.ArrowException, KeyError) as exc:
        log.warning("previous pages table %s is unreadable (%s); it will be rebuilt", path, exc)
        return {}
    return dict(zip(table.column("page_id").to_pylist(), table.column("content_sha256").to_pylist()))


def _run_row(work: Path, out_dir: Path, run_id: str, started_at: datetime) -> dict:
    pages = read_parquet(work / "pages.parquet", PAGE_SUMMARY)
    current = dict(zip(pages.column("page_id").to_pylist(), pages.column("content_sha256").to_pylist()))
    previous = _previous_hashes(out_dir)
    rejected = read_parquet(work / "rejected.parquet", REJECTION).num_rows
    timings = json.loads((work / "timings.json").read_text())
    return {
        "run_id": run_id, "started_at": started_at, "finished_at": datetime.now(timezone.utc),
        "pages_seen": len(current) + rejected,
        "pages_new": sum(1 for p in current if p not in previous),
        "pages_changed": sum(1 for p, h in current.items() if p in previous and previous[p] != h),
        "pages_unchanged": sum(1 for p, h in current.items() if previous.get(p) == h),
        "pages_removed": sum(1 for p in previous if p not in current),
        "pages_rejected": rejected,
        "n_blocks": read_parquet(work / "blocks.parquet", BLOCK).num_rows,
        "n_claims": read_parquet(work / "claims.parquet", CLAIM).num_rows,
        "n_facts": read_parquet(work / "facts.parquet", FACT).num_rows,
        **{f"seconds_{s}": timings.get(s) for s in ("ingest", "blocks", "dedup", "claims", "compare")},
        "seconds_total": round((datetime.now(timezone.utc) - started_at).total_seconds(), 4),
        "pipeline_version": __version__,
    }


def publish(work: Path, out_dir: Path, run_id: str, started_at: datetime) -> dict:
    """Move the finished tables from the work folder into the output folder and append to `runs`."""
    row = _run_row(work, out_dir, run_id, started_at)
    for name in TABLES:
        (work / f"{name}.parquet").replace(out_dir / f"{name}.parquet")
    for name in ("comparison_wide.csv", "report.md"):
        (work / name).replace(out_dir / name)
    runs_path = out_dir / "runs.parquet"
    new_run = pa.Table.from_pylist([row], schema=RUN)
    try:
        runs = pa.concat_tables([read_parquet(runs_path, RUN), new_run]) if runs_path.exists() else new_run
    except (OSError, pa.ArrowException, KeyError) as exc:
        log.warning("previous runs table %s is unreadable (%s); starting a new one", runs_path, exc)
        runs = new_run
    write_parquet(runs, runs_path)
    shutil.rmtree(work, ignore_errors=True)
    return row


def run_pipeline(options: RunOptions) -> dict:
    """Run every stage on the raw folder and publish the tables; returns the `runs` row."""
    if not options.raw_dir.is_dir():
        raise RawFolderError(f"raw folder not found or not a folder: {options.raw_dir}")
    load_vocabulary(options.vocab_dir)  # fail early on a broken vocabulary
    started_at = datetime.now(timezone.utc)
    run_id = started_at.strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]
    with output_lock(options.out_dir):
        work = prepare_work_dir(options.out_dir)
        stage_ingest(options.raw_dir, work, options.max_bytes)
        stage_blocks(work, options.vocab_dir)
        stage_dedup(work)
        stage_claims(work, options.vocab_dir)
        stage_compare(work, options.vocab_dir)
        return publish(work, options.out_dir, run_id, started_at)
