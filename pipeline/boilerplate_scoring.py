"""Boilerplate quality against gold annotations: the gold boilerplate strings removed, and the gold
evidence sentences lost with them.

The rules are those the project is measured by (`../shared/tools/score_boilerplate.py`):
- whitespace runs are collapsed in the gold strings and in the blocks' text;
- a gold boilerplate string is removed when it occurs in the page's boilerplate text and not in its
  content text (a string cut out of a sentence counts once the sentence's content no longer holds it);
- a gold evidence sentence is lost when it occurs in the boilerplate text and not in the content text;
- blocks belong to a gold page as facts rows do (`GoldSet.page_of`).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .scoring import load_gold


def _collapse(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()


@dataclass(frozen=True)
class BoilerplateScore:
    """How much gold boilerplate a run removed and how much gold evidence it lost, with the misses."""

    removed: int
    total: int
    lost: int
    evidence: int
    kept_strings: tuple[tuple[str, str], ...]  # (page, gold boilerplate string left in content)
    lost_sentences: tuple[tuple[str, str], ...]  # (page, gold evidence sentence removed)

    @property
    def removed_share(self) -> float:
        """The share of gold boilerplate strings removed (1.0 when the gold has none)."""
        return self.removed / self.total if self.total else 1.0


def score_boilerplate_table(gold_dir: Path, blocks: Any) -> BoilerplateScore:
    """Score a `blocks` table (a DataFrame or a Parquet path) against the gold pages of `gold_dir`."""
    gold = load_gold(Path(gold_dir))
    if not isinstance(blocks, pd.DataFrame):
        blocks = pd.read_parquet(blocks, columns=["page_id", "text", "is_boilerplate"])
    texts: dict[str, dict[bool, list[str]]] = defaultdict(lambda: {True: [], False: []})
    for page_id, text, is_boilerplate in zip(blocks["page_id"], blocks["text"], blocks["is_boilerplate"]):
        page = gold.page_of(page_id)
        if page is not None:
            texts[page][bool(is_boilerplate)].append(_collapse(text))
    removed = total = lost = evidence = 0
    kept: list[tuple[str, str]] = []
    lost_sentences: list[tuple[str, str]] = []
    for page, annotation in gold.pages.items():
        boilerplate = " \n ".join(texts[page][True])
        content = " \n ".join(texts[page][False])
        for string in annotation.get("boilerplate") or []:
            total += 1
            s = _collapse(string)
            if s in boilerplate and s not in content:
                removed += 1
            else:
                kept.append((page, s))
        for sentence in dict.fromkeys(_collapse(f.get("evidence", "")) for f in annotation.get("facts") or []):
            if not sentence:
                continue
            evidence += 1
            if sentence in boilerplate and sentence not in content:
                lost += 1
                lost_sentences.append((page, sentence))
    return BoilerplateScore(removed, total, lost, evidence, tuple(kept), tuple(lost_sentences))


def format_boilerplate_score(result: BoilerplateScore, explain: bool = False) -> str:
    """One line of totals, and with `explain` every string kept and sentence lost."""
    lines = [f"boilerplate removed: {result.removed}/{result.total} ({result.removed_share:.3f}); "
             f"evidence sentences lost: {result.lost}/{result.evidence}"]
    if explain:
        lines += [f"  kept   {page}: {s[:100]!r}" for page, s in result.kept_strings]
        lines += [f"  lost   {page}: {s[:100]!r}" for page, s in result.lost_sentences]
    return "\n".join(lines)
