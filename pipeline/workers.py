"""Every core on the per-page work: `process_page` over many pages in a pool of processes.

Pages go to the workers in chunks and come back in their own order, so the result is the
same whatever the number of workers. A worker process that dies (killed for memory, a crash
in a C library) costs only the page it was on: the unfinished pages are worked on again one
at a time, and the page that kills a worker again becomes a `worker_died` rejection.

How the workers start: by `fork` when the calling process runs one thread (the command line,
a library call), since the children then share the compiled vocabulary at no cost; by
`forkserver` when other threads run (a Prefect flow), since forking a process whose other
threads may hold locks can hang the child.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from typing import Iterator, Sequence

from .claims import ClaimExtractor
from .per_page import PageResult, process_page
from .records import PageText, Rejection
from .settings import PAGES_PER_TASK, POOL_MIN_PAGES, POOL_MIN_PAGES_FRESH
from .vocabulary import Vocabulary, VocabularyError, load_vocabulary

log = logging.getLogger("pipeline")


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no affinity on this platform
        return max(1, os.cpu_count() or 1)


def process_pages(pages: Sequence[PageText], vocab: Vocabulary, processed_at: datetime,
                  page_seconds: float | None, workers: int) -> Iterator[PageResult | Rejection]:
    """`process_page` of every page, in the order of `pages`, on up to `workers` processes.

    Few pages (`POOL_MIN_PAGES`, more when workers start fresh), or one worker, run in this
    process: starting a pool costs more than it saves on a few pages."""
    method = start_method()
    if workers <= 1 or len(pages) < (POOL_MIN_PAGES if method == "fork" else POOL_MIN_PAGES_FRESH):
        extractor = ClaimExtractor(vocab)
        for page in pages:
            yield process_page(page, extractor, processed_at, page_seconds)
        return
    chunks = [pages[i:i + PAGES_PER_TASK] for i in range(0, len(pages), PAGES_PER_TASK)]
    unfinished: list[PageText] = []
    with _pool(workers, method) as pool:
        futures = [pool.submit(_work_on, chunk, vocab.folder, vocab.fingerprint, processed_at, page_seconds)
                   for chunk in chunks]
        for chunk, future in zip(chunks, futures):
            try:
                results = future.result()
            except BrokenProcessPool:
                unfinished.extend(chunk)
                continue
            if unfinished:  # keep the order: pages after a failed chunk wait for it
                unfinished.extend(chunk)
                continue
            yield from results
    if unfinished:
        log.warning("a worker process died; working on the %d unfinished pages one at a time", len(unfinished))
        yield from _one_at_a_time(unfinished, vocab, processed_at, page_seconds)


def _one_at_a_time(pages: Sequence[PageText], vocab: Vocabulary, processed_at: datetime,
                   page_seconds: float | None) -> Iterator[PageResult | Rejection]:
    """Each page alone in a worker process, so a page that kills its worker is known and rejected."""
    pool = _pool(1)
    try:
        for page in pages:
            try:
                yield pool.submit(_work_on, [page], vocab.folder, vocab.fingerprint, processed_at, page_seconds).result()[0]
            except BrokenProcessPool:
                log.warning("%s rejected (worker_died): its worker process died while working on it", page.page_id)
                yield Rejection(page.page_id, "worker_died",
                                "the worker process died while working on this page (out of memory, or a crash)",
                                page.bytes, processed_at)
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(1)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def start_method() -> str:
    """How worker processes start here and now: `fork` with one thread running, else a fresh process."""
    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _pool(workers: int, method: str | None = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method or start_method()))


def _work_on(pages: Sequence[PageText], vocab_folder: Path, fingerprint: str, processed_at: datetime,
             page_seconds: float | None) -> list[PageResult | Rejection]:
    """A worker's task: `process_page` of each page, with the vocabulary the run started with."""
    vocab = load_vocabulary(vocab_folder)  # compiled once per worker process
    if vocab.fingerprint != fingerprint:
        raise VocabularyError(f"the vocabulary files in {vocab_folder} changed during the run; run it again")
    extractor = ClaimExtractor(vocab)
    return [process_page(page, extractor, processed_at, page_seconds) for page in pages]
