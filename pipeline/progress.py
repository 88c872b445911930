"""Progress of long stages: items done of the total, rate and time left.

A stage reports with a `Progress` callable, `progress(stage, done, total)`, after each item; the
reporter decides what to show and how often. `ConsoleProgress` rewrites one line on a terminal and
prints a plain line every few seconds elsewhere (a log file, CI); `flows.py` adds one that updates
Prefect progress artifacts. A run with `-q` gets no reporter at all.
"""
from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

Progress = Callable[[str, int, int], None]
# Seconds between progress lines written to a log (a file, CI, the Prefect UI) and on a terminal.
LOG_LINE_SECONDS = 10.0
TERMINAL_LINE_SECONDS = 0.25


def report(progress: Progress | None, stage: str, done: int, total: int) -> None:
    """Tell `progress` (if any) that `done` of `total` items of `stage` are finished."""
    if progress is not None:
        progress(stage, done, total)


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class StageMeter:
    """The rate and time left of one stage, and whether it is time for another report."""

    def __init__(self, stage: str, every_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.stage = stage
        self.every_seconds = every_seconds
        self.clock = clock
        self.started = clock()
        self.last_shown: float | None = None

    def line(self, done: int, total: int) -> str:
        """'pages: 500/2000 (25%), 14.2/s, about 1m45s left'."""
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = done / elapsed
        text = f"{self.stage}: {done}/{total}"
        if total:
            text += f" ({100 * done / total:.0f}%)"
        if done:
            text += f", {rate:.1f}/s"
            text += f", about {_duration((total - done) / rate)} left" if done < total else f", {_duration(elapsed)}"
        return text

    def due(self, done: int, total: int) -> bool:
        """True when a report should be shown now: every `every_seconds`, and at the end if any was shown.

        A stage that ends before the first interval shows nothing: short runs stay quiet."""
        now = self.clock()
        if done >= total:
            return self.last_shown is not None
        if now - (self.last_shown if self.last_shown is not None else self.started) >= self.every_seconds:
            self.last_shown = now
            return True
        return False


class ConsoleProgress:
    """Progress on a stream: one line rewritten in place on a terminal, plain lines elsewhere."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.meters: dict[str, StageMeter] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Show the progress of `stage` if a report is due."""
        meter = self.meters.get(stage)
        if meter is None:
            meter = self.meters[stage] = StageMeter(
                stage, TERMINAL_LINE_SECONDS if self.interactive else LOG_LINE_SECONDS)
        if not meter.due(done, total):
            return
        line = meter.line(done, total)
        if self.interactive:
            self.stream.write("\r\x1b[2K" + line + ("\n" if done >= total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
