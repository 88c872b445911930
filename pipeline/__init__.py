"""Turn scraped pharmacy and drug-information pages into structured, comparable facts.

The library runs without Prefect: `python -m pipeline run --raw raw --out output`.
"""
from __future__ import annotations

__version__ = "0.1.0"


def main_text(html: str) -> str:
    """The main text of an HTML page: its content blocks in page order, one per line."""
    from .api import main_text as _main_text

    return _main_text(html)


def run(raw_dir: str = "raw", out_dir: str = "output") -> dict:
    """Run the whole pipeline on a raw folder and write the tables; returns the `runs` row."""
    from pathlib import Path

    from .run import RunOptions, run_pipeline

    return run_pipeline(RunOptions(Path(raw_dir), Path(out_dir)))
