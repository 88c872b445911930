"""The pipeline's stages over a batch of pages, incremental and crash-safe.

Each stage reads and writes Parquet files in a work folder (`<out>/.work/<id>/`) and returns
its path, so an orchestrator (Prefect, or `run_pipeline`) passes paths between stages.

Incremental runs: a page whose bytes hash as before, under the same pipeline version and
vocabularies, keeps its previous texts, blocks, claims and facts; only new and changed pages
are processed. The corpus-wide steps (cross-page duplicates, comparison) always run over all
pages, so the result equals a full run.

Crash safety: every run publishes a complete version of the outputs into
`<out>/.versions/<run_id>/` (the work folder, renamed), then switches the `<out>/.current`
symlink to it with one atomic rename. The table paths (`<out>/facts.parquet`...) are fixed
symlinks through `.current`, so readers always see one whole version: a run killed at any
moment leaves the previous version in place, and the next run removes what it left behind.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import pyarrow as pa
import pyarrow.compute as pc

from . import __version__, reuse
from .compare import build_comparison, markdown_report, wide_csv
from .copies import copied_evidence, find_copies
from .dedup import mark_duplicates, template_blocks
from .html_report import html_report
from .guards import check_folders, check_page_counts
from .ingest import DEFAULT_MAX_BYTES, IngestOptions, decode_raw_page, raw_pages
from .isolation import check_budget, isolated
from .progress import Progress, report
from .records import (
    BLOCK, CLAIM, COMPARISON_ROW, COPIED_SENTENCES, COPIES, FACT, PAGE_SUMMARY, PAGE_TEXT, REJECTION, RUN, Block, Claim,
    ComparisonRow, CopiedPage, CopiedSentence, Fact, PageSummary, PageText, Rejection, from_table, to_table,
)
from .settings import DEFAULT_KEEP_VERSIONS, DEFAULT_PAGE_SECONDS
from .storage import output_lock, read_parquet, write_parquet, write_text
from .versions import (
    CACHE_DIR_NAME, CURRENT_LINK, RUN_FILE, RUNS_FILE, VERSIONS_DIR_NAME, OutputFolderError, current_version,
    recover, switch, work_folder,
)
from .versions import roll_back as switch_back
from .vocabulary import Vocabulary, load_vocabulary
from .workers import default_workers, process_pages

log = logging.getLogger("pipeline")

TABLES = {
    "pages": PAGE_SUMMARY, "texts": PAGE_TEXT, "blocks": BLOCK, "claims": CLAIM, "facts": FACT,
    "comparison": COMPARISON_ROW, "copies": COPIES, "copied_sentences": COPIED_SENTENCES, "rejected": REJECTION,
}
# Per-page results reused for unchanged pages. Claims and facts come from the cache folder,
# where they are kept before template filtering (which depends on the other pages).
REUSED_TABLES = ("pages", "texts", "blocks", "claims", "facts")
CACHED_TABLES = ("claims", "facts")
EXTRA_OUTPUTS = ("comparison_wide.csv", "report.md", "report.html")
STATE_FILE = "state.json"
MANIFEST_FILE = "manifest.json"
PLAN_FILE = "plan.json"
# In a version that repeats the current one (a rerun that changed nothing): the run id it replaces.
REPLACES_FILE = "replaces.txt"
# Files of a published version that have a fixed path in the output folder, and the cache.
PUBLISHED_FILES = (*(f"{name}.parquet" for name in TABLES), *EXTRA_OUTPUTS, RUNS_FILE, STATE_FILE, MANIFEST_FILE)
# The digests of each drug's inputs to copies and the comparison (`reuse`).
DIGESTS_FILE = f"{CACHE_DIR_NAME}/drug_digests.parquet"
CACHED_FILES = (*(f"{CACHE_DIR_NAME}/{name}.parquet" for name in CACHED_TABLES), DIGESTS_FILE)
STAGES = ("ingest", "pages", "dedup", "compare")
# A block repeated on this many pages of one source is the site's template, not content.
TEMPLATE_MIN_PAGES = 3


@dataclass(frozen=True)
class RunOptions:
    """Where a run reads and writes, its limits, and whether to rebuild everything."""

    raw_dir: Path
    out_dir: Path
    vocab_dir: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    full: bool = False
    lock_wait_seconds: float = 0.0
    page_seconds: float | None = DEFAULT_PAGE_SECONDS
    allow_empty: bool = False
    allow_mass_removal: bool = False
    keep_versions: int = DEFAULT_KEEP_VERSIONS
    workers: int | None = None  # processes for the per-page work; None: one per core

    def __post_init__(self) -> None:
        check_budget(self.page_seconds)
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"workers must be 1 or more, not {self.workers}")
        if self.keep_versions < 1:
            raise ValueError(f"keep_versions must be 1 or more, not {self.keep_versions}")


def _timed(work: Path, stage: str, started: float) -> None:
    path = work / "timings.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[stage] = round(time.perf_counter() - started, 4)
    path.write_text(json.dumps(timings))


def _vocabulary(vocab: Vocabulary | Path | None) -> Vocabulary:
    """Stages take a loaded vocabulary (library runs) or its folder (Prefect tasks pass paths)."""
    return vocab if isinstance(vocab, Vocabulary) else load_vocabulary(vocab)


def _plan(work: Path) -> dict:
    return json.loads((work / PLAN_FILE).read_text())


def check_publishable(work: Path, raw_dir: Path, allow_empty: bool = False, allow_mass_removal: bool = False) -> None:
    """Refuse to publish a run that found no page, or that would remove most previous pages (`guards`)."""
    page_ids = set(read_parquet(work / "pages.parquet", PAGE_SUMMARY).column("page_id").to_pylist())
    n_rejected = read_parquet(work / "rejected.parquet", REJECTION).num_rows
    check_page_counts(raw_dir, page_ids, n_rejected, _plan(work)["previous_hashes"], allow_empty, allow_mass_removal)


def roll_back(out_dir: Path, run_id: str | None = None) -> str:
    """Make an earlier kept version of the outputs current (`versions.roll_back`); returns its run id."""
    return switch_back(out_dir, PUBLISHED_FILES, run_id)


def check_output_folder(out_dir: Path) -> None:
    """Fail early, with one clear message, when the output folder cannot be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / f".probe-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise OutputFolderError(f"output folder {out_dir} is not writable: {exc.strerror or exc}") from exc


