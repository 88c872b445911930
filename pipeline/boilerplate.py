"""Mark blocks that are not drug information (cart, bylines, footers, legal, calls to action...)."""
from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right

from .blocks import has_letters, line_spans
from .furniture import PRICE, drugs_named, furniture_reasons, most_named_drug
from .html import OUTSIDE_MAIN, SEMANTIC_MAIN
from .records import Block, Cut, LineLayout, PageText
from .text import WRITTEN_WORD, normalize_chars, normalize_for_dedup, tokenize, word_count
from .vocabulary import Vocabulary

# A contents entry's number or bullet: "1. ", "2) ", "- ", "• ".
_ENUMERATOR = re.compile(r"^\s*(?:\d{1,2}[.)]|[-–•*·])\s+")
_DEFINITION_LINE = re.compile(r"^\S[^.!?]{0,40}\s[-–:]\s\S[^.!?]{0,80}$")
_STRENGTH = re.compile(r"\d+([.,]\d+)?(mg|mcg|g|ml)?|mg|mcg")  # a strength in a run of selling words ("10mg", "25 mg")
SHORT_BLOCK_WORDS = 8
TOC_MIN_ITEMS = 3
# A contents entry is its heading's words with a number, a bullet or marks around them: at most
# this many characters longer than the longest heading (a longer line is not compared at all).
TOC_ENTRY_SLACK = 20
LINK_HEAVY_RATIO = 0.6
LINK_HEAVY_MAX_WORDS = 30
# Outside the main-content element, short or link-laden blocks are boilerplate; long prose stays.
OUTSIDE_MAIN_MAX_WORDS = 15
OUTSIDE_MAIN_LINK_RATIO = 0.3
# When markup hints leave a page with no content, its blocks of at least this many words are kept.
FALLBACK_MIN_WORDS = 8


def cue_reason(text: str, vocab: Vocabulary) -> str | None:
    """The first boilerplate reason (in vocabulary order) whose text cue matches `text`, if any."""
    found = vocab.boilerplate_reasons_in(text)
    if not found:
        return None
    return next(reason for reason in vocab.boilerplate_reasons if reason in found)


def dom_reason(context: str, vocab: Vocabulary) -> str | None:
    """The boilerplate reason implied by an HTML block's ancestors, if any."""
    tokens = set(context.split())
    tags = {t[4:] for t in tokens if t.startswith("tag:")}
    roles = {t[5:] for t in tokens if t.startswith("role:")}
    for rule in vocab.dom_rules:
        if tags & rule.tags or roles & rule.roles or tokens & rule.tokens:
            return rule.reason
    return None


def _entry_key(text: str) -> str:
    """A contents entry or heading as the two are compared: without its number or bullet."""
    return normalize_for_dedup(_ENUMERATOR.sub("", text, count=1))


def _is_contents_entry(block: Block, max_words: int) -> bool:
    """A short line that can be an entry of a table of contents (or a bar of them: "Uses | Dosage")."""
    if block.kind not in ("list_item", "heading", "paragraph", "table_row"):
        return False
    items = [item.strip() for item in block.text.split("|")]
    return all(item and word_count(item) <= max_words and not item.endswith(".") for item in items)


def _toc_indexes(blocks: list[Block], vocab: Vocabulary) -> set[int]:
    """A table of contents: a run of list items or bare lines that name headings found later on the
    page (on a text page its lines read as headings themselves), or a line that opens one
    ("In this article", boilerplate.yaml `contents`) with the short lines that follow it."""
    last_heading: dict[str, int] = {}
    longest = 0  # characters of the longest heading: a longer line is no entry of it
    for b in blocks:
        if b.kind == "heading":
            last_heading[_entry_key(b.text)] = b.block_index
            longest = max(longest, len(b.text))
    found: set[int] = set()
    run: list[int] = []
    for b in [*blocks, None]:
        if b is not None and b.kind in ("list_item", "heading", "paragraph") and \
                len(b.text) <= longest + TOC_ENTRY_SLACK and \
                last_heading.get(_entry_key(b.text), -1) > b.block_index:
            run.append(b.block_index)
            continue
        if len(run) >= TOC_MIN_ITEMS:
            found.update(run)
        run = []
    for i, b in enumerate(blocks):
        if vocab.contents_opener.fullmatch(normalize_chars(b.text).strip()):
            found.add(b.block_index)
            entries: set[str] = set()
            listed = i + 1 < len(blocks) and blocks[i + 1].kind == "list_item"
            for entry in blocks[i + 1:]:  # up to the first line that is no entry, or the first section
                key = _entry_key(entry.text)
                if key in entries or (listed and entry.kind != "list_item") or \
                        not _is_contents_entry(entry, vocab.contents_entry_max_words):
                    break
                entries.add(key)
                found.add(entry.block_index)
    return found


