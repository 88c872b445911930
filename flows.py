"""Prefect orchestration of the pipeline: one coarse task per stage, passing folder paths.

    python flows.py --raw raw --out output      # run the flow once (ephemeral Prefect server)
    python flows.py serve --cron "0 * * * *"    # serve it on a schedule (needs PREFECT_API_URL)

`drugpages flow` and `drugpages serve` call the same functions from any folder.

Every task body is a function of `pipeline.run`; this file adds only retries, logging and the
flow's shape. `python -m pipeline run` runs the same stages without Prefect.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

# Quieter, offline-friendly defaults; set before Prefect is imported. Users can override them.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
# The pipeline's own log lines (stage counts, progress) go to the run's logs in the Prefect UI.
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "pipeline")

from prefect import flow, get_run_logger, task  # noqa: E402 - environment must be set first
from prefect.artifacts import (  # noqa: E402
    create_link_artifact, create_markdown_artifact, create_progress_artifact, create_table_artifact,
    update_progress_artifact,
)

from pipeline import run as stages  # noqa: E402
from pipeline.progress import LOG_LINE_SECONDS, StageMeter  # noqa: E402
from pipeline.records import COMPARISON_ROW, ComparisonRow, from_table  # noqa: E402
from pipeline.run_summary import attention_rows, summary_markdown  # noqa: E402
from pipeline.cli import add_run_arguments, add_serve_arguments, run_and_report  # noqa: E402
from pipeline.settings import (  # noqa: E402
    DEFAULT_KEEP_VERSIONS, DEFAULT_MAX_BYTES, DEFAULT_PAGE_SECONDS, SERVE_CONCURRENT_RUNS, SERVE_LOCK_WAIT_SECONDS,
)
from pipeline.storage import output_lock, read_parquet  # noqa: E402
from pipeline.vocabulary import load_vocabulary  # noqa: E402

IO_RETRIES = 2
# Rows of the table artifact and conflicts listed in the summary artifact; the HTML report has all.
ARTIFACT_ROWS = 500
ARTIFACT_CONFLICTS = 50
PROGRESS_ARTIFACT_SECONDS = 2.0


class PrefectProgress:
    """Progress of the long stages as Prefect progress artifacts (one per stage, updated every few
    seconds) and, unless quiet, as log lines of the run (every 10 s) in the UI and on the console."""

    def __init__(self, log_lines: bool) -> None:
        self.log_lines = log_lines
        self.artifacts: dict[str, object] = {}
        self.meters: dict[str, tuple[StageMeter, StageMeter]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Update the stage's artifact and log a line when due; a failing API only costs the artifact."""
        if stage not in self.meters:
            self.meters[stage] = (StageMeter(stage, PROGRESS_ARTIFACT_SECONDS), StageMeter(stage, LOG_LINE_SECONDS))
            self.artifacts[stage] = self._publish(lambda: create_progress_artifact(
                0.0, key=f"{stage}-progress", description=f"{stage}: {total} to do"))
        artifact_meter, log_meter = self.meters[stage]
        if self.artifacts[stage] is not None and (artifact_meter.due(done, total) or done >= total):
            line = artifact_meter.line(done, total)
            if self._publish(lambda: update_progress_artifact(
                    self.artifacts[stage], 100.0 * done / total if total else 100.0, description=line)) is None:
                self.artifacts[stage] = None
        if self.log_lines and log_meter.due(done, total):
            get_run_logger().info(log_meter.line(done, total))

    @staticmethod
    def _publish(call: Callable[[], object]) -> object | None:
        """The result of an artifact call, or None (and a warning) when the Prefect API fails it."""
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - progress is worth less than the stage it reports on
            get_run_logger().warning("progress artifact not updated: %s: %s", type(exc).__name__, exc)
            return None


@task(name="ingest", retries=IO_RETRIES, retry_delay_seconds=1)
def ingest_task(raw_dir: Path, work: Path, out_dir: Path, max_bytes: int, full: bool, fingerprint: str,
                page_seconds: float | None) -> Path:
    """Read the raw folder into the work folder and plan which pages to process."""
    return stages.stage_ingest(raw_dir, work, out_dir, max_bytes, full, fingerprint, page_seconds)


@task(name="pages")
def pages_task(work: Path, out_dir: Path, vocab_dir: Path | None, page_seconds: float | None,
               workers: int | None, quiet: bool) -> Path:
    """Blocks, boilerplate, claims and facts of new and changed pages, on every core."""
    return stages.stage_pages(work, out_dir, vocab_dir, page_seconds, workers, PrefectProgress(not quiet))


@task(name="dedup")
def dedup_task(work: Path, quiet: bool) -> Path:
    """Mark duplicate blocks within and across pages."""
    return stages.stage_dedup(work, PrefectProgress(not quiet))


@task(name="compare")
def compare_task(work: Path, out_dir: Path, vocab_dir: Path | None, quiet: bool) -> Path:
    """Find copied sources and build the comparison tables and reports (unchanged drugs keep theirs)."""
    return stages.stage_compare(work, out_dir, vocab_dir, PrefectProgress(not quiet))


@task(name="publish", retries=IO_RETRIES, retry_delay_seconds=1)
def publish_task(work: Path, out_dir: Path, run_id: str, started_at: datetime, keep_versions: int) -> dict:
    """Move the finished tables into the output folder."""
    return stages.publish(work, out_dir, run_id, started_at, keep_versions=keep_versions)


@task(name="artifacts")
def artifacts_task(out_dir: Path, run: dict) -> None:
    """Publish the run's summary and conflicts (Markdown), the rows that need a look (table) and a link
    to the HTML report as artifacts of the flow run."""
    try:
        _publish_artifacts(out_dir, run)
    except Exception as exc:  # noqa: BLE001 - the outputs are published: a failing API must not fail the run
        get_run_logger().warning("artifacts not published: %s: %s", type(exc).__name__, exc)


