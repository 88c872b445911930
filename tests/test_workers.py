"""The per-page work on many processes gives what one process gives; a dying worker costs one page."""
import os
import shutil
from datetime import datetime, timezone

import pytest
from conftest import ROOT
from test_incremental import assert_same_tables

from pipeline import workers
from pipeline.cli import build_parser
from pipeline.ingest import decode_page
from pipeline.per_page import PageResult, process_page
from pipeline.records import Rejection
from pipeline.run import RunOptions, run_pipeline
from pipeline.vocabulary import load_vocabulary

NOW = datetime(2026, 12, 2, tzinfo=timezone.utc)
SENTENCES = ("Metformin may cause nausea and diarrhoea.", "Take metformin with food.",
             "Do not take metformin if you have kidney disease.", "The usual dose is 500 mg twice a day.")


def pages(n: int) -> list:
    """`n` small, different text pages."""
    return [decode_page(f"site{i % 3}/page{i:03d}.txt", ".txt",
                        f"Metformin {i}\n{SENTENCES[i % 4]} {SENTENCES[(i + 1) % 4]}\nPage {i} of the site.\n".encode())
            for i in range(n)]


@pytest.fixture
def small_pool(monkeypatch):
    """Use the pool from a handful of pages on, four pages to a task."""
    monkeypatch.setattr(workers, "POOL_MIN_PAGES", 4)
    monkeypatch.setattr(workers, "POOL_MIN_PAGES_FRESH", 4)
    monkeypatch.setattr(workers, "PAGES_PER_TASK", 4)


@pytest.mark.parametrize("method", ["fork", "forkserver"])  # forkserver: how a Prefect flow starts them
def test_two_workers_give_what_one_gives(small_pool, monkeypatch, method):
    monkeypatch.setattr(workers, "start_method", lambda: method)
    batch = pages(30)
    vocab = load_vocabulary()
    one = list(workers.process_pages(batch, vocab, NOW, None, workers=1))
    two = list(workers.process_pages(batch, vocab, NOW, None, workers=2))
    assert one == two
    assert [r.summary.page_id for r in two] == [p.page_id for p in batch]
    assert all(isinstance(r, PageResult) and r.facts for r in two)


def test_a_page_that_kills_its_worker_is_rejected_and_the_others_are_kept(small_pool, monkeypatch):
    def dies_on_page_7(page, extractor, processed_at, page_seconds):
        if page.page_id.endswith("page007.txt"):
            os._exit(9)  # what the kernel's out-of-memory killer or a crash in a C library does to a worker
        return process_page(page, extractor, processed_at, page_seconds)

    monkeypatch.setattr(workers, "process_page", dies_on_page_7)
    monkeypatch.setattr(workers, "start_method", lambda: "fork")  # children inherit the patched function
    batch = pages(20)
    results = list(workers.process_pages(batch, load_vocabulary(), NOW, None, workers=2))
    assert [getattr(r, "summary", r).page_id if isinstance(r, PageResult) else r.path for r in results] == \
        [p.page_id for p in batch]
    (dead,) = [r for r in results if isinstance(r, Rejection)]
    assert dead.path == "site1/page007.txt" and dead.reason == "worker_died"


def test_a_run_on_two_workers_equals_a_run_on_one(tmp_path, small_pool):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "raw", raw)
    for page in pages(12):
        (raw / page.page_id).parent.mkdir(parents=True, exist_ok=True)
        (raw / page.page_id).write_text(page.text)
    run_pipeline(RunOptions(raw, tmp_path / "one", workers=1))
    run_pipeline(RunOptions(raw, tmp_path / "two", workers=2))
    assert_same_tables(tmp_path / "one", tmp_path / "two")


def test_workers_option_is_checked():
    assert build_parser().parse_args(["run", "--workers", "3"]).workers == 3
    with pytest.raises(SystemExit):
        build_parser().parse_args(["run", "--workers", "0"])
    with pytest.raises(ValueError, match="workers"):
        RunOptions(ROOT / "raw", ROOT / "output", workers=0)


def test_default_is_one_worker_per_core():
    assert workers.default_workers() == len(os.sched_getaffinity(0))
