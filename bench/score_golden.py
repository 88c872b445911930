"""Fact and boilerplate quality on the golden page sets under tests/golden, scored by
`pipeline.scoring` and `pipeline.boilerplate_scoring`.

    .venv/bin/python bench/score_golden.py                    # every set, overall and per topic
    .venv/bin/python bench/score_golden.py other_drugs --per-page
    .venv/bin/python bench/score_golden.py blind_2026_12 --explain   # every miss and wrong fact

A set is a folder of `<page id>/gold.yaml`; its pages are `<page id>/page.txt` beside the gold, or
`raw/<page id>.txt` for the seeds; a set with `<drug>.copies.yaml` files is also scored for copied
sources (`pipeline.copy_scoring`). Only the page text is copied into a temporary raw folder (one
sub-folder per page, as the tests do), never the gold.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from pipeline.boilerplate_scoring import format_boilerplate_score, score_boilerplate_table
from pipeline.copy_scoring import format_copy_score, score_copies
from pipeline.run import RunOptions, run_pipeline
from pipeline.scoring import format_score, score_facts_table

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def page_text_of(gold: Path) -> Path:
    """The page a gold file annotates."""
    beside = gold.parent / "page.txt"
    return beside if beside.exists() else ROOT / "raw" / f"{gold.parent.name}.txt"


def score_set(folder: Path, per_page: bool, explain: bool) -> str:
    """Run the pipeline on one set's pages and format its fact and boilerplate scores."""
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        for gold in sorted(folder.glob("*/gold.yaml")):
            page = page_text_of(gold)
            (raw / gold.parent.name).mkdir(parents=True)
            shutil.copy(page, raw / gold.parent.name / page.name)
        run_pipeline(RunOptions(raw, out))
        facts = format_score(score_facts_table(folder, out / "facts.parquet"), per_page, explain)
        boilerplate = format_boilerplate_score(score_boilerplate_table(folder, out / "blocks.parquet"), explain)
        if not any(folder.glob("*.copies.yaml")):
            return f"{facts}\n{boilerplate}"
        copies = format_copy_score(score_copies(folder, out / "copies.parquet", out / "copied_sentences.parquet"))
        return f"{facts}\n{boilerplate}\n{copies}"


def main(argv: list[str]) -> int:
    """Score the named sets (default: every set under tests/golden)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", help="set folders under tests/golden (default: all)")
    parser.add_argument("--per-page", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    names = args.sets or sorted(p.name for p in GOLDEN.iterdir() if any(p.glob("*/gold.yaml")))
    for name in names:
        print(f"== {name}\n{score_set(GOLDEN / name, args.per_page, args.explain)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
