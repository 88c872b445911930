"""HTML main-content benchmark: our `pipeline.main_text` against trafilatura and jusText.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/html_benchmark.py                 # all 499 pages of ../shared/bench/html/data
    .venv/bin/python bench/html_benchmark.py --limit 100     # a quicker look

Runs ../shared/bench/html/bench_html.py (the shared scorer) and prints its table: precision,
recall, F1 on must-contain / must-not-contain snippets, and pages per second.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench" / "html"


def main(argv: list[str]) -> int:
    """Run the shared benchmark with our extractor and the baselines; extra arguments pass through."""
    command = [sys.executable, str(BENCH / "bench_html.py"), "--data", str(BENCH / "data"), "--pythonpath", str(ROOT),
               "--extractor", "ours=pipeline:main_text", "--baselines", "trafilatura", "justext", *argv]
    return subprocess.call(command, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
