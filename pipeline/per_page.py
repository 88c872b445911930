"""A page's whole work, as one function of its text and the vocabularies: blocks, boilerplate,
the page's drug, claims and facts.

Nothing here looks at another page, so pages can be worked on in any order, in any process
(`workers`); the corpus-wide steps (cross-page duplicates, templates, comparison) come after.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from .blocks import split_blocks
from .boilerplate import classify_blocks
from .claims import ClaimExtractor, without_cuts
from .isolation import isolated
from .records import Block, Claim, Fact, PageSummary, PageText, Rejection
from .settings import DEFAULT_PAGE_SECONDS


@dataclass(frozen=True)
class PageResult:
    """What one page yields: its summary row, blocks, claims and facts."""

    summary: PageSummary
    blocks: tuple[Block, ...]
    claims: tuple[Claim, ...]
    facts: tuple[Fact, ...]


def process_page(page: PageText, extractor: ClaimExtractor, processed_at: datetime,
                 page_seconds: float | None = DEFAULT_PAGE_SECONDS) -> PageResult | Rejection:
    """Blocks, boilerplate, drug, claims and facts of one page, or the page's rejection.

    A page with no drug and no facts is rejected (`no_drug_content`); an error or running past
    `page_seconds` in either half of the work rejects it too (`processing_error`, `too_slow`)."""
    vocab = extractor.vocab
    blocks = isolated(page.page_id, "blocks", page.bytes,
                      lambda: classify_blocks(split_blocks(page, vocab), page, vocab), page_seconds)
    if isinstance(blocks, Rejection):
        return blocks
    read = isolated(page.page_id, "claims", page.bytes,
                    lambda: extractor.read_page(page.page_id, page.source, blocks), page_seconds)
    if isinstance(read, Rejection):
        return read
    drugs, claims, facts = read
    blocks = published_blocks(blocks, page.text)
    if drugs.main is None and not facts:
        return Rejection(page.page_id, "no_drug_content", "no drug name and no drug facts found in the page's content",
                         page.bytes, processed_at)
    summary = PageSummary(
        page_id=page.page_id, source=page.source, drug=drugs.main, brands=drugs.brands, format=page.format,
        encoding=page.encoding, content_sha256=page.content_sha256, bytes=page.bytes, title=page.title,
        n_blocks=len(blocks), n_boilerplate=sum(b.is_boilerplate for b in blocks), n_duplicate=0,
        n_claims=len(claims), n_facts=len(facts), processed_at=processed_at, url=page.url,
    )
    return PageResult(summary, tuple(blocks), tuple(claims), tuple(facts))


def published_blocks(blocks: list[Block], text: str) -> list[Block]:
    """A page's blocks as the `blocks` table shows them: the fragments cut out of a content block
    blanked in its text (at the same offsets), and each cut a boilerplate block of its own (kind
    `cut`, numbered after the page's blocks; overlapping cuts are one)."""
    out = [replace(b, text=without_cuts(b.text, b)) if b.cuts else b for b in blocks]
    for block in blocks:
        spans: list[list] = []
        for cut in sorted(block.cuts, key=lambda c: (c.char_start, -c.char_end)):
            if spans and cut.char_start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], cut.char_end)
            else:
                spans.append([cut.char_start, cut.char_end, cut.reason])
        for start, end, reason in spans:
            out.append(Block(page_id=block.page_id, block_index=len(out), kind="cut", text=text[start:end],
                             char_start=start, char_end=end, section=block.section, is_boilerplate=True,
                             boilerplate_reason=reason))
    return out