def _publish_artifacts(out_dir: Path, run: dict) -> None:
    rows = from_table(read_parquet(out_dir / "comparison.parquet", COMPARISON_ROW), ComparisonRow)
    create_markdown_artifact(summary_markdown(run, rows, ARTIFACT_CONFLICTS), key="run-summary",
                             description="counts of the run and the facts sources disagree on")
    attention = attention_rows(rows, ARTIFACT_ROWS)
    if attention:
        create_table_artifact(attention, key="facts-to-check",
                              description=f"conflicting and single-voice facts, conflicts first "
                                          f"(at most {ARTIFACT_ROWS} rows; all of them in report.html)")
    report = Path(os.path.abspath(out_dir / "report.html"))  # the fixed path, not the version it links to now
    create_link_artifact(report.as_uri(), link_text="report.html", key="comparison-report",
                         description="the comparison report of this run (open it from this machine)")
    get_run_logger().info("artifacts: summary, %d rows to check, link to %s", len(attention), report)


@flow(name="drug-pages")
def drug_pages_flow(raw: str = "raw", out: str = "output", vocab: str | None = None,
                    max_bytes: int = DEFAULT_MAX_BYTES, full: bool = False, wait: float = 0.0,
                    page_seconds: float | None = DEFAULT_PAGE_SECONDS, allow_empty: bool = False,
                    allow_mass_removal: bool = False, keep_versions: int = DEFAULT_KEEP_VERSIONS,
                    workers: int | None = None, quiet: bool = False) -> dict:
    """Run every stage of the pipeline on a raw folder and publish the output tables."""
    # Prefect configures the root logger (WARNING); the pipeline's stage and progress lines are INFO.
    logging.getLogger("pipeline").setLevel(logging.WARNING if quiet else logging.INFO)
    raw_dir, out_dir = Path(raw), Path(out)
    vocab_dir = Path(vocab) if vocab else None
    stages.check_folders(raw_dir, out_dir)
    fingerprint = load_vocabulary(vocab_dir).fingerprint
    stages.check_output_folder(out_dir)
    started_at = datetime.now(timezone.utc)
    with output_lock(out_dir, wait), stages.work_folder(out_dir, keep_versions) as work:
        work = ingest_task(raw_dir, work, out_dir, max_bytes, full, fingerprint, page_seconds)
        work = pages_task(work, out_dir, vocab_dir, page_seconds, workers, quiet)
        work = dedup_task(work, quiet)
        work = compare_task(work, out_dir, vocab_dir, quiet)
        stages.check_publishable(work, raw_dir, allow_empty, allow_mass_removal)
        run = publish_task(work, out_dir, stages.new_run_id(started_at), started_at, keep_versions)
        artifacts_task(out_dir, run)  # still holding the lock: no other run switches the outputs meanwhile
        return run


def _guard_parameters(args: argparse.Namespace) -> dict:
    """The flow parameters of the per-page time budget and workers, the publishing guard rails and versions."""
    return {"page_seconds": args.page_seconds, "allow_empty": args.allow_empty,
            "allow_mass_removal": args.allow_mass_removal, "keep_versions": args.keep_versions,
            "workers": args.workers, "quiet": args.quiet}


def serve_flow(args: argparse.Namespace) -> int:
    """Serve the flow as a deployment on a schedule until interrupted (Ctrl-C pauses it).

    At most one flow run at a time: a run that finds the previous one still writing would only
    wait on the output lock, and runs pile up behind it.
    """
    if not os.environ.get("PREFECT_API_URL"):
        print("error: serving needs a running Prefect server: start one with `prefect server start` and "
              "set PREFECT_API_URL=http://127.0.0.1:4200/api (see README, Scheduling)", file=sys.stderr)
        return 2
    if not args.raw.is_dir():
        print(f"error: raw folder not found or not a folder: {args.raw}", file=sys.stderr)
        return 2
    parameters = {"raw": str(args.raw.resolve()), "out": str(args.out.resolve()),
                  "vocab": str(args.vocab.resolve()) if args.vocab else None,
                  "max_bytes": args.max_bytes, "full": args.full, "wait": max(args.wait, SERVE_LOCK_WAIT_SECONDS),
                  **_guard_parameters(args)}
    drug_pages_flow.serve(name=args.name, cron=args.cron, interval=args.interval, parameters=parameters,
                          limit=SERVE_CONCURRENT_RUNS)
    return 0


def run_flow(args: argparse.Namespace) -> int:
    """Run the flow once with parsed run options; print one summary line."""
    if args.quiet:  # Prefect's own lines too: warnings and errors only
        logging.getLogger("prefect").setLevel(logging.WARNING)

    def run() -> dict:
        stages.check_folders(args.raw, args.out)  # fail before a Prefect server is started
        load_vocabulary(args.vocab)
        return drug_pages_flow(str(args.raw), str(args.out), str(args.vocab) if args.vocab else None,
                               args.max_bytes, args.full, args.wait, **_guard_parameters(args))

    return run_and_report(args, run)


def main(argv: list[str] | None = None) -> int:
    """Command line of the Prefect flow: `python flows.py [serve] ...` (also `drugpages flow|serve`)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        parser = argparse.ArgumentParser(prog="python flows.py serve", description=serve_flow.__doc__)
        add_serve_arguments(parser)
        return serve_flow(parser.parse_args(argv[1:]))
    parser = argparse.ArgumentParser(prog="python flows.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_arguments(parser)
    return run_flow(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