def classify_blocks(blocks: list[Block], page: PageText, vocab: Vocabulary) -> list[Block]:
    """Return the blocks with `is_boilerplate` and `boilerplate_reason` set."""
    layout = layout_of_blocks(blocks, page)
    reasons, cuts, from_markup = cue_and_markup_reasons(blocks, layout, vocab)
    if not page.layout:  # a text page: its furniture has only its shape and words to show
        for i, reason in enumerate(furniture_reasons(blocks, reasons, vocab)):
            if reason is not None and i not in cuts:  # a cut block is prose the cut rules kept
                reasons[i] = reason
    _mark_footer_tail(blocks, reasons, vocab)
    _keep_prose_if_nothing_is_left(blocks, reasons, from_markup, layout)
    return [
        dataclasses.replace(b, is_boilerplate=r is not None, boilerplate_reason=r,
                            cuts=cuts.get(i, ()) if r is None else ())
        for i, (b, r) in enumerate(zip(blocks, reasons))
    ]


def cue_and_markup_reasons(blocks: list[Block], layout: list[LineLayout | None], vocab: Vocabulary
                           ) -> tuple[list[str | None], dict[int, tuple[Cut, ...]], set[int]]:
    """The reason each block's own text cues, its place in a table of contents or among adverts, or
    its HTML ancestors give it (None: none), the cuts of prose blocks that keep their content, and
    which blocks only their markup marks."""
    reasons: list[str | None] = []
    from_markup: set[int] = set()  # blocks marked by HTML hints only, not by their own text
    toc = _toc_indexes(blocks, vocab)
    cuts: dict[int, tuple[Cut, ...]] = {}
    dom_reasons: dict[str, str | None] = {}  # a page repeats its blocks' ancestor chains: each is read once
    for i, block in enumerate(blocks):
        reason = None
        if not has_letters(block.text):
            reason = "empty"
        elif block.block_index in toc:
            reason = "navigation"
        else:
            reason = cue_reason(block.text, vocab)
            if reason in vocab.cut_reasons:
                cut = cut_spans(block, vocab)
                if cut:
                    cuts[i], reason = cut, None
        if reason is None and layout[i] is not None:
            context = layout[i].context
            if context not in dom_reasons:
                dom_reasons[context] = dom_reason(context, vocab)
            reason = dom_reasons[context]
            words = word_count(block.text)
            if reason is None and layout[i].link_ratio >= LINK_HEAVY_RATIO and words <= LINK_HEAVY_MAX_WORDS:
                reason = "related_links"
            # a plain list inside an article (a recipe's ingredients) is kept however short its items
            article_list = (layout[i].kind == "list_item" and layout[i].link_ratio == 0
                            and not SEMANTIC_MAIN.isdisjoint(layout[i].context.split()))
            if reason is None and OUTSIDE_MAIN in layout[i].context and (
                    (words < OUTSIDE_MAIN_MAX_WORDS and not article_list)
                    or layout[i].link_ratio >= OUTSIDE_MAIN_LINK_RATIO):
                reason = "outside_main_content"
            if reason is not None:
                from_markup.add(i)
        reasons.append(reason)
    _extend_glossaries(blocks, reasons)
    _mark_adverts(blocks, reasons, cuts, vocab)
    return reasons, cuts, from_markup


def _mark_adverts(blocks: list[Block], reasons: list[str | None], cuts: dict[int, tuple[Cut, ...]],
                  vocab: Vocabulary) -> None:
    """Adverts: a label line ("Sponsored") and the short block after it (not a heading) are
    `promo`; a block with a selling cue or a price that names another drug and never the page's
    drug is `off_topic`, whole, even where its cue alone would only be cut out."""
    named_in = [drugs_named(b.text, vocab.drug_dictionary) for b in blocks]
    page_drug = most_named_drug(blocks, vocab.drug_dictionary, named_in)
    for i, block in enumerate(blocks):
        if vocab.advert_label.fullmatch(normalize_chars(block.text).strip()):
            reasons[i] = "promo"
            # the advert's text; a heading after the label starts the page's next section (the advert was an image)
            if i + 1 < len(blocks) and blocks[i + 1].kind != "heading" and \
                    word_count(blocks[i + 1].text) <= vocab.advert_max_words:
                reasons[i + 1] = "promo"
                cuts.pop(i + 1, None)
            continue
        if (reasons[i] is not None and reasons[i] not in vocab.cut_reasons) or page_drug is None:
            continue
        named = named_in[i]
        if named and page_drug not in named and (i in cuts or PRICE.search(block.text)):
            reasons[i] = "off_topic"
            cuts.pop(i, None)


