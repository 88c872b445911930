"""Speed and memory of whole runs on a generated corpus, and what reruns cost.

    .venv/bin/python bench/scale.py --pages 10000            # one per core (the default)
    .venv/bin/python bench/scale.py --pages 2000 --workers 1

The corpus: the project's golden pages (real-looking text pages of every kind), varied per
copy (lines dropped and moved, a line of its own) and grouped 20 pages to a site, each site
with its own header and footer lines (a template the cross-page step must find). Every run
is `python -m pipeline run` in a fresh process; the peak memory is the largest sum of the
resident memory of that process and its workers, sampled every 50 ms.

Prints, per run: seconds, pages per second, peak memory and seconds per stage; for the reruns
(nothing changed, one new page, 100 changed pages, 100 removed pages), their share of the full
run's time.
"""
from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
PAGES_PER_SITE = 20
SAMPLE_SECONDS = 0.05


def varied_page(text: str, rng: random.Random, number: int, site: int) -> str:
    """A copy of a page with a few lines dropped and one moved, a line of its own and its site's template."""
    lines = [line for line in text.splitlines() if line.strip()]
    for _ in range(min(2, len(lines) // 10)):
        del lines[rng.randrange(1, len(lines))]
    if len(lines) > 4:
        moved = lines.pop(rng.randrange(1, len(lines)))
        lines.insert(rng.randrange(1, len(lines)), moved)
    lines.insert(rng.randrange(1, len(lines) + 1), f"Page reference {number:07d}, updated {1 + number % 28} March 2026.")
    header = [f"Site {site:05d} Health Store | Home | Shop | Contact", f"Free delivery on orders over ${20 + site % 30}"]
    footer = [f"Copyright 2026 Site {site:05d} Health Store. All rights reserved.", "Privacy policy | Terms | Cookies"]
    return "\n".join([lines[0], *header, *lines[1:], *footer]) + "\n"


def write_corpus(raw: Path, n_pages: int, first: int = 0, seed: int = 0) -> list[Path]:
    """Write pages `first`..`first + n_pages - 1` of the corpus under `raw`; returns their paths."""
    templates = sorted(p.read_text(encoding="utf-8") for p in GOLDEN.glob("*/*/page.txt"))
    rng = random.Random(seed + first)
    paths = []
    for number in range(first, first + n_pages):
        site = number // PAGES_PER_SITE
        path = raw / f"site{site:05d}" / f"page{number:07d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(varied_page(templates[rng.randrange(len(templates))], rng, number, site), encoding="utf-8")
        paths.append(path)
    return paths


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB (Linux /proc)."""
    total = 0
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def timed_run(raw: Path, out: Path, workers: int | None, full: bool = False) -> tuple[float, float]:
    """Seconds and peak resident MiB of one `pipeline run` (with its workers)."""
    command = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), "-q",
               "--allow-mass-removal", *(["--workers", str(workers)] if workers else []), *(["--full"] if full else [])]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kib(process.pid))
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"run failed with exit code {code}: {' '.join(command)}")
    return seconds, peak / 1024


def stage_seconds(out: Path) -> str:
    """The last run's seconds per stage, from the `runs` table ('-' for a stage that had nothing to do)."""
    import pyarrow.parquet as pq

    last = pq.read_table(out / "runs.parquet").to_pylist()[-1]
    return "  ".join(f"{s} {last[f'seconds_{s}']:.1f}" if last[f"seconds_{s}"] is not None else f"{s} -"
                     for s in ("ingest", "pages", "dedup", "compare"))


def report_numbers(out: Path) -> str:
    """Size of report.html and the seconds to build it again from the published tables."""
    from pipeline.html_report import html_report
    from pipeline.records import COMPARISON_ROW, COPIES, PAGE_SUMMARY, ComparisonRow, CopiedPage, PageSummary, from_table
    from pipeline.storage import read_parquet

    rows = from_table(read_parquet(out / "comparison.parquet", COMPARISON_ROW), ComparisonRow)
    pages = from_table(read_parquet(out / "pages.parquet", PAGE_SUMMARY), PageSummary)
    copies = from_table(read_parquet(out / "copies.parquet", COPIES), CopiedPage)
    started = time.perf_counter()
    html_report(rows, pages, copies)
    seconds = time.perf_counter() - started
    size = (out / "report.html").stat().st_size
    return (f"report.html       {size / 2**20:8.1f} MiB, built in {seconds:.1f} s from {len(rows)} comparison rows "
            f"({len({r.drug for r in rows})} drugs)")


def main() -> None:
    """Generate the corpus, time a full run and the reruns, print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000, help="pages in the corpus (default 2000)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--no-reruns", action="store_true", help="time the full run only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        write_corpus(raw, args.pages)
        full_seconds, full_mib = timed_run(raw, out, args.workers, full=True)
        print(f"{args.pages} pages, workers {args.workers or 'one per core'}")
        print(f"full run          {full_seconds:8.1f} s {args.pages / full_seconds:8.1f} pages/s  peak {full_mib:7.0f} MiB"
              f"  ({stage_seconds(out)})")
        print(report_numbers(out))
        if args.no_reruns:
            return
        rng = random.Random(1)
        pages = sorted(raw.glob("*/*.txt"))

        def rerun(label: str) -> None:
            seconds, mib = timed_run(raw, out, args.workers)
            print(f"{label:<17} {seconds:8.1f} s {100 * seconds / full_seconds:7.1f}% of full  peak {mib:7.0f} MiB"
                  f"  ({stage_seconds(out)})")

        rerun("unchanged")
        write_corpus(raw, 1, first=args.pages)
        rerun("one new page")
        for path in rng.sample(pages, min(100, len(pages))):
            path.write_text(path.read_text(encoding="utf-8") + "One more line about the weather.\n", encoding="utf-8")
        rerun("100 changed")
        for path in rng.sample(pages, min(100, len(pages))):
            path.unlink()
        rerun("100 removed")
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