def _read_state(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _previous_path(out_dir: Path, name: str) -> Path:
    """Where the previous run's per-page results of table `name` are kept."""
    if name in CACHED_TABLES:
        return out_dir / CURRENT_LINK / CACHE_DIR_NAME / f"{name}.parquet"
    return out_dir / f"{name}.parquet"


def _previous_tables(out_dir: Path) -> dict[str, pa.Table] | None:
    """The previous run's per-page tables, or None when any published table or cached result is
    missing or unreadable (then every page is processed again)."""
    tables = {}
    paths = [(name, out_dir / f"{name}.parquet") for name in TABLES]
    paths += [(name, _previous_path(out_dir, name)) for name in CACHED_TABLES]
    for name, path in paths:
        try:
            table = read_parquet(path, TABLES[name])
        except FileNotFoundError:
            return None
        except (OSError, pa.ArrowException, KeyError, ValueError) as exc:
            log.warning("previous output %s is unreadable (%s); every page will be processed again", path, exc)
            return None
        if name in REUSED_TABLES and path == _previous_path(out_dir, name):
            tables[name] = table
    return tables


def _rows_of_pages(table: pa.Table, page_ids: Iterable[str]) -> pa.Table:
    """The rows of `table` whose page is one of `page_ids`."""
    return table.filter(pc.is_in(table.column("page_id"), value_set=pa.array(sorted(page_ids), pa.string())))


def _sorted(table: pa.Table, *columns: str) -> pa.Table:
    """`table` sorted by `columns` (strings by code point, as Python sorts them)."""
    return table.sort_by([(name, "ascending") for name in columns])


def stage_ingest(raw_dir: Path, work: Path, out_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                 full: bool = False, vocab_fingerprint: str = "",
                 page_seconds: float | None = DEFAULT_PAGE_SECONDS) -> Path:
    """Read the raw folder (`ingest.raw_pages`: files with their sidecars' URLs, WARC records); decide
    which pages are new, changed, unchanged or removed.

    A page that cannot be read, decoded or parsed (whatever the error) is a rejection."""
    started = time.perf_counter()
    state = {"pipeline_version": __version__, "vocab_fingerprint": vocab_fingerprint}
    previous = None if full or _read_state(out_dir) != state else _previous_tables(out_dir)
    previous_hash: dict[str, str] = {}
    if previous is not None:
        pages = previous["pages"]
        previous_hash = dict(zip(pages.column("page_id").to_pylist(), pages.column("content_sha256").to_pylist()))
    ever_seen = dict(previous_hash) if previous is not None else _seen_hashes(out_dir)
    pages: list[PageText] = []
    rejected: list[Rejection] = []
    unchanged: list[str] = []
    options = IngestOptions(max_bytes=max_bytes)
    for raw in raw_pages(raw_dir, options, page_seconds):
        if isinstance(raw, Rejection):
            rejected.append(raw)
            continue
        if previous is not None and previous_hash.get(raw.page_id) == raw.content_sha256:
            unchanged.append(raw.page_id)
            continue
        result = isolated(raw.page_id, "ingest", len(raw.data), lambda: decode_raw_page(raw), page_seconds)
        (pages if isinstance(result, PageText) else rejected).append(result)
    if previous is not None and not pages and set(unchanged) == set(previous_hash) \
            and _rejection_keys(rejected) == _published_rejection_keys(out_dir):
        _link_current_outputs(out_dir, work)
        plan = {"incremental": True, "nothing_changed": True, "process": [], "unchanged": sorted(unchanged),
                "previous_hashes": ever_seen, "state": state}
        log.info("ingest: %d pages, none new, changed or removed, %d rejected as before: the current outputs stand",
                 len(unchanged), len(rejected))
        write_text(json.dumps(plan), work / PLAN_FILE)
        _timed(work, "ingest", started)
        return work
    texts = to_table(pages, PAGE_TEXT)
    if unchanged:
        texts = pa.concat_tables([texts, _rows_of_pages(previous["texts"], unchanged)])
    processed = sorted(p.page_id for p in pages)
    plan = {
        "incremental": previous is not None,
        "nothing_changed": False,
        "process": processed,
        "unchanged": sorted(unchanged),
        "previous_hashes": ever_seen,
        "state": state,
    }
    log.info("ingest: %d pages (%d to process, %d unchanged), %d rejected",
             texts.num_rows, len(processed), len(unchanged), len(rejected))
    write_parquet(_sorted(texts, "page_id"), work / "texts.parquet")
    write_parquet(to_table(rejected, REJECTION), work / "rejected.parquet")
    write_text(json.dumps(plan), work / PLAN_FILE)
    _timed(work, "ingest", started)
    return work


def _rejection_keys(rejected: list[Rejection]) -> set[tuple[str, str, str]]:
    """What makes two runs' rejections the same: each file's path, reason and detail (not when seen)."""
    return {(r.path, r.reason, r.detail) for r in rejected}


def _published_rejection_keys(out_dir: Path) -> set[tuple[str, str, str]] | None:
    """The rejection keys of the current outputs, None when they cannot be read."""
    try:
        return _rejection_keys(from_table(read_parquet(out_dir / "rejected.parquet", REJECTION), Rejection))
    except (OSError, pa.ArrowException, KeyError, ValueError):
        return None


def _link_current_outputs(out_dir: Path, work: Path) -> None:
    """Hard-link the current version's tables, reports and cache into the work folder (all but `runs`):
    a run that changes nothing publishes the same files."""
    current = current_version(out_dir)
    for name in (*PUBLISHED_FILES, *CACHED_FILES):
        if name != RUNS_FILE and (current / name).exists():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).unlink(missing_ok=True)
            os.link(current / name, work / name)


