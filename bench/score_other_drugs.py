"""Fact quality on the other-drug golden pages (tests/golden/other_drugs), scored like the seeds.

    .venv/bin/python bench/score_other_drugs.py               # all pages, overall and per topic
    .venv/bin/python bench/score_other_drugs.py --per-page

Copies each page.txt (never its gold.yaml) into a temporary raw folder, runs the pipeline on it,
and runs ../shared/tools/score_facts.py against the gold; extra arguments pass through to it.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.run import RunOptions, run_pipeline

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "golden" / "other_drugs"
SCORER = ROOT.parent / "shared" / "tools" / "score_facts.py"


def main(argv: list[str]) -> int:
    """Run the pipeline on the golden pages' text and print the scorer's table."""
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        for page in sorted(GOLD.glob("*/page.txt")):
            (raw / page.parent.name).mkdir(parents=True)
            shutil.copy(page, raw / page.parent.name / "page.txt")
        run_pipeline(RunOptions(raw, out))
        command = [sys.executable, str(SCORER), "--gold", str(GOLD), "--facts", str(out / "facts.parquet"), *argv]
        return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
