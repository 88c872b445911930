"""Copy detection against gold annotations: the copy pairs found, false pairs, and the copied
sentences aligned.

A gold file `<set>/<drug>.copies.yaml` names a source page, the page that copied it (with the copy's
kind and every copied sentence paired with the source sentence it came from) and an independent page
about the same drug. Page ids of a run map to gold stems by their first path part (`<stem>/page.txt`).
- a gold pair is found when the `copies` table pairs its two pages (either way round); any other
  pair is a false pair; direction and kind are counted among the found pairs;
- a gold sentence pair is found when a `copied_sentences` row's two spans overlap its two sentences
  (each by at least half of the shorter span, in either orientation); a row is right when it finds
  a gold sentence pair.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml


@dataclass(frozen=True)
class GoldCopy:
    """One annotated copy pair: the copying page, its source, the kind and the copied sentence spans."""

    copy_page: str
    source_page: str
    kind: str
    sentences: tuple[tuple[tuple[int, int], tuple[int, int]], ...]  # (span in copy, span in source)


@dataclass(frozen=True)
class CopyScore:
    """Pairs and sentences found against the gold, with what was missed and what was wrong."""

    pairs: int
    pairs_found: int
    direction_right: int
    kind_right: int
    false_pairs: tuple[tuple[str, str], ...]
    missed_pairs: tuple[tuple[str, str, str], ...]  # (copy, source, kind)
    gold_sentences: int
    sentences_found: int
    rows: int
    rows_right: int

    @property
    def sentence_recall(self) -> float:
        """Share of gold copied sentences aligned to their source sentence."""
        return self.sentences_found / self.gold_sentences if self.gold_sentences else 1.0

    @property
    def sentence_precision(self) -> float:
        """Share of aligned sentence rows that are gold copied sentences."""
        return self.rows_right / self.rows if self.rows else 1.0


def _span(text: str, quote: str, where: str) -> tuple[int, int]:
    start = text.find(quote)
    if start < 0:
        raise ValueError(f"{where}: sentence not in the page: {quote[:60]!r}")
    return start, start + len(quote)


def load_copy_gold(gold_dir: Path) -> tuple[list[GoldCopy], set[str]]:
    """The gold copy pairs of a set and every page stem the gold names."""
    pairs, stems = [], set()
    for path in sorted(Path(gold_dir).glob("*.copies.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        copy = gold["copy"]
        stems |= {gold["source_page"], gold["independent_page"], copy["page"], copy["of"]}
        copy_text = (Path(gold_dir) / copy["page"] / "page.txt").read_text(encoding="utf-8")
        source_text = (Path(gold_dir) / copy["of"] / "page.txt").read_text(encoding="utf-8")
        spans = tuple((_span(copy_text, s["copy"], path.name), _span(source_text, s["source"], path.name))
                      for s in copy["sentences"])
        pairs.append(GoldCopy(copy["page"], copy["of"], copy["kind"], spans))
    return pairs, stems


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared * 2 >= min(a[1] - a[0], b[1] - b[0])


def score_copies(gold_dir: Path, copies: Any, copied_sentences: Any) -> CopyScore:
    """Score `copies` and `copied_sentences` tables (DataFrames or Parquet paths) against a gold set."""
    gold, stems = load_copy_gold(gold_dir)
    copies = copies if isinstance(copies, pd.DataFrame) else pd.read_parquet(copies)
    rows = copied_sentences if isinstance(copied_sentences, pd.DataFrame) else pd.read_parquet(copied_sentences)

    def stem(page_id: str) -> str:
        return page_id.split("/", 1)[0]

    copying = copies[copies["copied"]]
    found = {frozenset((stem(p), stem(o))): (stem(p), kind) for p, o, kind in
             zip(copying["page_id"], copying["other_page_id"], copying["kind"])
             if stem(p) in stems and stem(o) in stems}
    gold_pairs = {frozenset((g.copy_page, g.source_page)): g for g in gold}
    by_pair: dict[frozenset, list[tuple[tuple[int, int], tuple[int, int], str]]] = {}
    for r in rows.itertuples():
        key = frozenset((stem(r.page_id), stem(r.other_page_id)))
        by_pair.setdefault(key, []).append(((r.char_start, r.char_end), (r.other_char_start, r.other_char_end),
                                            stem(r.page_id)))
    sentences_found = rows_right = n_rows = 0
    for key, aligned in by_pair.items():
        if not key <= stems:
            continue
        n_rows += len(aligned)
        g = gold_pairs.get(key)
        if g is None:
            continue
        hit = set()
        for span, other, page in aligned:
            copy_span, source_span = (span, other) if page == g.copy_page else (other, span)
            match = next((k for k, (c, s) in enumerate(g.sentences)
                          if _overlaps(c, copy_span) and _overlaps(s, source_span)), None)
            if match is not None:
                rows_right += 1
                hit.add(match)
        sentences_found += len(hit)
    return CopyScore(
        pairs=len(gold),
        pairs_found=sum(1 for k in gold_pairs if k in found),
        direction_right=sum(1 for k, g in gold_pairs.items() if k in found and found[k][0] == g.copy_page),
        kind_right=sum(1 for k, g in gold_pairs.items() if k in found and found[k][1] == g.kind),
        false_pairs=tuple(sorted(tuple(sorted(k)) for k in found if k not in gold_pairs)),
        missed_pairs=tuple((g.copy_page, g.source_page, g.kind) for k, g in gold_pairs.items() if k not in found),
        gold_sentences=sum(len(g.sentences) for g in gold),
        sentences_found=sentences_found,
        rows=n_rows,
        rows_right=rows_right,
    )


def format_copy_score(score: CopyScore) -> str:
    """The score as a few readable lines, misses included."""
    lines = [
        f"copies: pairs found {score.pairs_found}/{score.pairs} (direction right {score.direction_right}, "
        f"kind right {score.kind_right}), false pairs {len(score.false_pairs)}",
        f"copied sentences: recall {score.sentence_recall:.3f} ({score.sentences_found}/{score.gold_sentences}), "
        f"precision {score.sentence_precision:.3f} ({score.rows_right}/{score.rows})",
    ]
    lines += [f"  missed pair: {c} copies {s} ({kind})" for c, s, kind in score.missed_pairs]
    lines += [f"  false pair: {a} ~ {b}" for a, b in score.false_pairs]
    return "\n".join(lines)
