"""Turn scraped pharmacy and drug-information pages into structured, comparable facts.

The library runs without Prefect: `python -m pipeline run --raw raw --out output`.
"""
from __future__ import annotations

__version__ = "0.7.0"


def main_text(html: str) -> str:
    """The main text of an HTML page: its content blocks in page order, one per line."""
    from .api import main_text as _main_text

    return _main_text(html)

