"""One page's trouble stays that page's: an error while working on it, or running past its time
budget, makes it a `rejected` row with the reason, and the run goes on."""
from __future__ import annotations

import logging
import signal
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Callable, Iterator, TypeVar

from .escaping import percent_encoded
from .records import Rejection
from .settings import MAX_PAGE_SECONDS

log = logging.getLogger("pipeline")

Result = TypeVar("Result")
# Longest text of an error kept in a rejection's detail.
MAX_DETAIL_CHARS = 300


class PageTimeout(Exception):
    """The work on one page ran past its time budget."""


def check_budget(seconds: float | None) -> None:
    """Raise ValueError unless `seconds` is a usable per-page time budget (None or 0: no limit)."""
    if seconds is not None and not 0 <= seconds <= MAX_PAGE_SECONDS:  # also refuses NaN
        raise ValueError(f"a page's time budget must be between 0 and {MAX_PAGE_SECONDS:g} seconds, not {seconds}")


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise `PageTimeout` inside the block once it has run `seconds` (wall clock).

    Enforced with a timer signal, so only in the main thread (where the command line and a
    Prefect flow run their stages); elsewhere, or with no budget, the block runs unbounded. A
    timer set outside is put back afterwards with the time it had left."""
    check_budget(seconds)
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise PageTimeout()

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    outer_delay, outer_interval = 0.0, 0.0
    try:
        outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:
            left = max(outer_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


def isolated(page_id: str, stage: str, size: int | None, work: Callable[[], Result],
             budget_seconds: float | None) -> Result | Rejection:
    """`work()`, or a `Rejection` of the page when it raises or runs past `budget_seconds`."""
    try:
        with time_budget(budget_seconds):
            return work()
    except PageTimeout:
        reason, detail = "too_slow", f"{stage}: over the time budget of {budget_seconds:g} s for one page"
    except Exception as exc:  # noqa: BLE001 - any error in one page's work must not cost the run
        reason = "processing_error"
        detail = percent_encoded(f"{stage}: {type(exc).__name__}: {exc}", encode_percent=False)[:MAX_DETAIL_CHARS]
    log.warning("%s rejected (%s): %s", page_id, reason, detail)
    return Rejection(page_id, reason, detail, size, datetime.now(timezone.utc))
