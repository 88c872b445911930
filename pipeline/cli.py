"""The `drugpages` command: run the pipeline with or without Prefect, serve it, show or score its output.

    drugpages run   --raw raw --out output     # every stage, no Prefect
    drugpages flow  --raw raw --out output     # the same stages as a Prefect flow
    drugpages serve --cron "*/15 * * * *"      # the flow on a schedule (needs a Prefect server)
    drugpages rollback --out output            # go back to the previous version of the outputs
    drugpages report --out output              # print the comparison report of the last run
    drugpages score --gold DIR --facts output/facts.parquet   # fact precision/recall against gold

Parsing and `--help` import neither Prefect nor the stages, so they answer at once; each
command imports what it needs when it runs.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Callable

from . import __version__
from .settings import DEFAULT_KEEP_VERSIONS, DEFAULT_MAX_BYTES, DEFAULT_PAGE_SECONDS, MASS_REMOVAL_SHARE, MAX_PAGE_SECONDS


def page_seconds(text: str) -> float | None:
    """`--page-seconds`: a number of seconds up to a week; 0 means no limit (None)."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= seconds <= MAX_PAGE_SECONDS:  # also refuses NaN
        raise argparse.ArgumentTypeError(f"must be between 0 (no limit) and {MAX_PAGE_SECONDS:g} seconds, not {text}")
    return seconds or None