def cut_spans(block: Block, vocab: Vocabulary) -> tuple[Cut, ...]:
    """The selling fragments to cut out of a prose block whose only boilerplate cues are of the cut
    reasons (boilerplate.yaml `cut`), each stretched over the selling words after it; none (the
    block is dropped whole) when fewer than `cut_min_words` words would remain, or when what remains
    names no vocabulary concept and cues no topic."""
    if block.kind not in ("paragraph", "list_item"):
        return ()
    if not vocab.cut_reasons.issuperset(vocab.boilerplate_reasons_in(block.text)):
        return ()  # a block that also has cues of other reasons is boilerplate whole
    text = block.text
    cues = vocab.boilerplate_spans(text)
    if not cues:
        return ()
    # stretched back over the selling words before each cue, unless too little would remain then
    for back in (True, False):
        spans = [(_stuffing_start(text, start, vocab) if back else start, _stuffing_end(text, end, vocab), reason)
                 for start, end, reason in cues]
        kept = [w for w in WRITTEN_WORD.finditer(text) if not any(a <= w.start() < b for a, b, _ in spans)]
        if len(kept) >= vocab.cut_min_words:
            break
    else:
        return ()
    tokens = tokenize(" ".join(w.group() for w in kept))
    if not vocab.concepts.find(tokens) and not vocab.topic_cues.topic_starts(tokens):
        return ()  # what remains says nothing about a drug: the block only sells
    return tuple(Cut(block.char_start + a, block.char_start + b, reason) for a, b, reason in spans)


def _is_stuffing(word: str, vocab: Vocabulary) -> bool:
    lowered = word.lower()
    return lowered in vocab.stuffing_words or lowered in vocab.drug_dictionary or bool(_STRENGTH.fullmatch(lowered))


def _stuffing_start(text: str, start: int, vocab: Vocabulary) -> int:
    """Where a selling fragment starting at `start` really starts: stretched back over the selling
    words, drug names and strengths right before it, one space apart, up to a selling word ("order
    cardura | cheap usa"); a drug name with no selling word before it is the sentence's own
    ("and ropinirole | cheap requip 1mg" keeps "ropinirole"), and a comma or any other mark stops it."""
    found = start
    for word in reversed(list(WRITTEN_WORD.finditer(text, 0, start))):
        if text[word.end():start] != " " or not _is_stuffing(word.group(), vocab):
            break
        start = word.start()
        if word.group().lower() in vocab.stuffing_words:
            found = start
    return found


def _stuffing_end(text: str, end: int, vocab: Vocabulary) -> int:
    """Where a selling fragment ending at `end` really ends: stretched over the selling words, drug
    names and strengths after it, and the commas, bars and slashes between them ("buy farxiga
    online, dapagliflozin 10mg price, farxiga coupon")."""
    for word in WRITTEN_WORD.finditer(text, end):
        if text[end:word.start()].strip(" ,|/") or not _is_stuffing(word.group(), vocab):
            break
        end = word.end()
    return end


def _keep_prose_if_nothing_is_left(blocks: list[Block], reasons: list[str | None], from_markup: set[int],
                                  layout: list[LineLayout | None]) -> None:
    """A page is not left without content by markup hints alone: when every block is boilerplate,
    the prose blocks marked only by their HTML ancestors (a blog theme that wraps the post in a
    `widget`, a live ticker in `comment` elements) are content after all."""
    if any(r is None for r in reasons):
        return
    for i in from_markup:
        lay = layout[i]
        if lay is not None and lay.link_ratio < LINK_HEAVY_RATIO and word_count(blocks[i].text) >= FALLBACK_MIN_WORDS:
            reasons[i] = None


def layout_of_blocks(blocks: list[Block], page: PageText) -> list[LineLayout | None]:
    """The HTML layout of the line each block comes from (None for plain-text pages)."""
    lines = line_spans(page.text)
    if not page.layout or len(lines) != len(page.layout):
        return [None] * len(blocks)
    starts = [a for a, _ in lines]
    return [page.layout[bisect_right(starts, b.char_start) - 1] for b in blocks]


def _is_short(block: Block) -> bool:
    if block.kind in ("table_row", "list_item"):
        return False
    return word_count(block.text) <= SHORT_BLOCK_WORDS and not block.text.rstrip().endswith((".", "!", "?"))


def _extend_glossaries(blocks: list[Block], reasons: list[str | None]) -> None:
    """The definition lines ("Stat - Immediately") right after an off-topic glossary line are off topic."""
    for i in range(1, len(blocks)):
        if reasons[i] is None and reasons[i - 1] == "off_topic" and _DEFINITION_LINE.match(blocks[i].text.strip()):
            reasons[i] = "off_topic"


def _mark_footer_tail(blocks: list[Block], reasons: list[str | None], vocab: Vocabulary) -> None:
    """Short lines after the last boilerplate-free paragraph of a page are its footer, except
    product fields that state drug information ("Habit forming: No")."""
    last_content = max((i for i, r in enumerate(reasons) if r is None and not _is_short(blocks[i])), default=-1)
    tail = range(last_content + 1, len(blocks))
    if any(reasons[i] is not None for i in tail):
        for i in tail:
            if reasons[i] is None and _is_short(blocks[i]) and not vocab.furniture.content_field.match(blocks[i].text):
                reasons[i] = "footer"