def _nothing_changed(work: Path) -> bool:
    """Whether ingest found the current outputs standing (no page new, changed or removed): then the
    later stages have nothing to do."""
    return _plan(work)["nothing_changed"]


def _seen_hashes(out_dir: Path) -> dict[str, str]:
    """Page hashes of the previous output, for counting new/changed pages on a full rebuild."""
    try:
        pages = read_parquet(out_dir / "pages.parquet", PAGE_SUMMARY)
    except (OSError, pa.ArrowException, KeyError, ValueError):
        return {}
    return dict(zip(pages.column("page_id").to_pylist(), pages.column("content_sha256").to_pylist()))


def stage_pages(work: Path, out_dir: Path, vocab: Vocabulary | Path | None = None,
                page_seconds: float | None = DEFAULT_PAGE_SECONDS, workers: int | None = None,
                progress: Progress | None = None) -> Path:
    """The per-page work (`per_page.process_page`) on new and changed pages, on `workers`
    processes (default: one per core); unchanged pages keep their previous results.

    A page with no drug and no facts, or whose work fails or runs too long, moves to `rejected`."""
    started = time.perf_counter()
    if _nothing_changed(work):
        return work
    plan = _plan(work)
    vocab = _vocabulary(vocab)
    texts = read_parquet(work / "texts.parquet", PAGE_TEXT)
    rejected = from_table(read_parquet(work / "rejected.parquet", REJECTION), Rejection)
    blocks: list[Block] = []
    claims: list[Claim] = []
    facts: list[Fact] = []
    summaries: list[PageSummary] = []
    to_process = from_table(_rows_of_pages(texts, plan["process"]), PageText)
    n_rejected_before = len(rejected)
    report(progress, "pages", 0, len(to_process))  # the clock of rate and time left starts here
    for done, result in enumerate(process_pages(to_process, vocab, datetime.now(timezone.utc), page_seconds,
                                                workers or default_workers()), start=1):
        report(progress, "pages", done, len(to_process))
        if isinstance(result, Rejection):
            rejected.append(result)
            continue
        summaries.append(result.summary)
        blocks.extend(result.blocks)
        claims.extend(result.claims)
        facts.extend(result.facts)
    tables = {"blocks": to_table(blocks, BLOCK), "claims": to_table(claims, CLAIM), "facts": to_table(facts, FACT),
              "pages": to_table(summaries, PAGE_SUMMARY)}
    unchanged = plan["unchanged"]
    if unchanged:
        tables["blocks"] = pa.concat_tables([
            tables["blocks"], _as_page_local(_rows_of_pages(read_parquet(out_dir / "blocks.parquet", BLOCK), unchanged))])
        for name in ("claims", "facts", "pages"):
            previous = _rows_of_pages(read_parquet(_previous_path(out_dir, name), TABLES[name]), unchanged)
            tables[name] = pa.concat_tables([tables[name], previous])
    if tables["pages"].num_rows < texts.num_rows:
        write_parquet(_rows_of_pages(texts, tables["pages"].column("page_id").to_pylist()), work / "texts.parquet")
        write_parquet(to_table(sorted(rejected, key=lambda r: r.path), REJECTION), work / "rejected.parquet")
    n_boilerplate = pc.sum(tables["blocks"].column("is_boilerplate")).as_py() or 0
    log.info("pages: %d pages (%d processed, %d more rejected: %d rejected in all), %d blocks (%d boilerplate)",
             tables["pages"].num_rows, len(to_process), len(rejected) - n_rejected_before, len(rejected),
             tables["blocks"].num_rows, n_boilerplate)
    write_parquet(_sorted(tables["blocks"], "page_id", "block_index"), work / "blocks.parquet")
    write_parquet(_sorted(tables["claims"], "claim_id"), work / CACHE_DIR_NAME / "claims.parquet")
    write_parquet(_sorted(tables["facts"], "fact_id"), work / CACHE_DIR_NAME / "facts.parquet")
    write_parquet(_sorted(tables["pages"], "page_id"), work / "pages.parquet")
    _timed(work, "pages", started)
    return work


