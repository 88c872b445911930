"""Fuzz the pipeline with a corpus of hostile files and print what became of them.

    python bench/hostile_corpus.py                 # 10,000 files
    python bench/hostile_corpus.py --files 2000

Writes a raw folder of fuzzed files (random bytes and text, mutated and deeply nested HTML,
hostile names of any bytes, every encoding, special files, link loops; see
`tests/hostile_corpus.py`), runs `python -m pipeline run` on it in a subprocess with a
deadline, and prints: aborted runs, hangs, files neither in `pages` nor in `rejected`, raw
entries changed, formula cells in the CSV, live HTML in the rendered report, and the run's
peak memory. Not a test: it prints numbers.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hostile_corpus import DRUG_SENTENCE, INJECTED, build_hostile_corpus  # noqa: E402
from test_hostile_input import REPORT_HTML_TAGS, TagCollector, raw_snapshot  # noqa: E402

DRUGS = ("metformin", "sertraline", "ibuprofen", "amoxicillin", "warfarin")
TAGS = ("div", "p", "span", "li", "ul", "table", "tr", "td", "a", "nav", "article", "h2", "b", "script", "style")
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "cp1252", "latin-1", "koi8-r", "shift_jis", "gb18030")


def fuzz_name(rng: random.Random, index: int) -> bytes:
    """A file name of any bytes but `/` and NUL, unique by its index."""
    kind = rng.random()
    if kind < 0.6:
        stem = f"page_{index}"
    elif kind < 0.8:
        stem = "".join(rng.choice("abc%<>|=+-@ \t\n'\"\\#*[]()é漢\u202e") for _ in range(rng.randint(1, 12))) + f"_{index}"
    else:
        return bytes(rng.choice([b for b in range(1, 256) if b != 0x2F]) for _ in range(rng.randint(1, 20))) + b"_%d" % index
    return (stem + rng.choice((".txt", ".html", ".htm", "", ".md", ".php"))).encode()


def fuzz_html(rng: random.Random) -> str:
    """HTML with random nesting (sometimes thousands deep), unclosed tags and injected text."""
    depth = rng.choice((3, 10, 50, 500, 3000))
    opened = [rng.choice(TAGS) for _ in range(depth)]
    body = "".join(f"<{t} class='{rng.choice(('nav', 'content', 'x'))}'>" for t in opened)
    body += f"<p>{DRUG_SENTENCE.replace('Metformin', rng.choice(DRUGS).title())}</p>"
    if rng.random() < 0.3:
        body += f"<p>{INJECTED}</p>"
    if rng.random() < 0.7:
        body += "".join(f"</{t}>" for t in reversed(opened))
    head = rng.choice(("", '<link rel="canonical" href="http://[::1/x">', '<meta property="og:url" content="%%%">',
                       f"<title>{INJECTED}</title>"))
    return f"<html><head>{head}</head><body>{body}</body></html>"


def fuzz_bytes(rng: random.Random) -> bytes:
    """One file's bytes: random binary, random text, HTML, a page in some encoding, or a truncation."""
    kind = rng.random()
    if kind < 0.15:
        return os.urandom(rng.randint(0, 5000))
    if kind < 0.3:
        return "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 800))).encode("utf-8", "surrogatepass")
    text = fuzz_html(rng) if kind < 0.65 else f"{rng.choice(DRUGS).title()}\n{DRUG_SENTENCE}\n{INJECTED}\n"
    data = text.encode(rng.choice(ENCODINGS), "replace")
    return data[: rng.randint(1, len(data))] if rng.random() < 0.1 else data


def build(raw: Path, files: int, seed: int) -> int:
    """Write the fixed hostile corpus plus fuzzed files up to `files` entries; returns the count."""
    rng = random.Random(seed)
    written = len(build_hostile_corpus(raw))
    raw_bytes = os.fsencode(raw)
    for index in range(files - written):
        folder = os.path.join(raw_bytes, b"site%d" % rng.randint(0, 40))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, fuzz_name(rng, index)), "wb") as handle:
            handle.write(fuzz_bytes(rng))
    return files


def live_tags(html: str, allowed: set[str]) -> int:
    """Tags not in `allowed`, event handlers and `javascript:` links in a piece of HTML."""
    collector = TagCollector()
    collector.feed(html)
    return (sum(1 for tag in collector.tags if tag not in allowed)
            + sum(1 for name, value in collector.attributes
                  if name.startswith("on") or "javascript:" in (value or "").lower()))


def live_html(report: str) -> int:
    """Tags and attributes from pages a Markdown renderer would let through from report.md:
    anything but the report's own table markup, event handlers, `javascript:` links."""
    from markdown_it import MarkdownIt

    return live_tags(MarkdownIt("commonmark").enable("table").render(report),
                     {"h1", "h2", "table", "thead", "tbody", "tr", "th", "td", "p"})


def main() -> None:
    """Build the corpus, run the pipeline on it once, print the counts."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before the run counts as hung")
    args = parser.parse_args()
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        raw.mkdir()
        started = time.perf_counter()
        build(raw, args.files, args.seed)
        before = raw_snapshot(raw)
        print(f"corpus: {len(before)} raw entries written in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        hung = aborted = 0
        try:
            result = subprocess.run([sys.executable, "-m", "pipeline", "run", "-q", "--raw", str(raw), "--out", str(out)],
                                    cwd=ROOT, capture_output=True, text=True, timeout=args.timeout)
            aborted = int(result.returncode != 0)
            if aborted:
                print(result.stderr[-2000:])
        except subprocess.TimeoutExpired:
            hung = 1
        seconds = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"run: {seconds:.1f}s, aborted runs {aborted}, hangs {hung}, peak memory {peak_mib:.0f} MiB")
        if hung or aborted:
            return
        pages = pd.read_parquet(out / "pages.parquet")
        rejected = pd.read_parquet(out / "rejected.parquet")
        entries = [p for p in before if not os.path.isdir(p) or os.path.islink(p)]
        accounted = set(pages.page_id) | set(rejected.path)
        from pipeline.ingest import page_id_of

        missing = [p for p in entries if page_id_of(Path(os.fsdecode(p)), raw) not in accounted]
        cells = [c for row in csv.reader(io.StringIO((out / "comparison_wide.csv").read_text())) for c in row]
        formulas = sum(1 for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r")))
        print(f"files: {len(entries)}, pages {len(pages)}, rejected {len(rejected)} "
              f"({', '.join(f'{k} {v}' for k, v in rejected.reason.value_counts().items())})")
        print(f"files in neither table: {len(missing)}, raw entries changed: "
              f"{sum(1 for k, v in raw_snapshot(raw).items() if before.get(k) != v)}")
        print(f"formula cells in comparison_wide.csv: {formulas}, live tags or handlers in the rendered report: "
              f"{live_html((out / 'report.md').read_text())}, in report.html: "
              f"{live_tags((out / 'report.html').read_text(), REPORT_HTML_TAGS)}")


if __name__ == "__main__":
    main()
