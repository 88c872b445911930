"""In-page repeats against gold: the repeated passages of a page found, and facts counted once.

The gold (`tests/golden/seeds/repeats.yaml`) lists pairs of passages of one page, by 1-based line
numbers of the page text, that say the same thing exactly, nearly or in paraphrase. A pair is found
when a sentence (`claims.dup_of`) or block (`blocks.dup_of`) on one side is marked as repeating one
on the other side. A fact is counted twice when both sides state it (same key) and both are counted.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml


@dataclass(frozen=True)
class RepeatScore:
    """Gold repeat pairs found, and facts of a repeated passage counted on both sides."""

    pairs: int
    found: int
    missed: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]
    counted_twice: tuple[tuple[str, str], ...]  # (page, fact key)

    @property
    def recall(self) -> float:
        """Share of gold pairs found."""
        return self.found / self.pairs if self.pairs else 1.0


def score_repeats(gold_file: Path, out_dir: Path) -> RepeatScore:
    """Score the `texts`, `blocks`, `claims` and `facts` tables of a run folder against repeat gold."""
    gold = yaml.safe_load(Path(gold_file).read_text(encoding="utf-8"))["pairs"]
    texts = pd.read_parquet(out_dir / "texts.parquet", columns=["page_id", "text"])
    blocks = pd.read_parquet(out_dir / "blocks.parquet", columns=["page_id", "block_index", "char_start", "dup_of"])
    claims = pd.read_parquet(out_dir / "claims.parquet", columns=["page_id", "char_start", "dup_of"])
    facts = pd.read_parquet(out_dir / "facts.parquet", columns=["page_id", "key", "char_start", "counted"])

    def stem(page_id: str) -> str:
        return page_id.split("/", 1)[0].removesuffix(".txt")

    line_starts = {stem(p): [0] + [k + 1 for k, c in enumerate(t) if c == "\n"]
                   for p, t in zip(texts["page_id"], texts["text"])}

    def line(page: str, offset: int) -> int:
        return bisect_right(line_starts[page], offset)

    block_line = {(stem(p), i): line(stem(p), s) for p, i, s in
                  zip(blocks["page_id"], blocks["block_index"], blocks["char_start"]) if stem(p) in line_starts}
    links: dict[str, set[tuple[int, int]]] = defaultdict(set)  # page -> (line, line of what it repeats)
    for p, i, s, dup in zip(blocks["page_id"], blocks["block_index"], blocks["char_start"], blocks["dup_of"]):
        if isinstance(dup, str) and dup.rsplit("#", 1)[0] == p:
            links[stem(p)].add((line(stem(p), s), block_line[stem(p), int(dup.rsplit("#", 1)[1])]))
    for p, s, dup in zip(claims["page_id"], claims["char_start"], claims["dup_of"]):
        if isinstance(dup, str):
            block = int(dup.rsplit("#", 1)[1].split(":")[0])
            links[stem(p)].add((line(stem(p), s), block_line[stem(p), block]))
    counted_facts: dict[str, list[tuple[str, int]]] = defaultdict(list)  # page -> (key, line) of counted facts
    for p, key, s, is_counted in zip(facts["page_id"], facts["key"], facts["char_start"], facts["counted"]):
        if is_counted and stem(p) in line_starts:
            counted_facts[stem(p)].append((key, line(stem(p), s)))
    missed, twice = [], set()
    for pair in gold:
        page, a, b = pair["page"], set(pair["a"]), set(pair["b"])
        if not any((x in a and y in b) or (x in b and y in a) for x, y in links[page]):
            missed.append((page, tuple(pair["a"]), tuple(pair["b"])))
        counted: dict[str, set[str]] = defaultdict(set)
        for key, at in counted_facts[page]:
            if at in a or at in b:
                counted[key].add("a" if at in a else "b")
        twice |= {(page, key) for key, sides in counted.items() if len(sides) == 2}
    return RepeatScore(len(gold), len(gold) - len(missed), tuple(missed), tuple(sorted(twice)))