def positive_count(text: str) -> int:
    """`--keep-versions`, `--workers`: a whole number, 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number, 1 or more, not {text!r}")
    return int(text)


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by `run`, `flow` and `serve`."""
    parser.add_argument("--raw", type=Path, default=Path("raw"), help="folder of raw pages (default: raw)")
    parser.add_argument("--out", type=Path, default=Path("output"), help="folder for the output tables (default: output)")
    parser.add_argument("--vocab", type=Path, default=None, help="folder of vocabulary YAML files (default: the packaged pipeline/vocab)")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                        help=f"raw files larger than this are rejected as too_large (default: {DEFAULT_MAX_BYTES})")
    parser.add_argument("--full", action="store_true",
                        help="process every page again instead of only new and changed ones")
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="if another run is writing the output folder, wait this long for it (default: 0)")
    parser.add_argument("--page-seconds", type=page_seconds, default=DEFAULT_PAGE_SECONDS, metavar="SECONDS",
                        help="a page one stage works on longer than this is rejected as too_slow; 0 for no limit "
                             f"(default: {DEFAULT_PAGE_SECONDS:g})")
    parser.add_argument("--allow-empty", action="store_true",
                        help="publish even when the raw folder holds no files (empties every table)")
    parser.add_argument("--allow-mass-removal", action="store_true",
                        help=f"publish even when more than {MASS_REMOVAL_SHARE * 100:.0f}%% of the previous run's pages "
                             "are gone from the raw folder")
    parser.add_argument("--keep-versions", type=positive_count, default=DEFAULT_KEEP_VERSIONS, metavar="N",
                        help=f"published versions kept for `rollback` (default: {DEFAULT_KEEP_VERSIONS})")
    parser.add_argument("--workers", type=positive_count, default=None, metavar="N",
                        help="processes for the per-page work (default: one per core)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only print warnings and errors")


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `serve`: the run options plus when to run."""
    add_run_arguments(parser)
    when = parser.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='cron schedule, e.g. "*/15 * * * *" (every 15 minutes)')
    when.add_argument("--interval", type=float, help="seconds between runs")
    parser.add_argument("--name", default="drug-pages-scheduled", help="deployment name (default: %(default)s)")


def build_parser(prog: str = "drugpages") -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_run_arguments(sub.add_parser("run", help="run every stage on a raw folder and write the output tables"))
    add_run_arguments(sub.add_parser("flow", help="the same stages as a Prefect flow (starts a temporary server "
                                                  "unless PREFECT_API_URL is set)"))
    add_serve_arguments(sub.add_parser("serve", help="serve the flow on a schedule (needs PREFECT_API_URL)"))
    rollback = sub.add_parser("rollback", help="make an earlier kept version of the outputs the current one")
    rollback.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
    rollback.add_argument("--to", metavar="RUN_ID", help="the run id to go back to (default: the version before "
                                                          "the current one; `--list` shows them)")
    rollback.add_argument("--list", action="store_true", help="list the kept versions and change nothing")
    report = sub.add_parser("report", help="print the Markdown comparison report of the last run")
    report.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output)")
    from .scoring import add_score_arguments

    add_score_arguments(sub.add_parser("score", help="score a facts table against gold annotations"))
    return parser


def describe_run(row: dict, out_dir: Path) -> str:
    """One line summarising a finished run."""
    return (f"run {row['run_id']}: {row['pages_seen'] - row['pages_rejected']} pages "
            f"({row['pages_new']} new, {row['pages_changed']} changed, {row['pages_unchanged']} unchanged, "
            f"{row['pages_removed']} removed), {row['pages_rejected']} rejected, {row['n_claims']} claims, {row['n_facts']} facts "
            f"in {row['seconds_total']:.1f}s -> {out_dir}/")


def run_and_report(args: argparse.Namespace, run: Callable[[], dict]) -> int:
    """Run, print one summary line, or one `error:` line and exit code 2 for operator errors."""
    from .guards import UnsafeRunError
    from .ingest import RawFolderError
    from .storage import OutputLockedError
    from .versions import OutputFolderError
    from .vocabulary import VocabularyError

    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s %(message)s")
    try:
        row = run()
    except (RawFolderError, OutputLockedError, OutputFolderError, UnsafeRunError, VocabularyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(describe_run(row, args.out))
    return 0


def run_library(args: argparse.Namespace) -> int:
    """`run`: every stage without Prefect."""
    from .progress import ConsoleProgress
    from .run import RunOptions, run_pipeline

    progress = None if args.quiet else ConsoleProgress()
    return run_and_report(args, lambda: run_pipeline(RunOptions(
        args.raw, args.out, args.vocab, args.max_bytes, args.full, args.wait, args.page_seconds,
        args.allow_empty, args.allow_mass_removal, args.keep_versions, args.workers), progress))


def run_flow(args: argparse.Namespace) -> int:
    """`flow`: the Prefect flow, once."""
    import flows

    return flows.run_flow(args)


def run_serve(args: argparse.Namespace) -> int:
    """`serve`: the Prefect flow on a schedule."""
    import flows

    return flows.serve_flow(args)


def rollback_outputs(args: argparse.Namespace) -> int:
    """`rollback`: switch the outputs back to an earlier kept version, or list the kept versions."""
    from .run import roll_back
    from .storage import OutputLockedError, output_lock
    from .versions import OutputFolderError, published_versions

    if not args.out.is_dir():
        print(f"error: no output folder {args.out}", file=sys.stderr)
        return 2
    if args.list:
        versions = published_versions(args.out)
        for version in versions:
            print(f"{version.name}{'  (current)' if version == versions[-1] else ''}")
        return 0 if versions else 2
    try:
        with output_lock(args.out):
            run_id = roll_back(args.out, args.to)
    except (OutputFolderError, OutputLockedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"outputs in {args.out}/ are now those of run {run_id}")
    return 0


def print_report(args: argparse.Namespace) -> int:
    """`report`: print the last run's Markdown report."""
    path = args.out / "report.md"
    if not path.is_file():
        print(f"error: no report in {args.out}: run `drugpages run --out {args.out}` first", file=sys.stderr)
        return 2
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return 0


def score(args: argparse.Namespace) -> int:
    """`score`: precision, recall and F1 of a facts table against gold."""
    from .scoring import run_score

    return run_score(args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": run_library, "flow": run_flow, "serve": run_serve, "rollback": rollback_outputs, "report": print_report,
    "score": score,
}


def main(argv: list[str] | None = None, prog: str = "drugpages") -> int:
    """Entry point of the `drugpages` console script and of `python -m pipeline`."""
    args = build_parser(prog).parse_args(argv)
    return COMMANDS[args.command](args)
