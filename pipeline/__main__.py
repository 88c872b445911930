"""Command line: `python -m pipeline run --raw raw --out output` runs the pipeline without Prefect."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Callable

from .ingest import DEFAULT_MAX_BYTES, RawFolderError
from .run import OutputFolderError, RunOptions, run_pipeline
from .storage import OutputLockedError
from .vocabulary import VocabularyError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m pipeline`."""
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run every stage on a raw folder and write the output tables")
    add_run_arguments(run)
    return parser


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by `python -m pipeline run` and `python flows.py`."""
    parser.add_argument("--raw", type=Path, default=Path("raw"), help="folder of raw pages (default: raw)")
    parser.add_argument("--out", type=Path, default=Path("output"), help="folder for the output tables (default: output)")
    parser.add_argument("--vocab", type=Path, default=None, help="folder of vocabulary YAML files (default: the packaged pipeline/vocab)")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES,
                        help=f"raw files larger than this are rejected as too_large (default: {DEFAULT_MAX_BYTES})")
    parser.add_argument("--full", action="store_true",
                        help="process every page again instead of only new and changed ones")
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="if another run is writing the output folder, wait this long for it (default: 0)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only print warnings and errors")


def describe_run(row: dict, out_dir: Path) -> str:
    """One line summarising a finished run."""
    return (f"run {row['run_id']}: {row['pages_seen']} files seen, {row['pages_seen'] - row['pages_rejected']} pages "
            f"({row['pages_new']} new, {row['pages_changed']} changed, {row['pages_unchanged']} unchanged, "
            f"{row['pages_removed']} removed), {row['pages_rejected']} rejected, {row['n_claims']} claims, {row['n_facts']} facts "
            f"in {row['seconds_total']:.1f}s -> {out_dir}/")


def run_and_report(args: argparse.Namespace, run: Callable[[], dict]) -> int:
    """Run, print one summary line, or one `error:` line and exit code 2 for operator errors."""
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s %(message)s")
    try:
        row = run()
    except (RawFolderError, OutputLockedError, OutputFolderError, VocabularyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(describe_run(row, args.out))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m pipeline`."""
    args = build_parser().parse_args(argv)
    return run_and_report(args, lambda: run_pipeline(
        RunOptions(args.raw, args.out, args.vocab, args.max_bytes, args.full, args.wait)))


if __name__ == "__main__":
    sys.exit(main())
