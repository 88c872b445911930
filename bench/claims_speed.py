"""Speed of the per-page stages on one core: blocks + boilerplate, and claims + facts.

    .venv/bin/python bench/claims_speed.py                 # the seed pages, repeated to 200 pages
    .venv/bin/python bench/claims_speed.py --raw DIR --repeat 1

Prints pages per second for each stage (ingest and Parquet I/O excluded), the best of
`--rounds` timed passes (the least disturbed by whatever else the machine is doing).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.blocks import split_blocks
from pipeline.boilerplate import classify_blocks
from pipeline.claims import ClaimExtractor
from pipeline.ingest import ingest_folder
from pipeline.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Time the stages over the pages of a raw folder and print pages per second."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=ROOT / "raw")
    parser.add_argument("--repeat", type=int, default=40, help="pass over the pages this many times (default 40)")
    parser.add_argument("--rounds", type=int, default=3, help="time each stage this many times, keep the best (default 3)")
    args = parser.parse_args()
    vocab = load_vocabulary()
    extractor = ClaimExtractor(vocab)
    pages, _ = ingest_folder(args.raw)
    pages = pages * args.repeat
    kilobytes = sum(len(p.text) for p in pages) / 1024 / len(pages)

    blocks_seconds = claims_seconds = float("inf")
    for _ in range(args.rounds):
        started = time.perf_counter()
        blocks = [classify_blocks(split_blocks(p, vocab), p, vocab) for p in pages]
        blocks_seconds = min(blocks_seconds, time.perf_counter() - started)

        started = time.perf_counter()
        n_facts = 0
        for page, page_blocks in zip(pages, blocks):
            _, _, facts = extractor.read_page(page.page_id, page.source, page_blocks)
            n_facts += len(facts)
        claims_seconds = min(claims_seconds, time.perf_counter() - started)

    print(f"{len(pages)} pages, {kilobytes:.1f} kB of text each on average")
    print(f"blocks + boilerplate: {len(pages) / blocks_seconds:8.1f} pages/s")
    print(f"drug + claims + facts: {len(pages) / claims_seconds:7.1f} pages/s ({n_facts} facts)")


if __name__ == "__main__":
    main()