def _as_page_local(blocks: pa.Table) -> pa.Table:
    """Published blocks without what the corpus-wide steps added (duplicates, templates)."""
    template = pc.fill_null(pc.equal(blocks.column("boilerplate_reason"), "template"), False)
    columns = {
        "is_boilerplate": pc.and_(blocks.column("is_boilerplate"), pc.invert(template)),
        "boilerplate_reason": pc.if_else(template, pa.scalar(None, pa.string()), blocks.column("boilerplate_reason")),
        **{name: pa.nulls(blocks.num_rows, pa.string()) for name in ("dup_group", "dup_kind", "dup_of")},
    }
    for name, values in columns.items():
        blocks = blocks.set_column(blocks.schema.get_field_index(name), blocks.schema.field(name), values)
    return blocks


def stage_dedup(work: Path, progress: Progress | None = None) -> Path:
    """Corpus-wide block steps: duplicates within and across pages, and site templates.

    A block repeated on `TEMPLATE_MIN_PAGES` pages of one source becomes boilerplate
    (`template`) and its claims and facts are dropped; page counts are brought up to date.
    """
    started = time.perf_counter()
    if _nothing_changed(work):
        return work
    pages = from_table(read_parquet(work / "pages.parquet", PAGE_SUMMARY), PageSummary)
    blocks = mark_duplicates(from_table(read_parquet(work / "blocks.parquet", BLOCK), Block), progress=progress)
    templates = template_blocks(blocks, {p.page_id: p.source for p in pages}, TEMPLATE_MIN_PAGES)
    blocks = [replace(b, is_boilerplate=True, boilerplate_reason="template")
              if (b.page_id, b.block_index) in templates and not b.is_boilerplate else b for b in blocks]
    claims = read_parquet(work / CACHE_DIR_NAME / "claims.parquet", CLAIM)
    if templates:  # a block is "page_id#block_index" (a page id may hold '#', an index never does)
        refs = pc.binary_join_element_wise(claims.column("page_id"), pc.cast(claims.column("block_index"), pa.string()), "#")
        dropped = pa.array(sorted(f"{page_id}#{index}" for page_id, index in templates), pa.string())
        claims = claims.filter(pc.invert(pc.is_in(refs, value_set=dropped)))
    facts = read_parquet(work / CACHE_DIR_NAME / "facts.parquet", FACT)
    facts = facts.filter(pc.is_in(facts.column("claim_id"), value_set=claims.column("claim_id")))
    counts: dict[str, Counter] = defaultdict(Counter)
    for b in blocks:
        counts[b.page_id].update(blocks=1, boilerplate=int(b.is_boilerplate), duplicate=int(b.dup_of is not None))
    for name, table in (("claims", claims), ("facts", facts)):
        for page_id, n in Counter(table.column("page_id").to_pylist()).items():
            counts[page_id][name] = n
    pages = [replace(p, n_blocks=counts[p.page_id]["blocks"], n_boilerplate=counts[p.page_id]["boilerplate"],
                     n_duplicate=counts[p.page_id]["duplicate"], n_claims=counts[p.page_id]["claims"],
                     n_facts=counts[p.page_id]["facts"]) for p in pages]
    log.info("dedup: %d duplicate blocks, %d template blocks; %d claims, %d facts after template blocks are dropped",
             sum(b.dup_of is not None for b in blocks), len(templates), claims.num_rows, facts.num_rows)
    write_parquet(to_table(blocks, BLOCK), work / "blocks.parquet")
    write_parquet(claims, work / "claims.parquet")
    write_parquet(facts, work / "facts.parquet")
    write_parquet(to_table(pages, PAGE_SUMMARY), work / "pages.parquet")
    _timed(work, "dedup", started)
    return work


def stage_compare(work: Path, out_dir: Path, vocab: Vocabulary | Path | None = None,
                  progress: Progress | None = None) -> Path:
    """Find copied sources (`copies`, `copied_sentences`), then build the comparison (long Parquet,
    wide CSV, Markdown and HTML reports), where a copy's copied evidence is not a voice of its own.

    On an incremental run, a drug whose inputs are as in the previous outputs keeps its copies and
    comparison rows from them (`reuse`); only the other drugs are worked on."""
    started = time.perf_counter()
    if _nothing_changed(work):
        return work
    vocab = _vocabulary(vocab)
    pages = from_table(read_parquet(work / "pages.parquet", PAGE_SUMMARY), PageSummary)
    facts = from_table(read_parquet(work / "facts.parquet", FACT), Fact)
    blocks = from_table(read_parquet(work / "blocks.parquet", BLOCK), Block)
    previous = _previous_drug_results(out_dir) if _plan(work)["incremental"] else None
    drug_of = {p.page_id: p.drug for p in pages}
    source_of = {p.page_id: p.source for p in pages}

    copies_digests = reuse.copies_digests(pages, blocks)
    kept = reuse.unchanged_drugs(copies_digests, previous and previous.copies_digests)
    copies, copied_sentences = find_copies([p for p in pages if p.drug not in kept], blocks, vocab, progress)
    if kept:
        copies += [c for c in previous.copies if c.drug in kept]
        copied_sentences += [s for s in previous.copied_sentences if drug_of.get(s.page_id) in kept]
    copies.sort(key=lambda c: c.drug)  # stable: each drug's rows keep their order
    copied_sentences.sort(key=lambda s: drug_of[s.page_id])
    copied = copied_evidence(copies, copied_sentences, source_of)

    comparison_digests = reuse.comparison_digests(facts, pages, copied)
    kept = reuse.unchanged_drugs(comparison_digests, previous and previous.comparison_digests)
    rows = build_comparison([f for f in facts if f.drug not in kept], pages, copied, vocab)
    if kept:
        rows += [r for r in previous.rows if r.drug in kept]
    rows.sort(key=lambda r: r.drug)
    log.info("compare: %d copy pairs (%d copied sentences), %d rows for %d drugs (%d kept from the previous run)",
             len(copies) // 2, len(copied_sentences), len(rows), len({r.drug for r in rows}), len(kept))
    write_parquet(to_table(copies, COPIES), work / "copies.parquet")
    write_parquet(to_table(copied_sentences, COPIED_SENTENCES), work / "copied_sentences.parquet")
    write_parquet(to_table(rows, COMPARISON_ROW), work / "comparison.parquet")
    write_parquet(reuse.digests_table(copies_digests, comparison_digests), work / DIGESTS_FILE)
    write_text(wide_csv(rows), work / "comparison_wide.csv")
    write_text(markdown_report(rows), work / "report.md")
    write_text(html_report(rows, pages, copies), work / "report.html")
    _timed(work, "compare", started)
    return work


@dataclass(frozen=True)
class _DrugResults:
    """The previous run's copies and comparison rows, and the digests of the inputs they were made of."""

    copies: list[CopiedPage]
    copied_sentences: list[CopiedSentence]
    rows: list[ComparisonRow]
    copies_digests: dict[str, str]
    comparison_digests: dict[str, str]


def _previous_drug_results(out_dir: Path) -> _DrugResults | None:
    """The current outputs' per-drug results, or None when any of them cannot be read."""
    try:
        digests = read_parquet(out_dir / CURRENT_LINK / DIGESTS_FILE, reuse.DRUG_DIGESTS)
        drugs = digests.column("drug").to_pylist()
        return _DrugResults(
            from_table(read_parquet(out_dir / "copies.parquet", COPIES), CopiedPage),
            from_table(read_parquet(out_dir / "copied_sentences.parquet", COPIED_SENTENCES), CopiedSentence),
            from_table(read_parquet(out_dir / "comparison.parquet", COMPARISON_ROW), ComparisonRow),
            dict(zip(drugs, digests.column("copies").to_pylist())),
            dict(zip(drugs, digests.column("comparison").to_pylist())),
        )
    except (OSError, pa.ArrowException, KeyError, ValueError) as exc:
        log.info("no per-drug results to keep from the previous run (%s); every drug is compared again", exc)
        return None


def _run_row(work: Path, run_id: str, started_at: datetime, plan: dict) -> dict:
    timings = json.loads((work / "timings.json").read_text())
    rejected = read_parquet(work / "rejected.parquet", REJECTION)
    pages = read_parquet(work / "pages.parquet", PAGE_SUMMARY)
    final = dict(zip(pages.column("page_id").to_pylist(), pages.column("content_sha256").to_pylist()))
    previous = plan["previous_hashes"]
    return {
        "run_id": run_id, "started_at": started_at, "finished_at": datetime.now(timezone.utc),
        "pages_seen": pages.num_rows + rejected.num_rows,
        "pages_new": sum(1 for p in final if p not in previous),
        "pages_changed": sum(1 for p, h in final.items() if p in previous and previous[p] != h),
        "pages_unchanged": sum(1 for p, h in final.items() if previous.get(p) == h),
        "pages_removed": sum(1 for p in previous if p not in final),
        "pages_rejected": rejected.num_rows,
        "pages_processed": len(plan["process"]),
        "n_blocks": read_parquet(work / "blocks.parquet", BLOCK).num_rows,
        "n_claims": read_parquet(work / "claims.parquet", CLAIM).num_rows,
        "n_facts": read_parquet(work / "facts.parquet", FACT).num_rows,
        **{f"seconds_{s}": timings.get(s) for s in STAGES},
        "seconds_total": round((datetime.now(timezone.utc) - started_at).total_seconds(), 4),
        "pipeline_version": __version__,
    }


def publish(work: Path, out_dir: Path, run_id: str, started_at: datetime,
            before_switch: Callable[[], None] | None = None, keep_versions: int = DEFAULT_KEEP_VERSIONS) -> dict:
    """Make the work folder this run's version of the outputs and switch `.current` to it.

    When ingest found nothing new, changed or removed and the same rejections, the work folder
    holds hard links to the current files, so no table changes: only `runs` grows, and the version
    it replaces is removed (the versions kept for a rollback are ones that differ). Safe to retry:
    a retry finds the version already in place and only switches.
    """
    version = out_dir / VERSIONS_DIR_NAME / run_id
    if not version.is_dir():
        plan = _plan(work)
        row = _run_row(work, run_id, started_at, plan)
        current = current_version(out_dir)
        if plan["nothing_changed"] and current is not None:
            write_text(current.name, work / REPLACES_FILE)
        else:
            manifest = {"run_id": run_id, "finished_at": row["finished_at"].isoformat(),
                        "rows": {name: read_parquet(work / f"{name}.parquet", schema).num_rows
                                 for name, schema in TABLES.items()}}
            write_text(json.dumps(plan["state"]), work / STATE_FILE)
            write_text(json.dumps(manifest, indent=1), work / MANIFEST_FILE)
        _write_runs(out_dir / RUNS_FILE, work / RUNS_FILE, row)
        write_text(json.dumps(_encode_row(row)), work / RUN_FILE)
        for scratch in (PLAN_FILE, "timings.json"):
            (work / scratch).unlink(missing_ok=True)
        version.parent.mkdir(parents=True, exist_ok=True)
        os.rename(work, version)
    row = _decode_row(json.loads((version / RUN_FILE).read_text()))
    if before_switch is not None:
        before_switch()
    switch(out_dir, version, PUBLISHED_FILES)
    replaced = version / REPLACES_FILE
    replaced_id = replaced.read_text().strip() if replaced.is_file() else ""
    if replaced_id and replaced_id != version.name:  # the same outputs as this one's: kept versions should differ
        shutil.rmtree(out_dir / VERSIONS_DIR_NAME / replaced_id, ignore_errors=True)
    recover(out_dir, keep_versions)
    return row


def _write_runs(previous_path: Path, path: Path, row: dict) -> None:
    new_run = pa.Table.from_pylist([row], schema=RUN)
    try:
        runs = (pa.concat_tables([read_parquet(previous_path, RUN, fill_missing=True), new_run])
                if previous_path.exists() else new_run)
    except (OSError, pa.ArrowException, KeyError, ValueError) as exc:
        log.warning("previous runs table %s is unreadable (%s); starting a new one", previous_path, exc)
        runs = new_run
    write_parquet(runs, path)


def _encode_row(row: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def _decode_row(row: dict) -> dict:
    return {k: datetime.fromisoformat(v) if k in ("started_at", "finished_at") else v for k, v in row.items()}


def new_run_id(started_at: datetime) -> str:
    """A unique run id that sorts by start time (to the microsecond)."""
    return started_at.strftime("%Y%m%dT%H%M%S.%fZ-") + uuid.uuid4().hex[:6]


def run_pipeline(options: RunOptions, progress: Progress | None = None) -> dict:
    """Run every stage on the raw folder and publish the tables; returns the `runs` row.

    `progress` (if given) hears how far the long stages are (`pipeline.progress`)."""
    check_folders(options.raw_dir, options.out_dir)
    vocab = load_vocabulary(options.vocab_dir)  # fail early on a broken vocabulary
    check_output_folder(options.out_dir)
    started_at = datetime.now(timezone.utc)
    with output_lock(options.out_dir, options.lock_wait_seconds), work_folder(options.out_dir, options.keep_versions) as work:
        stage_ingest(options.raw_dir, work, options.out_dir, options.max_bytes, options.full, vocab.fingerprint,
                     options.page_seconds)
        stage_pages(work, options.out_dir, vocab, options.page_seconds, options.workers, progress)
        stage_dedup(work, progress)
        stage_compare(work, options.out_dir, vocab, progress)
        check_publishable(work, options.raw_dir, options.allow_empty, options.allow_mass_removal)
        return publish(work, options.out_dir, new_run_id(started_at), started_at, keep_versions=options.keep_versions)
